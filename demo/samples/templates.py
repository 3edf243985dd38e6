"""The object templates a sample fund is drawn from.

A template is one kind of object a Kazakh fund holds many of (kebeje,
dombyra, Saka gold plaque...) with the titles it repeats, and what a title
may narrow: materials, dates, places, makers.  They are data, so they live
in ``templates.yaml`` beside this module, read once on import.  The loader
checks every key against the vocabularies, places and actors here rather
than trusting the file: a misspelt material then fails on import naming the
template, instead of as a bare KeyError halfway through generating a fund.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final

import yaml

from config.regions import REGIONS
from demo.samples.actors import ACTORS
from demo.samples.dating import Spec
from demo.samples.labels import LANGS, Tri
from demo.samples.places import PLACES
from demo.samples.vocabulary import COLLECTIONS, MATERIALS, SUBJECTS, TECHNIQUES

__all__ = ["TEMPLATES_FILE", "Template", "TemplateFileError", "Variant", "load_templates", "templates"]

TEMPLATES_FILE: Final = Path(__file__).with_name("templates.yaml")
# yaml's safe loader in C when the build has it (as mappings/data_files.py): five times faster, same result
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class Variant:
    """A title a fund repeats; may narrow the template's materials, dates, places, makers."""

    title: Tri
    materials: tuple[str, ...] | None = None
    techniques: tuple[str, ...] | None = None
    periods: tuple[Spec, ...] | None = None
    sites: tuple[str, ...] | None = None
    creators: tuple[str, ...] | None = None
    subjects: tuple[str, ...] | None = None
    dims: Spec | None = None


@dataclass(frozen=True, slots=True)
class Template:
    key: str
    collection: str
    object_type: Tri
    variants: tuple[Variant, ...]
    materials: tuple[tuple[str, ...], ...]  # alternatives
    techniques: tuple[tuple[str, ...], ...]  # alternatives
    periods: tuple[Spec, ...]
    description: Tri
    dims: Spec
    type_uri: str | None = None
    sites: tuple[str, ...] | None = None  # None: a household object from anywhere
    site_periods: dict[str, tuple[Spec, ...]] = field(default_factory=dict)
    site_culture: dict[str, Tri] = field(default_factory=dict)
    culture: Tri | None = None
    creators: tuple[str, ...] = ()
    creator_share: float = 0.0
    subjects: tuple[str, ...] = ()
    weight: float = 1.0
    home_regions: tuple[str, ...] = ()


#: The period kinds demo/samples/dating.py draws from, and the dimension kinds objects.py writes.
_PERIOD_KINDS: Final = frozenset({"c", "m", "early", "mid", "late", "y", "pick", "artist"})
_DIMS_KINDS: Final = frozenset({"hwd", "hw", "lw", "l", "h", "dia", "coin"})
_NARROWING: Final = ("materials", "techniques", "periods", "sites", "creators", "subjects", "dims")
_VARIANT_KEYS: Final = frozenset({*LANGS, *_NARROWING})
_REQUIRED: Final = ("key", "collection", "object_type", "description", "variants", "materials", "techniques",
                    "periods", "dims")
_OPTIONAL: Final = ("type_uri", "sites", "site_periods", "culture", "site_culture", "creators", "creator_share",
                    "subjects", "weight", "home_regions")


class TemplateFileError(ValueError):
    """The templates file describes a template wrongly; the message names the template and the field."""


def _mapping(value: Any, where: str, allowed: Collection[str], required: Collection[str] = ()) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TemplateFileError(f"{where}: expected a mapping, got {type(value).__name__}")
    unknown = sorted(str(k) for k in value if k not in allowed)
    missing = [k for k in required if k not in value]
    if unknown or missing:
        raise TemplateFileError(f"{where}: unknown keys {unknown}, missing keys {missing}")
    return value


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise TemplateFileError(f"{where}: expected a non-empty string, got {value!r}")
    return value


def _tri(value: Any, where: str) -> Tri:
    """Labels written as ``kk:``/``ru:``/``en:`` lines, in the (kk, ru, en) order the code uses."""
    data = _mapping(value, where, LANGS, LANGS)
    kk, ru, en = (_text(data[lang], f"{where}.{lang}") for lang in LANGS)
    return kk, ru, en


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise TemplateFileError(f"{where}: expected a non-empty list, got {value!r}")
    return value


def _keys(value: Any, where: str, known: Collection[str]) -> tuple[str, ...]:
    names = tuple(_text(item, where) for item in _list(value, where))
    unknown = [name for name in names if name not in known]
    if unknown:
        raise TemplateFileError(f"{where}: unknown {unknown}")
    return names


def _spec(value: Any, where: str, kinds: Collection[str]) -> Spec:
    """A spec as the code reads it: a tuple (hashable, the datings are cached by it), nested lists as tuples."""
    items = _list(value, where)
    if items[0] not in kinds:
        raise TemplateFileError(f"{where}: unknown kind {items[0]!r}, expected one of {sorted(kinds)}")

    def frozen(item: Any) -> Any:
        if isinstance(item, list):
            return tuple(frozen(part) for part in item)
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise TemplateFileError(f"{where}: unexpected value {item!r}")
        return item

    return tuple(frozen(item) for item in items)


def _periods(value: Any, where: str) -> tuple[Spec, ...]:
    return tuple(_spec(item, where, _PERIOD_KINDS) for item in _list(value, where))


def _alternatives(value: Any, where: str, known: Collection[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(_keys(item, where, known) for item in _list(value, where))


def _variant(value: Any, where: str) -> Variant:
    data = _mapping(value, where, _VARIANT_KEYS, LANGS)
    title = _tri({lang: data[lang] for lang in LANGS}, where)
    readers: dict[str, Callable[[Any, str], Any]] = {
        "materials": lambda v, w: _keys(v, w, MATERIALS),
        "techniques": lambda v, w: _keys(v, w, TECHNIQUES),
        "periods": _periods,
        "sites": lambda v, w: _keys(v, w, PLACES),
        "creators": lambda v, w: _keys(v, w, ACTORS),
        "subjects": lambda v, w: _keys(v, w, SUBJECTS),
        "dims": lambda v, w: _spec(v, w, _DIMS_KINDS),
    }
    narrowing = {name: readers[name](data[name], f"{where}.{name}") for name in _NARROWING if name in data}
    return Variant(title, **narrowing)


def _template(value: Any, index: int, source: str) -> Template:
    key = value.get("key") if isinstance(value, dict) else None
    where = f"{source}: template {key or index + 1}"
    data = _mapping(value, where, {*_REQUIRED, *_OPTIONAL}, _REQUIRED)

    def at(name: str) -> str:
        return f"{where}.{name}"

    optional: dict[str, Any] = {}
    if "type_uri" in data:
        optional["type_uri"] = _text(data["type_uri"], at("type_uri"))
    if "sites" in data:
        optional["sites"] = _keys(data["sites"], at("sites"), PLACES)
    if "site_periods" in data:
        sites = _mapping(data["site_periods"], at("site_periods"), PLACES)
        optional["site_periods"] = {site: _periods(specs, at(f"site_periods.{site}")) for site, specs in sites.items()}
    if "culture" in data:
        optional["culture"] = _tri(data["culture"], at("culture"))
    if "site_culture" in data:
        sites = _mapping(data["site_culture"], at("site_culture"), PLACES)
        optional["site_culture"] = {site: _tri(labels, at(f"site_culture.{site}")) for site, labels in sites.items()}
    if "creators" in data:
        optional["creators"] = _keys(data["creators"], at("creators"), ACTORS)
    for name in ("creator_share", "weight"):
        if name in data:
            number = data[name]
            if isinstance(number, bool) or not isinstance(number, int | float) or number < 0:
                raise TemplateFileError(f"{at(name)}: expected a number >= 0, got {number!r}")
            optional[name] = float(number)
    if "subjects" in data:
        optional["subjects"] = _keys(data["subjects"], at("subjects"), SUBJECTS)
    if "home_regions" in data:
        optional["home_regions"] = _keys(data["home_regions"], at("home_regions"), REGIONS)

    collection = _text(data["collection"], at("collection"))
    if collection not in COLLECTIONS:
        raise TemplateFileError(f"{at('collection')}: unknown {collection!r}")
    return Template(
        key=_text(data["key"], at("key")),
        collection=collection,
        object_type=_tri(data["object_type"], at("object_type")),
        variants=tuple(
            _variant(item, at(f"variants[{i + 1}]")) for i, item in enumerate(_list(data["variants"], at("variants")))
        ),
        materials=_alternatives(data["materials"], at("materials"), MATERIALS),
        techniques=_alternatives(data["techniques"], at("techniques"), TECHNIQUES),
        periods=_periods(data["periods"], at("periods")),
        description=_tri(data["description"], at("description")),
        dims=_spec(data["dims"], at("dims"), _DIMS_KINDS),
        **optional,
    )


def load_templates(path: Path = TEMPLATES_FILE) -> tuple[Template, ...]:
    """The templates in the file's order, which is part of every fund (the draws index into it)."""
    with path.open(encoding="utf-8") as stream:
        loaded = yaml.load(stream, Loader=_Loader)
    data = _mapping(loaded, path.name, {"shared", "templates"}, {"templates"})
    items = _list(data["templates"], f"{path.name}: templates")
    templates = tuple(_template(item, i, path.name) for i, item in enumerate(items))
    keys = [t.key for t in templates]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise TemplateFileError(f"{path.name}: duplicate template keys {duplicates}")
    return templates



@cache
def templates() -> tuple[Template, ...]:
    """The templates of ``templates.yaml``, read on first use and then kept for the process.

    Not read on import: most importers of demo.samples only write records
    (to_lido, to_oai_dc) and never draw a fund.
    """
    return load_templates()
