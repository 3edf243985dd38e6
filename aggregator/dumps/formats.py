"""The four dump formats: how a batch of stored core records becomes a gzip member of the dump.

A batch is rendered *and compressed* in one go, inside whichever process
renders it: a gzip file may hold several members one after another (RFC 1952,
read by gunzip, zcat and Python's ``gzip``), so worker processes can each
compress their own batches and the writer only concatenates bytes.  That
keeps the serialisers and zlib (the expensive parts) off the single writing
process, and the output identical whichever process did the work
(``mtime=0``: a gzip member carries no time, so equal records give equal
bytes).

A record that cannot be written in a format (an old stored document that no
longer validates, a value Linked Art cannot hold) is left out of that
format and named in ``Rendered.skipped``; one bad record never stops a dump.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import quote

from lxml import etree
from pydantic import ValidationError

from aggregator.store.stored_document import StoredDocument
from mappings.core import CoreRecord, MediaKind, Term
from mappings.crm_out import to_linked_art, to_ntriples
from mappings.lido_out import GML_NS, LIDO_NS, SCHEMA_LOCATION, to_lido_element
from mappings.report import MappingError

__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "DumpFormat",
    "Rendered",
    "StoredDocument",
    "csv_header",
    "footer_member",
    "header_member",
    "lido_footer",
    "lido_header",
    "render_batch",
    "render_segments",
]

_XSI_NS: Final = "http://www.w3.org/2001/XMLSchema-instance"
_LEVEL: Final = 6


@dataclass(frozen=True, slots=True)
class DumpFormat:
    """One format: its file name part, what it is served as inside the gzip, and a line for people."""

    name: str
    suffix: str  # the part of the file name before ".gz"
    inner_type: str  # the media type of the uncompressed content
    description: str


FORMATS: Final[dict[str, DumpFormat]] = {
    "lido": DumpFormat("lido", "lido.xml", "application/xml", "LIDO 1.1: one lido:lidoWrap holding every record"),
    "jsonld": DumpFormat(
        "jsonld", "linkedart.jsonl", "application/x-ndjson",
        "Linked Art JSON-LD as JSON Lines: one record's document per line",
    ),
    "nt": DumpFormat("nt", "nt", "application/n-triples", "N-Triples (CIDOC-CRM via Linked Art), one triple per line"),
    "csv": DumpFormat("csv", "csv", "text/csv", "CSV, one row per record with the core fields, UTF-8, header row"),
}  # fmt: skip

CSV_COLUMNS: Final = (
    "id", "museum", "region", "title_kk", "title_ru", "title_en", "object_type", "materials", "date",
    "earliest", "latest", "inventory_number", "object_page", "catalogue_page", "image_url", "rights",
)  # fmt: skip


@dataclass(slots=True)
class Rendered:
    """One batch in every format asked for: gzip members, records written and records left out."""

    members: dict[str, bytes] = field(default_factory=dict)
    written: dict[str, int] = field(default_factory=dict)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (format, record id, reason)


def _gzip(text: str) -> bytes:
    return gzip.compress(text.encode("utf-8"), compresslevel=_LEVEL, mtime=0) if text else b""


def lido_header() -> str:
    """The opening of the one ``lido:lidoWrap``; each record's element declares its own namespaces too."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<lido:lidoWrap xmlns:lido="{LIDO_NS}" xmlns:gml="{GML_NS}" xmlns:xsi="{_XSI_NS}" '
        f'xsi:schemaLocation="{SCHEMA_LOCATION}">\n'
    )


def lido_footer() -> str:
    return "</lido:lidoWrap>\n"


def csv_header() -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(CSV_COLUMNS)
    return out.getvalue()


_LIDO_OPEN: Final = (
    f'<lido:lido xmlns:lido="{LIDO_NS}" xmlns:gml="{GML_NS}" xmlns:xsi="{_XSI_NS}" '
    f'xsi:schemaLocation="{SCHEMA_LOCATION}"'
)


def _lido(record: CoreRecord, base_uri: str, regions: dict[str, str]) -> str:
    """The record's ``lido:lido``; the namespaces the wrap declares already are not repeated on it."""
    text = etree.tostring(to_lido_element(record), encoding="unicode")
    if text.startswith(_LIDO_OPEN):
        text = "<lido:lido" + text[len(_LIDO_OPEN) :]
    return text + "\n"


def _jsonld(record: CoreRecord, base_uri: str, regions: dict[str, str]) -> str:
    return json.dumps(to_linked_art(record, base_uri=base_uri), ensure_ascii=False, separators=(",", ":")) + "\n"


def _nt(record: CoreRecord, base_uri: str, regions: dict[str, str]) -> str:
    return to_ntriples(record, base_uri=base_uri)


def _terms(terms: Sequence[Term]) -> str:
    return "; ".join(label for term in terms if (label := term.label("en", "ru", "kk")))


def _title(record: CoreRecord, lang: str) -> str:
    return next((t.value for t in record.titles if t.lang == lang), "")


def _csv(record: CoreRecord, base_uri: str, regions: dict[str, str]) -> str:
    production = record.production
    image = next((m.url for m in record.media if m.kind is MediaKind.IMAGE), "")
    rights = record.rights
    row = (
        record.id, record.museum_id, regions.get(record.museum_id, ""),
        _title(record, "kk"), _title(record, "ru"), _title(record, "en"),
        _terms(record.object_type), _terms(record.materials),
        (production.date_display or "") if production else "",
        (production.earliest or "") if production else "",
        (production.latest or "") if production else "",
        record.inventory_number or "", record.links.object_page or "",
        base_uri.rstrip("/") + "/objects/" + quote(record.id, safe=":"),
        image, (rights.uri or rights.label or "") if rights else "",
    )  # fmt: skip
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(row)
    return out.getvalue()


_RENDERERS: Final[dict[str, Callable[[CoreRecord, str, dict[str, str]], str]]] = {
    "lido": _lido,
    "jsonld": _jsonld,
    "nt": _nt,
    "csv": _csv,
}


def render_batch(
    documents: Sequence[StoredDocument], formats: Sequence[str], base_uri: str, regions: dict[str, str]
) -> Rendered:
    """Every record of the batch in every format, each format's text compressed as one gzip member.

    Module-level and picklable: it is what worker processes run.
    """
    parts: dict[str, list[str]] = {name: [] for name in formats}
    out = Rendered(written=dict.fromkeys(formats, 0))
    for document in documents:
        try:
            record = CoreRecord.model_validate_json(document.text)
        except ValidationError as exc:
            reason = f"stored document no longer valid ({exc.error_count()} error(s)); run emuseum remap"
            out.skipped.extend((name, document.id, reason) for name in formats)
            continue
        for name in formats:
            try:
                parts[name].append(_RENDERERS[name](record, base_uri, regions))
            except (MappingError, ValueError) as exc:
                out.skipped.append((name, document.id, str(exc)[:300]))
                continue
            out.written[name] += 1
    out.members = {name: _gzip("".join(texts)) for name, texts in parts.items()}
    return out


def render_segments(
    jobs: Sequence[tuple[Sequence[StoredDocument], Sequence[str]]], base_uri: str, regions: dict[str, str]
) -> list[Rendered]:
    """Each (segment's records, formats it lacks) rendered as ``render_batch`` does: one member per format each.

    Module-level and picklable: a worker process renders many small segments per task.
    """
    return [render_batch(documents, formats, base_uri, regions) for documents, formats in jobs]


def header_member(name: str) -> bytes:
    """The gzip member that opens a dump of this format (LIDO's wrap, CSV's header row), or nothing."""
    return _gzip(lido_header() if name == "lido" else csv_header() if name == "csv" else "")


def footer_member(name: str) -> bytes:
    return _gzip(lido_footer() if name == "lido" else "")
