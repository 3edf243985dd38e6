"""CSV profiles: the YAML that says which column of an export feeds which core field.

A profile names a museum system's headers once (with aliases, languages,
separators, URL templates), so supporting another export is a data change,
not code.  Profiles are validated strictly when loaded: a mistyped field
name or an option on the wrong kind of column fails with the file and the
rule named, instead of silently mapping nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from config.messages import describe_error
from harvester.raw import csv_header_key, csv_row_id
from mappings.core import MediaKind, Term
from mappings.data_files import data_path

__all__ = [
    "EVENT_TARGETS",
    "UNKNOWN_LANG",
    "ColumnRule",
    "CsvProfile",
    "ProfileError",
    "TargetField",
    "available_profiles",
    "load_profile",
]

#: Language tag for text whose language neither the column nor the profile states.
UNKNOWN_LANG = "und"

TargetField = Literal[
    "inventory_number",
    "repository",
    "object_type",
    "classification",
    "titles",
    "descriptions",
    "inscriptions",
    "materials",
    "techniques",
    "subjects",
    "actors",
    "actors.role",
    "production.date_display",
    "production.earliest",
    "production.latest",
    "production.places",
    "production.culture",
    "production.period",
    "measurements",
    "rights",
    "rights.uri",
    "rights.label",
    "rights.holder",
    "rights.credit_line",
    "media",
    "links.object_page",
    "links.published_ids",
    "finding.places",
    "finding.date_display",
    "finding.actors",
    "finding.name",
    "excavation.places",
    "excavation.date_display",
    "excavation.actors",
    "excavation.name",
    "acquisition.places",
    "acquisition.date_display",
    "acquisition.actors",
    "acquisition.name",
]

#: Events a profile can fill besides the production, by their event-type key
#: (mappings/data/event_types.yaml), each with ``places``, ``date_display``,
#: ``actors`` and ``name`` (an excavation's or expedition's name).
EVENT_TARGETS = ("finding", "excavation", "acquisition")

_TEMPLATE_FIELDS = frozenset({"media", "links.object_page", "links.published_ids"})
_MEASUREMENT_TYPES = frozenset({"height", "width", "depth", "length", "diameter", "thickness", "weight"})
_PROFILE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_PROFILE_DIR = data_path("profiles")


class ProfileError(ValueError):
    """A profile that cannot be used; the message names the file and the field."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ColumnRule(_Frozen):
    """One column (or its aliases) feeding one core field."""

    column: list[str] = Field(min_length=1)  # header and aliases, first match wins
    field: TargetField
    lang: str | None = None  # overrides the profile's default language
    split: str | None = None  # every character is a separator for multi-valued cells
    kind: MediaKind | None = None  # media only; guessed from the file extension when absent
    template: str | None = None  # media/links: URL for a bare value: "{value}", "{museum}"
    role: Term | None = None  # actors (and an event's actors) only: the role when the row names none
    axes: list[str] = Field(default_factory=lambda: ["height", "width", "depth"])

    @cached_property
    def header_keys(self) -> tuple[str, ...]:
        """The column and its aliases as headers are matched (``csv_header_key``), worked out once."""
        return tuple(csv_header_key(name) for name in self.column)

    @model_validator(mode="before")
    @classmethod
    def _shorthands(cls, data: Any) -> Any:
        """Let YAML authors write ``column: X`` and ``role: автор`` instead of lists and maps."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if isinstance(data.get("column"), str):
            data["column"] = [data["column"]]
        if isinstance(data.get("role"), str):
            data["role"] = {"labels": {data.get("lang") or UNKNOWN_LANG: data["role"]}}
        return data

    @field_validator("column")
    @classmethod
    def _headers(cls, value: list[str]) -> list[str]:
        if any(not csv_header_key(name) for name in value):
            raise ValueError("a column name cannot be empty")
        return value

    @field_validator("split")
    @classmethod
    def _split(cls, value: str | None) -> str | None:
        if value is not None and (not value or value.isspace()):
            raise ValueError("split lists separator characters such as ';,'")
        return value

    @field_validator("axes")
    @classmethod
    def _axes(cls, value: list[str]) -> list[str]:
        unknown = [a for a in value if a not in _MEASUREMENT_TYPES]
        if unknown or not value:
            known = ", ".join(sorted(_MEASUREMENT_TYPES))
            raise ValueError(f"axes must be among {known}; got {value!r}")
        return value

    @model_validator(mode="after")
    def _options_fit_field(self) -> ColumnRule:
        if self.kind is not None and self.field != "media":
            raise ValueError(f"kind applies to media only, not to {self.field}")
        if self.template is not None:
            if self.field not in _TEMPLATE_FIELDS:
                raise ValueError(f"template applies to media and links only, not to {self.field}")
            if "{value}" not in self.template:
                raise ValueError("a template marks the cell value with {value}")
        if self.role is not None and not self.field.endswith("actors"):
            raise ValueError(f"role applies to actors only, not to {self.field}")
        return self


class CsvProfile(_Frozen):
    """How one kind of CSV export becomes core records."""

    name: str
    description: str | None = None
    lang: str | None = None  # default language of text columns
    id_column: list[str] = Field(min_length=1)  # tried in order; first non-empty value is the id
    columns: list[ColumnRule] = Field(default_factory=list)

    @field_validator("id_column", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @model_validator(mode="before")
    @classmethod
    def _role_shorthand_language(cls, data: Any) -> Any:
        """``role: шебер`` is in the rule's language, else in the profile's."""
        if not isinstance(data, dict) or not isinstance(data.get("columns"), list):
            return data
        lang = data.get("lang") or UNKNOWN_LANG
        columns = [
            {**rule, "role": {"labels": {rule.get("lang") or lang: rule["role"]}}}
            if isinstance(rule, dict) and isinstance(rule.get("role"), str)
            else rule
            for rule in data["columns"]
        ]
        return {**data, "columns": columns}

    def id_for(self, row: dict[str, str]) -> str | None:
        """The row's local id: the first id column with a value, stripped."""
        return csv_row_id(row, self.id_column)

    def id_columns_in(self, headers: Iterable[str]) -> list[str]:
        """Which of the profile's id columns a header row has (empty: the export is unusable)."""
        present = {csv_header_key(h) for h in headers}
        return [c for c in self.id_column if csv_header_key(c) in present]

    @cached_property
    def _known_headers(self) -> frozenset[str]:
        names = [*self.id_column, *(name for rule in self.columns for name in rule.column)]
        return frozenset(csv_header_key(n) for n in names)

    def known_headers(self) -> frozenset[str]:
        """Normalised headers this profile reads; every other column is reported as unmapped."""
        return self._known_headers


def available_profiles() -> list[str]:
    """Names of the profiles shipped with the package."""
    return sorted(p.stem for p in _PROFILE_DIR.glob("*.yaml"))


def load_profile(name_or_path: str) -> CsvProfile:
    """A shipped profile by name (``generic``), or a profile file by path."""
    looks_like_path = "/" in name_or_path or "\\" in name_or_path or name_or_path.endswith((".yaml", ".yml"))
    if looks_like_path:
        path = Path(name_or_path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ProfileError(f"{path}: cannot read profile: {exc.strerror or exc}") from None
        return _parse_profile(text, str(path))
    return _packaged_profile(name_or_path)


@lru_cache(maxsize=32)
def _packaged_profile(name: str) -> CsvProfile:
    if not _PROFILE_NAME.match(name):
        raise ProfileError(f"{name!r} is neither a profile name ([a-z0-9_-]) nor a .yaml path")
    resource = _PROFILE_DIR / f"{name}.yaml"
    if not resource.is_file():
        known = ", ".join(available_profiles()) or "none"
        raise ProfileError(f"no CSV profile named {name!r}; shipped profiles: {known}")
    profile = _parse_profile(resource.read_text(encoding="utf-8"), f"profiles/{name}.yaml")
    if profile.name != name:
        raise ProfileError(f"profiles/{name}.yaml: field name: says {profile.name!r}, expected {name!r}")
    return profile


def _parse_profile(text: str, where: str) -> CsvProfile:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ProfileError(f"{where}: not valid YAML: {exc}") from None
    try:
        return CsvProfile.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            describe_error(e, data, list_key="columns", name_key="column", label="column rule", quote=True)
            for e in exc.errors()
        )
        raise ProfileError(f"{where}: {problems}") from None
