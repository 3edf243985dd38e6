"""The Linked Art JSON-LD context, read from the copy shipped in ``mappings/data``.

Documents name the context by URL, as consumers expect, but rdflib would
fetch that URL over HTTP to parse them, and fails offline.  So the output is
read back as RDF against the bundled copy, which never touches the network
and always gives the same triples.  The copy is the one cromulent ships, so
it defines exactly the property names cromulent writes.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from typing import Any, cast

from rdflib.plugins.shared.jsonld.context import Context as JsonLdContext

from mappings.data_files import data_path

__all__ = ["bundled_context", "linked_art_context", "parser_context"]


@cache
def bundled_context() -> dict[str, Any]:
    """The ``@context`` value of the bundled file, loaded once and shared: callers must not change it."""
    text = data_path("data/linked-art.json").read_text("utf-8")
    return cast("dict[str, Any]", json.loads(text)["@context"])


def linked_art_context() -> dict[str, Any]:
    """A private copy of the bundled Linked Art context (the ``@context`` value)."""
    return copy.deepcopy(bundled_context())


class _ReusableContext(JsonLdContext):
    """rdflib's JSON-LD context that remembers the scoped contexts it derives.

    Linked Art gives every class its own scoped context, and rdflib rebuilds
    it for every node of that class (about half of the parse time).  The
    derived context depends only on its parent and its source, both fixed
    here, and the parser only reads it, so one copy per (source, propagate)
    serves every record.  Threads may share it: a derived context is complete
    before it is published, and two threads deriving the same one at once
    merely build equal copies, one of which is kept.
    """

    def _subcontext(self, source: Any, propagate: bool) -> JsonLdContext:
        derived: dict[tuple[int, bool], tuple[JsonLdContext, Any]]
        derived = self.__dict__.setdefault("_derived", {})
        key = (id(source), propagate)
        found = derived.get(key)
        if found is None:
            context = super()._subcontext(source, propagate)
            context.__class__ = _ReusableContext  # its own scoped contexts are kept too
            found = derived[key] = (context, source)  # holding source keeps id() unique
        return found[0]


@cache
def parser_context() -> JsonLdContext:
    """The bundled context as rdflib's parser wants it, with scoped contexts reused."""
    return _ReusableContext(source=bundled_context())
