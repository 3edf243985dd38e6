"""Declarative CSV profiles: which column of a museum's export feeds which core field.

Museums without an OAI-PMH endpoint send spreadsheets whose headers differ
from museum to museum but repeat across museums that use the same accounting
system.  A profile (YAML under ``mappings/profiles/`` or any file path) names
those headers once, so supporting another export is a data change, not code.

The row arrives as the harvester stored it: a UTF-8 JSON object
``{header: cell}`` in file column order.  Headers are matched after stripping,
collapsing whitespace and case-folding, because Excel users retype them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

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
from harvester.raw import RawRecord, csv_header_key, csv_row_id
from mappings.core import (
    ISO_DATE,
    Actor,
    CoreRecord,
    LangText,
    Links,
    Measurement,
    Media,
    MediaKind,
    Place,
    Production,
    Rights,
    SourceInfo,
    Term,
    record_id,
)
from mappings.dates import parse_date
from mappings.iso_dates import parse_iso
from mappings.report import Issue, MappingError, MappingResult

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

#: Bumped whenever the same row would map to a different core record.
MAPPING_VERSION = "csv-in/1"

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
]

_TERM_FIELDS = frozenset(
    {
        "object_type",
        "classification",
        "materials",
        "techniques",
        "subjects",
        "production.culture",
        "production.period",
    }
)
_TEMPLATE_FIELDS = frozenset({"media", "links.object_page", "links.published_ids"})
_MEASUREMENT_TYPES = frozenset({"height", "width", "depth", "length", "diameter", "thickness", "weight"})
_PROFILE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# Beside this module rather than via importlib.resources: under the setuptools
# editable finder ``mappings`` resolves as a namespace package there, which
# importlib.resources (3.11) cannot open.
_PROFILE_DIR = Path(__file__).resolve().parent / "profiles"


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
    role: Term | None = None  # actors only: the role when the row names none
    axes: list[str] = Field(default_factory=lambda: ["height", "width", "depth"])

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
        if self.role is not None and self.field != "actors":
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


# --------------------------------------------------------------------------- loading


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


# --------------------------------------------------------------------------- measurements

_NUMBER = r"\d+(?:[.,]\d+)?"
_UNIT_NAMES = {
    "мм": "mm",
    "mm": "mm",
    "см": "cm",
    "cm": "cm",
    "м": "m",
    "m": "m",
    "кг": "kg",
    "kg": "kg",
    "гр": "g",
    "г": "g",
    "g": "g",
    "in": "in",
}
_UNIT = r"(?:мм|mm|см|cm|кг|kg|гр|in|м|m|г|g)\.?(?![a-zа-яё])"
_TIMES = r"[x×хX*Х]"
_PRODUCT = re.compile(rf"^(?:{_NUMBER}\s*(?:{_UNIT})?\s*{_TIMES}\s*)+{_NUMBER}\s*(?:{_UNIT})?$", re.IGNORECASE)
_VALUE_WITH_UNIT = re.compile(rf"({_NUMBER})\s*({_UNIT})?", re.IGNORECASE)
_LABELLED = re.compile(
    rf"^(?P<label>[a-zа-яё⌀ø]+)\.?\s*[:=]?\s*(?P<num>{_NUMBER})\s*(?P<unit>{_UNIT})?$",
    re.IGNORECASE,
)
_LABELS = {
    "height": ("h", "н", "в", "выс", "высота", "height"),
    "width": ("w", "ш", "шир", "ширина", "width", "b"),
    "depth": ("г", "гл", "глуб", "глубина", "depth"),
    "length": ("l", "дл", "длина", "length"),
    "diameter": ("d", "д", "диам", "диаметр", "diam", "diameter", "ø", "⌀"),
    "thickness": ("т", "толщ", "толщина", "thickness", "t"),
    "weight": ("вес", "масса", "weight", "wt"),
}
_LABEL_TYPES = {label: kind for kind, labels in _LABELS.items() for label in labels}
_WEIGHT_UNITS = frozenset({"kg", "g"})
_SEGMENT_SPLIT = re.compile(r";|,(?!\d)|\n")
_LEAD_IN = re.compile(r"^[^:]{0,40}:\s*(?=\d)")  # "Размеры: 32 x 20 см" -> "32 x 20 см"


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _unit(text: str | None) -> str | None:
    return _UNIT_NAMES[text.lower().rstrip(".")] if text else None


def parse_measurements(text: str, axes: Iterable[str] = ("height", "width", "depth")) -> list[Measurement]:
    """Typed measurements from the easy cases ("32 x 20 см", "h 12 cm; d 8 cm", "1,2 кг").

    What it cannot read it leaves out: the caller keeps the whole text as the
    display measurement, so nothing is lost, and a wrong guess would be worse
    than none.  Axis order of "A x B x C" comes from the profile (height first
    in Russian and most museum practice).
    """
    axes = list(axes)
    found: list[Measurement] = []
    for raw_segment in _SEGMENT_SPLIT.split(text):
        segment = _LEAD_IN.sub("", raw_segment.strip().rstrip(".").strip())
        if not segment:
            continue
        if _PRODUCT.match(segment):
            pairs = _VALUE_WITH_UNIT.findall(segment)
            if len(pairs) > len(axes):
                continue
            shared = next((u for _, u in reversed(pairs) if u), None)
            for axis, (num, unit) in zip(axes, pairs, strict=False):
                found.append(Measurement(type=axis, value=_number(num), unit=_unit(unit or shared)))
            continue
        labelled = _LABELLED.match(segment)
        if labelled and labelled["label"].lower() in _LABEL_TYPES:
            unit = _unit(labelled["unit"])
            kind: str | None = _LABEL_TYPES[labelled["label"].lower()]
            if kind != "weight" and unit in _WEIGHT_UNITS:
                kind = "weight"
            found.append(Measurement(type=kind, value=_number(labelled["num"]), unit=unit))
            continue
        bare = re.fullmatch(rf"({_NUMBER})\s*({_UNIT})", segment, re.IGNORECASE)
        if bare:
            unit = _unit(bare[2])
            kind = "weight" if unit in _WEIGHT_UNITS else None
            found.append(Measurement(type=kind, value=_number(bare[1]), unit=unit))
    return found


# --------------------------------------------------------------------------- media

_MIME_BY_EXTENSION = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "glb": "model/gltf-binary",
    "gltf": "model/gltf+json",
    "obj": "model/obj",
    "stl": "model/stl",
    "usdz": "model/vnd.usdz+zip",
    "ply": "model/ply",
    "mp4": "video/mp4",
    "webm": "video/webm",
    "mp3": "audio/mpeg",
    "ogg": "audio/ogg",
    "wav": "audio/wav",
    "html": "text/html",
    "htm": "text/html",
}
_KIND_BY_MIME_PREFIX = {
    "image/": MediaKind.IMAGE,
    "model/": MediaKind.MODEL_3D,
    "video/": MediaKind.VIDEO,
    "audio/": MediaKind.AUDIO,
}
_ABSOLUTE_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)


def _mime_for(url: str) -> str | None:
    path = url.split("?", 1)[0].split("#", 1)[0]
    name = path.rsplit("/", 1)[-1]
    if "." not in name:
        return None
    return _MIME_BY_EXTENSION.get(name.rsplit(".", 1)[-1].lower())


def _kind_for(mime: str | None) -> MediaKind:
    for prefix, kind in _KIND_BY_MIME_PREFIX.items():
        if mime and mime.startswith(prefix):
            return kind
    return MediaKind.OTHER


def _resolve_url(value: str, template: str | None, museum_id: str, *, file_name: bool) -> tuple[str | None, str | None]:
    """The absolute URL a cell stands for, plus a note when something had to be assumed.

    Accounting systems export the picture as a bare file name or even as the
    clerk's local path (``C:\\Фото\\kp1234.jpg``); only the file name means
    anything on the museum's web server, so that is what the template gets.
    ``{museum}`` in a template is the museum id, so one shared profile can
    point every museum at its own folder.  Ids (``file_name=False``, for
    object pages) go in whole, "/" included, percent-encoded.
    """
    if _ABSOLUTE_URL.match(value):
        return value, None
    if template is None:
        return None, f"«{value}» is not an http(s) URL and the profile gives no template"
    name = re.split(r"[\\/]", value)[-1].strip() if file_name else value
    if not name:
        return None, f"«{value}» has no file name to put into the template"
    note = f"used file name «{name}» from local path «{value}»" if name != value else None
    url = template.replace("{museum}", museum_id).replace("{value}", quote(name, safe=""))
    return url, note


# --------------------------------------------------------------------------- rights

_CC_LICENCE = re.compile(
    r"^(?:creative\s*commons|cc)[\s-]*(?P<terms>by(?:[\s-]*(?:nc|sa|nd))*)"
    r"(?:[\s-]*(?P<version>[1-4]\.0))?$",
    re.IGNORECASE,
)
_CC_ZERO = re.compile(r"^(?:cc\s*0|cc[\s-]*zero)(?:[\s-]*1\.0)?$", re.IGNORECASE)
_PUBLIC_DOMAIN = re.compile(r"^(?:public domain|pdm|общественное достояние|қоғамдық игілік)$", re.IGNORECASE)


def licence_uri(text: str) -> str | None:
    """The Creative Commons URI a spreadsheet's short licence name stands for ("CC BY-SA 4.0").

    Only unambiguous names are read; a version-less "CC BY" means the current
    4.0 licence, the one museums are pointed to.  Anything else stays a label.
    """
    text = " ".join(text.split()).rstrip(".")
    if _CC_ZERO.match(text):
        return "https://creativecommons.org/publicdomain/zero/1.0/"
    if _PUBLIC_DOMAIN.match(text):
        return "https://creativecommons.org/publicdomain/mark/1.0/"
    match = _CC_LICENCE.match(text)
    if not match:
        return None
    terms = re.findall(r"nc|sa|nd", match["terms"].lower())
    if len(set(terms)) != len(terms) or ("sa" in terms and "nd" in terms):
        return None
    ordered = "-".join(["by", *(t for t in ("nc", "sa", "nd") if t in terms)])
    return f"https://creativecommons.org/licenses/{ordered}/{match['version'] or '4.0'}/"


# --------------------------------------------------------------------------- mapping


def _split(value: str, separators: str | None) -> list[str]:
    """Cell parts, not splitting inside brackets ("дерево (береза, сосна)" stays whole)."""
    if not separators:
        return [value]
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in value:
        if char in "([":
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
        if char in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def _one_line(value: str) -> str:
    return " ".join(value.split())


@dataclass
class _Draft:
    """Everything the rules found in one row, before it becomes a CoreRecord."""

    terms: dict[str, list[Term]] = field(default_factory=dict)
    scalars: dict[str, str] = field(default_factory=dict)
    titles: list[LangText] = field(default_factory=list)
    descriptions: list[LangText] = field(default_factory=list)
    inscriptions: list[LangText] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    roles: list[Term] = field(default_factory=list)
    role_header: str | None = None
    places: list[Place] = field(default_factory=list)
    measurements: list[Measurement] = field(default_factory=list)
    media: list[Media] = field(default_factory=list)
    published_ids: list[str] = field(default_factory=list)
    rights: dict[str, str] = field(default_factory=dict)
    date_headers: dict[str, str] = field(default_factory=dict)  # target -> header it came from
    issues: list[Issue] = field(default_factory=list)

    def add_term(self, target: str, term: Term) -> None:
        bucket = self.terms.setdefault(target, [])
        key = {(lang, label.casefold()) for lang, label in term.labels.items()}
        if not any(key == {(la, lb.casefold()) for la, lb in t.labels.items()} for t in bucket):
            bucket.append(term)


def _row_from_payload(raw: RawRecord) -> dict[str, str]:
    try:
        data = json.loads(raw.payload.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MappingError(raw.museum_id, raw.local_id, "payload", f"not a UTF-8 JSON object of cells: {exc}") from None
    if not isinstance(data, dict):
        raise MappingError(raw.museum_id, raw.local_id, "payload", "expected a JSON object {header: cell}")
    return {str(k): "" if v is None else str(v) for k, v in data.items()}


def _profile_for(raw: RawRecord) -> CsvProfile:
    if not raw.format.startswith("csv:") or raw.format == "csv:":
        raise MappingError(raw.museum_id, raw.local_id, "format", f"{raw.format!r} is not csv:<profile>")
    try:
        return load_profile(raw.format.removeprefix("csv:"))
    except ProfileError as exc:
        raise MappingError(raw.museum_id, raw.local_id, "format", str(exc)) from None


def _apply(rule: ColumnRule, header: str, value: str, lang: str, museum_id: str, draft: _Draft) -> None:
    target = rule.field
    where = f"{target} («{header}»)"
    if target in _TERM_FIELDS:
        for part in _split(value, rule.split):
            draft.add_term(target, Term(labels={lang: _one_line(part)}))
    elif target in ("inventory_number", "repository", "links.object_page"):
        text = _one_line(value)
        if target == "links.object_page":
            url, note = _resolve_url(text, rule.template, museum_id, file_name=False)
            if note:
                draft.issues.append(Issue(where, note, "warning" if url is None else "info"))
            if url is None:
                return
            text = url
        if target in draft.scalars and draft.scalars[target] != text:
            draft.issues.append(Issue(where, f"ignored «{text}»: already «{draft.scalars[target]}»"))
            return
        draft.scalars[target] = text
    elif target in ("titles", "descriptions", "inscriptions"):
        texts: list[LangText] = getattr(draft, target)
        parts = _split(value, rule.split) if rule.split else [value.strip()]
        for part in parts:
            text = _one_line(part) if target == "titles" else part.replace("\r\n", "\n").strip()
            if not any(t.value == text and t.lang == lang for t in texts):
                texts.append(LangText(value=text, lang=lang, preferred=not texts and target == "titles"))
    elif target == "actors":
        for name in _split(value, rule.split):
            draft.actors.append(Actor(name=_one_line(name), role=rule.role))
    elif target == "actors.role":
        draft.roles = [Term(labels={lang: _one_line(p)}) for p in _split(value, rule.split)]
        draft.role_header = header
    elif target == "production.places":
        for name in _split(value, rule.split):
            draft.places.append(Place(name=_one_line(name)))
    elif target in ("production.date_display", "production.earliest", "production.latest"):
        draft.scalars.setdefault(target, _one_line(value))
        draft.date_headers.setdefault(target, header)
    elif target == "measurements":
        display = _one_line(value)
        typed = parse_measurements(display, rule.axes)
        draft.measurements.append(Measurement(display=display))
        draft.measurements.extend(typed)
        if not typed:
            draft.issues.append(Issue(where, f"kept «{display}» as display text; no dimensions read from it", "info"))
    elif target.startswith("rights"):
        text = _one_line(value)
        if target != "rights":
            draft.rights.setdefault(target.removeprefix("rights."), text)
        elif _ABSOLUTE_URL.match(text):
            draft.rights.setdefault("uri", text)
        else:
            draft.rights.setdefault("label", text)
            licence = licence_uri(text)
            if licence:
                draft.rights.setdefault("uri", licence)
    elif target in ("media", "links.published_ids"):
        for part in _split(value, rule.split):
            url, note = _resolve_url(part, rule.template, museum_id, file_name=target == "media")
            if note:
                draft.issues.append(Issue(where, note, "warning" if url is None else "info"))
            if url is None:
                continue
            if target == "links.published_ids":
                if url not in draft.published_ids:
                    draft.published_ids.append(url)
                continue
            mime = _mime_for(url)
            kind = rule.kind or _kind_for(mime)
            if not any(m.url == url for m in draft.media):
                draft.media.append(Media(url=url, kind=kind, mime=mime))


def _date_bounds(draft: _Draft) -> tuple[str | None, str | None]:
    """Earliest/latest: parsed from the display date, overridden by explicit columns."""
    earliest: str | None = None
    latest: str | None = None
    display = draft.scalars.get("production.date_display")
    if display:
        parsed = parse_date(display)
        if parsed is None:
            header = draft.date_headers["production.date_display"]
            draft.issues.append(Issue(f"production.date_display («{header}»)", f"no date range read from «{display}»"))
        else:
            earliest, latest = parsed.earliest, parsed.latest
    for bound in ("earliest", "latest"):
        target = f"production.{bound}"
        value = draft.scalars.get(target)
        if not value:
            continue
        header = draft.date_headers[target]
        if not ISO_DATE.match(value):
            parsed = parse_date(value)
            value = (parsed.earliest if bound == "earliest" else parsed.latest) if parsed else None
            if value is None:
                draft.issues.append(Issue(f"{target} («{header}»)", "not a date"))
                continue
        if bound == "earliest":
            earliest = value
        else:
            latest = value
    for name, value in (("earliest", earliest), ("latest", latest)):
        if value is not None and not ISO_DATE.match(value):
            draft.issues.append(Issue(f"production.{name}", f"date parser gave non-ISO {value!r}"))
            if name == "earliest":
                earliest = None
            else:
                latest = None
    if earliest and latest and parse_iso(earliest).year > parse_iso(latest).year:
        draft.issues.append(Issue("production", f"earliest {earliest} is after latest {latest}; swapped them"))
        earliest, latest = latest, earliest
    return earliest, latest


def _production(draft: _Draft) -> Production | None:
    earliest, latest = _date_bounds(draft)
    display = draft.scalars.get("production.date_display")
    culture = draft.terms.get("production.culture", [])
    period = draft.terms.get("production.period", [])
    if not (display or earliest or latest or draft.places or culture or period):
        return None
    return Production(
        date_display=display,
        earliest=earliest,
        latest=latest,
        places=draft.places,
        culture=culture,
        period=period,
    )


def _assign_roles(draft: _Draft) -> None:
    """Pair a role column with the actors: one role for all, or one role per actor."""
    if not draft.roles:
        return
    where = f"actors.role («{draft.role_header}»)"
    if not draft.actors:
        draft.issues.append(Issue(where, "a role is given but no actor"))
    elif len(draft.roles) == 1:
        draft.actors = [a.model_copy(update={"role": draft.roles[0]}) for a in draft.actors]
    elif len(draft.roles) == len(draft.actors):
        draft.actors = [a.model_copy(update={"role": r}) for a, r in zip(draft.actors, draft.roles, strict=True)]
    else:
        draft.issues.append(Issue(where, f"{len(draft.roles)} roles for {len(draft.actors)} actors; roles ignored"))


def map_csv_row(raw: RawRecord, profile: CsvProfile | None = None) -> MappingResult:
    """One CSV row (as the harvester stored it) to a core record, with what was left out."""
    profile = profile or _profile_for(raw)
    if not raw.local_id.strip():
        raise MappingError(raw.museum_id, raw.local_id, "local_id", "the row has no id")
    row = _row_from_payload(raw)
    header_by_key: dict[str, str] = {}
    for column in row:
        key = csv_header_key(column)
        if key not in header_by_key or not row[header_by_key[key]].strip():
            header_by_key[key] = column
    default_lang = profile.lang or UNKNOWN_LANG
    draft = _Draft()
    for rule in profile.columns:
        header = next(
            (header_by_key[k] for k in map(csv_header_key, rule.column) if k in header_by_key),
            None,
        )
        if header is None:
            continue
        value = row[header].strip()
        if value:
            _apply(rule, header, value, rule.lang or default_lang, raw.museum_id, draft)
    _assign_roles(draft)

    if not draft.titles and not draft.terms.get("object_type"):
        wanted = [r.column[0] for r in profile.columns if r.field in ("titles", "object_type")]
        names = ", ".join(f"«{c}»" for c in wanted) or "none in profile " + profile.name
        raise MappingError(
            raw.museum_id,
            raw.local_id,
            "titles",
            f"neither a title nor an object type has a value (columns {names})",
        )

    known = profile.known_headers()
    unmapped = [h for h in row if csv_header_key(h) not in known]
    rights = Rights(**draft.rights) if draft.rights else None
    try:
        record = CoreRecord(
            id=record_id(raw.museum_id, raw.local_id),
            museum_id=raw.museum_id,
            local_id=raw.local_id,
            inventory_number=draft.scalars.get("inventory_number"),
            repository=draft.scalars.get("repository"),
            object_type=draft.terms.get("object_type", []),
            classification=draft.terms.get("classification", []),
            titles=draft.titles,
            descriptions=draft.descriptions,
            inscriptions=draft.inscriptions,
            actors=draft.actors,
            production=_production(draft),
            materials=draft.terms.get("materials", []),
            techniques=draft.terms.get("techniques", []),
            measurements=draft.measurements,
            subjects=draft.terms.get("subjects", []),
            rights=rights,
            media=draft.media,
            links=Links(
                published_ids=draft.published_ids,
                object_page=draft.scalars.get("links.object_page"),
            ),
            source=SourceInfo(
                format=raw.format,
                datestamp=raw.datestamp,
                harvested_at=raw.harvested_at,
                mapping_version=MAPPING_VERSION,
            ),
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "record"
        raise MappingError(raw.museum_id, raw.local_id, where, first.get("msg", str(exc))) from None
    return MappingResult(record=record, issues=draft.issues, unmapped=unmapped)
