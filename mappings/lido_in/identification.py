"""What the object is called and how it is numbered: titles, type, classification, inventory.

These decide whether a record is catalogue-worthy at all (a record with no
title, type, description or inventory number is refused), so they are read
leniently: placeholders are skipped, a title marked preferred wins over the
same title unmarked, and the inventory number is sought in the current
repository first, then anywhere.
"""

from __future__ import annotations

from mappings.core import LangText, Term
from mappings.lido_in.concepts import ConceptReader
from mappings.lido_in.elements import Element, all_paths, attr, children, dedupe, first, inline_text
from mappings.lido_media import is_http_url
from mappings.lido_terms import (
    is_current_repository,
    is_former_repository,
    is_inventory_number_type,
    is_placeholder,
    pref_is_preferred,
)

__all__ = ["classification", "object_type", "repository", "titles"]


def object_type(reader: ConceptReader, descriptive: Element, lang: str) -> list[Term]:
    """objectWorkType terms of one descriptiveMetadata block."""
    wrap = first(descriptive, "objectClassificationWrap")
    work_types = all_paths(wrap, "objectWorkTypeWrap", "objectWorkType")
    return reader.concepts(work_types, lang, "objectWorkType", reader.sources, "object_type")


def classification(reader: ConceptReader, descriptive: Element, lang: str) -> list[Term]:
    """classification terms of one descriptiveMetadata block."""
    wrap = first(descriptive, "objectClassificationWrap")
    classes = all_paths(wrap, "classificationWrap", "classification")
    return reader.concepts(classes, lang, "classification", reader.sources, "classification")


def titles(reader: ConceptReader, ident: Element | None, lang: str) -> list[LangText]:
    found: list[LangText] = []
    for value in all_paths(ident, "titleWrap", "titleSet", "appellationValue"):
        text = inline_text(value)
        if not text or is_placeholder(text):
            continue
        if len(text) > 1000:
            reader.warn("titleSet/appellationValue", f"title of {len(text)} characters")
        title = LangText(
            value=text,
            lang=reader.lang(value, lang),
            preferred=pref_is_preferred(attr(value, "pref")),
        )
        reader.source("titles", value)
        same = next((t for t in found if (t.value, t.lang) == (title.value, title.lang)), None)
        if same is None:
            found.append(title)
        elif title.preferred and not same.preferred:
            found[found.index(same)] = title
    return found


def repository(reader: ConceptReader, ident: Element | None, lang: str) -> tuple[str | None, str | None]:
    """(inventory number, repository name): the current repository's first, else any."""
    sets = all_paths(ident, "repositoryWrap", "repositorySet")
    if not sets:
        return None, None
    current = [s for s in sets if is_current_repository(attr(s, "type"))]
    untyped = [s for s in sets if not attr(s, "type")]
    not_former = [s for s in sets if not is_former_repository(attr(s, "type"))]
    ordered = dedupe(current + untyped + not_former + sets)
    inventory = None
    for candidates in (ordered[:1], ordered):
        work_ids = [w for s in candidates for w in children(s, "workID") if inline_text(w)]
        typed = [w for w in work_ids if is_inventory_number_type(attr(w, "type"))]
        plain = [w for w in work_ids if not is_http_url(inline_text(w))]
        chosen = (typed or plain or work_ids)[:1]
        if chosen:
            inventory = inline_text(chosen[0])
            reader.source("inventory_number", chosen[0])
            break
    name = None
    for repo_set in ordered:
        repository_name = first(repo_set, "repositoryName")
        name = reader.legal_body_name(repository_name, lang)
        if name:
            reader.source("repository", repository_name)
            break
    return inventory, name
