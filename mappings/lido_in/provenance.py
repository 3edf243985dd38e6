"""Where each value of a core record came from, as paths into the LIDO record.

The subject modules note the elements they read (``ConceptReader.source``);
this turns them into XPath-like paths relative to the record's ``lido``
element, with positions where an element repeats
(``lido:descriptiveMetadata/lido:eventWrap/lido:eventSet[2]/lido:event``),
so a museum can find the very element behind a value.  Paths are made once
per record, from lxml's own ``getpath`` (a few microseconds each).
"""

from __future__ import annotations

from mappings.lido_in.concepts import Sources
from mappings.lido_in.elements import Element

__all__ = ["source_paths"]

#: Elements of other namespaces LIDO embeds (namespaces are stripped before reading).
_PREFIXES = {"Point": "gml:", "pos": "gml:", "coordinates": "gml:", "Concept": "skos:", "prefLabel": "skos:"}


def _prefixed(segment: str) -> str:
    name = segment.split("[", 1)[0]
    return _PREFIXES.get(name, "lido:") + segment


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
                relative = tree.getpath(el)[base:]
                path = "/".join(_prefixed(s) for s in relative.split("/")) if relative else "lido:lido"
                made[key] = path
            if path not in paths:
                paths.append(path)
        if paths:
            out[field_path] = paths
    return out
