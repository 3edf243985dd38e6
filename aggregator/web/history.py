"""The object page's history (every event besides the making) and its "where each value came from" table.

An archaeologist reads a find by its site, the district around it, the year
and who excavated it; an acquisition by whom it came from and when.  Each
event is shown in the reader's language (its type from the LIDO
terminology, dates in words, places with the places they lie in), with the
museum's own words beside a concept's when they differ.  The provenance
table lists each value with the source elements (or columns) it was read
from, as ``emuseum map --explain`` prints them.
"""

from __future__ import annotations

from typing import Any

from aggregator.explain import explain_record
from aggregator.web.concept_labels import capitalised, place_view, term_view
from aggregator.web.results import span_view
from mappings.concepts import label_for
from mappings.core import CoreRecord, Event, Place, Term
from mappings.event_types import event_type

__all__ = ["event_views", "place_views", "provenance_rows"]


def _type_view(term: Term | None, lang: str) -> dict[str, str | None]:
    """The event type's name in the reader's language, and the museum's own word when it differs."""
    if term is None:
        return {"label": None, "source": None}
    try:
        label = event_type(term.concept).label(lang) if term.concept else label_for(term.labels, lang)
    except KeyError:
        label = label_for(term.labels, lang)
    source = label_for(term.source_labels, lang) if term.source_labels else ""
    return {
        "label": capitalised(label or term.uri or ""),
        "source": source if source and source.casefold() != label.casefold() else None,
    }


def place_views(places: list[Place], lang: str) -> list[dict[str, Any]]:
    """Each place as ``place_view`` gives it, with ``within``: the broader places' names."""
    views = []
    for place in places:
        view = place_view(place, lang)
        view["within"] = [place_view(level, lang)["label"] for level in place.hierarchy()[1:]]
        views.append(view)
    return views


def _event_view(event: Event, lang: str, prefs: tuple[str, ...]) -> dict[str, Any]:
    return {
        "type": _type_view(event.type, lang),
        "name": event.name,
        "date": span_view(event.date_display, event.earliest, event.latest, lang),
        "places": place_views(event.places, lang),
        "actors": [
            {"name": actor.name, "role": actor.role.label(*prefs) if actor.role else None} for actor in event.actors
        ],
        "culture": [term_view(t, "culture", lang) for t in event.culture],
        "period": [t.label(*prefs) for t in event.period],
        "materials": [term_view(t, "materials", lang) for t in event.materials],
        "techniques": [term_view(t, "techniques", lang) for t in event.techniques],
        "descriptions": event.descriptions,
    }


def event_views(record: CoreRecord, lang: str, prefs: tuple[str, ...]) -> list[dict[str, Any]]:
    """The record's events other than its making, in source order, ready for the template."""
    return [_event_view(event, lang, prefs) for event in record.events]


def provenance_rows(record: CoreRecord) -> list[dict[str, Any]]:
    """``{"field", "value", "sources"}`` per field with a value (sources empty when none is recorded)."""
    return explain_record(record)
