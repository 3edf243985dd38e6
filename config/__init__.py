"""The museum registry, the harvest schedule and the settings, loaded into typed models and checked.

The bottom of the one-way flow: every other package may read configuration,
and this package reads nothing but its files and the environment.
"""

from config.errors import ConfigError
from config.regions import REGIONS, Region, region_label
from config.registry import CsvSource, Museum, OaiSource, Registry, load_registry
from config.schedules import Schedule, ScheduledJob, load_schedule, unknown_museums
from config.settings import Settings, load_settings
from config.source_policy import SourcePolicy, load_source_policy

__all__ = [
    "REGIONS",
    "ConfigError",
    "CsvSource",
    "Museum",
    "OaiSource",
    "Region",
    "Registry",
    "Schedule",
    "ScheduledJob",
    "Settings",
    "SourcePolicy",
    "load_registry",
    "load_schedule",
    "load_settings",
    "load_source_policy",
    "region_label",
    "unknown_museums",
]
