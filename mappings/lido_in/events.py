"""Events: who made the object, when, where, in which culture and period.

A LIDO record lists events of every kind (production, acquisition,
restoration, ...); the core record keeps one production.  Each event is read
whole here, then ``production_event`` picks the one that stands for the
making: a production, else a creation, else a design-like event, else the
only dated event of unspecified type.  Display dates are parsed into ISO
bounds only when the source gives no index dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from mappings.core import ISO_DATE, Actor, Place, Production, Term
from mappings.dates import parse_date
from mappings.iso_dates import normalise_iso, sort_key
from mappings.lido_in.concepts import ConceptReader
from mappings.lido_in.elements import Element, all_paths, children, dedupe, first, first_uri, inline_text
from mappings.lido_in.materials import materials_and_techniques
from mappings.lido_in.merging import merge_terms
from mappings.lido_terms import EventKind, actor_kind, event_kind, is_placeholder, normalise_lang, pref_is_preferred

__all__ = [
    "MAKING",
    "Event",
    "actor_name",
    "merge_production",
    "place",
    "production",
    "production_event",
    "read_event",
]

#: Event kinds that stand for the object's making; their actors are its makers.
MAKING = (EventKind.PRODUCTION, EventKind.CREATION, EventKind.CREATION_LIKE)


@dataclass
class Event:
    """What one lido:event says, before deciding whether it is the production."""

    element: Element
    kind: EventKind
    type_label: str
    actors: list[Actor] = field(default_factory=list)
    date_display: str | None = None
    earliest_raw: str | None = None
    latest_raw: str | None = None
    places: list[Place] = field(default_factory=list)
    culture: list[Term] = field(default_factory=list)
    period: list[Term] = field(default_factory=list)
    materials: list[Term] = field(default_factory=list)
    techniques: list[Term] = field(default_factory=list)

    @property
    def has_dates(self) -> bool:
        return bool(self.date_display or self.earliest_raw or self.latest_raw)


def read_event(reader: ConceptReader, event: Element, lang: str) -> Event:
    type_el = first(event, "eventType")
    uris = [inline_text(c) for c in children(type_el, "conceptID")]
    uris += [(c.get("about") or "").strip() for c in children(type_el, "Concept")]
    labels = [inline_text(t) for t in children(type_el, "term")]
    labels += [inline_text(p) for c in children(type_el, "Concept") for p in children(c, "prefLabel")]
    if type_el is not None and not labels and not list(type_el):
        labels.append(inline_text(type_el))
    uris = [u for u in uris if u]
    labels = [x for x in labels if x]
    parsed = Event(
        element=event,
        kind=event_kind(uris, labels),
        type_label=labels[0] if labels else (uris[0] if uris else "untyped"),
    )
    parsed.actors = _event_actors(reader, event, lang)
    displays = [d for d in all_paths(event, "eventDate", "displayDate") if inline_text(d)]
    by_preference = (
        [d for d in displays if not d.get("lang")]
        + [d for d in displays if normalise_lang(d.get("lang")) == lang]
        + displays
    )
    display = by_preference[0] if by_preference else None
    parsed.date_display = inline_text(display) or None
    parsed.earliest_raw = inline_text(first(event, "eventDate", "date", "earliestDate")) or None
    parsed.latest_raw = inline_text(first(event, "eventDate", "date", "latestDate")) or None
    parsed.places = _places(reader, children(event, "eventPlace"), lang)
    parsed.culture = reader.concepts(children(event, "culture"), lang, "event/culture")
    parsed.period = reader.concepts(children(event, "periodName"), lang, "event/periodName")
    for materials_tech in children(event, "eventMaterialsTech"):
        materials, techniques = materials_and_techniques(reader, materials_tech, lang)
        parsed.materials += materials
        parsed.techniques += techniques
    parsed.materials = dedupe(parsed.materials)
    parsed.techniques = dedupe(parsed.techniques)
    return parsed


def _event_actors(reader: ConceptReader, event: Element, lang: str) -> list[Actor]:
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
                inline_text(i) for i in children(actor_el, "actorID") if pref_is_preferred(i.get("pref"))
            ]
            actors.append(
                Actor(
                    name=name,
                    role=reader.concept(first(in_role, "roleActor"), lang, "actorInRole/roleActor"),
                    uri=first_uri(preferred_ids) or first_uri(ids),
                    kind=actor_kind(actor_el.get("type") if actor_el is not None else None),
                )
            )
        if not in_roles:
            display = inline_text(first(event_actor, "displayActorInRole"))
            if display and not is_placeholder(display):
                actors.append(Actor(name=display))
    return actors


def actor_name(actor_el: Element | None) -> str | None:
    """The actor's preferred name, else an unmarked one, else the first; placeholders skipped."""
    values = [v for v in all_paths(actor_el, "nameActorSet", "appellationValue") if inline_text(v)]
    values = [v for v in values if not is_placeholder(inline_text(v))]
    if not values:
        return None
    preferred = [v for v in values if pref_is_preferred(v.get("pref"))]
    unmarked = [v for v in values if not v.get("pref")]
    return inline_text((preferred or unmarked or values)[0])


def _places(reader: ConceptReader, event_places: list[Element], lang: str) -> list[Place]:
    places: list[Place] = []
    for event_place in event_places:
        place_els = children(event_place, "place")
        for place_el in place_els:
            found = place(reader, place_el, lang, inline_text(first(event_place, "displayPlace")))
            if found is not None:
                places.append(found)
        if not place_els:
            display = inline_text(first(event_place, "displayPlace"))
            if display:
                places.append(Place(name=display))
    return dedupe(places)


def place(reader: ConceptReader, place_el: Element, lang: str, display: str) -> Place | None:
    """A lido:place with its name (or the display text), id and gml:Point, if on the globe."""
    name = None
    for name_set in children(place_el, "namePlaceSet"):
        name = reader.appellation(name_set, lang)
        if name:
            break
    name = name or display
    if not name:
        return None
    uri = first_uri(inline_text(p) for p in children(place_el, "placeID"))
    lat = lon = None
    pos = first(place_el, "gml", "Point", "pos")
    if pos is not None and inline_text(pos):
        parts = inline_text(pos).replace(",", " ").split()
        try:
            lat, lon = float(parts[0]), float(parts[1])
        except (IndexError, ValueError):
            reader.warn("place/gml/Point/pos", f"{inline_text(pos)!r} is not 'latitude longitude'")
        else:
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                reader.warn("place/gml/Point/pos", f"{inline_text(pos)!r} is outside the globe")
                lat = lon = None
    return Place(name=name, uri=uri, lat=lat, lon=lon)


def production_event(events: Iterable[Event]) -> Event | None:
    """The event that stands for the making, or None when no event clearly does."""
    listed = list(events)
    for kind in MAKING:
        for event in listed:
            if event.kind is kind:
                return event
    dated = [e for e in listed if e.kind is EventKind.UNSPECIFIED and e.has_dates]
    return dated[0] if len(dated) == 1 else None


def _core_date(value: str) -> str | None:
    """An index date cleaned to the core record's ISO shape, or None."""
    result = normalise_iso(value)
    return result if result and ISO_DATE.match(result) else None


def production(reader: ConceptReader, event: Event) -> Production:
    """The chosen event as the core record's production, with ISO bounds in order."""
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
    if earliest and latest and sort_key(earliest) > sort_key(latest):
        reader.warn("eventDate/date", f"earliestDate {earliest} is after latestDate {latest}; swapped")
        earliest, latest = latest, earliest
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
