"""Hypothesis strategies for CoreRecord, shared by every test of a core-record writer.

Two flavours, because they answer different questions:

* ``core_records()`` roams the whole model: any printable Unicode text, odd
  language tags, empty terms, NaN/inf measurements, half coordinates.  A writer
  must turn every one of these into a valid document.
* ``core_records(round_trippable=True)`` stays inside what a serialisation can
  carry back: trimmed non-empty text, valid language tags, no empty terms or
  empty sub-records, finite numbers, whole coordinate pairs.  A
  reader-after-writer test uses it to check that no field is lost.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Any

from hypothesis import strategies as st

from mappings.concepts import local_id
from mappings.core import (
    Actor,
    CoreRecord,
    Event,
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
from mappings.event_types import EventKind, event_types, recognise

__all__ = [
    "KNOWN_LANGS",
    "MEASUREMENT_TYPES",
    "UNITS",
    "core_records",
    "iso_dates",
    "langs",
    "printable_text",
    "terms",
]

#: Canonical measurement keys and unit symbols of the core record.
MEASUREMENT_TYPES = ("height", "width", "depth", "diameter", "length", "weight")
UNITS = ("cm", "mm", "m", "g", "kg")

#: Languages the national catalogue actually meets, plus "und" for unknown.
KNOWN_LANGS = ("kk", "ru", "en", "kk-latn", "de", "und")

# Surrogates (Cs) and control characters (Cc) cannot appear in XML 1.0;
# U+FFFE/U+FFFF are not XML characters either.
_PRINTABLE = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
# Letters, digits, punctuation, symbols and plain spaces: text that a reader
# normalising whitespace gives back unchanged once trimmed.
_STABLE = st.characters(whitelist_categories=("L", "N", "P", "S", "Zs"))


def printable_text(*, round_trippable: bool = False, max_size: int = 30) -> st.SearchStrategy[str]:
    if not round_trippable:
        return st.text(_PRINTABLE, max_size=max_size)
    # ... in NFC (readers normalise), with at least one letter or digit: a label
    # of bare punctuation is noise that readers may rightly drop.
    return (
        st.text(_STABLE, min_size=1, max_size=max_size)
        .map(lambda value: " ".join(unicodedata.normalize("NFC", value).split()))
        .filter(lambda value: any(ch.isalnum() for ch in value))
    )


def langs(*, round_trippable: bool = False) -> st.SearchStrategy[str]:
    known = st.sampled_from(KNOWN_LANGS)
    if round_trippable:
        return known
    return st.one_of(known, st.text(_PRINTABLE, max_size=12))


def _uris(*, web_only: bool = False, round_trippable: bool = False) -> st.SearchStrategy[str]:
    if web_only:
        schemes = ["http", "https"]
    elif round_trippable:
        schemes = ["http", "https", "urn"]
    else:
        schemes = ["http", "https", "urn", "ftp"]
    return st.builds(
        "{}://{}/{}".format,
        st.sampled_from(schemes),
        st.from_regex(r"[a-z]{1,10}\.[a-z]{2,3}", fullmatch=True),
        st.from_regex(r"[A-Za-z0-9_-]{0,12}", fullmatch=True),
    )


def terms(*, round_trippable: bool = False) -> st.SearchStrategy[Term]:
    text = printable_text(round_trippable=round_trippable)
    uri = st.one_of(st.none(), _uris(round_trippable=True)) if round_trippable else st.one_of(st.none(), _uris(), text)
    labels = st.dictionaries(langs(round_trippable=round_trippable), text, max_size=3)
    strategy = st.builds(Term, labels=labels, uri=uri)
    if round_trippable:
        strategy = strategy.filter(lambda term: bool(term.labels) or term.uri is not None)
    return strategy


def iso_dates() -> st.SearchStrategy[str]:
    """``[-]YYYY[-MM[-DD]]`` including BCE years (astronomical numbering)."""

    def render(year: int, month: int | None, day: int | None) -> str:
        text = f"-{abs(year):04d}" if year < 0 else f"{year:04d}"
        if month is not None:
            text += f"-{month:02d}"
            if day is not None:
                text += f"-{day:02d}"
        return text

    return st.builds(
        render,
        st.integers(min_value=-9999, max_value=9999),
        st.one_of(st.none(), st.integers(1, 12)),
        st.one_of(st.none(), st.integers(1, 28)),
    )


def _date_key(iso: str) -> tuple[int, ...]:
    negative = iso.startswith("-")
    parts = [int(part) for part in iso.lstrip("-").split("-")]
    parts[0] = -parts[0] if negative else parts[0]
    return tuple(parts)


def _in_order(span: tuple[str | None, str | None]) -> tuple[str | None, str | None]:
    """earliest <= latest, as any reader that checks a time-span will insist."""
    earliest, latest = span
    if earliest is not None and latest is not None and _date_key(latest) < _date_key(earliest):
        return latest, earliest
    return span


def _lang_texts(round_trippable: bool, *, with_preferred: bool) -> st.SearchStrategy[LangText]:
    lang = st.one_of(st.none(), langs(round_trippable=round_trippable))
    preferred = st.booleans() if with_preferred or not round_trippable else st.just(False)
    return st.builds(
        LangText,
        value=printable_text(round_trippable=round_trippable),
        lang=lang,
        preferred=preferred,
    )


def _optional(strategy: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.one_of(st.none(), strategy)


def _numbers(round_trippable: bool) -> st.SearchStrategy[float]:
    if round_trippable:
        return st.floats(allow_nan=False, allow_infinity=False)
    return st.floats()


def _places(round_trippable: bool, depth: int = 2) -> st.SearchStrategy[Place]:
    """Places, each maybe within broader places (up to ``depth`` levels above it)."""
    text = printable_text(round_trippable=round_trippable)
    uri = _optional(_uris(round_trippable=round_trippable))
    broader = _optional(_places(round_trippable, depth - 1)) if depth > 0 else st.none()
    if round_trippable:
        coordinates = st.one_of(
            st.just((None, None)),
            st.tuples(st.floats(-90, 90, allow_nan=False), st.floats(-180, 180, allow_nan=False)),
        )
        return st.builds(
            lambda name, uri, pair, part_of: Place(name=name, uri=uri, lat=pair[0], lon=pair[1], part_of=part_of),
            text,
            uri,
            coordinates,
            broader,
        )
    return st.builds(
        Place, name=text, uri=uri, lat=_optional(st.floats()), lon=_optional(st.floats()), part_of=broader
    )


def _productions(round_trippable: bool) -> st.SearchStrategy[Production]:
    text = printable_text(round_trippable=round_trippable)
    term_lists = st.lists(
        terms(round_trippable=round_trippable),
        max_size=2,
        **({"unique_by": _identity} if round_trippable else {}),
    )
    dates = st.tuples(_optional(iso_dates()), _optional(iso_dates()))
    if round_trippable:
        dates = dates.map(_in_order)
    strategy = st.builds(
        lambda span, **fields: Production(earliest=span[0], latest=span[1], **fields),
        dates,
        date_display=_optional(text),
        places=(
            st.lists(_places(True), max_size=2, unique_by=lambda p: p.name)
            if round_trippable
            else st.lists(_places(False), max_size=2)
        ),
        culture=term_lists,
        period=term_lists,
    )
    if round_trippable:
        # Readers derive earliest/latest from a display date that comes alone.
        strategy = strategy.filter(
            lambda p: p != Production() and (p.date_display is None or p.earliest is not None or p.latest is not None)
        )
    return strategy


def _actors(round_trippable: bool) -> st.SearchStrategy[Actor]:
    text = printable_text(round_trippable=round_trippable)
    kind_values = [None, "person", "organization"]
    kind = st.sampled_from(kind_values) if round_trippable else st.one_of(st.sampled_from(kind_values), text)
    return st.builds(
        Actor,
        name=text,
        role=_optional(terms(round_trippable=round_trippable)),
        uri=_optional(_uris(round_trippable=round_trippable)),
        kind=kind,
    )


#: Event types a reader never takes for the making, and those it may (untyped, "Event", designs).
_OTHER_TYPES = [t.key for t in event_types() if t.kind is EventKind.OTHER]


def _event_types(round_trippable: bool) -> st.SearchStrategy[Term | None]:
    given = st.lists(st.tuples(langs(round_trippable=True), printable_text(round_trippable=True)), max_size=2)
    known = st.builds(
        lambda key, labels: next(t for t in event_types() if t.key == key).term(labels),
        st.sampled_from(_OTHER_TYPES if round_trippable else [t.key for t in event_types()]),
        given,
    )
    unknown = st.builds(
        lambda lang, label: Term(labels={lang: label}, concept=local_id({lang: label})),
        langs(round_trippable=True),
        printable_text(round_trippable=True).filter(lambda label: recognise([], [label])[0] is None),
    )
    if not round_trippable:
        return st.one_of(st.none(), known, unknown, terms())
    return st.one_of(st.none(), known, unknown)


def _events(round_trippable: bool) -> st.SearchStrategy[Event]:
    """Events of the record's life; in the round-trippable flavour, as a reader can give them back:
    an event of no known type carries no materials (a reader counts those as the object's)."""
    text = printable_text(round_trippable=round_trippable)
    unique = {"unique_by": _identity} if round_trippable else {}
    term_lists = st.lists(terms(round_trippable=round_trippable), max_size=2, **unique)
    dates = st.tuples(_optional(iso_dates()), _optional(iso_dates()))
    if round_trippable:
        dates = dates.map(_in_order)
    texts = st.lists(
        st.builds(LangText, value=printable_text(round_trippable=round_trippable), lang=langs(round_trippable=True)),
        max_size=2,
        **({"unique_by": lambda t: (t.value, t.lang)} if round_trippable else {}),
    )
    strategy = st.builds(
        lambda span, **fields: Event(earliest=span[0], latest=span[1], **fields),
        dates,
        type=_event_types(round_trippable),
        name=_optional(text),
        date_display=_optional(text),
        actors=st.lists(_actors(round_trippable), max_size=2, **({"unique_by": _name} if round_trippable else {})),
        places=st.lists(_places(round_trippable, 1), max_size=2, **unique),
        culture=term_lists,
        period=term_lists,
        materials=term_lists,
        techniques=term_lists,
        descriptions=texts,
    )
    if round_trippable:
        strategy = strategy.map(
            lambda e: e
            if e.type is not None and e.type.concept in _OTHER_TYPES
            else e.model_copy(update={"materials": [], "techniques": []})
        ).filter(lambda e: e.date_display is None or e.earliest is not None or e.latest is not None)
    return strategy


def _measurements(round_trippable: bool) -> st.SearchStrategy[Measurement]:
    text = printable_text(round_trippable=round_trippable)
    full = st.builds(
        Measurement,
        type=_optional(text),
        value=_optional(_numbers(round_trippable)),
        unit=_optional(text),
        display=_optional(text),
    )
    if not round_trippable:
        return full
    # What a reader can get back: a display text alone, or a value with its
    # optional type, unit and display.
    display_only = st.builds(Measurement, display=text)
    with_value = st.builds(
        Measurement,
        type=_optional(st.sampled_from(MEASUREMENT_TYPES)),
        value=st.floats(min_value=0, max_value=1e6, allow_nan=False),
        unit=_optional(st.sampled_from(UNITS)),
        display=_optional(text),
    )
    return st.one_of(display_only, with_value)


def _rights(round_trippable: bool) -> st.SearchStrategy[Rights]:
    text = printable_text(round_trippable=round_trippable)
    strategy = st.builds(
        Rights,
        uri=_optional(_uris(web_only=round_trippable)),
        label=_optional(text),
        holder=_optional(text),
        credit_line=_optional(text),
    )
    if round_trippable:
        strategy = strategy.filter(lambda r: r != Rights())
    return strategy


# A MIME type that agrees with each kind: readers trust the MIME type first.
_MIME_BY_KIND = {
    MediaKind.IMAGE: "image/jpeg",
    MediaKind.MODEL_3D: "model/gltf-binary",
    MediaKind.VIDEO: "video/mp4",
    MediaKind.AUDIO: "audio/mpeg",
    MediaKind.VIRTUAL_TOUR: "text/html",
    MediaKind.OTHER: "application/pdf",
}


def _media(round_trippable: bool) -> st.SearchStrategy[Media]:
    text = printable_text(round_trippable=round_trippable)
    if round_trippable:
        return st.sampled_from(list(MediaKind)).flatmap(
            lambda kind: st.builds(
                Media,
                url=_uris(web_only=True),
                kind=st.just(kind),
                mime=st.just(_MIME_BY_KIND[kind]),
                label=_optional(text),
                rights=_optional(_rights(True)),
                thumbnail=st.booleans(),
            )
        )
    mime = st.sampled_from(sorted(_MIME_BY_KIND.values()))
    return st.builds(
        Media,
        url=_uris(),
        kind=st.sampled_from(list(MediaKind)),
        mime=_optional(st.one_of(mime, text)),
        label=_optional(text),
        rights=_optional(_rights(round_trippable)),
        thumbnail=st.booleans(),
    )


def _sources() -> st.SearchStrategy[SourceInfo]:
    return st.builds(
        SourceInfo,
        format=st.sampled_from(["lido", "oai_dc", "csv:kazakh-museums"]),
        oai_identifier=_optional(st.from_regex(r"oai:[a-z.]{1,12}:[A-Za-z0-9/_-]{1,12}", fullmatch=True)),
        datestamp=_optional(st.sampled_from(["2024-05-01", "2024-05-01T10:00:00Z"])),
        harvested_at=_optional(
            st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)).map(
                lambda moment: moment.replace(tzinfo=UTC)
            )
        ),
        mapping_version=st.from_regex(r"[a-z_]{1,8} [0-9]\.[0-9]", fullmatch=True),
        schema_version=_optional(st.sampled_from(["1.0", "1.1"])),
    )


def _name(actor: Actor) -> str:
    return actor.name


def _identity(value: object) -> str:
    dump = getattr(value, "model_dump_json", None)
    return dump() if dump is not None else repr(value)


@st.composite
def _core_records(draw: st.DrawFn, round_trippable: bool) -> CoreRecord:
    """In the round-trippable flavour lists hold no duplicates (readers merge
    repeated values, and a repeat carries no information), media URLs and actor
    names are unique (readers take them as identities)."""

    def lists(strategy: st.SearchStrategy[Any], max_size: int) -> st.SearchStrategy[list[Any]]:
        if round_trippable:
            return st.lists(strategy, max_size=max_size, unique_by=_identity)
        return st.lists(strategy, max_size=max_size)

    def texts(*, with_preferred: bool, max_size: int) -> st.SearchStrategy[list[LangText]]:
        strategy = _lang_texts(round_trippable, with_preferred=with_preferred)
        if round_trippable:  # one text per value and language; preference is not identity
            return st.lists(strategy, max_size=max_size, unique_by=lambda t: (t.value, t.lang))
        return st.lists(strategy, max_size=max_size)

    text = printable_text(round_trippable=round_trippable)
    museum_id = draw(st.from_regex(r"[a-z0-9][a-z0-9-]{0,15}", fullmatch=True))
    local_id = draw(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,15}", fullmatch=True) if round_trippable else text)
    term_lists = lists(terms(round_trippable=round_trippable), 3)
    return CoreRecord(
        id=record_id(museum_id, local_id),
        museum_id=museum_id,
        local_id=local_id,
        inventory_number=draw(_optional(text)),
        repository=draw(_optional(text)),
        object_type=draw(term_lists),
        classification=draw(term_lists),
        titles=draw(texts(with_preferred=True, max_size=3)),
        descriptions=draw(texts(with_preferred=False, max_size=2)),
        inscriptions=draw(texts(with_preferred=False, max_size=2)),
        actors=draw(
            st.lists(_actors(True), max_size=3, unique_by=lambda a: a.name)
            if round_trippable
            else st.lists(_actors(False), max_size=3)
        ),
        production=draw(_optional(_productions(round_trippable))),
        events=draw(st.lists(_events(round_trippable), max_size=2)),
        materials=draw(term_lists),
        techniques=draw(term_lists),
        measurements=draw(lists(_measurements(round_trippable), 3)),
        subjects=draw(term_lists),
        rights=draw(_optional(_rights(round_trippable))),
        media=draw(
            st.lists(_media(round_trippable), max_size=3, unique_by=lambda m: m.url)
            if round_trippable
            else st.lists(_media(round_trippable), max_size=3)
        ),
        links=Links(
            published_ids=draw(lists(_uris(round_trippable=round_trippable), 2)),
            object_page=draw(_optional(_uris(web_only=round_trippable))),
        ),
        source=draw(_sources()),
    )


def core_records(*, round_trippable: bool = False) -> st.SearchStrategy[CoreRecord]:
    """Valid CoreRecords; ``round_trippable`` keeps to values a serialisation can return."""
    return _core_records(round_trippable)
