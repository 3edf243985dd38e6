"""The object's other events, each as the Linked Art activity that says what happened to it.

The document is the object's, so every event hangs from the object by the
property Linked Art gives for its kind (``linked_art`` in
``mappings/data/event_types.yaml``): the first find or excavation is
``encountered_by`` an Encounter; acquisitions are ``changed_ownership_through``
an Acquisition that is part of a provenance activity (ProvenanceEntry);
modifications, restorations, part additions and removals, transformations,
moves, custody transfers and the destruction have their own properties; an
exhibition or any other event is an Activity the object was ``present_at``,
a use one it was ``used_for``.  Each carries its type (the LIDO terminology
concept), name, time-span, places (with the places they lie in), actors
(with their role as a part when given), techniques, culture, period and
description.  An event's materials are not written: the Linked Art profile
does not use ``used_object_of_type``, and the object's own materials are
already there (``made_of``).
"""

from __future__ import annotations

from typing import Any

from mappings.core import Event
from mappings.crm_out.aat import AAT_CULTURE, AAT_DESCRIPTION
from mappings.crm_out.nodes import Nodes, has_text
from mappings.crm_out.timespans import begin_of_the_begin, end_of_the_end
from mappings.crm_out.uris import given_uri
from mappings.event_types import event_type

__all__ = ["add_events"]

#: linked_art role -> (the activity class, the object's property that points to it).
_PLACEMENT: dict[str, tuple[str, str]] = {
    "encounter": ("Encounter", "encountered_by"),
    "ownership": ("Acquisition", "changed_ownership_through"),
    "custody": ("TransferOfCustody", "custody_transferred_through"),
    "modification": ("Modification", "modified_by"),
    "part_addition": ("PartAddition", "augmented_by"),
    "part_removal": ("PartRemoval", "removed_by"),
    "transformation": ("Transformation", "transformed_by"),
    "destruction": ("Destruction", "destroyed_by"),
    "move": ("Move", "moved_by"),
    "exhibition": ("Exhibition", "present_at"),  # cromulent's vocab.Exhibition
    "use": ("Activity", "used_for"),
}
#: Properties for one activity only (the discovery, the destruction): a second such event is
#: one the object was present at.
_SINGLE = frozenset({"encountered_by", "destroyed_by"})
_OTHERWISE: tuple[str, str] = ("Activity", "present_at")


def _role(event: Event) -> str | None:
    concept = event.type.concept if event.type is not None else None
    if not concept or concept.startswith("local:"):
        return None
    try:
        return event_type(concept).linked_art
    except KeyError:
        return None


def add_events(nodes: Nodes, obj: Any) -> None:
    used: set[str] = set()
    for number, event in enumerate(nodes.record.events, 1):
        role = _role(event)
        cls, prop = _PLACEMENT.get(role, _OTHERWISE) if role else _OTHERWISE
        if prop in _SINGLE and prop in used:
            prop = _OTHERWISE[1]  # a later find is still an Encounter, but not the discovery
        used.add(prop)
        node = getattr(nodes.model, cls)(ident=nodes.fragment(f"event-{number}"))
        _describe(nodes, node, event, f"event-{number}")
        if role == "ownership":
            entry = nodes.model.ProvenanceEntry(ident=nodes.fragment(f"event-{number}-provenance"))
            node.part_of = entry
        setattr(obj, prop, node)


def _describe(nodes: Nodes, node: Any, event: Event, slug: str) -> None:
    if event.type is not None:
        kind = nodes.concept(nodes.model.Type, event.type)
        if kind is not None:
            node.classified_as = kind
    if has_text(event.name):
        assert event.name is not None
        node.identified_by = nodes.model.Name(ident=nodes.fragment(f"{slug}-name"), content=event.name.strip())
    _timespan(nodes, node, event, slug)
    for place in event.places:
        if place.name.strip() or given_uri(place.uri):
            node.took_place_at = nodes.place(place)
    for term in event.culture:
        culture = nodes.concept(nodes.model.Type, term)
        if culture is not None:
            nodes.classify(culture, AAT_CULTURE, "Culture")
            node.classified_as = culture
    for term in event.period:
        period = nodes.concept(nodes.model.Period, term, "period")
        if period is not None:
            node.during = period
    for term in event.techniques:
        technique = nodes.concept(nodes.model.Type, term)
        if technique is not None:
            node.technique = technique
    for number, actor in enumerate((a for a in event.actors if a.name.strip()), 1):
        carrier = nodes.actor(actor)
        role = nodes.concept(nodes.model.Type, actor.role) if actor.role else None
        if role is None:
            node.carried_out_by = carrier
            continue
        part = nodes.model.Activity(ident=nodes.fragment(f"{slug}-part-{number}"))
        part.classified_as = role
        part.carried_out_by = carrier
        node.part = part
    for number, text in enumerate((d for d in event.descriptions if d.value.strip()), 1):
        nodes.statement(node, f"{slug}-description-{number}", AAT_DESCRIPTION, text.value.strip())


def _timespan(nodes: Nodes, node: Any, event: Event, slug: str) -> None:
    display = (event.date_display or "").strip()
    if not (event.earliest or event.latest or display):
        return
    span = nodes.model.TimeSpan(ident=nodes.fragment(f"{slug}-timespan"))
    if event.earliest:
        span.begin_of_the_begin = begin_of_the_begin(event.earliest)
    if event.latest:
        span.end_of_the_end = end_of_the_end(event.latest)
    if display:
        span.identified_by = nodes.model.Name(ident=nodes.fragment(f"{slug}-date"), content=display)
    node.timespan = span
