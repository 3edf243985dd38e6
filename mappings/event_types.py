"""Event types: which event of an object's life a source means, in any of its spellings.

LIDO names event types three ways: the terminology's ids (``lido00002``),
LIDO 1.0 path URIs (``.../eventType/finding``) and free text in the
cataloguer's language ("Fund", "находка", "descoperire").  A researcher needs
one type per event to read in kk/ru/en and to search by, and every output
needs the terminology's id back, so each event type is a concept here: its key
(``finding``), its terminology URI and its catalogue labels, read from the
reviewed data file ``mappings/data/event_types.yaml``.

The *kind* of a type says what it means for the object's making (is this the
production?); the LIDO reader chooses the production by it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from mappings.concepts import LANGUAGES, local_id
from mappings.core import Term
from mappings.data_files import DataFileError, load_yaml, mapping_of, strings_of, version_of

__all__ = [
    "EVENT_TYPES_VERSION",
    "TERMINOLOGY",
    "EventKind",
    "EventType",
    "event_kind",
    "event_type",
    "event_types",
    "kind_of",
    "recognise",
    "type_term",
]

#: Base of the LIDO terminology's URIs; an id is appended (``lido00002``).
TERMINOLOGY: Final = "http://terminology.lido-schema.org/"
_FILE: Final = "data/event_types.yaml"
_LIDO_ID: Final = re.compile(r"lido(\d{5})\b")
_LEGACY: Final = re.compile(r"/eventtype/([a-z_]+)")
_CRM: Final = re.compile(r"cidoc-crm\.org/\S*?/(e\d+)(?:_\w*)?/?$")
_URI: Final = re.compile(r"^(?:https?://\S+|urn:\S+|info:\S+)$", re.IGNORECASE)
_LINKED_ART: Final = frozenset(
    {
        "encounter",
        "ownership",
        "custody",
        "modification",
        "part_addition",
        "part_removal",
        "transformation",
        "destruction",
        "move",
        "exhibition",
        "use",
    }
)


class EventKind(StrEnum):
    """How strongly an event stands for the object's making."""

    PRODUCTION = "production"
    CREATION = "creation"
    CREATION_LIKE = "creation_like"  # design, drawing, photographing: makers, but second choice
    UNSPECIFIED = "unspecified"  # "Event (non-specified)", untyped or unrecognised type
    OTHER = "other"  # acquisition, find, restoration, provenance, ...: known not to be the making


def fold_label(text: str) -> str:
    """Case- and accent-insensitive key, so 'Fund', 'fund ' and 'FUND' meet."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@dataclass(frozen=True, slots=True)
class EventType:
    """One event type of the terminology, with the labels the catalogue shows."""

    key: str
    kind: EventKind
    labels: dict[str, str]
    lido_id: str | None = None  # "lido00002"
    linked_art: str | None = None  # how crm_out writes it (see the data file)
    terminology: tuple[tuple[str, str], ...] = ()  # (lang, label) as the terminology publishes it

    @property
    def uri(self) -> str | None:
        return TERMINOLOGY + self.lido_id if self.lido_id else None

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels["en"]

    def term(self, given_labels: Sequence[tuple[str, str]] = (), given_uris: Sequence[str] = ()) -> Term:
        """This type as a concept term, keeping the museum's own words where they differ."""
        source: dict[str, str] = {}
        for lang, label in given_labels:
            if lang in source or fold_label(label) == fold_label(self.labels.get(lang, "")):
                continue
            source[lang] = label
        uris = [u for u in dict.fromkeys(given_uris) if _URI.match(u)]
        uri = self.uri or (uris[0] if uris else None)
        return Term(
            labels=dict(self.labels),
            uri=uri,
            concept=self.key,
            source_labels=source,
            same_as=[u for u in uris if u != uri],
        )


@dataclass(frozen=True, slots=True)
class _Table:
    version: str
    types: dict[str, EventType]
    by_id: dict[str, EventType]
    by_legacy: dict[str, EventType]
    by_crm: dict[str, EventType]
    by_word: dict[str, EventType]
    kind_only: dict[str, EventKind]  # ids known only by their kind


def _load() -> _Table:
    table = load_yaml(_FILE)
    types: dict[str, EventType] = {}
    by_id: dict[str, EventType] = {}
    by_legacy: dict[str, EventType] = {}
    by_crm: dict[str, EventType] = {}
    by_word: dict[str, EventType] = {}

    def claim(index: dict[str, EventType], key: str, found: EventType, where: str) -> None:
        other = index.setdefault(key, found)
        if other is not found:
            raise DataFileError(f"{where}: {key!r} names both {other.key!r} and {found.key!r}")

    for key, raw in mapping_of(table.get("types"), f"{_FILE}: types").items():
        where = f"{_FILE}: types.{key}"
        entry = mapping_of(raw, where)
        unknown = set(entry) - {"lido_id", "kind", "crm", "legacy", "labels", "terminology", "words", "linked_art"}
        if unknown:
            raise DataFileError(f"{where}: unexpected keys {sorted(unknown)}")
        labels = {str(k): str(v) for k, v in mapping_of(entry.get("labels"), f"{where}.labels").items()}
        if sorted(labels) != sorted(LANGUAGES):
            raise DataFileError(f"{where}.labels: expected exactly {list(LANGUAGES)}")
        try:
            kind = EventKind(str(entry.get("kind")))
        except ValueError:
            raise DataFileError(f"{where}.kind: one of {[k.value for k in EventKind]}") from None
        lido_id = entry.get("lido_id")
        if lido_id is not None and not (isinstance(lido_id, str) and re.fullmatch(r"lido\d{5}", lido_id)):
            raise DataFileError(f"{where}.lido_id: expected lidoNNNNN")
        linked_art = entry.get("linked_art")
        if linked_art is not None and linked_art not in _LINKED_ART:
            raise DataFileError(f"{where}.linked_art: one of {sorted(_LINKED_ART)}")
        terminology = mapping_of(entry.get("terminology", {}), f"{where}.terminology")
        found = EventType(
            key=key,
            kind=kind,
            labels=labels,
            lido_id=lido_id,
            linked_art=linked_art,
            terminology=tuple((str(lang), str(label)) for lang, label in terminology.items()),
        )
        types[key] = found
        if lido_id:
            claim(by_id, lido_id[4:], found, where)
        for slug in strings_of(entry.get("legacy", []), f"{where}.legacy"):
            claim(by_legacy, slug.casefold(), found, where)
        for crm in strings_of(entry.get("crm", []), f"{where}.crm"):
            claim(by_crm, crm.casefold(), found, where)
        words = [*labels.values(), *(label for _, label in found.terminology)]
        words += strings_of(entry.get("words", []), f"{where}.words")
        for word in words:
            claim(by_word, fold_label(word), found, where)

    kind_only: dict[str, EventKind] = {}
    for kind_name, ids in mapping_of(table.get("ids_without_labels", {}), f"{_FILE}: ids_without_labels").items():
        for value in strings_of(ids, f"{_FILE}: ids_without_labels.{kind_name}"):
            kind_only[value.removeprefix("lido")] = EventKind(kind_name)
    return _Table(version_of(table, _FILE), types, by_id, by_legacy, by_crm, by_word, kind_only)


_TABLE: Final = _load()

#: Version of event_types.yaml; the mappings that read event types follow it.
EVENT_TYPES_VERSION: Final = _TABLE.version

_MAKING_FIRST: Final = (EventKind.PRODUCTION, EventKind.CREATION)


def event_types() -> list[EventType]:
    """Every event type of the table, in the file's order."""
    return list(_TABLE.types.values())


def event_type(key: str) -> EventType:
    """The event type with this key (``finding``); KeyError names the known keys."""
    try:
        return _TABLE.types[key]
    except KeyError:
        raise KeyError(f"no event type {key!r}; known: {', '.join(_TABLE.types)}") from None


def _by_uri(uris: Iterable[str]) -> tuple[list[EventType], EventKind | None]:
    found: list[EventType] = []
    kind: EventKind | None = None
    for uri in uris:
        lowered = uri.casefold()
        for digits in _LIDO_ID.findall(lowered):
            if digits in _TABLE.by_id:
                found.append(_TABLE.by_id[digits])
            elif digits in _TABLE.kind_only and kind is None:
                kind = _TABLE.kind_only[digits]
        for slug in _LEGACY.findall(lowered):
            if slug in _TABLE.by_legacy:
                found.append(_TABLE.by_legacy[slug])
        crm = _CRM.search(lowered)
        if crm and crm.group(1) in _TABLE.by_crm:
            found.append(_TABLE.by_crm[crm.group(1)])
    return found, kind


def recognise(uris: Sequence[str], labels: Iterable[str]) -> tuple[EventType | None, EventKind]:
    """The event type the URIs (any family) or labels (any language) name, and its kind.

    An id or URI decides before a label does, except that a label saying
    production or creation outranks a URI saying design or acquisition (an
    export that types its making badly still has its making found).
    """
    by_uri, kind_only = _by_uri(uris)
    by_label = [found for label in labels if label.strip() and (found := _TABLE.by_word.get(fold_label(label)))]
    for candidates in (by_uri, by_label):
        for found in candidates:
            if found.kind in _MAKING_FIRST:
                return found, found.kind
    for candidates in (by_uri, by_label):
        if candidates:
            return candidates[0], candidates[0].kind
    return None, kind_only or EventKind.UNSPECIFIED


def event_kind(uris: Sequence[str], labels: Iterable[str]) -> EventKind:
    """Only the kind of what ``recognise`` finds."""
    return recognise(uris, labels)[1]


def type_term(uris: Sequence[str], labels: Sequence[tuple[str, str]]) -> tuple[Term | None, EventKind]:
    """An event's type as a concept term, and its kind; None for an event with no type at all.

    A type the table knows becomes its concept (the museum's words kept where
    they differ); any other keeps the museum's words and URI, with a local
    concept id so that spelling variants still meet.
    """
    uris = [u.strip() for u in uris if u.strip()]
    labels = [(lang, label.strip()) for lang, label in labels if label.strip()]
    found, kind = recognise(uris, [label for _, label in labels])
    if found is not None:
        return found.term(labels, uris), kind
    own: dict[str, str] = {}
    for lang, label in labels:
        if not _URI.match(label):
            own.setdefault(lang, label)
    uri_values = [u for u in dict.fromkeys(uris) if _URI.match(u)]
    if not own and not uri_values:
        return None, kind
    return (
        Term(
            labels=own,
            uri=uri_values[0] if uri_values else None,
            concept=local_id(own),
            same_as=uri_values[1:],
        ),
        kind,
    )


def kind_of(term: Term | None) -> EventKind:
    """The kind of a core event's type (an untyped or unknown type is unspecified)."""
    if term is None:
        return EventKind.UNSPECIFIED
    if term.concept and term.concept in _TABLE.types:
        return _TABLE.types[term.concept].kind
    return recognise([u for u in (term.uri, *term.same_as) if u], term.labels.values())[1]
