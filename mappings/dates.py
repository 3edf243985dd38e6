"""Free-text dates to ISO earliest/latest.  (Contract only; being completed.)"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["DateRange", "parse_date"]


@dataclass(frozen=True, slots=True)
class DateRange:
    earliest: str | None  # ISO: [-]YYYY[-MM[-DD]]
    latest: str | None


def parse_date(text: str | None) -> DateRange | None:
    """Parse a display date (years, ranges, centuries, 'ca.', BCE; many languages)."""
    if not text:
        return None
    years = re.findall(r"\d{4}", text)
    if not years:
        return None
    return DateRange(years[0], years[-1])
