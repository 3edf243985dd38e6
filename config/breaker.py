"""Limits of the circuit breaker that holds a suspicious run for a person to look at.

A truncated download, a filtered export or a broken exporter looks exactly
like a museum that deaccessioned half its fund; applying such a run would
empty the catalogue overnight.  Defaults follow the spirit of DPLA's
ingestion3 breaker and can be set for the whole registry (``breaker:`` at the
top of museums.yaml) and per museum (``breaker:`` in a museum's entry); a
museum's value wins over the registry's, which wins over these defaults.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["BreakerLimits", "BreakerOverrides"]


class BreakerLimits(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Hold when a run would delete more than this share of the museum's active records ...
    max_deleted_share: float = Field(default=0.10, ge=0, le=1)
    #: ... and at least this many (a small museum losing 2 of 10 records is no emergency).
    min_deleted: int = Field(default=20, ge=0)
    #: Hold when a complete listing is this much smaller than the active records before the run.
    max_shrink_share: float = Field(default=0.10, ge=0, le=1)
    #: Hold when more than this share of the records a run brought fail to map ...
    max_unmappable_share: float = Field(default=0.05, ge=0, le=1)
    #: ... and at least this many (one odd record in a small incremental run is quarantined, not held).
    min_unmappable: int = Field(default=5, ge=0)

    def merged(self, overrides: BreakerOverrides | None) -> BreakerLimits:
        if overrides is None:
            return self
        return self.model_copy(update=overrides.model_dump(exclude_none=True))


class BreakerOverrides(BaseModel):
    """The same limits, each optional: only what a registry or museum sets differs from the defaults."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_deleted_share: float | None = Field(default=None, ge=0, le=1)
    min_deleted: int | None = Field(default=None, ge=0)
    max_shrink_share: float | None = Field(default=None, ge=0, le=1)
    max_unmappable_share: float | None = Field(default=None, ge=0, le=1)
    min_unmappable: int | None = Field(default=None, ge=0)
