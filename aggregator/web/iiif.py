"""IIIF Presentation 3 manifests: a record's images for any IIIF viewer (Mirador, Universal Viewer).

Built with iiif-prezi3 so the structure follows the specification's model
rather than our reading of it.  Image bodies point at the aggregator's own
media proxy (``/media/large/...``), which answers even when the museum's host
is down, with the size the proxy actually serves.  Labels and metadata carry
kk / ru / en language maps; rights is the Creative Commons URI when the
record has one.
"""

from __future__ import annotations

import json
from typing import Any

from iiif_prezi3 import KeyValueString, Manifest, config

from aggregator.media.paths import iiif_manifest_path, media_path
from aggregator.media.service import MediaService
from aggregator.web.concept_labels import term_view
from aggregator.web.i18n import ui_strings
from aggregator.web.results import date_view, object_path
from config.registry import Museum
from mappings.core import CoreRecord, MediaKind
from mappings.display_terms import licence_from

__all__ = ["manifest_json"]

_LANGS = ("kk", "ru", "en")
#: Size of the placeholder the proxy serves for an image it cannot get.
_PLACEHOLDER = (240, 240)

config.configs["helpers.auto_fields.AutoLang"].auto_lang = "en"


def _language_map(values: dict[str, str]) -> dict[str, list[str]]:
    return {lang: [value] for lang, value in values.items() if value}


def _titles(record: CoreRecord) -> dict[str, list[str]]:
    by_lang: dict[str, list[str]] = {}
    for title in record.titles:
        lang = title.lang if title.lang and title.lang != "und" else "none"
        by_lang.setdefault(lang, []).append(title.value)
    return by_lang or {"none": [record.inventory_number or record.local_id]}


def _metadata(record: CoreRecord, museum: Museum | None) -> list[KeyValueString]:
    rows: list[KeyValueString] = []

    def row(key: str, values: dict[str, str]) -> None:
        labels = {lang: ui_strings(lang)[key] for lang in _LANGS}
        if any(values.values()):
            rows.append(KeyValueString(label=_language_map(labels), value=_language_map(values)))

    if museum is not None:
        row("museum", {lang: museum.display_name(lang) for lang in _LANGS})
    if record.inventory_number:
        row("inventory_number", {"none": record.inventory_number})
    if record.object_type:
        row("object_type", {lang: ", ".join(term_view(t, "object_type", lang)["label"] for t in record.object_type)
                            for lang in _LANGS})  # fmt: skip
    if record.production:
        row("dating", {lang: date_view(record, lang)["label"] or "" for lang in _LANGS})
    if record.materials:
        row("materials", {lang: ", ".join(term_view(t, "materials", lang)["label"] for t in record.materials)
                          for lang in _LANGS})  # fmt: skip
    return rows


def manifest_json(record: CoreRecord, museum: Museum | None, media: MediaService, base_url: str) -> dict[str, Any]:
    """The manifest of a record with images, as JSON-ready data; ``base_url`` ends with '/'."""
    root = base_url.rstrip("/")
    manifest_id = root + iiif_manifest_path(record.id)
    prefix = manifest_id.removesuffix("/manifest")
    manifest = Manifest(id=manifest_id, label=_titles(record))
    descriptions = {d.lang or "none": d.value for d in record.descriptions}
    if descriptions:
        manifest.summary = _language_map(descriptions)
    manifest.metadata = _metadata(record, museum)
    if museum is not None:
        names = {lang: museum.display_name(lang) for lang in _LANGS}
        attribution = {lang: ui_strings(lang)["museum"] for lang in _LANGS}
        manifest.requiredStatement = KeyValueString(label=_language_map(attribution), value=_language_map(names))
    licence = licence_from(record.rights.uri if record.rights else None, record.rights.label if record.rights else None)
    if licence is not None:
        manifest.rights = licence.url.replace("https://", "http://", 1)  # IIIF names CC licences by http URI
    manifest.homepage = [
        {"id": root + object_path(record.id), "type": "Text", "format": "text/html", "label": _titles(record)}
    ]
    for position, item in enumerate(record.media):
        if item.kind is not MediaKind.IMAGE:
            continue
        entry = media.get(record.id, position, "large")
        width, height = (entry.width, entry.height) if entry and entry.width and entry.height else _PLACEHOLDER
        image_format = entry.content_type if entry else "image/svg+xml"
        canvas = manifest.make_canvas(id=f"{prefix}/canvas/{position}", width=width, height=height)
        canvas.add_image(
            image_url=root + media_path("large", record.id, position),
            anno_page_id=f"{prefix}/page/{position}",
            anno_id=f"{prefix}/annotation/{position}",
            format=image_format,
            width=width,
            height=height,
        )
    data: dict[str, Any] = json.loads(manifest.json())  # jsonld_dict() holds AnyUrl objects json cannot encode
    return data
