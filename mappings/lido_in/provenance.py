"""Where each value of a core record came from, as paths into the LIDO record.

The subject modules note the elements they read (``ConceptReader.source``);
this turns them into XPath-like paths relative to the record's ``lido``
element, with positions where an element repeats
(``descriptiveMetadata/eventWrap/eventSet[2]/event``), so a museum can find
the very element behind a value.

The paths are stored with every record, so they are kept compact: LIDO's
namespace is implied (as a default namespace would be; the few elements of
other namespaces LIDO embeds keep ``gml:`` / ``skos:``), and when a field
was read from every one of a run of siblings (all three ``appellationValue``
of a ``titleSet``) one path without a position names them all.  Paths come
from lxml's own ``getpath`` (a few microseconds each).
"""

from __future__ import annotations

import re
from functools import lru_cache

from mappings.lido_in.concepts import Sources
from mappings.lido_in.elements import Element

__all__ = ["source_paths"]

#: Elements of other namespaces LIDO embeds (namespaces are stripped before reading).
_PREFIXES = {"Point": "gml:", "pos": "gml:", "coordinates": "gml:", "Concept": "skos:", "prefLabel": "skos:"}
_LAST_POSITION = re.compile(r"\[\d+\]$")


def _prefixed(segment: str) -> str:
    prefix = _PREFIXES.get(segment.split("[", 1)[0])
    return prefix + segment if prefix else segment


@lru_cache(maxsize=16384)
def _shown(relative: str) -> str:
    """A path relative to the lido element as recorded; cached, as every record of a fund repeats them."""
    return "/".join(_prefixed(s) for s in relative.split("/")) if relative else "."


def _all_siblings(elements: list[Element]) -> bool:
    """Whether these elements are all the children of that name of one parent."""
    tag = elements[0].tag
    parent = elements[0].getparent()
    if parent is None or any(el.getparent() is not parent or el.tag != tag for el in elements):
        return False
    # iterchildren(tag) filters inside lxml: only the children of that name reach Python.
    return len(set(map(id, elements))) == sum(1 for _ in parent.iterchildren(tag))


def source_paths(lido: Element, sources: Sources) -> dict[str, list[str]]:
    """``sources`` as field path -> distinct element paths, in the order they were read."""
    tree = lido.getroottree()
    base = len(tree.getpath(lido)) + 1
    made: dict[int, str] = {}
    out: dict[str, list[str]] = {}
    for field_path, elements in sources.items():
        paths: list[str] = []
        for el in elements:
            key = id(el)
            path = made.get(key)
            if path is None:
                path = made[key] = _shown(tree.getpath(el)[base:])
            if path not in paths:
                paths.append(path)
        if len(paths) > 1 and _all_siblings(elements):
            paths = [_LAST_POSITION.sub("", paths[0])]
        if paths:
            out[field_path] = paths
    return out
