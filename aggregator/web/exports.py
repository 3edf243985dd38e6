"""One record in the formats partners ask for, chosen by ``format=`` or by the Accept header.

Linked-data clients negotiate with Accept; people paste links with
``?format=``.  Both are honoured, the parameter winning because it is the
more deliberate of the two.  Rendering delegates to the pure mappings
(``to_lido``, ``to_linked_art``, ``to_turtle``), so the API serves exactly
what the mapping tests check.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Final

from mappings.core import CoreRecord
from mappings.crm_out import to_linked_art, to_turtle
from mappings.lido_out import to_lido

__all__ = [
    "EXPORTS",
    "Export",
    "NotAcceptable",
    "UnknownFormat",
    "choose_export",
    "render_export",
]


@dataclass(frozen=True, slots=True)
class Export:
    name: str
    media_type: str
    #: Other media types a client may ask for and get this format.
    also_accepts: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8"


EXPORTS: Final[dict[str, Export]] = {
    "json": Export("json", "application/json"),
    "lido": Export("lido", "application/xml", ("text/xml", "application/lido+xml")),
    "jsonld": Export("jsonld", "application/ld+json"),
    "turtle": Export("turtle", "text/turtle", ("application/x-turtle",)),
}
_FORMAT_NAMES: Final = {
    "json": "json",
    "core": "json",
    "lido": "lido",
    "xml": "lido",
    "jsonld": "jsonld",
    "json-ld": "jsonld",
    "linkedart": "jsonld",
    "linked-art": "jsonld",
    "turtle": "turtle",
    "ttl": "turtle",
}
_WILDCARDS: Final = ("*/*", "application/*")


class UnknownFormat(ValueError):
    """``format=`` names no format we serve."""


class NotAcceptable(ValueError):
    """The Accept header allows none of the formats we serve."""


def _accepted(header: str) -> list[str]:
    """Media ranges in order of preference (highest q first, then as written); q=0 dropped."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        quality = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranked.append((-quality, position, media))
    return [media for _, _, media in sorted(ranked)]


def choose_export(format_param: str | None, accept: str | None) -> Export:
    if format_param is not None and format_param.strip():
        name = _FORMAT_NAMES.get(format_param.strip().lower())
        if name is None:
            raise UnknownFormat(
                f"unknown format {format_param[:40]!r}; use json, lido, jsonld or turtle"
            )
        return EXPORTS[name]
    if not accept or not accept.strip():
        return EXPORTS["json"]
    for media in _accepted(accept):
        if media in _WILDCARDS:
            return EXPORTS["json"]
        for export in EXPORTS.values():
            if media == export.media_type or media in export.also_accepts:
                return export
    offered = ", ".join(e.media_type for e in EXPORTS.values())
    raise NotAcceptable(f"none of the accepted media types is served; offered: {offered}")


def render_export(record: CoreRecord, export: Export, *, base_uri: str) -> bytes:
    """The record's bytes in the chosen format (MappingError when Linked Art cannot hold it)."""
    if export.name == "lido":
        return to_lido(record)
    if export.name == "jsonld":
        return json.dumps(to_linked_art(record, base_uri=base_uri), ensure_ascii=False, indent=2).encode()
    if export.name == "turtle":
        return to_turtle(record, base_uri=base_uri).encode()
    return json.dumps(record.model_dump(mode="json", exclude_none=True), ensure_ascii=False).encode()
