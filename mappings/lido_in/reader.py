"""One LIDO record to one core record: the order in which the subjects are read.

Each descriptiveMetadata block (one per language) is read whole, then the
blocks are merged subject by subject; the administrative blocks follow.  A
record is only refused (``MappingError``) when nothing catalogue-worthy can be
made of it: no title, object type, description or inventory number.  Every
other problem becomes a warning naming the LIDO field, and the result lists
the source paths the core record cannot hold.  Every value keeps the paths of
the elements it was read from (``CoreRecord.provenance``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import ValidationError

from harvester.raw import RawRecord
from mappings.core import (
    Actor,
    CoreRecord,
    LangText,
    Links,
    Measurement,
    Production,
    SourceInfo,
    Term,
    record_id,
)
from mappings.event_types import EVENT_TYPES_VERSION
from mappings.lido_in import description, identification
from mappings.lido_in.concepts import ConceptReader, Sources
from mappings.lido_in.document import find_lido_elements, local_id_of, parse_payload, schema_version
from mappings.lido_in.elements import Element, all_paths, children, dedupe, first, inline_text, local, reading
from mappings.lido_in.events import MAKING, ReadEvent, merge_production, production, production_event, read_event
from mappings.lido_in.history import SourcedEvent, core_event, merge_events
from mappings.lido_in.materials import materials_and_techniques
from mappings.lido_in.merging import merge_actors, merge_terms
from mappings.lido_in.provenance import source_paths
from mappings.lido_in.resources import media, object_page, work_rights
from mappings.lido_in.unmapped import unmapped_paths
from mappings.lido_terms import LIDO_TERMS_VERSION, EventKind
from mappings.report import Issue, MappingError, MappingResult
from mappings.xml_safety import XmlPayloadError

__all__ = ["MAPPING_VERSION", "map_lido"]

#: Stamped on every record this reader makes; bump it when the output changes
#: (including through mappings/data/lido_terms.yaml, event_types.yaml or date_words.yaml).
#: lido-in/4: every event kept (``events``), places with their broader places,
#: event types as concepts, field-level provenance, index dates of 0 read as unknown.
MAPPING_VERSION = "lido-in/4"
assert LIDO_TERMS_VERSION == "lido-terms/2" and EVENT_TYPES_VERSION == "event-types/1", "bump MAPPING_VERSION"

_Fail = Callable[[str, str], MappingError]


@dataclass
class _Block:
    """What one descriptiveMetadata block (one language) says."""

    lang: str
    titles: list[LangText] = field(default_factory=list)
    object_type: list[Term] = field(default_factory=list)
    classification: list[Term] = field(default_factory=list)
    descriptions: list[LangText] = field(default_factory=list)
    inscriptions: list[LangText] = field(default_factory=list)
    inventory_number: str | None = None
    repository: str | None = None
    measurements: list[Measurement] = field(default_factory=list)
    materials: list[Term] = field(default_factory=list)
    techniques: list[Term] = field(default_factory=list)
    events: list[ReadEvent] = field(default_factory=list)
    subjects: list[Term] = field(default_factory=list)


def _read_block(reader: ConceptReader, descriptive: Element) -> _Block:
    lang = reader.lang(descriptive, "und")
    block = _Block(lang=lang)
    block.object_type = identification.object_type(reader, descriptive, lang)
    block.classification = identification.classification(reader, descriptive, lang)
    ident = first(descriptive, "objectIdentificationWrap")
    block.titles = identification.titles(reader, ident, lang)
    block.inscriptions = description.inscriptions(reader, ident, lang)
    block.inventory_number, block.repository = identification.repository(reader, ident, lang)
    block.descriptions = description.descriptions(reader, ident, lang)
    block.measurements = description.measurements(reader, ident, lang)
    for mt_set in all_paths(ident, "objectMaterialsTechWrap", "objectMaterialsTechSet"):
        materials, techniques = materials_and_techniques(reader, mt_set, lang, reader.sources)
        block.materials += materials
        block.techniques += techniques
    for event in all_paths(descriptive, "eventWrap", "eventSet", "event"):
        block.events.append(read_event(reader, event, lang))
    block.subjects = description.subjects(reader, descriptive, lang)
    return block


@dataclass
class _Merged:
    """What all descriptive blocks say together."""

    titles: list[LangText] = field(default_factory=list)
    descriptions: list[LangText] = field(default_factory=list)
    inscriptions: list[LangText] = field(default_factory=list)
    measurements: list[Measurement] = field(default_factory=list)
    object_type: list[Term] = field(default_factory=list)
    classification: list[Term] = field(default_factory=list)
    subjects: list[Term] = field(default_factory=list)
    materials: list[Term] = field(default_factory=list)
    techniques: list[Term] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    production: Production | None = None
    events: list[SourcedEvent] = field(default_factory=list)
    inventory: str | None = None
    repository: str | None = None


def _merge_blocks(reader: ConceptReader, blocks: list[_Block]) -> _Merged:
    merged = _Merged()
    for block in blocks:
        merged.titles = dedupe([*merged.titles, *block.titles])
        merged.descriptions = dedupe([*merged.descriptions, *block.descriptions])
        merged.inscriptions = dedupe([*merged.inscriptions, *block.inscriptions])
        merged.measurements = dedupe([*merged.measurements, *block.measurements])
        merged.object_type = merge_terms(merged.object_type, block.object_type)
        merged.classification = merge_terms(merged.classification, block.classification)
        merged.subjects = merge_terms(merged.subjects, block.subjects)
        merged.inventory = merged.inventory or block.inventory_number
        merged.repository = merged.repository or block.repository

        chosen = production_event(block.events)
        block_materials = list(block.materials)
        block_techniques = list(block.techniques)
        others: list[SourcedEvent] = []
        for event in block.events:
            making = event is chosen or event.kind in MAKING
            if making:
                merged.actors += event.actors
                _note(reader.sources, event.sources, {"actors": "actors"})
            if making or event.kind is EventKind.UNSPECIFIED:
                block_materials += event.materials
                block_techniques += event.techniques
                _note(reader.sources, event.sources, {"materials": "materials", "techniques": "techniques"})
            if event is not chosen:
                others.append(core_event(reader, event))
        merged.materials = merge_terms(merged.materials, dedupe(block_materials))
        merged.techniques = merge_terms(merged.techniques, dedupe(block_techniques))
        if chosen is not None:
            merged.production = merge_production(merged.production, production(reader, chosen))
            reader.source("production", chosen.element)
            _note(reader.sources, chosen.sources, {name: f"production.{name}" for name in _PRODUCTION_PARTS})
        merged.events = merge_events(merged.events, others)
    for number, sourced in enumerate(merged.events):
        renamed = {name: f"events[{number}].{name}" if name else f"events[{number}]" for name in sourced.sources}
        _note(reader.sources, sourced.sources, renamed)
    return merged


#: Parts of the chosen event the core record keeps in ``production``.
_PRODUCTION_PARTS = ("date_display", "earliest", "latest", "places", "culture", "period")


def _note(into: Sources, sources: Sources, renamed: dict[str, str]) -> None:
    """Copy an event's sources into the record's, under the core field each one fills."""
    for name, field_path in renamed.items():
        found = sources.get(name)
        if found:
            into.setdefault(field_path, []).extend(found)


def map_lido(raw: RawRecord) -> MappingResult:
    """Map one LIDO record (bare lido, lidoWrap, or OAI ``<metadata>`` content) to a core record."""

    def fail(field_name: str, message: str) -> MappingError:
        return MappingError(raw.museum_id, raw.local_id, field_name, message)

    try:
        root, cleaned, schema_location, findings = parse_payload(raw.payload, validate=True)
    except XmlPayloadError as exc:
        raise fail("payload", str(exc)) from exc
    lidos = find_lido_elements(root)
    if not lidos:
        raise fail("lido", f"no lido element (root element is {local(root.tag)!r})")
    lido = lidos[0]
    reader = ConceptReader()
    reader.issues.extend(findings)
    if cleaned:
        reader.issues.append(Issue("payload", "characters XML forbids were removed before parsing"))
    if len(lidos) > 1:
        matching = [el for el in lidos if local_id_of(el) == raw.local_id]
        lido = matching[0] if matching else lidos[0]
        reader.issues.append(
            Issue("lidoWrap", f"payload holds {len(lidos)} lido records; mapped {local_id_of(lido)!r}")
        )
    with reading():
        return _build(raw, reader, lido, schema_version(lido, schema_location), fail)


def _build(raw: RawRecord, reader: ConceptReader, lido: Element, version: str, fail: _Fail) -> MappingResult:
    blocks = [_read_block(reader, dm) for dm in children(lido, "descriptiveMetadata")]
    if not blocks:
        reader.warn("descriptiveMetadata", "missing")
    first_lang = blocks[0].lang if blocks else "und"
    merged = _merge_blocks(reader, blocks)

    category = reader.concepts(children(lido, "category"), first_lang, "category", reader.sources, "classification")
    classification = dedupe([*merged.classification, *category])

    if not merged.titles:
        reader.warn("titleSet/appellationValue", "no title")
    if not merged.object_type:
        reader.warn("objectWorkType", "no object type")
    if not (merged.titles or merged.object_type or merged.descriptions or merged.inventory):
        raise fail(
            "titleSet/appellationValue",
            "record has no title, no object type, no description and no inventory number",
        )

    admin_blocks = [(a, reader.lang(a, first_lang)) for a in children(lido, "administrativeMetadata")]
    rights = work_rights(reader, admin_blocks)
    found_media, pages = media(reader, admin_blocks)
    published_els = [p for p in children(lido, "objectPublishedID") if inline_text(p)]
    published = dedupe(inline_text(p) for p in published_els)
    reader.source("links.published_ids", *published_els)
    page = object_page(reader, admin_blocks, pages)

    try:
        record = CoreRecord(
            id=record_id(raw.museum_id, raw.local_id),
            museum_id=raw.museum_id,
            local_id=raw.local_id,
            inventory_number=merged.inventory,
            repository=merged.repository,
            object_type=merged.object_type,
            classification=classification,
            titles=merged.titles,
            descriptions=merged.descriptions,
            inscriptions=merged.inscriptions,
            actors=merge_actors(merged.actors),
            production=merged.production,
            events=[sourced.event for sourced in merged.events],
            materials=merged.materials,
            techniques=merged.techniques,
            measurements=merged.measurements,
            subjects=merged.subjects,
            rights=rights,
            media=found_media,
            links=Links(published_ids=published, object_page=page),
            source=SourceInfo(
                format=raw.format,
                oai_identifier=raw.oai_identifier,
                datestamp=raw.datestamp,
                harvested_at=raw.harvested_at,
                mapping_version=MAPPING_VERSION,
                schema_version=version,
            ),
            provenance=source_paths(lido, reader.sources),
        )
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error.get("loc", ())) or "record"
        raise fail(where, error.get("msg", str(exc))) from exc
    return MappingResult(record=record, issues=reader.issues, unmapped=unmapped_paths(lido))
