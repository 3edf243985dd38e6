"""Which mapping turns which source format into a core record.

A new source format is a new module plus one line here, never a branch in an
existing mapping.
"""

from __future__ import annotations

from collections.abc import Callable

from harvester.raw import RawRecord
from mappings import csv_profiles, lido_in, oai_dc_in
from mappings.report import MappingError, MappingResult
from mappings.vocabulary import VOCABULARY_VERSION, enrich

__all__ = ["map_raw", "mapping_version"]

_MAPPERS: dict[str, tuple[Callable[[RawRecord], MappingResult], str]] = {
    "lido": (lido_in.map_lido, lido_in.MAPPING_VERSION),
    "oai_dc": (oai_dc_in.map_oai_dc, oai_dc_in.MAPPING_VERSION),
    "csv": (csv_profiles.map_csv_row, csv_profiles.MAPPING_VERSION),
}


def _family(fmt: str) -> str:
    return fmt.split(":", 1)[0]


def mapping_version(fmt: str) -> str:
    """The version stamped on records of this format: the mapping's plus the vocabulary's."""
    entry = _MAPPERS.get(_family(fmt))
    return f"{entry[1]}+{VOCABULARY_VERSION}" if entry else "none"


def map_raw(raw: RawRecord) -> MappingResult:
    entry = _MAPPERS.get(_family(raw.format))
    if entry is None:
        known = ", ".join(sorted(_MAPPERS))
        raise MappingError(raw.museum_id, raw.local_id, "format", f"no mapping for {raw.format!r} (known: {known})")
    result = entry[0](raw)
    record = enrich(result.record)
    # enrich hands back a record of its own (a copy): its source is replaced in place
    # rather than copying the whole record once more.
    record.source = record.source.model_copy(update={"mapping_version": mapping_version(raw.format)})
    result.record = record
    return result
