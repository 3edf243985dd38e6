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
of a ``titleSet``) one path without a position names them all.  Paths are
built here, step by step up to the ``lido`` element (each ancestor once per
record): lxml's ``getpath`` would spell a namespaced step ``*[3]``.  A step
is the local name with the position among the siblings of that local name,
given only when there are several, as XPath abbreviates it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from mappings.lido_in.concepts import Sources
from mappings.lido_in.elements import Element, children, local

__all__ = ["source_paths"]

#: Elements of other namespaces LIDO embeds (paths are written by local name).
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
    name = local(elements[0].tag)
    parent = elements[0].getparent()
    if parent is None or any(el.getparent() is not parent or local(el.tag) != name for el in elements):
        return False
    return len(set(map(id, elements))) == len(children(parent, name))


def _relative(el: Element, lido: Element, made: dict[Element, str]) -> str:
    """The path of ``el`` below ``lido`` ('' for lido itself); ``made`` keeps every step's."""
    found = made.get(el)
    if found is not None:
        return found
    parent = el.getparent()
    if el is lido or parent is None:
        made[el] = ""
        return ""
    name = local(el.tag)
    same = children(parent, name)
    step = name if len(same) == 1 else f"{name}[{same.index(el) + 1}]"
    above = _relative(parent, lido, made)
    path = made[el] = f"{above}/{step}" if above else step
    return path


def source_paths(lido: Element, sources: Sources) -> dict[str, list[str]]:
    """``sources`` as field path -> distinct element paths, in the order they were read."""
    made: dict[Element, str] = {}
    out: dict[str, list[str]] = {}
    for field_path, elements in sources.items():
        paths: list[str] = []
        for el in elements:
            path = _shown(_relative(el, lido, made))
            if path not in paths:
                paths.append(path)
        if len(paths) > 1 and _all_siblings(elements):
            paths = [_LAST_POSITION.sub("", paths[0])]
        if paths:
            out[field_path] = paths
    return out
