"""Walking a namespace-stripped LIDO record: children by name, and their text.

Every other module of the reader looks elements up by plain local name
(``document`` strips the namespaces first) and reads their text through the
two functions here, so that line breaks, HTML that exporters leave in text and
Unicode normalisation are treated the same in every field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import TypeVar, cast

from lxml import etree

__all__ = [
    "Element",
    "URI",
    "all_paths",
    "block_text",
    "children",
    "dedupe",
    "first",
    "first_uri",
    "inline_text",
]

Element = etree._Element
_Item = TypeVar("_Item")

_HTML_BREAK = re.compile(r"<\s*br\s*/?\s*>|</\s*p\s*>", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?\s*(?:p|b|i|u|em|strong|span|sup|sub|small)(?:\s[^<>]{0,80})?>", re.I)
#: A value that names something by URI rather than by label.
URI = re.compile(r"^(?:https?://\S+|urn:\S+|info:\S+)$", re.IGNORECASE)


def _raw_text(el: Element) -> str:
    # A leaf's text is its .text (comments and PIs are dropped by the parser; an unexpanded
    # entity is a child, so takes the general path): no iterator for most elements.
    # lxml-stubs type itertext as str | bytes; lxml gives str for parsed documents.
    text = (el.text or "") if len(el) == 0 else "".join(cast("Iterator[str]", el.itertext()))
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _without_html(text: str, separator: str) -> str:
    # The HTML patterns all start with "<": most values have none, and skip both regexes.
    if "<" not in text:
        return text
    return _HTML_TAG.sub("", _HTML_BREAK.sub(separator, text))


def inline_text(el: Element | None) -> str:
    """Element text on one line: line breaks and HTML breaks folded to single spaces."""
    if el is None:
        return ""
    return " ".join(_without_html(_raw_text(el), " ").split())


def block_text(el: Element | None) -> str:
    """Element text keeping its line structure (descriptions, measurements, inscriptions)."""
    if el is None:
        return ""
    text = _without_html(_raw_text(el), "\n")
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def children(el: Element | None, name: str) -> list[Element]:
    """The direct children called ``name``."""
    if el is None:
        return []
    return [c for c in el if c.tag == name]


def all_paths(el: Element | None, *names: str) -> list[Element]:
    """Every element reached by following ``names`` child by child (all branches)."""
    current = [] if el is None else [el]
    for name in names:
        current = [c for parent in current for c in parent if c.tag == name]
    return current


def first(el: Element | None, *names: str) -> Element | None:
    """The first element ``all_paths`` would give, or None."""
    found = all_paths(el, *names)
    return found[0] if found else None


def first_uri(values: Iterable[str]) -> str | None:
    """The first value that is a URI (http(s), urn: or info:)."""
    for value in values:
        if URI.match(value):
            return value
    return None


def dedupe(items: Iterable[_Item]) -> list[_Item]:
    """The items in their first order, each once (equality, not identity)."""
    out: list[_Item] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out
