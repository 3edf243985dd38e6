"""Merging what the per-language blocks of one record say.

LIDO repeats descriptiveMetadata once per language.  Lists of terms that line
up one to one across blocks (same length, no contradicting label or URI)
are the same concepts in other words, so they become one term with a label
per language; lists that do not line up are kept side by side.  The same
person named in two blocks is one actor.
"""

from __future__ import annotations

from collections.abc import Iterable

from mappings.core import Actor, Term
from mappings.lido_in.elements import dedupe

__all__ = ["merge_actors", "merge_terms"]


def _compatible(a: Term, b: Term) -> bool:
    if a.uri and b.uri and a.uri != b.uri:
        return False
    return all(a.labels[k] == b.labels[k] for k in a.labels.keys() & b.labels.keys())


def merge_terms(a: list[Term], b: list[Term]) -> list[Term]:
    """Parallel lists from per-language blocks become one term per position with all labels."""
    if a and len(a) == len(b) and all(_compatible(x, y) for x, y in zip(a, b, strict=True)):
        return [Term(labels={**y.labels, **x.labels}, uri=x.uri or y.uri) for x, y in zip(a, b, strict=True)]
    return dedupe([*a, *b])


def merge_actors(actors: Iterable[Actor]) -> list[Actor]:
    """One actor per name (and URI, when both have one); roles in several languages combined."""
    merged: list[Actor] = []
    for actor in actors:
        same = next(
            (m for m in merged if m.name == actor.name and (m.uri == actor.uri or not m.uri or not actor.uri)),
            None,
        )
        if same is None:
            merged.append(actor)
            continue
        role = same.role
        if role is None:
            role = actor.role
        elif actor.role is not None and _compatible(role, actor.role):
            role = Term(labels={**actor.role.labels, **role.labels}, uri=role.uri or actor.role.uri)
        merged[merged.index(same)] = same.model_copy(
            update={"role": role, "uri": same.uri or actor.uri, "kind": same.kind or actor.kind}
        )
    return merged
