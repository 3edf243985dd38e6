"""The circuit breaker: whether a run's changes look like the museum's intent or like a broken export.

Evaluated once a run has staged everything it found, before anything reaches
the store or the index.  A held run waits for a person: ``emuseum runs
approve RUN`` applies it, ``emuseum runs reject RUN`` discards it.
"""

from __future__ import annotations

from dataclasses import dataclass

from config.breaker import BreakerLimits

__all__ = ["RunChanges", "hold_reasons"]


@dataclass(frozen=True, slots=True)
class RunChanges:
    """What applying a staged run would do, counted before it is done."""

    active_before: int  # the museum's active records when the run began
    brought: int  # records the run examined (new, updated, unchanged and unmappable; not deletions)
    unmappable: int  # of those, how many failed to map (quarantined)
    deletions: int  # live records the run would tombstone (deleted at source, or absent from a full listing)
    complete_listing: bool  # the run listed the museum's whole fund (a full OAI harvest, any CSV export)
    listed: int  # records in that complete listing (unmappable included)


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "all"


def hold_reasons(changes: RunChanges, limits: BreakerLimits) -> list[str]:
    """Why this run must wait for a person, in plain words; empty when it may be applied."""
    reasons: list[str] = []
    before = changes.active_before
    if changes.deletions >= max(1, limits.min_deleted) and changes.deletions > limits.max_deleted_share * before:
        reasons.append(
            f"it would delete {changes.deletions} of {before} active records ({_share(changes.deletions, before)}, "
            f"more than the {limits.max_deleted_share:.0%} allowed)"
        )
    if changes.complete_listing and before and changes.listed < before * (1 - limits.max_shrink_share):
        reasons.append(
            f"the museum's complete listing has {changes.listed} records where {before} were active "
            f"(it shrank by {_share(before - changes.listed, before)}, more than the "
            f"{limits.max_shrink_share:.0%} allowed)"
        )
    if (
        changes.unmappable >= max(1, limits.min_unmappable)
        and changes.unmappable > limits.max_unmappable_share * changes.brought
    ):
        reasons.append(
            f"{changes.unmappable} of the {changes.brought} records it brought could not be mapped "
            f"({_share(changes.unmappable, changes.brought)}, more than the {limits.max_unmappable_share:.0%} allowed)"
        )
    return reasons
