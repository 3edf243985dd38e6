"""The triples of a light-node document, read without writing its JSON first.

``to_ntriples`` and ``to_turtle`` used to write the Linked Art document as
JSON and read it back with the compiled context of ``triples``; here the
light nodes of ``light`` are read directly, in the order (and with the rule
for which occurrence of a shared node is written in full) of ``light``'s
serialiser, each property read in the context its JSON key would be read
in.  So the triples, and the labels of any blank node, are the ones the JSON
walk gives; the tests check them against rdflib's reading of the JSON
(isomorphic graphs) over real, generated and hand-made records.

How each key reads in each context (predicate, coercion, inner context) is
worked out once and kept on the compiled context, so the walk itself only
looks things up.
"""

from __future__ import annotations

import itertools
from typing import Any

from mappings.crm_out.light import LightNode, claim_children, key_order, light_model, written_in_full
from mappings.crm_out.triples import RDF_TYPE, Triple, literal, number, quoted, root_context

__all__ = ["node_triples"]

_ID, _VOCAB = "@id", "@vocab"
_ABSOLUTE = ("http://", "https://")


def node_triples(top: LightNode) -> list[Triple]:
    """The triples of the document whose top node is ``top``, as N-Triples terms."""
    walk = _Walk(light_model().key_order)
    walk.node(top, walk.done, top, root_context())
    return walk.triples


class _Walk:
    __slots__ = ("blank", "done", "order", "triples")

    def __init__(self, order: dict[str, int]) -> None:
        self.triples: list[Triple] = []
        self.blank = itertools.count()
        self.done: dict[int, int] = {}
        self.order = order

    def node(self, node: LightNode, done: dict[int, int], top: LightNode, outer: Any) -> str:
        own = node.__dict__
        context = outer.for_class(node._type_name)
        ident = own["id"]
        if not ident:
            subject = f"_:b{next(self.blank)}"
        elif ident.startswith(_ABSOLUTE):
            subject = f"<{ident}>"  # what expand gives an absolute http(s) IRI
        else:
            subject = f"<{context.expand(ident) or ident}>"
        triples = self.triples
        type_term = context.type_term(node._type_name)
        if type_term:
            triples.append((subject, RDF_TYPE, type_term))
        if "_label" in own:
            self.value(subject, "_label", own["_label"], context, done, top, 0)
        me = id(node)
        if me in done or (node is not top and not node._embed):
            return subject
        done[me] = 1
        ordered = key_order(own, self.order)
        claim_children(own, ordered, done, me)
        name_map = node._name_map
        for key in ordered:
            value = own[key]
            if not value or key == "_label":
                continue
            self.value(subject, name_map.get(key, key) if name_map else key, value, context, done, top, me)
        return subject

    def value(
        self, subject: str, key: str, value: Any, context: Any, done: dict[int, int], top: LightNode, me: int
    ) -> None:
        predicate, coerce, inner = context.reading(key)
        items = value if type(value) is list else (value,)
        if predicate is None:  # not RDF: its nodes are still written (and so count as written), unread
            for item in items:
                if isinstance(item, LightNode):
                    if done.get(id(item)) == me and me:
                        del done[id(item)]
                    written_in_full(item, done, top)
            return
        unique: set[int] = set()
        for item in items:
            if id(item) in unique:
                continue
            unique.add(id(item))
            if isinstance(item, LightNode):
                if done.get(id(item)) == me and me:
                    del done[id(item)]
                term: str | None = self.node(item, done, top, inner)
            elif isinstance(item, str):
                if coerce == _ID:
                    term = f"<{inner.expand(item) or item}>" if ":" in item else f"<{item}>"
                elif coerce == _VOCAB:
                    term = f"<{inner.expand(item) or item}>"
                elif coerce:
                    term = literal(item, datatype=coerce)
                else:
                    term = quoted(item)
            elif isinstance(item, (bool, int, float)):
                term = number(item)
            else:
                term = None
            if term is not None and predicate is not None:
                self.triples.append((subject, predicate, term))
