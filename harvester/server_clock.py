"""The museum server's clock, trusted only as far as it cannot lose records.

The harvester guidelines say to take the next incremental ``from`` from the
server's ``responseDate`` (the records' datestamps are on the server's clock,
FACTS §4).  A server whose clock is wrong breaks that both ways, and only one
way is harmless:

* **behind** ours: its ``from`` is earlier than needed; records come twice and
  are upserted idempotently.  Harmless; the server's value is kept.
* **ahead** of ours (a clock set to 2099, local time labelled ``Z``): its
  ``from`` lies in the future of records the museum adds meanwhile, which are
  then never harvested.  So the window start stored for the next run is the
  *earlier* of the server's ``responseDate`` and our own clock, and an
  incremental ``from`` is never later than our clock minus the overlap.

A stored window start that is later than our clock (written before this rule,
or our clock was set back) cannot be trusted at all: the window is then
listed without ``from`` (everything, without deleting anything).

A ``responseDate`` or record datestamps more than ``SKEW_TOLERANCE`` (a day)
away from our clock are noted for the run report; no record is dropped for
them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from harvester.errors import excerpt

__all__ = [
    "SKEW_TOLERANCE",
    "FutureDatestamps",
    "format_oai_datetime",
    "incremental_from",
    "parse_oai_datetime",
    "window_start",
]

SKEW_TOLERANCE = timedelta(days=1)


def parse_oai_datetime(value: str | None) -> datetime | None:
    """A UTC datetime from an OAI datestamp/responseDate (``YYYY-MM-DD[Thh:mm:ss[.f]Z]``), or None."""
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def format_oai_datetime(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def window_start(response_date: str | None, now: datetime) -> tuple[str | None, str | None]:
    """The window start to store (server's responseDate, never later than ``now``) and a note on skew."""
    server = parse_oai_datetime(response_date)
    if server is None:
        return response_date, None
    note = None
    skew = server - now
    if abs(skew) > SKEW_TOLERANCE:
        direction = "ahead of" if skew > timedelta(0) else "behind"
        note = (
            f"the endpoint's clock is {_days(skew)} {direction} the harvester's "
            f"(responseDate {format_oai_datetime(server)}, harvester {format_oai_datetime(now)})"
        )
        if skew > timedelta(0):
            note += "; the next incremental harvest starts from the harvester's clock instead, so nothing is missed"
    if server > now:
        return format_oai_datetime(now), note
    return response_date, note


def incremental_from(
    last_success: datetime, now: datetime, overlap: timedelta
) -> tuple[datetime | None, str | None]:
    """The ``from`` moment of an incremental window, or None (list everything) with a note why."""
    if last_success.tzinfo is None:
        last_success = last_success.replace(tzinfo=UTC)
    if last_success > now:
        return None, (
            f"the last run's window start {format_oai_datetime(last_success)} is later than the harvester's "
            f"clock ({format_oai_datetime(now)}); listing everything without 'from' so that nothing is missed "
            "(nothing is deleted by such a run)"
        )
    return min(last_success, now) - overlap, None


def _days(delta: timedelta) -> str:
    days = abs(delta).total_seconds() / 86400
    return f"{days:,.0f} days" if days >= 2 else f"{days * 24:.0f} hours"


@dataclass(slots=True)
class FutureDatestamps:
    """Counts record datestamps more than a day ahead of our clock, for one note per harvest."""

    now: datetime
    count: int = 0
    first: str | None = None
    noted: bool = False
    _threshold: str = field(default="", init=False)

    def __post_init__(self) -> None:
        self._threshold = (self.now + SKEW_TOLERANCE).strftime("%Y-%m-%d")

    def check(self, identifier: str, datestamp: str | None) -> None:
        if datestamp and datestamp[:10] > self._threshold and parse_oai_datetime(datestamp) is not None:
            self.count += 1
            if self.first is None:
                self.first = f"{excerpt(identifier, 80)} dated {excerpt(datestamp, 30)}"

    def note(self) -> str | None:
        """The note once, when the first such records turn up (later pages add nothing)."""
        if self.count and not self.noted:
            self.noted = True
            return (
                f"{self.count} record(s) on this page are dated more than a day after the harvester's clock "
                f"(first: {self.first}); the endpoint's clock or data is wrong; they are kept as sent"
            )
        return None
