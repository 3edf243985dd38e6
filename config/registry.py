"""The museum registry: who takes part and how each museum's data is fetched.

Loaded from ``museums.yaml`` into typed models so a typo in the file is
reported with the file, museum and field instead of surfacing mid-harvest.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import get_close_matches
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from config.breaker import BreakerLimits, BreakerOverrides
from config.errors import ConfigError
from config.messages import describe_error
from config.regions import REGIONS
from config.source_policy import SourcePolicy

__all__ = [
    "ConfigError",
    "CsvSource",
    "Museum",
    "OaiSource",
    "Registry",
    "load_registry",
    "source_problems",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OaiSource(_Strict):
    type: Literal["oai-pmh"]
    url: str
    metadata_prefix: str | None = None  # None: ask ListMetadataFormats, prefer lido, else oai_dc
    set: str | None = None
    timeout: float = 30.0
    max_retries: int = 5
    overlap_seconds: int = 3600  # incremental 'from' goes back this far behind the last run
    user_agent: str = "emuseum-harvester/0.1 (+national museum catalogue of Kazakhstan)"
    # None: the settings' defaults (EMUSEUM_MAX_SECONDS_PER_MUSEUM, EMUSEUM_MAX_RESPONSE_BYTES)
    max_seconds: float | None = Field(default=None, gt=0)  # one harvest run of this museum, at most
    max_response_bytes: int | None = Field(default=None, gt=0)  # one page, after decompression

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("an OAI-PMH base URL starts with http:// or https://")
        return value


class CsvSource(_Strict):
    """A spreadsheet export: CSV, or an Excel workbook (``type: xlsx``) mapped by the same profiles."""

    type: Literal["csv", "xlsx"]
    url: str  # file:///..., a plain path, or http(s)://
    profile: str = "generic"
    encoding: str = "auto"  # CSV: "auto" detects UTF-8, UTF-8 with BOM and Windows-1251
    delimiter: str | None = None  # CSV: None = sniffed
    sheet: str | None = None  # xlsx: the worksheet's name; None = the first
    timeout: float = 60.0
    max_seconds: float | None = Field(default=None, gt=0)  # None: EMUSEUM_MAX_SECONDS_PER_MUSEUM
    max_response_bytes: int | None = Field(default=None, gt=0)  # the export; None: EMUSEUM_MAX_RESPONSE_BYTES


Source = Annotated[OaiSource | CsvSource, Field(discriminator="type")]


class Museum(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: dict[str, str]
    region: str
    city: str | None = None
    source: Source
    enabled: bool = True
    breaker: BreakerOverrides | None = None  # this museum's limits for holding a suspicious run

    @field_validator("region")
    @classmethod
    def _region(cls, value: str) -> str:
        if value not in REGIONS:
            known = ", ".join(sorted(REGIONS))
            raise ValueError(f"unknown region {value!r}; use an ISO 3166-2:KZ code ({known})")
        return value

    @field_validator("name")
    @classmethod
    def _name(cls, value: dict[str, str]) -> dict[str, str]:
        if not value:
            raise ValueError("give the museum's name in at least one of kk, ru, en")
        return value

    def display_name(self, lang: str = "en") -> str:
        for key in (lang, "en", "ru", "kk"):
            if key in self.name:
                return self.name[key]
        return next(iter(self.name.values()))


#: Up to this many museums, an unknown id's message lists them all.
_LISTED = 12


def _near(given: str, known: list[str]) -> list[str]:
    """Ids a person probably meant: a few that contain what was typed (a shortened id), else look like it."""
    if len(given) >= 4:
        containing = [k for k in known if given.casefold() in k.casefold()]
        if containing:
            return containing[:3]
    return get_close_matches(given, known, n=3, cutoff=0.75)


class Registry(_Strict):
    museums: list[Museum] = Field(default_factory=list)
    breaker: BreakerOverrides | None = None  # limits for every museum (each may set its own)

    @model_validator(mode="after")
    def _unique(self) -> Registry:
        seen: set[str] = set()
        for museum in self.museums:
            if museum.id in seen:
                raise ValueError(f"museum id {museum.id!r} appears twice")
            seen.add(museum.id)
        return self

    def get(self, museum_id: str) -> Museum | None:
        return next((m for m in self.museums if m.id == museum_id), None)

    def ids(self) -> list[str]:
        return [m.id for m in self.museums]

    def unknown(self, ids: Sequence[str]) -> str:
        """What to tell someone who named museums the registry lacks.

        A short registry is listed whole; with 252 museums that list would bury
        the answer, so the nearest ids are offered instead (a typo is the usual
        cause) and ``emuseum status`` is named for the rest.
        """
        named = ", ".join(repr(i) for i in ids)
        head = f"unknown museum id {named}" if len(ids) == 1 else f"unknown museum ids {named}"
        known = self.ids()
        if len(known) <= _LISTED:
            return f"{head}; known: {', '.join(known)}"
        guesses = list(dict.fromkeys(g for i in ids for g in _near(i, known)))
        hint = f"did you mean {' or '.join(repr(g) for g in guesses)}? " if guesses else ""
        return f"{head}; {hint}`emuseum status` lists all {len(known)}"

    def breaker_limits(self, museum: Museum) -> BreakerLimits:
        """The limits that hold this museum's runs: its own, else the registry's, else the defaults."""
        return BreakerLimits().merged(self.breaker).merged(museum.breaker)


def source_problems(registry: Registry, policy: SourcePolicy) -> list[str]:
    """``museum <id>, field source.url: <why>`` for every source the policy refuses.

    Literal addresses and ``localhost`` names are checked here; a DNS name is
    checked when the harvester connects (config load does not depend on DNS).
    Museums refused for the same reason share one line (``museums a, b and 14
    more, ...``): a setting missing from the environment refuses every local
    source at once, and 252 copies of its advice would hide it.
    """
    refused: dict[str, list[str]] = {}
    for museum in registry.museums:
        source = museum.source
        if isinstance(source, OaiSource):
            problem = policy.url_problem(source.url)
        else:
            problem = policy.csv_url_problem(source.url)
        if problem:
            refused.setdefault(problem, []).append(museum.id)
    return [f"{_museums_named(ids)}, field source.url: {problem}" for problem, ids in refused.items()]


def _museums_named(ids: list[str], shown: int = 8) -> str:
    if len(ids) == 1:
        return f"museum {ids[0]}"
    more = f" and {len(ids) - shown} more" if len(ids) > shown else ""
    return f"museums {', '.join(ids[:shown])}{more}"


def load_registry(path: Path, policy: SourcePolicy | None = None) -> Registry:
    """Read and check ``museums.yaml``; sources are checked against ``policy`` (default: the environment's)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    try:
        registry = Registry.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            describe_error(e, data, list_key="museums", name_key="id", label="museum") for e in exc.errors()
        )
        raise ConfigError(f"{path}: {problems}") from None
    refused = source_problems(registry, policy if policy is not None else SourcePolicy.from_env())
    if refused:
        raise ConfigError(f"{path}: " + "; ".join(refused))
    return registry
