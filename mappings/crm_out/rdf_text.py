"""N-Triples and Turtle text written straight from triples, without rdflib.

rdflib's serialisers walk a graph it first has to build; for one record's
hundred-odd triples that overhead dwarfs the writing.  Here the triples
(already N-Triples terms, from ``triples``) are deduplicated and written:

* N-Triples: one line per triple, lines sorted, so the same record always
  gives byte-identical text (what rdflib's writer gave, sorted).
* Turtle: the crm/la/dig/rdfs/xsd/aat prefixes, then one block per subject
  (sorted), predicates and objects sorted, IRIs abbreviated with a prefix
  wherever the local part is a safe prefixed name.

``ntriples_text`` and ``turtle_text`` take any triples; ``nodes_ntriples``
and ``nodes_turtle`` take a light document's nodes as ``node_rdf`` gathers
them, one entry a node, and write the same text without regrouping: a
node's lines or block (kept on a node shared between records) are written
as they are unless another node has the same subject.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from mappings.crm_out.namespaces import PREFIXES
from mappings.crm_out.triples import RDF_TYPE, Triple

__all__ = [
    "PREFIXED_IRIS",
    "PREFIX_LINES",
    "Entry",
    "Visited",
    "entry_lines",
    "kept_forms",
    "merged_block",
    "nodes_ntriples",
    "nodes_turtle",
    "ntriples_text",
    "turtle_term",
    "turtle_text",
]

#: One node's own triples: subject, type (None: none), (predicate, object) pairs, as N-Triples terms.
Entry = tuple[str, "str | None", tuple[tuple[str, str], ...]]
#: A gathered node: its entry and, for a node shared between records, ``kept_forms(entry)``.
Visited = tuple[Entry, "tuple[Any, ...] | None"]

PREFIX_LINES = "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in PREFIXES.items())
#: Namespaces longest first, so the most specific prefix wins.
_NAMESPACES = sorted(((ns, prefix) for prefix, ns in PREFIXES.items()), key=lambda item: -len(item[0]))
#: How an N-Triples IRI that ``turtle_term`` may abbreviate starts (any other is written as it is).
PREFIXED_IRIS = tuple(f"<{namespace}" for namespace, _ in _NAMESPACES)
#: A local name Turtle reads back unchanged without escapes (a subset of PN_LOCAL).
_SAFE_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


def ntriples_text(triples: Iterable[Triple]) -> str:
    """Sorted, deduplicated N-Triples lines ('' for no triples)."""
    lines = sorted({f"{s} {p} {o} ." for s, p, o in triples})
    return "\n".join(lines) + "\n" if lines else ""


@lru_cache(maxsize=8192)
def turtle_term(term: str) -> str:
    """An N-Triples term as Turtle: IRIs (and literal datatypes) abbreviated when safe."""
    if term.startswith("<"):
        iri = term[1:-1]
        for namespace, prefix in _NAMESPACES:
            if iri.startswith(namespace) and _SAFE_LOCAL.fullmatch(iri[len(namespace) :]):
                return f"{prefix}:{iri[len(namespace) :]}"
        return term
    if term.endswith(">") and '"^^<' in term:
        text, _, datatype = term.rpartition("^^")
        return f"{text}^^{turtle_term(datatype)}"
    return term


def turtle_text(triples: Iterable[Triple]) -> str:
    """Turtle with our prefixes: one block per subject, ``a`` for rdf:type."""
    by_subject: dict[str, dict[str, set[str]]] = {}
    for s, p, o in triples:
        by_subject.setdefault(s, {}).setdefault(p, set()).add(o)
    blocks = [PREFIX_LINES]
    for subject in sorted(by_subject):
        predicates = by_subject[subject]
        parts = []
        for predicate in sorted(predicates, key=lambda p: (p != RDF_TYPE, p)):
            verb = "a" if predicate == RDF_TYPE else turtle_term(predicate)
            objects = ", ".join(turtle_term(o) for o in sorted(predicates[predicate]))
            parts.append(f"{verb} {objects}")
        blocks.append(f"\n{turtle_term(subject)}\n    " + " ;\n    ".join(parts) + " .\n")
    return "".join(blocks)


def entry_lines(entry: Entry) -> list[str]:
    subject, kind, pairs = entry
    lines = [f"{subject} {p} {o} ." for p, o in pairs]
    if kind:
        lines.append(f"{subject} {RDF_TYPE} {kind} .")
    return lines


def _block(subject: str, kinds: tuple[str, ...] | list[str], pairs: Iterable[tuple[str, str]]) -> str:
    """One subject's Turtle block: ``a`` first, then predicates and objects in N-Triples order."""
    term = turtle_term
    if len(kinds) == 1:
        parts = [f"a {term(kinds[0])}"]
    else:
        parts = ["a " + ", ".join([term(k) for k in sorted(set(kinds))])] if kinds else []
    last = ""
    for predicate, obj in sorted(set(pairs)):
        if predicate == last:
            parts[-1] += ", " + term(obj)
        else:
            parts.append(f"{term(predicate)} {term(obj)}")
            last = predicate
    return f"\n{term(subject)}\n    " + " ;\n    ".join(parts) + " .\n"


def kept_forms(entry: Entry) -> tuple[tuple[str, ...], str]:
    """What a node shared between records keeps: its N-Triples lines (sorted) and Turtle block."""
    subject, kind, pairs = entry
    block = _block(subject, (kind,) if kind else (), pairs) if kind or pairs else ""
    return tuple(sorted(set(entry_lines(entry)))), block


def nodes_ntriples(visited: Iterable[Visited]) -> str:
    """``ntriples_text`` of the gathered nodes' triples.

    A line starts with its subject, and no subject is the start of another
    (an IRI ends with ``>``), so sorting subjects and then each subject's
    few lines gives the order of sorting all lines, at a fraction of the
    comparisons (most lines hold Cyrillic, which compares slowly).
    """
    by_subject: dict[str, Any] = {}
    for entry, kept in visited:
        lines = kept[0] if kept else sorted(set(entry_lines(entry)))
        found = by_subject.get(entry[0])
        by_subject[entry[0]] = lines if found is None else sorted({*found, *lines})
    if not by_subject:
        return ""
    return "\n".join([line for subject in sorted(by_subject) for line in by_subject[subject]]) + "\n"


def nodes_turtle(visited: Iterable[Visited]) -> str:
    """``turtle_text`` of the gathered nodes' triples."""
    by_subject: dict[str, Any] = {}
    for item in visited:
        subject = item[0][0]
        found = by_subject.get(subject)
        if found is None:
            by_subject[subject] = item
        elif type(found) is list:
            found.append(item)
        else:
            by_subject[subject] = [found, item]  # another node of the same IRI: merged below
    blocks = [PREFIX_LINES]
    for subject in sorted(by_subject):
        found = by_subject[subject]
        if type(found) is tuple:
            entry, kept = found
            if kept:
                blocks.append(kept[1])
            elif entry[1]:
                blocks.append(_block(subject, (entry[1],), entry[2]))
            elif entry[2]:
                blocks.append(_block(subject, (), entry[2]))
        else:
            blocks.append(merged_block(subject, [entry for entry, _ in found]))
    return "".join(blocks)


def merged_block(subject: str, entries: list[Entry]) -> str:
    """The one block of several nodes of the same subject ('' when they say nothing)."""
    kinds = [entry[1] for entry in entries if entry[1]]
    pairs = [pair for entry in entries for pair in entry[2]]
    return _block(subject, kinds, pairs) if kinds or pairs else ""
