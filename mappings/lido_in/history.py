"""The object's other events: every lido:event that is not its making, as core Events.

LIDO repeats descriptiveMetadata once per language, and with it the events:
the English block's "Finding" is the German block's "Fund".  Two blocks
whose event lists line up (same length, same type at each position) describe
the same events, so they are merged position by position: labels and actors
of both, the first block's dates and places with gaps filled from the other.
Lists that do not line up are kept side by side.
"""

from __future__ import annotations

from dataclasses import dataclass

from mappings.core import Event, LangText, Term
from mappings.lido_in.concepts import ConceptReader, Sources
from mappings.lido_in.elements import dedupe
from mappings.lido_in.events import ReadEvent, date_bounds
from mappings.lido_in.merging import merge_actors, merge_terms

__all__ = ["SourcedEvent", "core_event", "merge_events"]


@dataclass
class SourcedEvent:
    """A core Event and the elements its fields were read from (keys: the Event's field names)."""

    event: Event
    sources: Sources


def core_event(reader: ConceptReader, read: ReadEvent) -> SourcedEvent:
    earliest, latest = date_bounds(reader, read)
    event = Event(
        type=read.type,
        name=read.name,
        actors=merge_actors(read.actors),
        date_display=read.date_display,
        earliest=earliest,
        latest=latest,
        places=read.places,
        culture=read.culture,
        period=read.period,
        materials=read.materials,
        techniques=read.techniques,
        descriptions=dedupe(LangText(value=text, lang=lang) for text, lang in read.descriptions),
    )
    return SourcedEvent(event, {"": [read.element], **read.sources})


def _same_type(a: Term | None, b: Term | None) -> bool:
    if a is None or b is None:
        return a is b
    if a.concept and b.concept:
        return a.concept == b.concept or (a.concept.startswith("local:") and b.concept.startswith("local:"))
    return a.uri == b.uri


def _merge_type(a: Term | None, b: Term | None) -> Term | None:
    if a is None or b is None:
        return a or b
    if a.concept and a.concept == b.concept and not a.concept.startswith("local:"):
        return a.model_copy(
            update={
                "source_labels": {**b.source_labels, **a.source_labels},
                "same_as": list(dict.fromkeys([*a.same_as, *b.same_as])),
            }
        )
    return a.model_copy(update={"labels": {**b.labels, **a.labels}, "uri": a.uri or b.uri})


def _merge_pair(a: SourcedEvent, b: SourcedEvent) -> SourcedEvent:
    x, y = a.event, b.event
    event = Event(
        type=_merge_type(x.type, y.type),
        name=x.name or y.name,
        actors=merge_actors([*x.actors, *y.actors]),
        date_display=x.date_display or y.date_display,
        earliest=x.earliest or y.earliest,
        latest=x.latest or y.latest,
        places=x.places or y.places,
        culture=merge_terms(x.culture, y.culture),
        period=merge_terms(x.period, y.period),
        materials=merge_terms(x.materials, y.materials),
        techniques=merge_terms(x.techniques, y.techniques),
        descriptions=dedupe([*x.descriptions, *y.descriptions]),
    )
    sources: Sources = {key: list(value) for key, value in a.sources.items()}
    for key, value in b.sources.items():
        sources.setdefault(key, []).extend(value)
    return SourcedEvent(event, sources)


def merge_events(known: list[SourcedEvent], block: list[SourcedEvent]) -> list[SourcedEvent]:
    """Another language block's events merged into those read so far (see the module docstring)."""
    if not known:
        return list(block)
    lined_up = len(known) == len(block) and all(
        _same_type(a.event.type, b.event.type) for a, b in zip(known, block, strict=True)
    )
    if lined_up:
        return [_merge_pair(a, b) for a, b in zip(known, block, strict=True)]
    return [*known, *[b for b in block if all(b.event != a.event for a in known)]]
