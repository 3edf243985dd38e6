"""The object's making: one Production with its time-span, places, culture, period, techniques, makers.

Linked Art says who did what in a production by parts: a maker with a role
(painter, engraver) carries out a part of the production classified by the
role; a maker without one carries out the production itself.  A culture term
is classified "culture" so consumers can tell it from other classifications.
"""

from __future__ import annotations

from typing import Any

from mappings.core import Production
from mappings.crm_out.aat import AAT_CULTURE
from mappings.crm_out.nodes import Nodes, has_text
from mappings.crm_out.timespans import begin_of_the_begin, end_of_the_end
from mappings.crm_out.uris import given_uri

__all__ = ["add_production"]


def _has_content(production: Production) -> bool:
    return bool(
        production.earliest
        or production.latest
        or has_text(production.date_display)
        or production.places
        or production.culture
        or production.period
    )


def add_production(nodes: Nodes, obj: Any) -> None:
    production = nodes.record.production or Production()
    actors = [a for a in nodes.record.actors if a.name.strip()]
    techniques = nodes.record.techniques
    if not (actors or techniques or _has_content(production)):
        return
    event = nodes.model.Production(ident=nodes.fragment("production"))
    _add_timespan(nodes, event, production)
    for place in production.places:
        if place.name.strip() or given_uri(place.uri):
            event.took_place_at = nodes.place(place)
    for term in production.culture:
        culture = nodes.concept(nodes.model.Type, term)
        if culture is not None:
            nodes.classify(culture, AAT_CULTURE, "Culture")
            event.classified_as = culture
    for term in production.period:
        period = nodes.concept(nodes.model.Period, term, "period")
        if period is not None:
            event.during = period
    for term in techniques:
        technique = nodes.concept(nodes.model.Type, term)
        if technique is not None:
            event.technique = technique
    for number, actor in enumerate(actors, 1):
        node = nodes.actor(actor)
        role = nodes.concept(nodes.model.Type, actor.role) if actor.role else None
        if role is None:
            event.carried_out_by = node
            continue
        part = nodes.model.Production(ident=nodes.fragment(f"production-part-{number}"))
        part.classified_as = role
        part.carried_out_by = node
        event.part = part
    obj.produced_by = event


def _add_timespan(nodes: Nodes, event: Any, production: Production) -> None:
    display = (production.date_display or "").strip()
    if not (production.earliest or production.latest or display):
        return
    span = nodes.model.TimeSpan(ident=nodes.fragment("production-timespan"))
    if production.earliest:
        span.begin_of_the_begin = begin_of_the_begin(production.earliest)
    if production.latest:
        span.end_of_the_end = end_of_the_end(production.latest)
    if display:
        span.identified_by = nodes.model.Name(ident=nodes.fragment("production-date"), content=display)
    event.timespan = span
