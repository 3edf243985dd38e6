"""Walking a LIDO record as parsed: children by local name, attributes, and their text.

Exports arrive in the LIDO namespace, without it, or (rarely) with a few
elements of other namespaces mixed in, and every one of them is read by local
name.  The tree is not rewritten to local names first (renaming every element
cost more than reading the record): children are found by ``{*}name``, which
lxml matches inside the library for any namespace or none, and an attribute is
read by local name with the namespaced spelling winning, as the schema defines
that one (``lido:type`` over a bare ``type``, ``xml:lang`` as ``lang``).

Every other module of the reader looks elements up and reads their text
through the functions here, so that line breaks, HTML that exporters leave in
text and Unicode normalisation are treated the same in every field.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar, cast

from lxml import etree

__all__ = [
    "Element",
    "URI",
    "all_paths",
    "attr",
    "block_text",
    "children",
    "dedupe",
    "first",
    "first_uri",
    "inline_text",
    "local",
    "reading",
    "wildcard",
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


#: Qualified tag -> local name; a fund repeats the same few hundred tags.
_LOCAL: dict[str, str] = {}
#: Local name -> lxml's "any namespace or none" tag selector.
_WILDCARD: dict[str, str] = {}


def local(tag: object) -> str:
    """The tag's local name (``{ns}name`` -> ``name``); '' for comments, PIs and entities."""
    if not isinstance(tag, str):
        return ""
    name = _LOCAL.get(tag)
    if name is None:
        name = tag[tag.index("}") + 1 :] if tag[:1] == "{" else tag
        if len(_LOCAL) < 65536:
            _LOCAL[tag] = name
    return name


def wildcard(name: str) -> str:
    """``{*}name``: the selector lxml matches against ``name`` in any namespace or none."""
    selector = _WILDCARD.get(name)
    if selector is None:
        selector = _WILDCARD[name] = "{*}" + name
    return selector


def attr(el: Element, name: str) -> str | None:
    """The attribute called ``name`` in any namespace; a namespaced one wins over a bare one.

    (Of two namespaced ones the last in document order wins: what renaming
    them all to local names, as the reader once did, left behind.)
    """
    # lxml-stubs type attribute names as str | bytes; parsed documents give str.
    keys = cast("list[str]", el.keys())
    if not keys:
        return None
    if len(keys) == 1:  # most LIDO elements carry one attribute, if any
        return el.get(keys[0]) if local(keys[0]) == name else None
    chosen = None
    for key in keys:
        if key[0] == "{":
            if local(key) == name:
                chosen = key
        elif chosen is None and key == name:
            chosen = key
    return None if chosen is None else el.get(chosen)


_NONE: tuple[Element, ...] = ()
_reading = threading.local()


@contextmanager
def reading() -> Iterator[None]:
    """While one record is read, each element's children are sorted by local name once.

    The reader asks an element for several names in turn (an event for its
    type, name, actors, dates, places, ...): one pass over its children, kept
    for the record, answers them all.  Outside this block every lookup walks
    the children again.  Per thread, as records are mapped in several.
    """
    previous = getattr(_reading, "buckets", None)
    _reading.buckets = {}
    try:
        yield
    finally:
        _reading.buckets = previous


def _named(el: Element) -> dict[str, list[Element]]:
    """The element's element children by local name, in document order."""
    named: dict[str, list[Element]] = {}
    known = _LOCAL
    for child in el:
        tag = child.tag
        if isinstance(tag, str):
            name = known.get(tag) or local(tag)
            found = named.get(name)
            if found is None:
                named[name] = [child]
            else:
                found.append(child)
    return named


def _children(el: Element, name: str) -> Sequence[Element]:
    buckets: dict[Element, dict[str, list[Element]]] | None = getattr(_reading, "buckets", None)
    if buckets is None:
        return list(el.iterchildren(wildcard(name)))
    named = buckets.get(el)
    if named is None:
        named = buckets[el] = _named(el)
    return named.get(name, _NONE)


def children(el: Element | None, name: str) -> list[Element]:
    """The direct children called ``name`` (any namespace or none)."""
    if el is None:
        return []
    return list(_children(el, name))


def all_paths(el: Element | None, *names: str) -> list[Element]:
    """Every element reached by following ``names`` child by child (all branches)."""
    if el is None:
        return []
    buckets: dict[Element, dict[str, list[Element]]] | None = getattr(_reading, "buckets", None)
    if buckets is None:
        current = [el]
        for name in names:
            selector = wildcard(name)
            current = [c for parent in current for c in parent.iterchildren(selector)]
        return current
    found: Sequence[Element] = (el,)
    for name in names:
        step: list[Element] = []
        for parent in found:
            named = buckets.get(parent)
            if named is None:
                named = buckets[parent] = _named(parent)
            step += named.get(name, _NONE)
        found = step
    return list(found)


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
