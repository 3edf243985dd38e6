"""Events: what each lido:event says, and which of them is the object's making.

A LIDO record lists events of every kind (production, finding, acquisition,
restoration, ...).  Each is read whole here; ``production_event`` then picks
the one that stands for the making: a production, else a creation, else a
design-like event, else the one event of no known type that carries
materials, techniques or makers, else the only such event with a date.  The
others become the record's ``events`` (``mappings.lido_in.history``).

Dates: index dates (earliestDate / latestDate) win; ``0`` there is an
exporter's "unknown", not the year 1 BCE (which is written ``0000``), and is
dropped.  A display date is
parsed into ISO bounds only when no index date is left.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from mappings.core import ISO_DATE, Actor, Place, Production, Term
from mappings.dates import parse_date
from mappings.event_types import type_term
from mappings.iso_dates import normalise_iso, sort_key
from mappings.lido_in.concepts import ConceptReader, Sources, add_sources
from mappings.lido_in.elements import Element, all_paths, attr, children, dedupe, first, first_uri, inline_text
from mappings.lido_in.materials import materials_and_techniques
from mappings.lido_in.merging import merge_terms
from mappings.lido_in.places import event_places
from mappings.lido_terms import EventKind, actor_kind, is_placeholder, normalise_lang, pref_is_preferred

__all__ = [
    "MAKING",
    "ReadEvent",
    "actor_name",
    "date_bounds",
    "merge_production",
    "production",
    "production_event",
    "read_event",
]

#: Event kinds that stand for the object's making; their actors are its makers.
MAKING = (EventKind.PRODUCTION, EventKind.CREATION, EventKind.CREATION_LIKE)
#: "0", "00", "-0": an exporter's placeholder for an unknown date ("0000" is 1 BCE, a real year).
_ZERO_DATE = re.compile(r"^[+-]?0{1,3}$")


@dataclass
class ReadEvent:
    """What one lido:event says, before deciding whether it is the production.

    ``sources`` notes the elements each part was read from, keyed by the core
    Event's field names ("actors", "places", "date_display", ...).
    """

    element: Element
    kind: EventKind
    type_label: str
    type: Term | None = None
    name: str | None = None
    actors: list[Actor] = field(default_factory=list)
    date_display: str | None = None
    earliest_raw: str | None = None
    latest_raw: str | None = None
    places: list[Place] = field(default_factory=list)
    culture: list[Term] = field(default_factory=list)
    period: list[Term] = field(default_factory=list)
    materials: list[Term] = field(default_factory=list)
    techniques: list[Term] = field(default_factory=list)
    descriptions: list[tuple[str, str]] = field(default_factory=list)  # (text, lang)
    sources: Sources = field(default_factory=dict)

    @property
    def has_dates(self) -> bool:
        return bool(self.date_display or self.earliest_raw or self.latest_raw)

    @property
    def carries_making(self) -> bool:
        """Materials, techniques or actors: what a production says, whatever its type."""
        return bool(self.materials or self.techniques or self.actors)


def _type(reader: ConceptReader, event: Element, lang: str) -> tuple[Term | None, EventKind, str]:
    type_el = first(event, "eventType")
    uris = [inline_text(c) for c in children(type_el, "conceptID")]
    uris += [(attr(c, "about") or "").strip() for c in children(type_el, "Concept")]
    labels = [(reader.lang(t, lang), inline_text(t)) for t in children(type_el, "term")]
    labels += [
        (reader.lang(p, lang), inline_text(p)) for c in children(type_el, "Concept") for p in children(c, "prefLabel")
    ]
    if type_el is not None and not labels and not list(type_el):
        labels.append((lang, inline_text(type_el)))
    labels = [(code, text) for code, text in labels if text and not is_placeholder(text)]
    term, kind = type_term(uris, labels)
    shown = labels[0][1] if labels else next((u for u in uris if u), "untyped")
    return term, kind, shown


def read_event(reader: ConceptReader, event: Element, lang: str) -> ReadEvent:
    term, kind, label = _type(reader, event, lang)
    parsed = ReadEvent(element=event, kind=kind, type_label=label, type=term)
    sources = parsed.sources
    if term is not None:
        add_sources(sources, "type", first(event, "eventType"))
    for name_el in children(event, "eventName"):
        name = reader.appellation(name_el, lang)
        if name and not is_placeholder(name):
            parsed.name = name
            add_sources(sources, "name", name_el)
            break
    parsed.actors = _event_actors(reader, event, lang, sources)
    displays = [d for d in all_paths(event, "eventDate", "displayDate") if inline_text(d)]
    by_preference = (
        [d for d in displays if not attr(d, "lang")]
        + [d for d in displays if normalise_lang(attr(d, "lang")) == lang]
        + displays
    )
    display = by_preference[0] if by_preference else None
    parsed.date_display = inline_text(display) or None
    add_sources(sources, "date_display", display)
    for bound, name in (("earliest", "earliestDate"), ("latest", "latestDate")):
        date_el = first(event, "eventDate", "date", name)
        value = inline_text(date_el) or None
        if value is not None and _ZERO_DATE.match(value):
            value = None  # an exporter's "unknown"
        if value is not None:
            add_sources(sources, bound, date_el)
        setattr(parsed, f"{bound}_raw", value)
    parsed.places = event_places(reader, event, lang, sources)
    parsed.culture = reader.concepts(children(event, "culture"), lang, "event/culture", sources, "culture")
    parsed.period = reader.concepts(children(event, "periodName"), lang, "event/periodName", sources, "period")
    for materials_tech in children(event, "eventMaterialsTech"):
        materials, techniques = materials_and_techniques(reader, materials_tech, lang, sources)
        parsed.materials += materials
        parsed.techniques += techniques
    parsed.materials = dedupe(parsed.materials)
    parsed.techniques = dedupe(parsed.techniques)
    for note in all_paths(event, "eventDescriptionSet", "descriptiveNoteValue"):
        text = inline_text(note)
        if text and not is_placeholder(text):
            parsed.descriptions.append((text, reader.lang(note, lang)))
            add_sources(sources, "descriptions", note)
    return parsed


def _event_actors(reader: ConceptReader, event: Element, lang: str, sources: Sources) -> list[Actor]:
    actors: list[Actor] = []
    for event_actor in children(event, "eventActor"):
        in_roles = children(event_actor, "actorInRole")
        for in_role in in_roles:
            actor_el = first(in_role, "actor")
            name = actor_name(actor_el)
            if not name:
                continue
            ids = [inline_text(i) for i in children(actor_el, "actorID")]
            preferred_ids = [
                inline_text(i) for i in children(actor_el, "actorID") if pref_is_preferred(attr(i, "pref"))
            ]
            actors.append(
                Actor(
                    name=name,
                    role=reader.concept(first(in_role, "roleActor"), lang, "actorInRole/roleActor"),
                    uri=first_uri(preferred_ids) or first_uri(ids),
                    kind=actor_kind(attr(actor_el, "type") if actor_el is not None else None),
                )
            )
            add_sources(sources, "actors", in_role)
        if not in_roles:
            display_el = first(event_actor, "displayActorInRole")
            display = inline_text(display_el)
            if display and not is_placeholder(display):
                actors.append(Actor(name=display))
                add_sources(sources, "actors", display_el)
    return actors


def actor_name(actor_el: Element | None) -> str | None:
    """The actor's preferred name, else an unmarked one, else the first; placeholders skipped."""
    values = [v for v in all_paths(actor_el, "nameActorSet", "appellationValue") if inline_text(v)]
    values = [v for v in values if not is_placeholder(inline_text(v))]
    if not values:
        return None
    preferred = [v for v in values if pref_is_preferred(attr(v, "pref"))]
    unmarked = [v for v in values if not attr(v, "pref")]
    return inline_text((preferred or unmarked or values)[0])


def production_event(events: Iterable[ReadEvent]) -> ReadEvent | None:
    """The event that stands for the making, or None when no event clearly does.

    Among events of no known type (untyped, "Event", or a word no table
    knows, such as a Finnish "valmistus" would be without its entry), the one
    that carries materials, techniques or makers is the making; failing that,
    the only one with a date.  Two candidates are a guess, so neither is taken.
    """
    listed = list(events)
    for kind in MAKING:
        for event in listed:
            if event.kind is kind:
                return event
    unspecified = [e for e in listed if e.kind is EventKind.UNSPECIFIED]
    carrying = [e for e in unspecified if e.carries_making]
    if carrying:
        return carrying[0] if len(carrying) == 1 else None
    dated = [e for e in unspecified if e.has_dates]
    return dated[0] if len(dated) == 1 else None


def _core_date(value: str) -> str | None:
    """An index date cleaned to the core record's ISO shape, or None."""
    result = normalise_iso(value)
    return result if result and ISO_DATE.match(result) else None


def date_bounds(reader: ConceptReader, event: ReadEvent) -> tuple[str | None, str | None]:
    """ISO (earliest, latest) of an event: index dates, else the parsed display date; in order."""
    earliest = latest = None
    for raw_value, name in ((event.earliest_raw, "earliestDate"), (event.latest_raw, "latestDate")):
        if raw_value is None:
            continue
        value = _core_date(raw_value)
        if value is None:
            reader.warn(f"eventDate/date/{name}", f"{raw_value!r} is not an ISO 8601 date")
        if name == "earliestDate":
            earliest = value
        else:
            latest = value
    if earliest is None and latest is None and event.date_display:
        parsed = parse_date(event.date_display)
        if parsed is not None:
            earliest = parsed.earliest if parsed.earliest and ISO_DATE.match(parsed.earliest) else None
            latest = parsed.latest if parsed.latest and ISO_DATE.match(parsed.latest) else None
            if earliest or latest:
                display_sources = event.sources.get("date_display", [])
                event.sources.setdefault("earliest" if earliest else "latest", []).extend(display_sources)
                if earliest and latest:
                    event.sources.setdefault("latest", []).extend(display_sources)
    if earliest and latest and sort_key(earliest) > sort_key(latest):
        reader.warn("eventDate/date", f"earliestDate {earliest} is after latestDate {latest}; swapped")
        earliest, latest = latest, earliest
    return earliest, latest


def production(reader: ConceptReader, event: ReadEvent) -> Production:
    """The chosen event as the core record's production, with ISO bounds in order."""
    earliest, latest = date_bounds(reader, event)
    return Production(
        date_display=event.date_display,
        earliest=earliest,
        latest=latest,
        places=event.places,
        culture=event.culture,
        period=event.period,
    )


def merge_production(first_found: Production | None, other: Production) -> Production:
    """The first block's production, gaps filled from another language block's."""
    if first_found is None:
        return other
    return Production(
        date_display=first_found.date_display or other.date_display,
        earliest=first_found.earliest or other.earliest,
        latest=first_found.latest or other.latest,
        places=first_found.places or other.places,
        culture=merge_terms(first_found.culture, other.culture),
        period=merge_terms(first_found.period, other.period),
    )
