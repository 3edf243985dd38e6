"""A record as a museum system sent it, before any interpretation.

The harvester produces these and the store keeps them verbatim, so that a
better mapping can be re-run later without asking the museum again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

__all__ = ["RawRecord"]


@dataclass(frozen=True, slots=True)
class RawRecord:
    museum_id: str
    local_id: str
    format: str  # "lido", "oai_dc", "csv:<profile>"
    payload: bytes  # the metadata element as XML bytes, or a CSV row as JSON bytes
    datestamp: str | None = None  # as the source gave it (OAI datestamp), or None
    deleted: bool = False
    oai_identifier: str | None = None
    harvested_at: datetime | None = None
    content_hash: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "content_hash", hashlib.sha256(self.payload).hexdigest())
