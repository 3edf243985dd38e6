"""N-Triples and Turtle text written straight from triples, without rdflib.

rdflib's serialisers walk a graph it first has to build; for one record's
hundred-odd triples that overhead dwarfs the writing.  Here the triples
(already N-Triples terms, from ``triples``) are deduplicated and written:

* N-Triples: one line per triple, lines sorted, so the same record always
  gives byte-identical text (what rdflib's writer gave, sorted).
* Turtle: the crm/la/dig/rdfs/xsd/aat prefixes, then one block per subject
  (sorted), predicates and objects sorted, IRIs abbreviated with a prefix
  wherever the local part is a safe prefixed name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from mappings.crm_out.namespaces import PREFIXES
from mappings.crm_out.triples import RDF_TYPE, Triple

__all__ = ["ntriples_text", "turtle_text"]

_PREFIX_LINES = "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in PREFIXES.items())
#: Namespaces longest first, so the most specific prefix wins.
_NAMESPACES = sorted(((ns, prefix) for prefix, ns in PREFIXES.items()), key=lambda item: -len(item[0]))
#: A local name Turtle reads back unchanged without escapes (a subset of PN_LOCAL).
_SAFE_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


def ntriples_text(triples: Iterable[Triple]) -> str:
    """Sorted, deduplicated N-Triples lines ('' for no triples)."""
    lines = sorted({f"{s} {p} {o} ." for s, p, o in triples})
    return "\n".join(lines) + "\n" if lines else ""


@lru_cache(maxsize=8192)
def _term(term: str) -> str:
    """An N-Triples term as Turtle: IRIs (and literal datatypes) abbreviated when safe."""
    if term.startswith("<"):
        iri = term[1:-1]
        for namespace, prefix in _NAMESPACES:
            if iri.startswith(namespace) and _SAFE_LOCAL.fullmatch(iri[len(namespace) :]):
                return f"{prefix}:{iri[len(namespace) :]}"
        return term
    if term.endswith(">") and '"^^<' in term:
        text, _, datatype = term.rpartition("^^")
        return f"{text}^^{_term(datatype)}"
    return term


def turtle_text(triples: Iterable[Triple]) -> str:
    """Turtle with our prefixes: one block per subject, ``a`` for rdf:type."""
    by_subject: dict[str, dict[str, set[str]]] = {}
    for s, p, o in triples:
        by_subject.setdefault(s, {}).setdefault(p, set()).add(o)
    blocks = [_PREFIX_LINES]
    for subject in sorted(by_subject):
        predicates = by_subject[subject]
        parts = []
        for predicate in sorted(predicates, key=lambda p: (p != RDF_TYPE, p)):
            verb = "a" if predicate == RDF_TYPE else _term(predicate)
            objects = ", ".join(_term(o) for o in sorted(predicates[predicate]))
            parts.append(f"{verb} {objects}")
        blocks.append(f"\n{_term(subject)}\n    " + " ;\n    ".join(parts) + " .\n")
    return "".join(blocks)
