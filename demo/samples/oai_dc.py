"""Sample objects as simple Dublin Core: what a museum without a LIDO export offers."""

from __future__ import annotations

from typing import Final

from lxml import etree

from demo.samples.labels import LANGS
from demo.samples.objects import SampleObject

__all__ = ["DC_NS", "OAI_DC_NS", "to_oai_dc"]

_XML_LANG: Final = "{http://www.w3.org/XML/1998/namespace}lang"
_XSI_NS: Final = "http://www.w3.org/2001/XMLSchema-instance"

OAI_DC_NS: Final = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS: Final = "http://purl.org/dc/elements/1.1/"
_OAI_DC_SCHEMA_LOCATION: Final = f"{OAI_DC_NS} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"


def to_oai_dc(obj: SampleObject) -> bytes:
    """One ``oai_dc:dc`` element: what a museum without LIDO export offers.

    Simple Dublin Core flattens the record, as real oai_dc feeds do: materials
    and dimensions both land in dc:format, the inventory number and the image
    URL both in dc:identifier, the place in dc:coverage.
    """
    root = etree.Element(
        f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": _XSI_NS}
    )
    root.set(f"{{{_XSI_NS}}}schemaLocation", _OAI_DC_SCHEMA_LOCATION)

    def dc(name: str, text: str, lang: str | None = None) -> None:
        element = etree.SubElement(root, f"{{{DC_NS}}}{name}")
        element.text = text
        if lang:
            element.set(_XML_LANG, lang)

    for lang in LANGS:
        if lang in obj.titles:
            dc("title", obj.titles[lang], lang)
    if obj.creator:
        dc("creator", obj.creator)
    for subject in obj.subjects:
        for lang in LANGS:
            dc("subject", subject[lang], lang)
    for lang in LANGS:
        if lang in obj.description:
            dc("description", obj.description[lang], lang)
    dc("date", obj.date_display)
    for lang in LANGS:
        if lang in obj.object_type:
            dc("type", obj.object_type[lang], lang)
    dc("type", "PhysicalObject")
    for lang in LANGS:
        names = [m[lang] for m in obj.materials if lang in m]
        if names:
            dc("format", ", ".join(names), lang)
    dc("format", obj.dimensions)
    dc("identifier", obj.inventory_number)
    if obj.image_url:
        dc("identifier", obj.image_url)
    for url in (obj.model_url, obj.tour_url):
        if url:
            dc("relation", url)
    labels = obj.place_labels or {"kk": obj.place}
    for lang in LANGS:
        if lang in labels:
            dc("coverage", labels[lang], lang)
    dc("rights", obj.rights)
    return etree.tostring(root, encoding="UTF-8", xml_declaration=False)
