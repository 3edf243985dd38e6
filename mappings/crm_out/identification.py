"""Names, numbers and types: what the object is called and what kind of thing it is.

Linked Art requires one primary name; ``CoreRecord.title()`` shows the first
title when none is marked preferred, so that one is primary here too.  An
object type is classified "type of work" so consumers can tell it from other
classifications.  A published id that is an http(s) URI is also the same
object elsewhere (``equivalent``).
"""

from __future__ import annotations

from typing import Any

from mappings.core import LangText
from mappings.crm_out.aat import AAT_ACCESSION_NUMBER, AAT_PRIMARY_NAME, AAT_WORK_TYPE
from mappings.crm_out.nodes import Nodes
from mappings.crm_out.uris import given_uri

__all__ = ["add_classifications", "add_inventory_number", "add_published_ids", "add_titles"]


def add_titles(nodes: Nodes, obj: Any, titles: list[LangText]) -> None:
    kept = [t for t in titles if t.value.strip()]
    any_preferred = any(t.preferred for t in kept)
    for number, title in enumerate(kept, 1):
        name = nodes.model.Name(ident=nodes.fragment(f"title-{number}"), content=title.value)
        if title.preferred or (not any_preferred and number == 1):
            name.classified_as = nodes.aat(AAT_PRIMARY_NAME, "Primary Name")
        nodes.language(name, title.lang)
        obj.identified_by = name


def add_inventory_number(nodes: Nodes, obj: Any) -> None:
    number = (nodes.record.inventory_number or "").strip()
    if number:
        identifier = nodes.model.Identifier(ident=nodes.fragment("inventory-number"), content=number)
        identifier.classified_as = nodes.aat(AAT_ACCESSION_NUMBER, "Accession Number")
        obj.identified_by = identifier


def add_published_ids(nodes: Nodes, obj: Any) -> None:
    for number, published in enumerate(nodes.record.links.published_ids, 1):
        if not published.strip():
            continue
        identifier = nodes.model.Identifier(ident=nodes.fragment(f"published-id-{number}"), content=published.strip())
        obj.identified_by = identifier
        same = given_uri(published)
        if same and same != nodes.uri:
            obj.equivalent = nodes.model.HumanMadeObject(ident=same)


def add_classifications(nodes: Nodes, obj: Any) -> None:
    """Object types (as types of work) first, then other classifications, each concept once."""
    seen: set[str] = set()
    for term in nodes.record.object_type:
        node = nodes.concept(nodes.model.Type, term)
        if node is not None and node.id not in seen:
            seen.add(node.id)
            nodes.classify(node, AAT_WORK_TYPE, "Type of Work")
            obj.classified_as = node
    for term in nodes.record.classification:
        node = nodes.concept(nodes.model.Type, term)
        if node is not None and node.id not in seen:
            seen.add(node.id)
            obj.classified_as = node
