"""A light-node document's triples gathered node by node, a shared node's worked out once.

``light_triples`` reads a document in the order its JSON is written, so
that blank-node labels and the occurrence of a shared node written in full
come out as the JSON walk's.  Under the bundled Linked Art context that order
rarely matters: every class is read in one context wherever its node sits
(checked once, below), and the builder gives every node an id.  Then the
document's triples are just the union of each node's own triples (its type,
label and properties, a child standing for itself by its id), gathered here
in any order, deduplicated and sorted by the writers of ``rdf_text``.

A node ``fragments`` shares between records (a concept's Name, a Language)
is never changed, so its own triples, N-Triples lines and Turtle block are
worked out on its first visit and kept on the node (``_rdf``); a record's
node made from the same few things as in other records (an AAT type, a
concept with shared Names, see ``light.alike``) shares one such holder with
them until it is changed.  So a record's walk mostly works on what is its own.  Whatever does not fit (a node without
an id, a node under a key the context does not map to a property, a key with
a scoped context of its own, a node not embedded) raises ``NeedsExactWalk``,
and the callers fall back to ``light_triples``, byte for byte what this gives
otherwise (the specs compare the two).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from mappings.crm_out.light import LightNode, light_model
from mappings.crm_out.rdf_text import Entry, Visited, kept_forms
from mappings.crm_out.triples import literal, number, quoted, root_context

__all__ = ["Entry", "NeedsExactWalk", "Visited", "gather"]

_ID, _VOCAB = "@id", "@vocab"
_ABSOLUTE = ("http://", "https://")
_SKIP: tuple[None, None, None, None] = (None, None, None, None)


class NeedsExactWalk(Exception):
    """The document has something whose triples depend on where it is written: walk it exactly."""


class _Plan:
    """How one light class's keys read in its context, worked out key by key on first use."""

    __slots__ = ("context", "reads", "type_term")

    def __init__(self, cls: type[LightNode]) -> None:
        self.context = root_context().for_class(cls._type_name)
        self.type_term = self.context.type_term(cls._type_name)
        self.reads: dict[str, tuple[Any, Any, Any, Any]] = {"id": _SKIP, "_rdf": _SKIP}

    def read(self, cls: type[LightNode], key: str) -> tuple[Any, Any, Any, Any]:
        """(predicate, coercion, inner context, whether nodes under the key read as anywhere else)."""
        found = self.reads.get(key)
        if found is None:
            if key[0] == "_" and key != "_label":
                found = _SKIP
            else:
                name = cls._name_map.get(key, key) if cls._name_map else key
                predicate, coerce, inner = self.context.reading(name)
                # a node under a key read in another context would be read differently: None marks it
                found = (predicate, coerce, inner, inner is self.context)
            self.reads[key] = found
        return found


_PLANS: dict[type, _Plan] = {}


@cache
def _uniform() -> bool:
    """Whether every class is read in one context wherever its node sits (true of Linked Art's)."""
    kit = light_model()
    classes = {cls._type_name for cls in vars(kit).values() if isinstance(cls, type) and issubclass(cls, LightNode)}
    root = root_context()
    embedded = all(cls._embed for cls in vars(kit).values() if isinstance(cls, type) and issubclass(cls, LightNode))
    return embedded and all(root.for_class(c).for_class(d) is root.for_class(d) for c in classes for d in classes)


def _plan(cls: type[LightNode]) -> _Plan:
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = _Plan(cls)
    return plan


def _subject(node: LightNode, context: Any) -> str:
    ident: str = node.__dict__["id"]
    if not ident:
        raise NeedsExactWalk("a node without an id is a blank node, numbered in walk order")
    if ident.startswith(_ABSOLUTE):
        return f"<{ident}>"
    return f"<{context.expand(ident) or ident}>"


def gather(top: LightNode) -> list[Visited]:
    """Every node reachable from ``top`` once, with its own triples (and, for a node shared
    between records, its lines and block as ``rdf_text`` writes them).  Raises ``NeedsExactWalk``."""
    if not _uniform():
        raise NeedsExactWalk("a class is read in different contexts in different places")
    visited: list[Visited] = []
    seen = {id(top)}
    stack = [top]
    while stack:
        node = stack.pop()
        holder = node.__dict__.get("_rdf")
        if holder is None:
            entry, children = _own(node)
            visited.append((entry, None))
        else:
            kept, below, children = holder[0] if holder else _keep(node, holder)
            visited.append(kept)
            if below is not None:  # everything under it is kept too: no need to walk there
                for child, child_kept in below:
                    if id(child) not in seen:
                        seen.add(id(child))
                        visited.append(child_kept)
                continue
        for child in children:
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    return visited


def _keep(node: LightNode, holder: list[Any]) -> tuple[Visited, Any, tuple[LightNode, ...]]:
    """What a shared (or alike) node keeps: its gathered form, the same for every node below
    it (None if one below is a record's own, which ``alike`` rules out), and its children."""
    entry, children = _own(node)
    below: dict[int, tuple[LightNode, Visited]] | None = {}
    for child in children:
        child_holder = child.__dict__.get("_rdf")
        if child_holder is None or below is None:
            below = None
            continue
        child_kept, child_below, _ = child_holder[0] if child_holder else _keep(child, child_holder)
        if child_below is None:
            below = None
            continue
        below.setdefault(id(child), (child, child_kept))
        for item in child_below:
            below.setdefault(id(item[0]), item)
    kept = ((entry, kept_forms(entry)), None if below is None else tuple(below.values()), children)
    holder.append(kept)
    return kept


def _own(node: LightNode) -> tuple[Entry, tuple[LightNode, ...]]:
    cls = type(node)
    plan = _PLANS.get(cls) or _plan(cls)
    context = plan.context
    subject = _subject(node, context)
    pairs: list[tuple[str, str]] = []
    children: list[LightNode] = []
    reads = plan.reads
    for key, value in node.__dict__.items():
        read = reads.get(key) or plan.read(cls, key)
        predicate, coerce, inner, same = read
        if predicate is None:
            if read is not _SKIP and _has_node(value):
                raise NeedsExactWalk(f"{key!r} is not RDF here, yet its nodes count as written")
            continue
        if not value and key != "_label":  # an empty label is still written, and read
            continue
        for item in value if type(value) is list else (value,):
            if isinstance(item, LightNode):
                if not same:
                    raise NeedsExactWalk(f"{key!r} has a scoped context of its own")
                children.append(item)
                ident = item.__dict__["id"]
                if ident.startswith(_ABSOLUTE):
                    term = f"<{ident}>"
                else:
                    term = _subject(item, (_PLANS.get(type(item)) or _plan(type(item))).context)
            elif isinstance(item, str):
                if coerce is None:
                    term = quoted(item)
                elif coerce == _ID:
                    term = f"<{inner.expand(item) or item}>" if ":" in item else f"<{item}>"
                elif coerce == _VOCAB:
                    term = f"<{inner.expand(item) or item}>"
                else:
                    term = literal(item, datatype=coerce)
            elif isinstance(item, (bool, int, float)):
                term = number(item)
            else:
                continue
            pairs.append((predicate, term))
    return (subject, plan.type_term, tuple(pairs)), tuple(children)


def _has_node(value: Any) -> bool:
    return isinstance(value, LightNode) or (type(value) is list and any(isinstance(v, LightNode) for v in value))
