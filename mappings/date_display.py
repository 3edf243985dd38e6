"""Dates in the reader's language, written from the ISO range the mapping computed.

A museum writes «XIX в.», another "19th century", a third «XIX ғ.»: the same
span.  The core record keeps both the source's words (``date_display``) and
the span as ISO years, so a reader gets the span in her own language ("19th
century" / «XIX ғасыр» / «XIX век») with the museum's words beside it.  The
spans recognised are the ones catalogues use: a year, a decade, a century (the
1800-1899 and 1801-1900 conventions), its halves and thirds, centuries, a
millennium BCE; anything else is a year range.  Years are astronomical in the
record (``-0499`` is 500 BCE) and ordinary here.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Final

import yaml

from mappings.core import ISO_DATE

__all__ = ["century_name", "date_label", "ordinal", "roman"]

_FILE: Final = Path(__file__).with_name("vocabulary") / "display.yaml"
_ROMAN: Final = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip
#: Parts of a century by offset from its first year (00): halves, then thirds as mappings/dates.py reads them.
_PARTS: Final = (((0, 49), "first_half"), ((50, 99), "second_half"), ((0, 32), "early"), ((33, 65), "mid"),
                 ((66, 99), "late"))  # fmt: skip


@cache
def _patterns(lang: str) -> dict[str, str]:
    table: dict[str, dict[str, str]] = yaml.safe_load(_FILE.read_text(encoding="utf-8"))["dates"]
    return table.get(lang, table["en"])


def roman(number: int) -> str:
    if number <= 0:
        raise ValueError(f"roman numerals start at 1, not {number}")
    out = []
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _say(lang: str, key: str, **values: object) -> str:
    return _patterns(lang)[key].format(**values)


def century_name(century: int, lang: str) -> str:
    """``19`` -> "19th century" / «XIX ғасыр» / «XIX век»; ``-5`` -> "5th century BCE" (index centuries)."""
    if century == 0:
        raise ValueError("there is no century 0")
    n = abs(century)
    return _say(lang, "century_bce" if century < 0 else "century", o=ordinal(n), r=roman(n))


def _year(iso: str | None) -> int | None:
    if not iso or not ISO_DATE.match(iso):
        return None
    return int(iso[:5]) if iso.startswith("-") else int(iso[:4]) if len(iso) >= 4 else None


def _year_only(iso: str) -> bool:
    return len(iso.lstrip("-")) == len(iso.lstrip("-").split("-")[0])


def _centuries(first: int, last: int) -> tuple[int, int] | None:
    """Whole centuries CE a span covers (1800-1899 or 1801-1900 is the 19th), else None."""
    if first % 100 not in (0, 1) or last % 100 not in (99, 0) or last <= first:
        return None
    start = (first - 1) // 100 + 1 if first % 100 == 1 else first // 100 + 1
    end = last // 100 + 1 if last % 100 == 99 else last // 100
    return (start, end) if start <= end else None


def _part(first: int, last: int) -> tuple[str, int] | None:
    century_start = first - first % 100
    offsets = (first - century_start, last - century_start)
    for span, key in _PARTS:
        if offsets == span:
            return key, century_start // 100 + 1
    return None


def _ce_label(first: int, last: int, lang: str) -> str:
    if first == last:
        return _say(lang, "year", y=first)
    whole = _centuries(first, last)
    if whole:
        c1, c2 = whole
        if c1 == c2:
            return _say(lang, "century", o=ordinal(c1), r=roman(c1))
        return _say(lang, "centuries", o1=ordinal(c1), o2=ordinal(c2), r1=roman(c1), r2=roman(c2))
    part = _part(first, last)
    if part:
        key, century = part
        return _say(lang, key, o=ordinal(century), r=roman(century))
    if first % 10 == 0 and last == first + 9:
        return _say(lang, "decade", y=first)
    return _say(lang, "years", a=first, b=last)


def _bce_label(first: int, last: int, lang: str) -> str:
    """Years BCE counted down: ``first`` is the larger number (500 BCE before 401 BCE)."""
    if first == last:
        return _say(lang, "year_bce", y=first)
    if first % 1000 == 0 and last == first - 999:
        n = first // 1000
        return _say(lang, "millennium_bce", o=ordinal(n), r=roman(n))
    if first % 100 == 0 and last % 100 == 1:
        c1, c2 = first // 100, (last - 1) // 100 + 1
        if c1 == c2:
            return _say(lang, "century_bce", o=ordinal(c1), r=roman(c1))
        return _say(lang, "centuries_bce", o1=ordinal(c1), o2=ordinal(c2), r1=roman(c1), r2=roman(c2))
    return _say(lang, "years_bce", a=first, b=last)


def date_label(earliest: str | None, latest: str | None, lang: str) -> str | None:
    """The span in the reader's words; a full date shows as ISO; None without a usable year."""
    first, last = _year(earliest), _year(latest)
    if first is None:
        first = last
    if last is None:
        last = first
    if first is None or last is None:
        return None
    if earliest and earliest == latest and not _year_only(earliest):
        return earliest  # a day or a month: ISO reads the same in every language
    first, last = sorted((first, last))
    if first > 0:
        return _ce_label(first, last, lang)
    if last <= 0:
        return _bce_label(1 - first, 1 - last, lang)
    return _say(lang, "years_across", a=1 - first, b=last)
