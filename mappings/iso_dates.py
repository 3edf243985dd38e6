"""ISO 8601 calendar dates as the core record keeps them: ``[-]YYYY[-MM[-DD]]``.

The catalogue cannot use ``datetime.date``: it stops at year 1, and museums
hold objects from the Bronze Age.  So dates travel as strings, and everything
that orders, bounds, prints or buckets them reads those strings here, in one
way, instead of each output growing its own slightly different reader.

Years are astronomical, as in ISO 8601 and XSD 1.1: ``0000`` is 1 BCE and
``-0499`` is 500 BCE, so a year compares as a plain number.  A date may stop
at the year or the month; ``start_key`` / ``end_key`` say which day such a
partial date starts and ends on for ordering, ``first_day`` / ``last_day``
which real calendar day it starts and ends on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mappings.text import ascii_digits

__all__ = [
    "IsoDate",
    "days_in_month",
    "format_iso",
    "format_year",
    "is_leap_year",
    "is_valid_date",
    "normalise_iso",
    "parse_iso",
    "read_index_date",
    "sort_key",
    "year_of",
]

# The core record's own shape: at least four year digits, two-digit month and day.
_CORE_SHAPE = re.compile(r"^(-?)(\d{4,})(?:-(\d{2})(?:-(\d{2}))?)?$")
# What museums put in LIDO earliestDate / latestDate and CSV date columns:
# a sign either way, unpadded parts, sometimes a time of day.
_INDEX_SHAPE = re.compile(r"^([-+]?)(\d+)(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ][\d:.]+Z?)?$")
_LEADING_YEAR = re.compile(r"^(-?\d+)")


def is_leap_year(year: int) -> bool:
    """The proleptic Gregorian rule; it holds for year 0 and BCE years as they are numbered here."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    # calendar.monthrange refuses years before 1, so the rule is spelt out.
    if month == 2:
        return 29 if is_leap_year(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def is_valid_date(year: int, month: int | None, day: int | None) -> bool:
    """Whether the parts name a real (possibly partial) date; a day needs a month."""
    if month is None:
        return day is None
    if not 1 <= month <= 12:
        return False
    return day is None or 1 <= day <= days_in_month(year, month)


def format_year(year: int) -> str:
    """At least four digits, a minus sign before the common era: -499 -> ``-0499``."""
    return f"-{-year:04d}" if year < 0 else f"{year:04d}"


def format_iso(year: int, month: int | None = None, day: int | None = None) -> str:
    text = format_year(year)
    if month is not None:
        text += f"-{month:02d}"
        if day is not None:
            text += f"-{day:02d}"
    return text


@dataclass(frozen=True, slots=True)
class IsoDate:
    """A year, a month of a year or a day; the parts a source left out stay None."""

    year: int
    month: int | None = None
    day: int | None = None

    def start_key(self) -> tuple[int, int, int]:
        """Orders dates by where they begin: a bare year sorts with its 1 January."""
        return (self.year, self.month or 1, self.day or 1)

    def end_key(self) -> tuple[int, int, int]:
        """Orders dates by where they end: a bare year sorts after every day in it.

        A missing day counts as 31 whatever the month; it only has to sort last.
        """
        return (self.year, self.month or 12, self.day or 31)

    def first_day(self) -> IsoDate:
        """The first calendar day the date covers (an impossible day is moved into its month)."""
        month = self.month or 1
        return IsoDate(self.year, month, min(self.day or 1, days_in_month(self.year, month)))

    def last_day(self) -> IsoDate:
        """The last calendar day the date covers (an impossible day is moved into its month)."""
        month = self.month or 12
        last = days_in_month(self.year, month)
        return IsoDate(self.year, month, min(self.day or last, last))

    def iso(self) -> str:
        return format_iso(self.year, self.month, self.day)


def parse_iso(value: str) -> IsoDate:
    """Read a date in the core record's shape; raise ValueError for anything else.

    The day is taken as written (an output that needs a real day clamps it
    with ``first_day`` / ``last_day``); a month outside 1-12 is refused.
    """
    match = _CORE_SHAPE.match(value)
    if not match:
        raise ValueError(f"not an ISO date (YYYY[-MM[-DD]], '-' for BCE): {value!r}")
    sign, year, month, day = match.groups()
    month_number = int(month) if month else None
    if month_number is not None and not 1 <= month_number <= 12:
        raise ValueError(f"month out of range in {value!r}")
    return IsoDate(int(year) * (-1 if sign else 1), month_number, int(day) if day else None)


def read_index_date(value: str | None) -> IsoDate | None:
    """Read a date a museum wrote as an index value, or None when it is not one.

    Accepts what exports carry (``1505-3-7``, ``+1505``, ``-500``, ``5``, a
    trailing time, non-ASCII digits) and refuses an impossible month or day.
    A negative year is taken to be astronomical already.
    """
    if value is None:
        return None
    match = _INDEX_SHAPE.match(ascii_digits(value.strip()))
    if match is None:
        return None
    sign, year_text, month_text, day_text = match.groups()
    year = int(year_text) * (-1 if sign == "-" else 1)
    month = int(month_text) if month_text else None
    day = int(day_text) if day_text else None
    if not is_valid_date(year, month, day):
        return None
    return IsoDate(year, month, day)


def normalise_iso(value: str | None) -> str | None:
    """An index date cleaned to ``[-]YYYY[-MM[-DD]]``: ``1505-3-7`` -> ``1505-03-07``, ``-500`` -> ``-0500``."""
    date = read_index_date(value)
    return None if date is None else date.iso()


def sort_key(value: str) -> tuple[int, int, int]:
    """Chronological key of a core-record date (where it begins); ValueError if it is not one."""
    return parse_iso(value).start_key()


def year_of(value: str | None) -> int | None:
    """The astronomical year a date string starts with (``-0499-01-01`` -> -499); None when there is none."""
    if not value:
        return None
    match = _LEADING_YEAR.match(value)
    return int(match.group(1)) if match else None
