"""The Linked Art document of one record: a HumanMadeObject built subject by subject.

The document is built with cromulent, the Linked Art reference library, so
property names and ranges are checked against the profile while we build.
When cromulent refuses a value, the error names the museum, the record and
the core-record field it came from, so the museum can correct it.
"""

from __future__ import annotations

from typing import Any

from cromulent.model import CromulentError

from mappings.core import CoreRecord
from mappings.crm_out.aat import AAT_DESCRIPTION, AAT_INSCRIPTION
from mappings.crm_out.description import add_dimensions, add_materials, add_statements, add_subjects
from mappings.crm_out.events import add_events
from mappings.crm_out.factory import cromulent_model, serialise, shared_factory
from mappings.crm_out.identification import (
    add_classifications,
    add_inventory_number,
    add_published_ids,
    add_titles,
)
from mappings.crm_out.light import LightNode, light_model
from mappings.crm_out.light import serialise as light_serialise
from mappings.crm_out.nodes import Nodes, SharedNodeWanted, named_actor
from mappings.crm_out.production import add_production
from mappings.crm_out.resources import add_media, add_object_page, add_rights
from mappings.crm_out.uris import DEFAULT_BASE_URI, checked_base
from mappings.report import MappingError

__all__ = ["light_document", "reference_linked_art", "to_linked_art"]


def to_linked_art(record: CoreRecord, *, base_uri: str = DEFAULT_BASE_URI) -> dict[str, Any]:
    """The record as a Linked Art ``HumanMadeObject`` document (JSON-LD, plain dict).

    Built on ``light`` nodes: the document ``reference_linked_art`` builds
    with cromulent, key for key, at a fraction of the cost.  Raises
    MappingError naming museum, record and field when a value cannot be
    expressed.  Safe to call from several threads.
    """
    return light_serialise(light_document(record, base_uri=base_uri))


def light_document(record: CoreRecord, *, base_uri: str = DEFAULT_BASE_URI) -> LightNode:
    """The document's top node, in light nodes (what the RDF writers read). Raises like ``to_linked_art``."""
    shared_factory()  # light nodes take cromulent's tables: a setting changed under us is reported
    base = checked_base(base_uri)
    try:
        top: LightNode = _build(Nodes(record, base, light_model()))
    except SharedNodeWanted:  # the record names one of our AAT types as a concept of its own
        top = _build(Nodes(record, base, light_model(), share=False))
    return top


def reference_linked_art(record: CoreRecord, *, base_uri: str = DEFAULT_BASE_URI) -> dict[str, Any]:
    """The same document built with cromulent, which checks every property against the profile.

    The reference ``to_linked_art`` is tested against; slower (about 2.5 ms
    a record).  Raises MappingError like it.
    """
    shared_factory()  # set up before any node is made: nodes read the settings as they are built
    return serialise(_build(Nodes(record, checked_base(base_uri), cromulent_model())))


def _build(nodes: Nodes) -> Any:
    """The document, field by field; a value the profile refuses becomes a MappingError
    naming museum, record and the field being built (``field``: one ``try`` for the
    whole build, cheaper than a context manager around each of its ~14 steps)."""
    record = nodes.record
    label = record.title() or record.inventory_number or record.id
    obj = nodes.model.HumanMadeObject(ident=nodes.uri, label=label)
    field = "titles"
    try:
        add_titles(nodes, obj, record.titles)
        field = "inventory_number"
        add_inventory_number(nodes, obj)
        field = "links.published_ids"
        add_published_ids(nodes, obj)
        field = "object_type, classification"
        add_classifications(nodes, obj)
        field = "descriptions"
        add_statements(nodes, obj, record.descriptions, "description", AAT_DESCRIPTION)
        field = "inscriptions"
        add_statements(nodes, obj, record.inscriptions, "inscription", AAT_INSCRIPTION)
        field = "production"
        add_production(nodes, obj)
        field = "events"
        add_events(nodes, obj)
        field = "materials"
        add_materials(nodes, obj, record.materials)
        field = "measurements"
        add_dimensions(nodes, obj, record.measurements)
        field = "subjects"
        add_subjects(nodes, obj, record.subjects)
        field = "repository"
        if record.repository and record.repository.strip():
            obj.current_custodian = nodes.actor(named_actor(record.repository.strip(), "organization"))
        field = "rights"
        if record.rights is not None:
            add_rights(nodes, obj, record.rights, "rights")
        for number, media in enumerate(record.media, 1):
            field = f"media[{number - 1}]"
            add_media(nodes, obj, media, number)
        field = "links.object_page"
        add_object_page(nodes, obj)
    except (CromulentError, ValueError, TypeError) as error:
        raise MappingError(
            record.museum_id, record.local_id, field, f"cannot express as CIDOC-CRM / Linked Art: {error}"
        ) from error
    return obj
