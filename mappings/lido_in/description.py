"""What the record says about the object in words and numbers.

Descriptions and inscriptions keep their line structure; measurements keep
the museum's display text and, where the structured set gives a number, the
number with a canonical type and unit (a value that is not a number stays as
text, with a warning); subjects come from concepts, places and actors the
record says the object shows.
"""

from __future__ import annotations

import re

from mappings.core import LangText, Measurement, Term
from mappings.lido_in.concepts import ConceptReader
from mappings.lido_in.elements import (
    Element,
    all_paths,
    block_text,
    children,
    dedupe,
    first,
    first_uri,
    inline_text,
)
from mappings.lido_in.events import actor_name
from mappings.lido_in.places import place
from mappings.lido_terms import canonical_measurement_type, canonical_unit, is_placeholder

__all__ = ["descriptions", "inscriptions", "measurements", "subjects"]

_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def descriptions(reader: ConceptReader, ident: Element | None, lang: str) -> list[LangText]:
    found: list[LangText] = []
    for note in all_paths(ident, "objectDescriptionWrap", "objectDescriptionSet", "descriptiveNoteValue"):
        text = block_text(note)
        if text:
            found.append(LangText(value=text, lang=reader.lang(note, lang)))
            reader.source("descriptions", note)
    return dedupe(found)


def inscriptions(reader: ConceptReader, ident: Element | None, lang: str) -> list[LangText]:
    texts: list[LangText] = []
    for inscription in all_paths(ident, "inscriptionsWrap", "inscriptions"):
        parts = children(inscription, "inscriptionTranscription") + all_paths(
            inscription, "inscriptionDescription", "descriptiveNoteValue"
        )
        for part in parts:
            text = block_text(part)
            if text:
                texts.append(LangText(value=text, lang=reader.lang(part, lang)))
                reader.source("inscriptions", part)
    return dedupe(texts)


def measurements(reader: ConceptReader, ident: Element | None, lang: str) -> list[Measurement]:
    out: list[Measurement] = []
    for m_set in all_paths(ident, "objectMeasurementsWrap", "objectMeasurementsSet"):
        displays = [text for d in children(m_set, "displayObjectMeasurements") if (text := block_text(d))]
        structured = [
            m
            for ms in all_paths(m_set, "objectMeasurements", "measurementsSet")
            if (m := _measurement(reader, ms, lang))
        ]
        if displays or structured:
            reader.source("measurements", m_set)
        if len(displays) == 1 and len(structured) == 1 and structured[0].display is None:
            # One set saying the same thing twice: the text and the numbers belong together.
            out.append(structured[0].model_copy(update={"display": displays[0]}))
            continue
        out += [Measurement(display=text) for text in displays] + structured
    return dedupe(out)


def _measurement(reader: ConceptReader, ms: Element, lang: str) -> Measurement | None:
    def labels(name: str) -> list[str]:
        terms = reader.concepts(children(ms, name), lang, f"measurementsSet/{name}")
        ordered: list[str] = []
        for term in terms:
            for key in ("en", *term.labels):
                if key in term.labels and term.labels[key] not in ordered:
                    ordered.append(term.labels[key])
        return ordered

    raw_value = inline_text(first(ms, "measurementValue"))
    type_ = canonical_measurement_type(labels("measurementType"))
    if not raw_value:
        reader.warn("measurementsSet/measurementValue", f"empty value for {type_ or 'measurement'}")
        return None
    value: float | None = None
    if _NUMBER.match(raw_value):
        value = float(raw_value.replace(",", "."))
    else:
        reader.warn("measurementsSet/measurementValue", f"{raw_value!r} is not a number")
    return Measurement(
        type=type_,
        unit=canonical_unit(labels("measurementUnit")),
        value=value,
        display=None if value is not None else raw_value,
    )


def subjects(reader: ConceptReader, descriptive: Element, lang: str) -> list[Term]:
    terms: list[Term] = []
    for subject_set in all_paths(descriptive, "objectRelationWrap", "subjectWrap", "subjectSet"):
        found: list[Term] = []
        for subject in children(subject_set, "subject"):
            found += reader.concepts(children(subject, "subjectConcept"), lang, "subjectConcept")
            for subject_place in children(subject, "subjectPlace"):
                display = inline_text(first(subject_place, "displayPlace"))
                place_els = children(subject_place, "place")
                for shown in (place(reader, p, lang, display) for p in place_els):
                    if shown is not None:
                        found.append(Term(labels={lang: shown.name}, uri=shown.uri))
                if not place_els and display:
                    found.append(Term(labels={lang: display}))
            for subject_actor in children(subject, "subjectActor"):
                actor_el = first(subject_actor, "actor")
                name = actor_name(actor_el) or inline_text(first(subject_actor, "displayActor"))
                if name:
                    uri = first_uri(inline_text(i) for i in children(actor_el, "actorID"))
                    found.append(Term(labels={lang: name}, uri=uri))
        if not found:
            display = inline_text(first(subject_set, "displaySubject"))
            if display and not is_placeholder(display):
                found.append(Term(labels={reader.lang(subject_set, lang): display}))
        if found:
            reader.source("subjects", subject_set)
        terms += found
    return dedupe(terms)
