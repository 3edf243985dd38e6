"""The circuit breaker: whether a run's changes look like the museum's intent or like a broken export.

Evaluated once a run has staged everything it found, before anything reaches
the store or the index.  A held run waits for a person: ``emuseum runs
approve RUN`` applies it, ``emuseum runs reject RUN`` discards it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from config.breaker import BreakerLimits

__all__ = ["REASONS", "RunChanges", "hold_reasons", "parse_hold_reasons"]


@dataclass(frozen=True, slots=True)
class RunChanges:
    """What applying a staged run would do, counted before it is done."""

    active_before: int  # the museum's active records when the run began
    brought: int  # records the run examined (new, updated, unchanged and unmappable; not deletions)
    unmappable: int  # of those, how many failed to map (quarantined)
    deletions: int  # live records the run would tombstone (deleted at source, or absent from a full listing)
    complete_listing: bool  # the run listed the museum's whole fund (a full OAI harvest, any CSV export)
    listed: int  # records in that complete listing (unmappable included)


#: Each rule's words; the stored ``held_reason`` is these, joined by "; ", and ``parse_hold_reasons``
#: reads them back so the report and the dashboard can say them in Kazakh or Russian.
REASONS: Final[dict[str, str]] = {
    "deleted": "it would delete {deleted} of {before} active records ({share}, more than the {limit} allowed)",
    "shrank": (
        "the museum's complete listing has {listed} records where {before} were active "
        "(it shrank by {share}, more than the {limit} allowed)"
    ),
    "unmappable": (
        "{unmappable} of the {brought} records it brought could not be mapped ({share}, more than the {limit} allowed)"
    ),
}
_PATTERNS: Final = {
    code: re.compile(re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^;]+?)", re.escape(text)) + "$")
    for code, text in REASONS.items()
}


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "all"


def hold_reasons(changes: RunChanges, limits: BreakerLimits) -> list[str]:
    """Why this run must wait for a person, in plain words; empty when it may be applied."""
    reasons: list[str] = []
    before = changes.active_before
    if changes.deletions >= max(1, limits.min_deleted) and changes.deletions > limits.max_deleted_share * before:
        reasons.append(
            REASONS["deleted"].format(
                deleted=changes.deletions,
                before=before,
                share=_share(changes.deletions, before),
                limit=f"{limits.max_deleted_share:.0%}",
            )
        )
    if changes.complete_listing and before and changes.listed < before * (1 - limits.max_shrink_share):
        reasons.append(
            REASONS["shrank"].format(
                listed=changes.listed,
                before=before,
                share=_share(before - changes.listed, before),
                limit=f"{limits.max_shrink_share:.0%}",
            )
        )
    if (
        changes.unmappable >= max(1, limits.min_unmappable)
        and changes.unmappable > limits.max_unmappable_share * changes.brought
    ):
        reasons.append(
            REASONS["unmappable"].format(
                unmappable=changes.unmappable,
                brought=changes.brought,
                share=_share(changes.unmappable, changes.brought),
                limit=f"{limits.max_unmappable_share:.0%}",
            )
        )
    return reasons


def parse_hold_reasons(text: str) -> list[tuple[str, dict[str, str]]] | None:
    """A stored ``held_reason`` as (rule, values) pairs; None when it is not in the breaker's words."""
    found: list[tuple[str, dict[str, str]]] = []
    for part in text.split("; "):
        for code, pattern in _PATTERNS.items():
            if match := pattern.match(part):
                found.append((code, match.groupdict()))
                break
        else:
            return None
    return found
