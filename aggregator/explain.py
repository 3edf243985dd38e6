"""Where each value of a mapped record came from, as plain data a person can read.

A museum checking its export asks two things of a mapped record: which of my
elements (or columns) gave this value, and which of my elements did the
catalogue not use at all.  ``explain`` answers both from the record's own
provenance (``CoreRecord.provenance``) and the mapping's list of unused
source paths, as dicts and strings only, so the CLI prints them, the check
form renders them and JSON carries them without further work.
"""

from __future__ import annotations

from typing import Any

from mappings.core import Actor, CoreRecord, LangText, Measurement, Media, Place, Rights, Term
from mappings.report import MappingResult

__all__ = ["explain", "explain_record", "explanation_lines", "field_values"]

#: Record fields shown one by one, in the order the core record has them.
_TOP = (
    "inventory_number",
    "repository",
    "object_type",
    "classification",
    "titles",
    "descriptions",
    "inscriptions",
    "actors",
)
_AFTER_EVENTS = ("materials", "techniques", "measurements", "subjects", "rights", "media")
_PRODUCTION = ("date_display", "earliest", "latest", "places", "culture", "period")
_EVENT = (
    "type",
    "name",
    "actors",
    "date_display",
    "earliest",
    "latest",
    "places",
    "culture",
    "period",
    "materials",
    "techniques",
    "descriptions",
)


def _text(value: object) -> str:
    """One value as a person reads it: a label, a name with its role, a place within its region."""
    if isinstance(value, list):
        return "; ".join(text for item in value if (text := _text(item)))
    if isinstance(value, Term):
        label = value.label("en", "ru", "kk", "und")
        own = [v for v in value.source_labels.values() if v != label]
        shown = label + (f" («{', '.join(own)}»)" if own else "")
        return f"{shown} <{value.uri}>" if value.uri and value.uri != label else shown
    if isinstance(value, LangText):
        return f"{value.value} [{value.lang or 'und'}]"
    if isinstance(value, Actor):
        role = value.role.label("en", "ru", "kk", "und") if value.role else ""
        return f"{value.name} ({role})" if role else value.name
    if isinstance(value, Place):
        return " < ".join(p.name for p in value.hierarchy())
    if isinstance(value, Measurement):
        return value.display or " ".join(str(v) for v in (value.type, value.value, value.unit) if v is not None)
    if isinstance(value, Media):
        return f"{value.kind.value}: {value.url}"
    if isinstance(value, Rights):
        return " · ".join(v for v in (value.label, value.uri, value.holder, value.credit_line) if v)
    return "" if value is None else str(value)


def field_values(record: CoreRecord) -> list[tuple[str, str]]:
    """(field path, value as text) of every field with a value, in the record's order.

    Paths are those of ``CoreRecord.provenance``: ``titles``,
    ``production.earliest``, ``events[0].actors``, ``links.object_page``.
    """
    out: list[tuple[str, str]] = []

    def add(path: str, value: Any) -> None:
        text = _text(value)
        if text:
            out.append((path, text))

    for name in _TOP:
        add(name, getattr(record, name))
    if record.production is not None:
        for name in _PRODUCTION:
            add(f"production.{name}", getattr(record.production, name))
    for number, event in enumerate(record.events):
        for name in _EVENT:
            add(f"events[{number}].{name}", getattr(event, name))
    for name in _AFTER_EVENTS:
        add(name, getattr(record, name))
    add("links.object_page", record.links.object_page)
    add("links.published_ids", record.links.published_ids)
    return out


def _container(path: str) -> str | None:
    """The event a sub-field belongs to (``production``, ``events[0]``), whose element holds it."""
    head, dot, _ = path.partition(".")
    return head if dot and (head == "production" or head.startswith("events[")) else None


def explain_record(record: CoreRecord) -> list[dict[str, Any]]:
    """``{"field", "value", "sources"}`` for each field of a record with a value (a stored one too).

    A sub-field of an event with no source of its own shows the event's element.
    """
    provenance = record.provenance
    fields = []
    for path, value in field_values(record):
        container = _container(path)
        sources = provenance.get(path) or (provenance.get(container, []) if container else [])
        fields.append({"field": path, "value": value, "sources": list(sources)})
    return fields


def explain(result: MappingResult) -> dict[str, Any]:
    """One mapped record: each field's value and source paths, the unused source paths, the warnings."""
    record = result.record
    fields = explain_record(record)
    return {
        "id": record.id,
        "local_id": record.local_id,
        "format": record.source.format,
        "mapping_version": record.source.mapping_version,
        "fields": fields,
        # Written like the provenance paths: LIDO's namespace implied.
        "unused": [path.replace("lido:", "") for path in result.unmapped],
        "warnings": [str(issue) for issue in result.issues],
    }


def explanation_lines(explained: dict[str, Any]) -> list[str]:
    """An explanation as the lines ``emuseum map --explain`` prints."""
    lines = [f"record {explained['local_id']} ({explained['format']}, mapping {explained['mapping_version']})"]
    for entry in explained["fields"]:
        lines.append(f"  {entry['field']}: {entry['value']}")
        sources = entry["sources"] or ["(made by the mapping, not read from one element)"]
        lines.extend(f"      <- {source}" for source in sources)
    lines.append("  not used by the catalogue:" if explained["unused"] else "  not used by the catalogue: nothing")
    lines.extend(f"      {path}" for path in explained["unused"])
    lines.extend(f"  warning: {warning}" for warning in explained["warnings"])
    return lines
