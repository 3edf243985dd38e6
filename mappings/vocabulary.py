"""Terms become concepts: one value per thing, labelled in kk, ru and en, the museum's words kept.

Museums catalogue in one language: a CSV from an accounting system says
«серебро», a LIDO export says "silver", a village museum writes «күміс».
Reconciling each term with the national vocabulary (``mappings.concepts``)
gives it the concept's id and its labels in all three languages, so a search
in any language finds all of them and a facet counts one value, not three.
What the museum sent is never lost: it stays in ``source_labels`` (and a
museum's own URI in ``same_as``).  Terms of one field that turn out to be one
concept (oai_dc sends one ``dc:type`` per language) are merged into one.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from mappings.concepts import LOCAL_PREFIX, SCHEMES, Concept, local_id, scheme
from mappings.core import CoreRecord, Event, Place, Production, Term

__all__ = ["VOCABULARY_VERSION", "enrich", "reconcile", "reconcile_place", "term_concept"]

#: Bumped whenever a file in mappings/vocabulary/ changes, so stored records are re-mapped.
VOCABULARY_VERSION = "vocab/2"
#: Record fields (and Production fields) whose terms are reconciled, by scheme name.
_RECORD_FIELDS = ("object_type", "classification", "materials", "techniques", "subjects")
_PRODUCTION_FIELDS = ("culture",)
#: Names the first vocabulary used for its sections; still accepted by ``reconcile``.
_OLD_SECTIONS = {"objects": "object_type"}


def _clean(labels: dict[str, str]) -> dict[str, str]:
    return {lang: " ".join(value.split()) for lang, value in labels.items() if value and value.strip()}


def term_concept(term: Term, scheme_name: str) -> str | None:
    """The concept id of a term, reconciled or not (older stored records have none)."""
    if term.concept:
        return term.concept
    found = scheme(scheme_name).find(term.labels.values(), [term.uri])
    return found.id if found else local_id(_clean(term.labels))


def _from_concept(term: Term, concept: Concept) -> Term:
    uris = concept.uris
    given = term.uri.strip() if term.uri and term.uri.strip() else None
    primary = uris[0] if uris else given
    same_as = [u for u in [*uris, given] if u and u != primary]
    source = _clean(term.source_labels or term.labels)
    return Term(
        labels=dict(concept.labels),
        uri=primary,
        concept=concept.id,
        source_labels=source if source != concept.labels else {},
        same_as=list(dict.fromkeys([*same_as, *term.same_as])),
    )


def reconcile(term: Term, section: str) -> Term:
    """The term as a concept of the scheme ``section`` (a core-record field name).

    Every record of a fund names the same few hundred terms, so the outcome is
    cached by the term's values (and which fields were set, so the copy is
    indistinguishable from a freshly built one); each call gets its own Term
    with its own dicts and lists, built without validating again what was
    validated when the cached outcome was made.
    """
    name = _OLD_SECTIONS.get(section, section)
    if term.concept:
        return term
    made = _reconciled(
        name,
        tuple(term.labels.items()),
        term.uri,
        tuple(term.source_labels.items()),
        tuple(term.same_as),
        frozenset(term.model_fields_set),
    )
    if made is None:
        return term
    fields, fields_set = made
    return Term.model_construct(
        _fields_set=set(fields_set),
        labels=dict(fields.labels),
        uri=fields.uri,
        concept=fields.concept,
        source_labels=dict(fields.source_labels),
        same_as=list(fields.same_as),
    )


@lru_cache(maxsize=16384)
def _reconciled(
    name: str,
    labels: tuple[tuple[str, str], ...],
    uri: str | None,
    source_labels: tuple[tuple[str, str], ...],
    same_as: tuple[str, ...],
    fields_set: frozenset[str],
) -> tuple[Term, frozenset[str]] | None:
    """The reconciled term (never handed out: callers copy it) and its set fields; None if unchanged."""
    term = Term.model_construct(
        _fields_set=set(fields_set),
        labels=dict(labels),
        uri=uri,
        source_labels=dict(source_labels),
        same_as=list(same_as),
    )
    cleaned = _clean(term.labels)
    concept = scheme(name).find(cleaned.values(), [term.uri])
    if concept is not None:
        made = _from_concept(term, concept)
    else:
        concept_id = local_id(cleaned)
        if concept_id is None:
            return None
        made = term.model_copy(update={"labels": cleaned, "concept": concept_id})
    return made, frozenset(made.model_fields_set)


def _merge(terms: Iterable[Term]) -> list[Term]:
    """One term per concept, in first-seen order; the museum's labels and URIs of the others kept."""
    merged: dict[str, Term] = {}
    loose: list[Term] = []
    for term in terms:
        if term.concept is None:
            loose.append(term)
            continue
        seen = merged.get(term.concept)
        if seen is None:
            merged[term.concept] = term
            continue
        local = term.concept.startswith(LOCAL_PREFIX)
        labels = {**term.labels, **seen.labels} if local else seen.labels
        source = {**(term.source_labels or term.labels), **(seen.source_labels or seen.labels)}
        uri = seen.uri or term.uri
        same_as = [u for u in dict.fromkeys([*seen.same_as, *term.same_as, term.uri or ""]) if u and u != uri]
        merged[term.concept] = seen.model_copy(
            update={
                "labels": labels,
                "source_labels": source if source != labels else {},
                "uri": uri,
                "same_as": same_as,
            }
        )
    return [*merged.values(), *loose]


def reconcile_place(place: Place) -> Place:
    """A place with its concept and kk/ru/en labels when the vocabulary knows it (the name is kept).

    The broader places it lies in are reconciled too.
    """
    part_of = reconcile_place(place.part_of) if place.part_of is not None else None
    if place.concept:
        return place if part_of is place.part_of else place.model_copy(update={"part_of": part_of})
    concept_id, labels = _place_concept(place.name, place.uri)
    if labels is not None:
        return place.model_copy(update={"concept": concept_id, "labels": dict(labels), "part_of": part_of})
    return place.model_copy(update={"concept": concept_id or place.concept, "part_of": part_of})


@lru_cache(maxsize=16384)
def _place_concept(name: str, uri: str | None) -> tuple[str | None, dict[str, str] | None]:
    """A place name's concept id and, when the vocabulary knows it, its labels (never handed out: copied).

    Cached: every record of a fund names the same few hundred places.
    """
    concept = scheme("places").find([name], [uri])
    if concept is not None:
        return concept.id, dict(concept.labels)
    return local_id({"und": name}), None


def _merge_places(places: Iterable[Place]) -> list[Place]:
    merged: dict[str, Place] = {}
    loose: list[Place] = []
    for place in places:
        if place.concept is None:
            loose.append(place)
        elif place.concept not in merged:
            merged[place.concept] = place
        else:
            seen = merged[place.concept]
            merged[place.concept] = seen.model_copy(
                update={
                    "uri": seen.uri or place.uri,
                    "lat": seen.lat if seen.lat is not None else place.lat,
                    "lon": seen.lon if seen.lon is not None else place.lon,
                }
            )
    return [*merged.values(), *loose]


def _production(production: Production | None) -> Production | None:
    if production is None:
        return None
    updates: dict[str, object] = {
        name: _merge(reconcile(t, name) for t in getattr(production, name)) for name in _PRODUCTION_FIELDS
    }
    updates["places"] = _merge_places(reconcile_place(p) for p in production.places)
    return production.model_copy(update=updates)


def _event(event: Event) -> Event:
    """An event's places, culture, materials and techniques as concepts (its type already is one)."""
    updates: dict[str, object] = {
        name: _merge(reconcile(t, name) for t in getattr(event, name))
        for name in (*_PRODUCTION_FIELDS, "materials", "techniques")
    }
    updates["places"] = _merge_places(reconcile_place(p) for p in event.places)
    return event.model_copy(update=updates)


assert set(_RECORD_FIELDS) | set(_PRODUCTION_FIELDS) | {"places"} == set(SCHEMES), "a scheme no field uses"


def enrich(record: CoreRecord) -> CoreRecord:
    """Every term of the record as a concept, one per concept and field.

    Always a new record (a copy), never ``record`` itself: ``map_raw`` sets the
    copy's source in place.
    """
    updates: dict[str, object] = {
        name: _merge(reconcile(t, name) for t in getattr(record, name)) for name in _RECORD_FIELDS
    }
    updates["production"] = _production(record.production)
    updates["events"] = [_event(e) for e in record.events]
    return record.model_copy(update=updates)
