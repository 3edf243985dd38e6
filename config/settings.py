"""Where the configuration, the database and the index are: from flags, then environment.

No init step exists on purpose: every command opens (and migrates) the
database on first use, so a newcomer runs one command and it works.

The source policy (which addresses and folders museum sources may point at,
and the time and size limits of a harvest) comes from the environment too;
``config.source_policy`` lists its variables:

- ``EMUSEUM_ALLOW_SOURCE_NETWORKS`` (default: none, public addresses only),
- ``EMUSEUM_FILE_SOURCES_DIR`` (default: unset, no file sources),
- ``EMUSEUM_MAX_RESPONSE_BYTES`` (default 64 MiB, after decompression),
- ``EMUSEUM_MAX_SECONDS_PER_MUSEUM`` (default 14400 = 4 hours per museum and run),
- ``EMUSEUM_MAX_SECONDS_PER_RESPONSE`` (default 900 = 15 minutes per HTTP response).

``EMUSEUM_DUMPS_DIR`` is where the bulk dumps of the catalogue are built and
served from (default: ``dumps/`` beside a SQLite store's file, else ``var/dumps``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from config.ops import OpsSettings, load_ops_settings
from config.registry import Registry, load_registry
from config.schedules import Schedule, load_schedule, unknown_museums
from config.source_policy import SourcePolicy, load_source_policy

__all__ = ["Settings", "default_dumps_dir", "load_settings"]

DEFAULT_DATABASE_URL = "sqlite:///var/emuseum.db"
DEFAULT_INDEX_URL = "sqlite"  # the embedded FTS5 index inside the store's database


@dataclass(slots=True)
class Settings:
    config_dir: Path
    database_url: str
    index_url: str
    base_uri: str = "https://catalogue.museums.kz/"
    api_token: str | None = None
    admin_email: str | None = None  # OAI-PMH Identify's adminEmail for the catalogue's own endpoint
    cors_origins: list[str] = field(default_factory=list)
    registry: Registry = field(default_factory=Registry)
    schedule: Schedule = field(default_factory=Schedule)
    warnings: list[str] = field(default_factory=list)
    source_policy: SourcePolicy = field(default_factory=SourcePolicy)  # pass it to the harvester
    ops: OpsSettings = field(default_factory=OpsSettings)  # alerts, report delivery, schedule grace (config.ops)
    dumps_dir: Path = Path("var/dumps")  # bulk dumps and their manifest (aggregator.dumps)


def default_dumps_dir(database_url: str) -> Path:
    """``dumps/`` beside a SQLite store's file (the store and its dumps travel together), else ``var/dumps``."""
    prefix = "sqlite:///"
    if database_url.startswith(prefix) and ":memory:" not in database_url:
        path = database_url[len(prefix) :].split("?", 1)[0]
        if path:
            return Path(path).parent / "dumps"
    return Path("var/dumps")


def load_settings(config_dir: Path | str | None = None) -> Settings:
    """Read museums.yaml (required) and schedules.yaml (optional) from the config folder.

    The default folder is ``./config`` with ``./schedules.yaml`` beside it, as in
    the repository; a folder given by ``--config`` or ``EMUSEUM_CONFIG`` holds both.
    """
    explicit = config_dir or os.environ.get("EMUSEUM_CONFIG")
    folder = Path(explicit) if explicit else Path("config")
    policy = load_source_policy(os.environ)
    registry = load_registry(folder / "museums.yaml", policy)
    schedule_path = folder / "schedules.yaml"
    if not explicit and not schedule_path.exists():
        schedule_path = Path("schedules.yaml")
    schedule = load_schedule(schedule_path)
    cors = os.environ.get("EMUSEUM_CORS_ORIGINS", "")
    database_url = os.environ.get("EMUSEUM_DATABASE_URL", DEFAULT_DATABASE_URL)
    dumps = os.environ.get("EMUSEUM_DUMPS_DIR", "").strip()
    return Settings(
        config_dir=folder,
        database_url=database_url,
        index_url=os.environ.get("EMUSEUM_INDEX_URL", DEFAULT_INDEX_URL),
        base_uri=os.environ.get("EMUSEUM_BASE_URI", "https://catalogue.museums.kz/"),
        api_token=os.environ.get("EMUSEUM_API_TOKEN") or None,
        admin_email=os.environ.get("EMUSEUM_ADMIN_EMAIL") or None,
        cors_origins=[o.strip() for o in cors.split(",") if o.strip()],
        registry=registry,
        schedule=schedule,
        warnings=unknown_museums(schedule, registry),
        source_policy=policy,
        ops=load_ops_settings(os.environ),
        dumps_dir=Path(dumps) if dumps else default_dumps_dir(database_url),
    )
