"""Reading a LIDO file export (a lidoWrap, a single record or a saved OAI response) into raw records.

Museums hand over files as often as endpoints: a lidoWrap exported from the
collection system, or a response they saved.  Each top-level ``lido`` element
becomes one RawRecord carrying its wrapper's namespace declarations, named by
its ``lidoRecID`` (else ``administrativeMetadata/recordWrap/recordID``), the
ids LIDO itself defines.  A record with neither is named after the file and
its position, with a note, so that nothing in the file is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from harvester.errors import HarvestError
from harvester.raw import RawRecord
from harvester.xml_parser import hardened_parser
from harvester.xml_repair import repair_xml_bytes

__all__ = ["LidoFile", "LidoFileError", "lido_record_id", "read_lido_file", "split_lido"]


class LidoFileError(HarvestError):
    """The file is not XML even after repairing forbidden characters, or holds no LIDO record."""


@dataclass(slots=True)
class LidoFile:
    records: list[RawRecord] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # one line each, naming the record


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _parse(data: bytes) -> etree._Element:
    try:
        return etree.fromstring(data, parser=hardened_parser())
    except etree.XMLSyntaxError as first:
        try:
            return etree.fromstring(repair_xml_bytes(data).utf8(), parser=hardened_parser())
        except etree.XMLSyntaxError:
            raise ValueError(f"not well-formed XML: {first}") from None


def _top_level_lido(root: etree._Element) -> list[etree._Element]:
    return [
        el
        for el in root.iter()
        if _local(el.tag) == "lido" and not any(_local(a.tag) == "lido" for a in el.iterancestors())
    ]


def split_lido(payload: bytes) -> list[bytes]:
    """Each top-level ``lido`` element as its own document; raises ValueError when not XML."""
    root = _parse(payload)
    return [etree.tostring(el, encoding="UTF-8", xml_declaration=True) for el in _top_level_lido(root)]


def _text(el: etree._Element) -> str:
    return " ".join("".join(str(piece) for piece in el.itertext()).split())


def _record_id_of(lido: etree._Element) -> str | None:
    for child in lido:
        if _local(child.tag) == "lidoRecID" and _text(child):
            return _text(child)
    for admin in (c for c in lido if _local(c.tag) == "administrativeMetadata"):
        for wrap in (c for c in admin if _local(c.tag) == "recordWrap"):
            for rec in (c for c in wrap if _local(c.tag) == "recordID"):
                if _text(rec):
                    return _text(rec)
    return None


def lido_record_id(element_bytes: bytes) -> str:
    """The record's local id: lidoRecID, else administrativeMetadata/recordWrap/recordID.

    Raises ValueError when the bytes are not XML, hold no lido element, or the
    record has neither id (the caller must then name the record itself).
    """
    lidos = _top_level_lido(_parse(element_bytes))
    if not lidos:
        raise ValueError("no lido element")
    local_id = _record_id_of(lidos[0])
    if local_id is None:
        raise ValueError("lido record has neither lidoRecID nor recordWrap/recordID")
    return local_id


def read_lido_file(museum_id: str, data: bytes, *, name: str) -> LidoFile:
    """Every LIDO record of one file as a RawRecord of ``museum_id``; ``name`` names the file in notes."""
    try:
        pieces = split_lido(data)
    except ValueError as exc:
        raise LidoFileError(museum_id, f"{name}: {exc}") from None
    if not pieces:
        raise LidoFileError(museum_id, f"{name}: no lido element in the file")
    result = LidoFile()
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "record"
    for n, piece in enumerate(pieces, 1):
        try:
            local_id = lido_record_id(piece)
        except ValueError:
            local_id = f"{stem}-{n}"
            result.notes.append(f"warning: {name}, record {n}: no lidoRecID or recordID; called it {local_id}")
        result.records.append(RawRecord(museum_id=museum_id, local_id=local_id, format="lido", payload=piece))
    return result
