"""One unit of harvest work: a page of raw records plus the checkpoint after it."""

from __future__ import annotations

from dataclasses import dataclass, field

from harvester.checkpoint import Checkpoint
from harvester.raw import RawRecord

__all__ = ["Page", "Quarantined"]


@dataclass(frozen=True, slots=True)
class Quarantined:
    """A record the harvester could not even turn into a RawRecord, with the reason."""

    museum_id: str
    local_id: str | None
    reason: str
    payload: bytes = b""


@dataclass(slots=True)
class Page:
    records: list[RawRecord]
    checkpoint: Checkpoint  # state to persist once this page's records are committed
    quarantined: list[Quarantined] = field(default_factory=list)
    # Notes for the run report (the pipeline copies them into the run's notes): bytes and
    # characters repaired, and what the harvester noticed (a server clock far off ours).
    repaired: list[str] = field(default_factory=list)
    last: bool = False  # the final page of the harvest window
    complete_listing: bool = False  # last page of a full listing: unseen records may be swept
