"""Declarative CSV profiles: which column of a museum's export feeds which core field.

Museums without an OAI-PMH endpoint send spreadsheets whose headers differ
from museum to museum but repeat across museums that use the same accounting
system.  A profile (YAML under ``mappings/profiles/`` or any file path) names
those headers once, so supporting another export is a data change, not code.

The package is split by subject: ``profile`` (the YAML profile and its
loading), ``cells`` (what one cell's free text says) and ``row`` (a row to a
core record, and ``MAPPING_VERSION``).
"""

from __future__ import annotations

from mappings.csv_profiles.cells import licence_uri, parse_measurements
from mappings.csv_profiles.profile import (
    ColumnRule,
    CsvProfile,
    ProfileError,
    TargetField,
    available_profiles,
    load_profile,
)
from mappings.csv_profiles.row import MAPPING_VERSION, map_csv_row

__all__ = [
    "MAPPING_VERSION",
    "ColumnRule",
    "CsvProfile",
    "ProfileError",
    "TargetField",
    "available_profiles",
    "licence_uri",
    "load_profile",
    "map_csv_row",
    "parse_measurements",
]
