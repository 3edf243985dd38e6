"""Concepts as a reader sees them: the label in her language, the id, the museum's own word beside it.

The index stores concept ids (language-neutral, rebuildable); labels are
taken from the vocabulary at reading time, so a corrected label shows at once
without re-indexing.  A local concept (a term the vocabulary does not know) is
named by its own label.  The fallback order is ``mappings.concepts.label_order``.
"""

from __future__ import annotations

from typing import Any

from aggregator.index.documents import CONCEPT_FACETS
from mappings.concepts import LOCAL_PREFIX, label_for, normalise_label, scheme
from mappings.core import Place, Term
from mappings.vocabulary import term_concept

__all__ = ["CONCEPT_FACETS", "capitalised", "concept_label", "place_view", "resolve_filter", "term_view"]



def capitalised(text: str) -> str:
    """First letter up, the rest as written ("kebeje (food chest)" -> "Kebeje (food chest)")."""
    return text[:1].upper() + text[1:]


def concept_label(scheme_name: str, concept_id: str, lang: str) -> str:
    return capitalised(scheme(scheme_name).label(concept_id, lang))


def term_view(term: Term, scheme_name: str, lang: str) -> dict[str, Any]:
    """``{"id", "label", "uri", "source"}``: ``source`` is the museum's word when it reads differently."""
    concept_id = term_concept(term, scheme_name)
    known = scheme(scheme_name).get(concept_id) if concept_id else None
    label = known.label(lang) if known else label_for(term.labels, lang)
    source = label_for(term.source_labels, lang) if term.source_labels else ""
    return {
        "id": concept_id,
        "label": capitalised(label),
        "uri": term.uri,
        "source": source if source and source.casefold() != label.casefold() else None,
    }


def place_view(place: Place, lang: str) -> dict[str, Any]:
    concept = scheme("places").find([place.name], [place.uri]) if not place.concept else None
    concept_id = place.concept or (concept.id if concept else None)
    known = scheme("places").get(concept_id) if concept_id else None
    label = known.label(lang) if known else label_for(place.labels, lang) or place.name
    return {
        "id": concept_id,
        "label": label,
        "source": place.name if place.name.casefold() != label.casefold() else None,
        "uri": place.uri,
        "lat": place.lat,
        "lon": place.lon,
    }


def resolve_filter(facet: str, value: str) -> tuple[str, bool]:
    """The concept id a filter value means, and whether the vocabulary knows it.

    Ids pass through; a label in any language finds its concept (``material=серебро``
    is ``material=silver``); anything else is taken as a local concept's label.
    """
    name = CONCEPT_FACETS.get(facet)
    if name is None:
        return value, True
    found = scheme(name).resolve(value)
    if found is not None:
        return found, not found.startswith(LOCAL_PREFIX)
    return LOCAL_PREFIX + normalise_label(value), False
