"""Where a harvest stands, saved with the records it describes.

A checkpoint is written in the same transaction as the page of records it
follows, so after a crash the store and the checkpoint always agree: resuming
from it neither skips nor repeats a page.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["Checkpoint"]


class Checkpoint(BaseModel):
    model_config = ConfigDict(extra="forbid")

    museum_id: str
    source_type: str  # "oai-pmh" | "csv"
    full: bool  # a full harvest (may sweep unseen records into tombstones) or an incremental one
    metadata_prefix: str | None = None
    set_spec: str | None = None
    from_: str | None = None  # OAI 'from' of this window, in the endpoint's granularity
    until: str | None = None
    resumption_token: str | None = None  # token for the next page; None = start of the window
    window_started: str | None = None  # server responseDate of the window's first page
    pages_done: int = 0
    records_done: int = 0
    rows_done: int = 0  # CSV: data rows already committed (resume skips them)
