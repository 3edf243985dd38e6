"""The controlled values LIDO data uses in the wild, and what they mean to us.

Three spellings of the same concept circulate: legacy LIDO 1.0 path URIs
(``.../eventType/production``), opaque LIDO 1.1 ids (``lido00007``) and free
text in whatever language the cataloguer spoke.  Every decision a mapping
makes on such a value (a material or a technique? a thumbnail?) goes
through one function here (event types: ``mappings.event_types``), so that a new
spelling found in a museum's export is added in one place: the word tables
in ``mappings/data/lido_terms.yaml``, which say where each id and word was
found.  This module holds the rules that combine them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

from mappings.data_files import DataFileError, load_yaml, mapping_of, strings_of, version_of
from mappings.event_types import EventKind, event_kind

__all__ = [
    "LIDO_TERMS_VERSION",
    "EventKind",
    "MaterialsTechKind",
    "actor_kind",
    "canonical_measurement_type",
    "canonical_unit",
    "event_kind",
    "is_former_repository",
    "is_current_repository",
    "is_inventory_number_type",
    "is_placeholder",
    "is_thumbnail_representation",
    "materials_tech_kind",
    "normalise_lang",
    "pref_is_preferred",
]

_TERMS_FILE = "data/lido_terms.yaml"
_LIDO_ID = re.compile(r"lido(\d{5})\b")
_LANG_TAG = re.compile(r"^([a-z]{2,3})(?:-([a-z]{4}))?(?:-[a-z0-9]{1,8})*$")


def _lido_ids(values: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for value in values:
        found.update(_LIDO_ID.findall(value))
    return found


def _fold(text: str) -> str:
    """Case- and accent-insensitive key, so 'Hergestellt', 'hergestellt ' and 'HERGESTELLT' meet."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


# --------------------------------------------------------------------------- the tables


@dataclass(frozen=True, slots=True)
class _Spellings:
    """One concept as the three families spell it (any part may be empty)."""

    ids: frozenset[str]  # the digits of lidoNNNNN
    paths: tuple[str, ...]  # substrings of a lowercased legacy URI
    words: frozenset[str]  # whole values
    stems: tuple[str, ...]  # substrings of a folded value

    def named_by(self, ids: set[str]) -> bool:
        return bool(ids & self.ids)

    def in_paths(self, paths: str) -> bool:
        return any(path in paths for path in self.paths)

    def has_stem_in(self, folded: str) -> bool:
        return any(stem in folded for stem in self.stems)


def _spellings(table: object, where: str, fold_words: bool = False) -> _Spellings:
    section = mapping_of(table, where)
    unknown = set(section) - {"lido_ids", "legacy_paths", "words", "word_stems"}
    if unknown:
        raise DataFileError(f"{where}: unexpected keys {sorted(unknown)}")

    def strings(key: str) -> list[str]:
        return strings_of(section.get(key, []), f"{where}.{key}")

    ids = strings("lido_ids")
    bad = [value for value in ids if not re.fullmatch(r"lido\d{5}", value)]
    if bad:
        raise DataFileError(f"{where}.lido_ids: {bad} are not lidoNNNNN ids")
    words = strings("words")
    return _Spellings(
        ids=frozenset(value[4:] for value in ids),
        paths=tuple(strings("legacy_paths")),
        words=frozenset(_fold(word) for word in words) if fold_words else frozenset(words),
        stems=tuple(strings("word_stems")),
    )


def _grouped(table: object, where: str, key: Callable[[str], str]) -> dict[str, str]:
    """``{canonical: [names]}`` in the file, ``{key(name): canonical}`` here."""
    lookup: dict[str, str] = {}
    for canonical, names in mapping_of(table, where).items():
        for name in strings_of(names, f"{where}.{canonical}"):
            lookup[key(name)] = canonical
    return lookup


def _codes(table: object, where: str) -> dict[str, str]:
    codes = mapping_of(table, where)
    if not all(isinstance(value, str) for value in codes.values()):
        raise DataFileError(f"{where}: every value must be a language code")
    return {name: str(value) for name, value in codes.items()}


@dataclass(frozen=True, slots=True)
class _Terms:
    version: str
    iso639_2: dict[str, str]
    language_names: dict[str, str]
    preferred: _Spellings
    materials_tech: dict[str, _Spellings]
    actors: dict[str, _Spellings]
    repositories: dict[str, _Spellings]
    inventory_number: _Spellings
    representations: dict[str, _Spellings]
    placeholder: re.Pattern[str]
    measurement_types: dict[str, str]
    units: dict[str, str]


def _load_terms() -> _Terms:
    table = load_yaml(_TERMS_FILE)

    def where(key: str) -> str:
        return f"{_TERMS_FILE}: {key}"

    def section(key: str) -> dict[str, Any]:
        return mapping_of(table.get(key), where(key))

    def kinds(key: str, names: tuple[str, ...], fold_words: bool = False) -> dict[str, _Spellings]:
        found = section(key)
        if set(found) != set(names):
            raise DataFileError(f"{where(key)}: expected exactly {list(names)}")
        return {name: _spellings(found[name], f"{where(key)}.{name}", fold_words) for name in names}

    languages = section("languages")
    placeholder_characters = table.get("placeholder_characters")
    if not isinstance(placeholder_characters, str):
        raise DataFileError(f"{where('placeholder_characters')}: expected a string of characters")
    return _Terms(
        version=version_of(table, _TERMS_FILE),
        iso639_2=_codes(languages.get("iso639_2"), where("languages.iso639_2")),
        language_names=_codes(languages.get("names"), where("languages.names")),
        preferred=_spellings(table.get("preferred"), where("preferred")),
        materials_tech=kinds("materials_tech_types", ("technique", "material", "ignored")),
        actors=kinds("actor_types", ("person", "organization")),
        repositories=kinds("repository_types", ("current", "former")),
        inventory_number=_spellings(table.get("inventory_number_types"), where("inventory_number_types")),
        representations=kinds("representation_types", ("thumbnail", "full")),
        placeholder=re.compile("^[\\s" + "".join(re.escape(c) for c in placeholder_characters) + "]*$"),
        measurement_types=_grouped(table.get("measurement_types"), where("measurement_types"), _fold),
        units=_grouped(table.get("units"), where("units"), _fold),
    )


_TERMS = _load_terms()

#: Version of lido_terms.yaml; the LIDO reader's mapping version follows it.
LIDO_TERMS_VERSION = _TERMS.version


# --------------------------------------------------------------------------- language


@lru_cache(maxsize=4096)
def normalise_lang(code: str | None) -> str | None:
    """ISO 639-1 where one exists, lowercase; names of languages read as their code.

    Cached: a harvest asks it for the same few dozen codes on every element.

    Returns None for a missing/blank value (the caller inherits a default) and
    ``und`` for a value that is present but means nothing.  A script subtag is
    kept (``kk-latn``) because Kazakh is written in two scripts.
    """
    if code is None:
        return None
    raw = code.strip().casefold().replace("_", "-")
    if not raw:
        return None
    if raw in _TERMS.language_names:
        return _TERMS.language_names[raw]
    match = _LANG_TAG.match(raw)
    if not match:
        return "und"
    primary, script = match.group(1), match.group(2)
    primary = _TERMS.iso639_2.get(primary, primary)
    return f"{primary}-{script}" if script else primary


# --------------------------------------------------------------------------- lido:pref


@lru_cache(maxsize=4096)  # pure in one attribute value; a fund repeats a few
def pref_is_preferred(pref: str | None) -> bool:
    """``preferred`` and lido00169 are preferred; alternate/alternative/lido00170/00526 are not."""
    if not pref:
        return False
    value = pref.strip()
    ids = _lido_ids([value])
    if ids:
        return _TERMS.preferred.named_by(ids)
    return _fold(value) in _TERMS.preferred.words


# --------------------------------------------------------------------------- events
# Event types have their own table and module (mappings/event_types.py); the
# names stay importable from here for the readers that classify events.

# --------------------------------------------------------------------------- materials


class MaterialsTechKind(StrEnum):
    MATERIAL = "material"
    TECHNIQUE = "technique"
    IGNORED = "ignored"  # colour, mark, ...: typed, but neither


@lru_cache(maxsize=4096)  # pure in one attribute value; a fund repeats a few
def materials_tech_kind(type_value: str | None) -> MaterialsTechKind:
    """termMaterialsTech/@type: legacy URI, lidoNNNNN or free text; untyped means material."""
    if not type_value or not type_value.strip():
        return MaterialsTechKind.MATERIAL
    kinds = _TERMS.materials_tech
    ids = _lido_ids([type_value])
    if kinds["technique"].named_by(ids):
        return MaterialsTechKind.TECHNIQUE
    if kinds["material"].named_by(ids):
        return MaterialsTechKind.MATERIAL
    if kinds["ignored"].named_by(ids):
        return MaterialsTechKind.IGNORED
    folded = _fold(type_value)
    if kinds["technique"].has_stem_in(folded):
        return MaterialsTechKind.TECHNIQUE
    if kinds["ignored"].has_stem_in(folded):
        return MaterialsTechKind.IGNORED
    return MaterialsTechKind.MATERIAL


# --------------------------------------------------------------------------- actors


@lru_cache(maxsize=4096)  # pure in one attribute value; a fund repeats a few
def actor_kind(type_value: str | None) -> str | None:
    """actor/@type to "person" / "organization" (legacy URIs, lidoNNNNN, free text)."""
    if not type_value or not type_value.strip():
        return None
    ids = _lido_ids([type_value])
    for kind, spelling in _TERMS.actors.items():
        if spelling.named_by(ids):
            return kind
    folded = _fold(type_value)
    last = folded.rstrip("/").rsplit("/", 1)[-1]
    for kind, spelling in _TERMS.actors.items():
        if last in spelling.words or folded in spelling.words:
            return kind
    return None


# --------------------------------------------------------------------------- repository


@lru_cache(maxsize=4096)  # pure in one attribute value; a fund repeats a few
def is_current_repository(type_value: str | None) -> bool:
    if not type_value:
        return False
    current = _TERMS.repositories["current"]
    ids = _lido_ids([type_value])
    if ids:
        return current.named_by(ids)
    return current.has_stem_in(_fold(type_value))


@lru_cache(maxsize=4096)  # pure in one attribute value; a fund repeats a few
def is_former_repository(type_value: str | None) -> bool:
    if not type_value:
        return False
    former = _TERMS.repositories["former"]
    ids = _lido_ids([type_value])
    if ids:
        return former.named_by(ids)
    return former.has_stem_in(_fold(type_value))


@lru_cache(maxsize=4096)  # pure in one attribute value; a fund repeats a few
def is_inventory_number_type(type_value: str | None) -> bool:
    """workID/@type naming an inventory number (lido00113 or free text in any case)."""
    if not type_value:
        return False
    inventory = _TERMS.inventory_number
    return inventory.named_by(_lido_ids([type_value])) or inventory.has_stem_in(_fold(type_value))


# --------------------------------------------------------------------------- resources


@lru_cache(maxsize=4096)  # pure in one attribute value; a fund repeats a few
def is_thumbnail_representation(type_value: str | None) -> bool:
    """resourceRepresentation/@type: thumb/preview (free text, legacy, lido00451) are thumbnails."""
    if not type_value:
        return False
    ids = _lido_ids([type_value])
    if _TERMS.representations["thumbnail"].named_by(ids):
        return True
    if _TERMS.representations["full"].named_by(ids):
        return False
    return _TERMS.representations["thumbnail"].has_stem_in(_fold(type_value))


# --------------------------------------------------------------------------- values


def is_placeholder(text: str) -> bool:
    """'?', '-', '...' and the like: a cataloguer's 'unknown', not a value."""
    return bool(_TERMS.placeholder.match(text))


def canonical_measurement_type(labels: list[str]) -> str | None:
    """English key (height, width, ...) when any label is a known name; else the first label."""
    for label in labels:
        key = _TERMS.measurement_types.get(_fold(label))
        if key:
            return key
    return labels[0] if labels else None


def canonical_unit(labels: list[str]) -> str | None:
    """Unit symbol (cm, mm, g, ...) when any label is a known unit; else the first label."""
    for label in labels:
        unit = _TERMS.units.get(_fold(label).rstrip("."))
        if unit:
            return unit
    return labels[0] if labels else None
