"""The eventWrap: the production first, then every other event of the record, in order.

The production event carries the record's makers, materials and techniques,
as LIDO and our reader keep them.  Every other event is written with its type
from the LIDO terminology (id and labels), its name, actors, dates, places
with the broader places they lie in (``partOfPlace``), culture, period,
materials and description, so reading the document back gives the same
events.  An untyped event still needs an eventType: it gets a stand-in term
marked as such, which our reader drops.
"""

from __future__ import annotations

import math
from typing import Final

from lxml import etree

from mappings.core import Actor, CoreRecord, Event, LangText, Place, Term
from mappings.event_types import EventKind, kind_of
from mappings.lido_out.nodes import (
    GML_NS,
    SUBSTITUTE_MARK,
    TERMINOLOGY,
    URI_ID,
    appellation,
    concepts,
    el,
    fill_concept,
    has_content,
    id_type,
    number,
)

__all__ = ["event_wrap"]

_PRODUCTION: Final = TERMINOLOGY + "lido00007"
_MATERIAL: Final = TERMINOLOGY + "lido00132"
_TECHNIQUE: Final = TERMINOLOGY + "lido00131"
_PERSON: Final = TERMINOLOGY + "lido00163"
_ORGANIZATION: Final = TERMINOLOGY + "lido00413"
_ACTOR_TYPES: Final = {"person": _PERSON, "organization": _ORGANIZATION}
#: partOfPlace levels written at most (a loop in the data must not make an endless document).
_MAX_DEPTH: Final = 12
#: Kinds of event a reader may take for the making when no production event is written.
_MAY_PASS_FOR_MAKING: Final = frozenset(
    {EventKind.PRODUCTION, EventKind.CREATION, EventKind.CREATION_LIKE, EventKind.UNSPECIFIED}
)


def _actor(parent: etree._Element, actor: Actor) -> None:
    actor_in_role = el(el(parent, "eventActor"), "actorInRole")
    kind = actor.kind.strip().lower() if actor.kind else None
    actor_el = el(actor_in_role, "actor", type=_ACTOR_TYPES.get(kind, actor.kind) if kind else None)
    if actor.uri:
        el(actor_el, "actorID", actor.uri, type=id_type(actor.uri))
    appellation(actor_el, "nameActorSet", actor.name)
    if actor.role is not None and has_content(actor.role):
        fill_concept(el(actor_in_role, "roleActor"), actor.role)


def _place_body(place_el: etree._Element, place: Place, depth: int) -> None:
    if place.uri:
        el(place_el, "placeID", place.uri, type=id_type(place.uri))
    appellation(place_el, "namePlaceSet", place.name)
    if place.lat is not None and place.lon is not None:
        if math.isfinite(place.lat) and math.isfinite(place.lon):
            point = etree.SubElement(el(place_el, "gml"), f"{{{GML_NS}}}Point")
            # WGS 84 (EPSG:4326) axis order is latitude, longitude, as in the LIDO examples.
            point.set("srsName", "EPSG:4326")
            pos = etree.SubElement(point, f"{{{GML_NS}}}pos")
            pos.text = f"{number(place.lat)} {number(place.lon)}"
    if place.part_of is not None and depth < _MAX_DEPTH:
        _place_body(el(place_el, "partOfPlace"), place.part_of, depth + 1)


def _place(parent: etree._Element, place: Place) -> None:
    _place_body(el(el(parent, "eventPlace"), "place"), place, 0)


def _dates(event: etree._Element, display: str | None, earliest: str | None, latest: str | None) -> None:
    if not (display or earliest or latest):
        return
    event_date = el(event, "eventDate")
    if display is not None:
        el(event_date, "displayDate", display)
    if earliest or latest:
        date = el(event_date, "date")
        if earliest:
            el(date, "earliestDate", earliest)
        if latest:
            el(date, "latestDate", latest)


def _materials(event: etree._Element, materials: list[Term], techniques: list[Term]) -> None:
    materials = [t for t in materials if has_content(t)]
    techniques = [t for t in techniques if has_content(t)]
    if materials or techniques:
        materials_tech = el(el(event, "eventMaterialsTech"), "materialsTech")
        concepts(materials_tech, "termMaterialsTech", materials, type=_MATERIAL)
        concepts(materials_tech, "termMaterialsTech", techniques, type=_TECHNIQUE)


def _production(wrap: etree._Element, record: CoreRecord) -> None:
    """The production event; written even when empty if another event could be taken for it.

    A reader that finds no production takes a design, or the one untyped
    event with a maker, for the making; an empty production event says there
    is a making and it is not that one.
    """
    production = record.production
    if production is None and not (record.actors or record.materials or record.techniques):
        if not any(kind_of(event.type) in _MAY_PASS_FOR_MAKING for event in record.events):
            return
    event = el(el(wrap, "eventSet"), "event")
    event_type = el(event, "eventType")
    el(event_type, "conceptID", _PRODUCTION, type=URI_ID)
    el(event_type, "term", "Production", lang="en")
    for actor in record.actors:
        _actor(event, actor)
    if production is not None:
        concepts(event, "culture", production.culture)
        _dates(event, production.date_display, production.earliest, production.latest)
        concepts(event, "periodName", production.period)
        for place in production.places:
            _place(event, place)
    _materials(event, record.materials, record.techniques)


def _descriptions(event: etree._Element, texts: list[LangText]) -> None:
    for text in texts:
        description = el(event, "eventDescriptionSet")
        el(description, "descriptiveNoteValue", text.value, lang=text.lang)


def _event(wrap: etree._Element, core: Event) -> None:
    event = el(el(wrap, "eventSet"), "event")
    event_type = el(event, "eventType")
    if core.type is not None and has_content(core.type):
        fill_concept(event_type, core.type)
    else:
        el(event_type, "term", "not specified", lang="en", encodinganalog=SUBSTITUTE_MARK)
    if core.name:
        appellation(event, "eventName", core.name)
    for actor in core.actors:
        _actor(event, actor)
    concepts(event, "culture", core.culture)
    _dates(event, core.date_display, core.earliest, core.latest)
    concepts(event, "periodName", core.period)
    for place in core.places:
        _place(event, place)
    _materials(event, core.materials, core.techniques)
    _descriptions(event, core.descriptions)


def event_wrap(parent: etree._Element, record: CoreRecord) -> None:
    """lido:eventWrap with the production and every other event; nothing when there is none."""
    wrap = el(parent, "eventWrap")
    _production(wrap, record)
    for event in record.events:
        _event(wrap, event)
    if not len(wrap):
        parent.remove(wrap)
