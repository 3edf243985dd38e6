"""Places of events: a name, an id, a point on the globe, and the places it lies within.

LIDO nests a place in the broader ones (``partOfPlace``): a find spot in a
village, in a commune, a county, a region, a country.  Researchers search by
any of these levels (the site, or the district), so the whole chain is kept
as ``Place.part_of``, not only the narrowest name.
"""

from __future__ import annotations

from mappings.core import Place
from mappings.lido_in.concepts import ConceptReader, Sources, add_sources
from mappings.lido_in.elements import Element, children, dedupe, first, first_uri, inline_text

__all__ = ["event_places", "place"]

#: Deeper nesting than this is a loop in an exporter, not geography.
_MAX_DEPTH = 12


def place(reader: ConceptReader, place_el: Element, lang: str, display: str, depth: int = 0) -> Place | None:
    """A lido:place with its name (or the display text), id, gml:Point and broader places."""
    name = None
    for name_set in children(place_el, "namePlaceSet"):
        name = reader.appellation(name_set, lang)
        if name:
            break
    name = name or display
    broader = first(place_el, "partOfPlace")
    part_of = place(reader, broader, lang, "", depth + 1) if broader is not None and depth < _MAX_DEPTH else None
    if not name:
        return part_of  # an unnamed level: the broader place still says where
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
    return Place(name=name, uri=uri, lat=lat, lon=lon, part_of=part_of)


def event_places(reader: ConceptReader, event: Element, lang: str, sources: Sources) -> list[Place]:
    """The places of one event (``eventPlace``), each noted in ``sources["places"]``."""
    places: list[Place] = []
    for event_place in children(event, "eventPlace"):
        display_el = first(event_place, "displayPlace")
        display = inline_text(display_el)
        place_els = children(event_place, "place")
        for place_el in place_els:
            found = place(reader, place_el, lang, display)
            if found is not None:
                places.append(found)
                add_sources(sources, "places", place_el)
        if not place_els and display:
            places.append(Place(name=display))
            add_sources(sources, "places", display_el)
    return dedupe(places)
