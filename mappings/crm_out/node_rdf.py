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
them until it is changed.  Such a holder also keeps, by subject, the
Turtle blocks and N-Triples lines of its node and of every node below it,
which ``subject_texts`` takes in two dictionary merges.  So a record's walk
mostly works on what is its own, and ``own_block`` writes such a node's block
straight from its keys: a class's keys are read once (``_Plan``), and a
node's keys, grouped by predicate in the order the block writes them, once
per shape (``_Shape``, a few dozen in all).  Whatever does not fit (a node
without an id, a node under a key the context does not map to a property, a
key with a scoped context of its own, a node not embedded) raises
``NeedsExactWalk``, and the callers fall back to ``light_triples``, byte for
byte what this gives otherwise (the specs compare the two).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from mappings.crm_out.light import LightNode, light_model
from mappings.crm_out.rdf_text import PREFIXED_IRIS, Entry, Visited, entry_lines, kept_forms, turtle_term
from mappings.crm_out.triples import literal, number, quoted, root_context

__all__ = [
    "BLOCKS",
    "LINES",
    "Entry",
    "NeedsExactWalk",
    "OwnText",
    "Visited",
    "gather",
    "own_block",
    "own_lines",
    "subject_texts",
]

_ID, _VOCAB = "@id", "@vocab"
_ABSOLUTE = ("http://", "https://")
_SKIP: tuple[None, None, None, None] = (None, None, None, None)


class NeedsExactWalk(Exception):
    """The document has something whose triples depend on where it is written: walk it exactly."""


class _Plan:
    """How one light class's keys read in its context, worked out key by key on first use."""

    __slots__ = ("context", "head", "reads", "shapes", "type_term")

    def __init__(self, cls: type[LightNode]) -> None:
        self.context = root_context().for_class(cls._type_name)
        self.type_term = self.context.type_term(cls._type_name)
        self.reads: dict[str, tuple[Any, Any, Any, Any]] = {"id": _SKIP, "_rdf": _SKIP}
        #: the start of a Turtle block's predicate list: ``a`` and the class (none without one)
        self.head = (f"a {turtle_term(self.type_term)}",) if self.type_term else ()
        self.shapes: dict[tuple[str, ...], _Shape] = {}

    def shape(self, cls: type[LightNode], keys: tuple[str, ...]) -> _Shape:
        """How a node holding ``keys`` (in this order) is written as Turtle."""
        found = self.shapes.get(keys)
        if found is None:
            found = self.shapes[keys] = _Shape(self, cls, keys)
        return found

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


class _Shape:
    """A node's keys as its Turtle block writes them: grouped by predicate, in the order the
    block sorts predicates (their N-Triples text), so a block needs no sort of its pairs.

    ``groups`` holds the predicate as Turtle, the first key read as it (key, coercion, inner
    context, whether nodes read as anywhere) and any more keys read as it (rarely any);
    ``checks`` the keys that are no RDF property here, which must then hold no node.
    """

    __slots__ = ("checks", "groups")

    def __init__(self, plan: _Plan, cls: type[LightNode], keys: tuple[str, ...]) -> None:
        by_predicate: dict[str, list[tuple[str, Any, Any, Any]]] = {}
        checks: list[str] = []
        for key in keys:
            read = plan.read(cls, key)
            predicate, coerce, inner, same = read
            if predicate is None:
                if read is not _SKIP:
                    checks.append(key)
                continue
            by_predicate.setdefault(predicate, []).append((key, coerce, inner, same))
        self.checks = tuple(checks)
        self.groups = tuple(
            (turtle_term(p), *by_predicate[p][0], tuple(by_predicate[p][1:])) for p in sorted(by_predicate)
        )


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
    found: dict[int, Any] = {id(top): None}  # None: on the stack, not yet read
    stack = [top]
    while stack:
        node = stack.pop()
        holder = node.__dict__.get("_rdf")
        if holder is None:
            entry, children = _own(node)
            found[id(node)] = (entry, None)
        else:
            kept = holder[0] if holder else _keep(node, holder)
            found[id(node)] = kept[0]
            if kept[1] is not None:  # everything under it is kept too: no need to walk there
                found.update(kept[1])
                continue
            children = kept[2]
        for child in children:
            if id(child) not in found:
                found[id(child)] = None
                stack.append(child)
    return list(found.values())


#: Which text ``subject_texts`` gives: the kept node's field, and its form's.
BLOCKS, LINES = 3, 4


def subject_texts(top: LightNode, own: Callable[[LightNode], OwnText], kind: int) -> dict[str, Any] | None:
    """Each subject's text (``BLOCKS``: its Turtle block; ``LINES``: its sorted N-Triples lines),
    a record's own node's from ``own``; None when two nodes have one subject (then their
    triples must be merged: ``gather``).  Raises ``NeedsExactWalk``.

    Everything below a node shared between records is kept too, its texts by
    subject (and the nodes by id), and is taken in two dictionary merges
    rather than walked; that two nodes share a subject shows as fewer
    subjects than nodes.
    """
    if not _uniform():
        raise NeedsExactWalk("a class is read in different contexts in different places")
    seen: dict[int, Any] = {id(top): None}
    texts: dict[str, Any] = {}
    stack = [top]
    while stack:
        node = stack.pop()
        holder = node.__dict__.get("_rdf")
        if holder is None:
            subject, text, children = own(node)
            texts[subject] = text
        else:
            kept = holder[0] if holder else _keep(node, holder)
            if kept[1] is not None:
                seen.update(kept[1])
                texts.update(kept[kind])
                continue
            texts[kept[0][0][0]] = kept[0][1][1 if kind == BLOCKS else 0]  # kept forms: (lines, block)
            children = kept[2]
        for child in children:
            if id(child) not in seen:
                seen[id(child)] = None
                stack.append(child)
    return texts if len(texts) == len(seen) else None


def _keep(node: LightNode, holder: list[Any]) -> tuple[Any, ...]:
    """What a shared (or alike) node keeps: its gathered form; the same of every node below
    it by node id (None if one below is a record's own, which ``alike`` rules out); its
    children (which keep the nodes below alive, so their ids stay theirs); and the
    Turtle blocks and N-Triples lines of it and all below it, by subject."""
    entry, children = _own(node)
    forms = kept_forms(entry)
    below: dict[int, Visited] | None = {}
    blocks = {entry[0]: forms[1]}
    lines = {entry[0]: forms[0]}
    for child in children:
        child_holder = child.__dict__.get("_rdf")
        if child_holder is None or below is None:
            below = None
            continue
        child_kept = child_holder[0] if child_holder else _keep(child, child_holder)
        if child_kept[1] is None:
            below = None
            continue
        below[id(child)] = child_kept[0]
        below.update(child_kept[1])
        blocks.update(child_kept[BLOCKS])
        lines.update(child_kept[LINES])
    kept = ((entry, forms), below, children, blocks, lines)
    holder.append(kept)
    return kept


def _own(node: LightNode) -> tuple[Entry, tuple[LightNode, ...]]:
    cls = type(node)
    plan = _PLANS.get(cls) or _plan(cls)
    subject = _subject(node, plan.context)
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
            term = _object(item, coerce, inner, same, key, children)
            if term is not None:
                pairs.append((predicate, term))
    return (subject, plan.type_term, tuple(pairs)), tuple(children)


#: A record's own node as ``subject_texts`` takes it: subject, text, children.
OwnText = tuple[str, Any, tuple[LightNode, ...]]


def own_block(node: LightNode) -> OwnText:
    """A record's own node as the Turtle block ``rdf_text`` writes of its entry, with its children.

    The same reading as ``_own``, written straight from the node's keys in
    the order of its shape (``_Shape``): no pairs to build, sort and group.
    An object is a Turtle term as it is unless it is an IRI in one of our
    namespaces or a typed literal, so only those ask ``turtle_term``.
    """
    cls = type(node)
    own = node.__dict__
    plan = _PLANS.get(cls) or _plan(cls)
    keys = tuple(own)
    shape = plan.shapes.get(keys) or plan.shape(cls, keys)
    ident: str = own["id"]
    subject = f"<{ident}>" if ident.startswith(_ABSOLUTE) else _subject(node, plan.context)
    for key in shape.checks:
        if _has_node(own[key]):
            raise NeedsExactWalk(f"{key!r} is not RDF here, yet its nodes count as written")
    parts = list(plan.head)
    children: list[LightNode] = []
    term, known = turtle_term, PREFIXED_IRIS
    for predicate, key, coerce, inner, same, more in shape.groups:
        value = own[key]
        if more or (type(value) is list and len(value) != 1):
            objects = _objects(own, ((key, coerce, inner, same), *more), children)
            if not objects:
                continue
            if len(objects) > 1:
                written = [
                    (term(o) if o.startswith(known) else o) if o[0] == "<" else (term(o) if o[-1] == ">" else o)
                    for o in sorted(set(objects))
                ]
                parts.append(predicate + " " + ", ".join(written))
                continue
            value = objects[0]
        else:
            if type(value) is list:
                value = value[0]  # a list's item is written even if empty
            elif not value and key != "_label":  # an empty label is still written, and read
                continue
            if type(value) is str and coerce is None:
                parts.append(predicate + " " + quoted(value))  # a plain literal: its own Turtle term
                continue
            child = value.__dict__.get("id", "") if isinstance(value, LightNode) and same else ""
            if child.startswith(_ABSOLUTE):  # a node with an absolute IRI, the usual child
                children.append(value)
                value = f"<{child}>"
            else:
                value = _object(value, coerce, inner, same, key, children)
                if value is None:
                    continue
        if value[0] == "<":
            parts.append(predicate + " " + (term(value) if value.startswith(known) else value))
        else:
            parts.append(predicate + " " + (term(value) if value[-1] == ">" else value))
    if not parts:
        return subject, "", tuple(children)
    head = term(subject) if subject.startswith(known) else subject
    return subject, f"\n{head}\n    " + " ;\n    ".join(parts) + " .\n", tuple(children)


def _objects(own: dict[str, Any], reads: tuple[tuple[str, Any, Any, Any], ...], children: list[LightNode]) -> list[str]:
    """The N-Triples objects of the keys read as one predicate."""
    objects: list[str] = []
    for key, coerce, inner, same in reads:
        value = own[key]
        if not value and key != "_label":
            continue
        for item in value if type(value) is list else (value,):
            child = item.__dict__.get("id", "") if same and isinstance(item, LightNode) else ""
            if child.startswith(_ABSOLUTE):  # the usual item: a node with an absolute IRI
                children.append(item)
                objects.append(f"<{child}>")
                continue
            found = _object(item, coerce, inner, same, key, children)
            if found is not None:
                objects.append(found)
    return objects


def own_lines(node: LightNode) -> OwnText:
    """A record's own node's N-Triples lines, sorted, with its subject and children."""
    entry, children = _own(node)
    return entry[0], sorted(set(entry_lines(entry))), children


def _object(item: Any, coerce: Any, inner: Any, same: Any, key: str, children: list[LightNode]) -> str | None:
    """An item under ``key`` as an N-Triples term (None: not written); a node joins ``children``."""
    if isinstance(item, LightNode):
        if not same:
            raise NeedsExactWalk(f"{key!r} has a scoped context of its own")
        children.append(item)
        ident: str = item.__dict__["id"]
        if ident.startswith(_ABSOLUTE):
            return f"<{ident}>"
        return _subject(item, (_PLANS.get(type(item)) or _plan(type(item))).context)
    if isinstance(item, str):
        if coerce is None:
            return quoted(item)
        if coerce == _ID:
            return f"<{inner.expand(item) or item}>" if ":" in item else f"<{item}>"
        if coerce == _VOCAB:
            return f"<{inner.expand(item) or item}>"
        return literal(item, datatype=coerce)
    if isinstance(item, (bool, int, float)):
        return number(item)
    return None


def _has_node(value: Any) -> bool:
    return isinstance(value, LightNode) or (type(value) is list and any(isinstance(v, LightNode) for v in value))
