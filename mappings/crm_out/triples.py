"""A Linked Art document read as RDF triples without building an rdflib graph.

rdflib's JSON-LD parser plus its serialisers cost ~60 ms a record, far more
than building the document itself; a bulk dump of a museum's fund (tens of
thousands of records) cannot afford that.  Our documents use one fixed
context (the bundled Linked Art one) and only plain JSON shapes (nodes,
``@set`` arrays, strings, numbers), so this module reads them with that
context compiled once into dictionaries.

It reads the document the way rdflib's parser does, including its handling of
type-scoped contexts (the first type that has one; not propagated into
nested nodes) and property-scoped contexts (propagated), so that the graph
is *isomorphic* to rdflib's; tests check that for every real LIDO record
and for generated ones.  Literal lexical forms follow rdflib too (it
normalises xsd:dateTime, e.g. ``Z`` becomes ``+00:00``), computed once per
distinct value.

Terms come out already written as N-Triples terms (``<iri>``,
``"text"@lang``, ``"v"^^<datatype>``), which ``rdf_text`` writes as
N-Triples or Turtle.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Final

import rdflib

from mappings.crm_out.context import bundled_context
from mappings.crm_out.literals import quiet_bce_literal_warnings

__all__ = ["RDF_TYPE", "Triple", "document_triples", "literal", "number", "quoted", "root_context"]

#: One triple as N-Triples terms: subject, predicate, object.
Triple = tuple[str, str, str]

RDF_TYPE: Final[str] = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_XSD: Final[str] = "http://www.w3.org/2001/XMLSchema#"
_ID, _TYPE, _VOCAB, _VALUE, _LANGUAGE, _CONTEXT = "@id", "@type", "@vocab", "@value", "@language", "@context"


@dataclass(frozen=True, slots=True)
class _Definition:
    """One term of a context: its IRI, how its string values are read, its own scoped context."""

    iri: str | None
    coerce: str | None  # "@id", "@vocab", a datatype IRI, or None for plain literals
    scoped: Any  # the term's own "@context" source, or None


class _Context:
    """A compiled JSON-LD context; derived (scoped) contexts are made once and kept.

    Threads may share it: a derived context is complete before it is stored,
    and two threads deriving the same one merely build equal copies.
    """

    __slots__ = ("_derived", "_reads", "_typed", "id_keys", "parent", "propagate", "terms", "type_keys")

    def __init__(self, terms: dict[str, _Definition], parent: _Context | None, propagate: bool) -> None:
        self.terms = terms
        self.parent = parent
        self.propagate = propagate
        self.id_keys = frozenset(k for k, d in terms.items() if d.iri == _ID) | {_ID}
        self.type_keys = frozenset(k for k, d in terms.items() if d.iri == _TYPE) | {_TYPE}
        self._derived: dict[tuple[int, bool], tuple[_Context, Any]] = {}
        self._reads: dict[str, tuple[str | None, str | None, _Context]] = {}
        self._typed: dict[str, _Context] = {}

    def reading(self, key: str) -> tuple[str | None, str | None, _Context]:
        """How a property is read here: its predicate as an N-Triples IRI (None: not RDF), coercion, inner context."""
        found = self._reads.get(key)
        if found is None:
            definition = self.terms.get(key)
            predicate = definition.iri if definition is not None else self.expand(key)
            inner = self
            if definition is not None and definition.scoped:
                inner = self.derive(definition.scoped, propagate=True)
            coerce = definition.coerce if definition is not None else None
            usable = f"<{predicate}>" if predicate and not predicate.startswith("@") else None
            found = self._reads[key] = (usable, coerce, inner)
        return found

    def type_term(self, name: str) -> str | None:
        """A type name as the N-Triples IRI of its class here (None: undefined), remembered."""
        key = "\0type " + name
        found = self._reads.get(key)
        if found is None:
            iri = self.expand(name)
            found = self._reads[key] = (f"<{iri}>" if iri else None, None, self)
        return found[0]

    def for_class(self, name: str) -> _Context:
        """``for_type`` of a node with one type, remembered."""
        found = self._typed.get(name)
        if found is None:
            found = self._typed[name] = self.for_type([name])
        return found

    def derive(self, source: Mapping[str, Any], propagate: bool) -> _Context:
        key = (id(source), propagate)
        found = self._derived.get(key)
        if found is None:
            terms = dict(self.terms)
            _load(terms, source)
            found = self._derived[key] = (_Context(terms, self, propagate), source)  # source keeps id() unique
        return found[0]

    def for_type(self, types: list[str]) -> _Context:
        """The context a node of these types is read in (rdflib: the first type with a scoped context)."""
        for name in types:
            definition = self.terms.get(name)
            if definition is not None:
                if definition.scoped:
                    base = self.parent if not self.propagate and self.parent is not None else self
                    return base.derive(definition.scoped, propagate=False)
                break
        return self.parent if not self.propagate and self.parent is not None else self

    def expand(self, value: str) -> str | None:
        """A term or compact IRI as an absolute IRI (None for an undefined bare word)."""
        definition = self.terms.get(value)
        if definition is not None:
            return definition.iri
        prefix, colon, rest = value.partition(":")
        if not colon:
            return None
        if rest.startswith("//"):
            return value
        found = self.terms.get(prefix)
        return found.iri + rest if found is not None and found.iri else value


def _expand_with(terms: dict[str, _Definition], value: str) -> str:
    if value.startswith("@"):
        return value
    prefix, colon, rest = value.partition(":")
    if colon and not rest.startswith("//"):
        found = terms.get(prefix)
        if found is not None and found.iri:
            return found.iri + rest
    found = terms.get(value)
    return found.iri if found is not None and found.iri else value


def _load(terms: dict[str, _Definition], source: Mapping[str, Any]) -> None:
    for key, value in source.items():
        if key.startswith("@"):
            continue
        if isinstance(value, str):
            terms[key] = _Definition(_expand_with(terms, value), None, None)
        elif isinstance(value, dict):
            iri = value.get(_ID)
            coerce = value.get(_TYPE)
            terms[key] = _Definition(
                _expand_with(terms, iri) if isinstance(iri, str) else None,
                _expand_with(terms, coerce) if isinstance(coerce, str) else None,
                value.get(_CONTEXT),
            )


@cache
def root_context() -> _Context:
    """The bundled Linked Art context, compiled (shared: derived contexts are kept in it)."""
    terms: dict[str, _Definition] = {}
    _load(terms, bundled_context())
    return _Context(terms, None, True)


def quoted(text: str) -> str:
    """A string as an N-Triples/Turtle quoted string, escaped as rdflib escapes it."""
    return '"' + text.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r") + '"'


@lru_cache(maxsize=4096)
def _lexical(value: str, datatype: str) -> str:
    # rdflib normalises some lexical forms (xsd:dateTime "Z" -> "+00:00"); ask it once per value.
    quiet_bce_literal_warnings()
    return str(rdflib.Literal(value, datatype=datatype))


def literal(value: str, *, datatype: str | None = None, language: str | None = None) -> str:
    """A literal as an N-Triples term, with rdflib's lexical form for typed values."""
    if language:
        return f"{quoted(value)}@{language}"
    if datatype:
        return f"{quoted(_lexical(value, datatype))}^^<{datatype}>"
    return quoted(value)


def number(value: bool | int | float) -> str:
    if isinstance(value, bool):
        return f'"{"true" if value else "false"}"^^<{_XSD}boolean>'
    if isinstance(value, int):
        return f'"{value}"^^<{_XSD}integer>'
    return f"{quoted(str(rdflib.Literal(value, datatype=_XSD + 'double')))}^^<{_XSD}double>"


class _Reader:
    """One document's walk: the triples, and blank-node labels for nodes without an id."""

    __slots__ = ("blank", "triples")

    def __init__(self) -> None:
        self.triples: list[Triple] = []
        self.blank = itertools.count()

    def node(self, node: Mapping[str, Any], context: _Context) -> str:
        types = next((node[key] for key in context.type_keys if key in node), None)
        type_list = types if isinstance(types, list) else [types] if isinstance(types, str) else []
        context = context.for_type(type_list)
        id_value = next((node[key] for key in context.id_keys if key in node), None)
        subject = f"<{context.expand(id_value) or id_value}>" if isinstance(id_value, str) else self._blank()
        for key, value in node.items():
            if key == _CONTEXT or key in context.id_keys:
                continue
            if key in context.type_keys:
                for name in value if isinstance(value, list) else [value]:
                    iri = context.expand(name) if isinstance(name, str) else None
                    if iri:
                        self.triples.append((subject, RDF_TYPE, f"<{iri}>"))
                continue
            self.property(subject, key, value, context)
        return subject

    def _blank(self) -> str:
        return f"_:b{next(self.blank)}"

    def property(self, subject: str, key: str, value: Any, context: _Context) -> None:
        definition = context.terms.get(key)
        predicate = definition.iri if definition is not None else context.expand(key)
        if not predicate or predicate.startswith("@"):
            return
        inner = context
        if definition is not None and definition.scoped:
            inner = context.derive(definition.scoped, propagate=True)
        coerce = definition.coerce if definition is not None else None
        for item in value if isinstance(value, list) else [value]:
            term = self.value(item, coerce, inner)
            if term is not None:
                self.triples.append((subject, f"<{predicate}>", term))

    def value(self, item: Any, coerce: str | None, context: _Context) -> str | None:
        if item is None:
            return None
        if isinstance(item, dict):
            if _VALUE in item:
                raw = item[_VALUE]
                if raw is None:
                    return None
                if not isinstance(raw, str):
                    return number(raw)
                datatype = item.get(_TYPE)
                return literal(
                    raw,
                    datatype=context.expand(datatype) if isinstance(datatype, str) else None,
                    language=item.get(_LANGUAGE),
                )
            return self.node(item, context)
        if isinstance(item, str):
            if coerce == _ID:
                return f"<{context.expand(item) or item}>" if ":" in item else f"<{item}>"
            if coerce == _VOCAB:
                return f"<{context.expand(item) or item}>"
            if coerce:
                return literal(item, datatype=coerce)
            return quoted(item)
        if isinstance(item, (bool, int, float)):
            return number(item)
        return None


def document_triples(document: Mapping[str, Any]) -> Iterator[Triple]:
    """The triples of a Linked Art document (its ``@context`` is taken to be the bundled one)."""
    reader = _Reader()
    reader.node(document, root_context())
    return iter(reader.triples)
