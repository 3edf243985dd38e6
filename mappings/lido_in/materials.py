"""Materials and techniques, from the object's description or from an event.

LIDO types each termMaterialsTech (material, technique, or something else
such as a colour); untyped terms are materials.  Only when no term is given
does the free-text displayMaterialsTech count, split at commas and
semicolons, because a display text usually repeats the terms.
"""

from __future__ import annotations

import re

from mappings.core import Term
from mappings.lido_in.concepts import ConceptReader, Sources, add_sources
from mappings.lido_in.elements import Element, all_paths, attr, children, dedupe, inline_text
from mappings.lido_terms import MaterialsTechKind, is_placeholder, materials_tech_kind

__all__ = ["materials_and_techniques"]

_LIST_SEPARATOR = re.compile(r"[;,]")


def materials_and_techniques(
    reader: ConceptReader, owner: Element, lang: str, sources: Sources
) -> tuple[list[Term], list[Term]]:
    """termMaterialsTech split by @type; displayMaterialsTech when there are no terms.

    The elements read are noted in ``sources`` under "materials" and "techniques".
    """
    materials: list[Term] = []
    techniques: list[Term] = []
    typed_terms = 0
    for term_el in all_paths(owner, "materialsTech", "termMaterialsTech"):
        kind = materials_tech_kind(attr(term_el, "type"))
        term = reader.concept(term_el, lang, "termMaterialsTech")
        if term is None:
            continue
        typed_terms += 1
        if kind is MaterialsTechKind.TECHNIQUE:
            techniques.append(term)
            add_sources(sources, "techniques", term_el)
        elif kind is MaterialsTechKind.MATERIAL:
            materials.append(term)
            add_sources(sources, "materials", term_el)
    if not typed_terms:
        for display in children(owner, "displayMaterialsTech"):
            display_lang = reader.lang(display, lang)
            for part in _LIST_SEPARATOR.split(inline_text(display)):
                part = part.strip()
                if part and not is_placeholder(part):
                    materials.append(Term(labels={display_lang: part}))
                    add_sources(sources, "materials", display)
    return dedupe(materials), dedupe(techniques)
