"""Writing LIDO elements: names, attributes, text XML can hold, concepts and appellations.

Every other module of the writer makes its elements through these, so that
characters XML 1.0 cannot carry are dropped, language tags that are not
valid ``xs:language`` are left out (the text survives), and a concept is
always written in the order ``conceptElementsSet`` demands.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Final

from lxml import etree

from mappings.core import Term
from mappings.xml_safety import NOT_XML_CHAR, XS_LANGUAGE

__all__ = [
    "GML_NS",
    "LIDO_NS",
    "LOCAL_ID",
    "SUBSTITUTE_MARK",
    "TERMINOLOGY",
    "URI_ID",
    "appellation",
    "clean",
    "concepts",
    "el",
    "fill_concept",
    "has_content",
    "id_type",
    "legal_body",
    "lido",
    "number",
    "valid_lang",
]

LIDO_NS: Final = "http://www.lido-schema.org"
GML_NS: Final = "http://www.opengis.net/gml"
XML_NS: Final = "http://www.w3.org/XML/1998/namespace"
TERMINOLOGY: Final = "http://terminology.lido-schema.org/"
#: Marks values we had to invent to satisfy a required element.
SUBSTITUTE_MARK: Final = "emuseum:substitute"
# LIDO Terminology identifier types (lido00099 URI, lido00100 local identifier).
URI_ID: Final = TERMINOLOGY + "lido00099"
LOCAL_ID: Final = TERMINOLOGY + "lido00100"
#: lido:source of the national vocabulary's concept ids (mappings/vocabulary/*.yaml).
_VOCABULARY_SOURCE: Final = "emuseum national vocabulary"
_URI_SCHEME: Final = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:\S")
_LANG: Final = f"{{{XML_NS}}}lang"


def lido(name: str) -> str:
    return f"{{{LIDO_NS}}}{name}"


def clean(text: str) -> str:
    """The text without characters XML 1.0 cannot hold at all."""
    return NOT_XML_CHAR.sub("", text)


def valid_lang(lang: str | None) -> str | None:
    if lang is not None and XS_LANGUAGE.fullmatch(lang):
        return lang
    return None


def id_type(value: str) -> str:
    """URI-shaped identifiers are typed as URIs, everything else as local ids."""
    return URI_ID if _URI_SCHEME.match(value) else LOCAL_ID


def el(
    parent: etree._Element,
    name: str,
    text: str | None = None,
    *,
    lang: str | None = None,
    **lido_attrs: str | None,
) -> etree._Element:
    element = etree.SubElement(parent, lido(name))
    for attr, value in lido_attrs.items():
        if value is not None:
            element.set(lido(attr), clean(value))
    tag = valid_lang(lang)
    if tag is not None:
        element.set(_LANG, tag)
    if text is not None:
        element.text = clean(text)
    return element


def has_content(term: Term) -> bool:
    return bool(term.uri) or bool(term.labels)


def fill_concept(element: etree._Element, term: Term) -> etree._Element:
    """conceptIDs then lido:terms: the order conceptElementsSet demands.

    A reconciled term carries its concept URIs (Getty AAT first, then Wikidata
    and the museum's own), the national vocabulary's concept id, the concept's
    label per language, and the museum's own words as alternate terms.
    """
    for uri in dict.fromkeys([u for u in (term.uri, *term.same_as) if u]):
        el(element, "conceptID", uri, type=id_type(uri), pref="preferred" if uri == term.uri else "alternate")
    if term.concept and not term.concept.startswith("local:"):
        el(element, "conceptID", term.concept, type=LOCAL_ID, source=_VOCABULARY_SOURCE)
    for lang, label in term.labels.items():
        el(element, "term", label, lang=lang)
    for lang, label in term.source_labels.items():
        if term.labels.get(lang, "").casefold() != label.casefold():
            el(element, "term", label, lang=lang, pref="alternate")
    return element


def concepts(parent: etree._Element, name: str, terms: Iterable[Term], **lido_attrs: str | None) -> None:
    for term in terms:
        if has_content(term):
            fill_concept(el(parent, name, **lido_attrs), term)


def appellation(parent: etree._Element, name: str, value: str, **lido_attrs: str | None) -> etree._Element:
    element = el(parent, name, **lido_attrs)
    el(element, "appellationValue", value)
    return element


def legal_body(parent: etree._Element, name: str, body_name: str) -> etree._Element:
    element = el(parent, name)
    appellation(element, "legalBodyName", body_name)
    return element


def number(value: float) -> str:
    """Plain decimal notation (``0.00012``, never ``1.2e-04``): measurement readers
    expect digits, and the shortest repr digits give the same float back."""
    if not math.isfinite(value):
        return repr(value)
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)), "f")
