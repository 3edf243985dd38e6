"""Dates as the three catalogue traditions write them, with their ISO bounds.

«XIX ғ.», «XIX в.» and «19th century» are one dating; the ISO years follow
the project's reading of such phrases (mappings/dates.py), so the demo's
records and the mapping agree.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Final

from demo.samples.labels import Tri
from demo.samples.randomness import between

__all__ = ["Dating", "Spec", "choose_dating", "iso_year"]

#: A period, measurement or narrowing spec of the object templates, e.g. ``("c", 19, 19)``.
Spec = tuple[Any, ...]

_ROMAN: Final = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)


def _roman(number: int) -> str:
    out = []
    for value, letters in _ROMAN:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


def iso_year(year: int) -> str:
    """Astronomical year as ISO 8601 text: 1 BCE is 0000, 500 BCE is -0499."""
    return f"-{-year:04d}" if year < 0 else f"{year:04d}"


def _century_span(century: int) -> tuple[int, int]:
    """Astronomical first and last year of a century; negative centuries are BCE.

    The project's convention (mappings/dates.py): the 19th century is
    1800-1899 as cataloguers use it, the 5th century BCE is 500-401 BCE.
    """
    if century > 0:
        return max(1, 100 * (century - 1)), 100 * century - 1
    n = -century  # the n-th century BCE runs from 100n BCE to 100(n-1)+1 BCE
    return 1 - 100 * n, -100 * (n - 1)


@dataclass(frozen=True, slots=True)
class Dating:
    """A date as three catalogue traditions write it, with its ISO bounds."""

    labels: Tri
    earliest: int
    latest: int


def _centuries(first: int, last: int, dash: str) -> Dating:
    lo, _ = _century_span(first)
    _, hi = _century_span(last)
    bce = first < 0
    a, b = _roman(abs(first)), _roman(abs(last))
    ea, eb = _ordinal(abs(first)), _ordinal(abs(last))
    if first == last:
        kk = f"б.з.д. {a} ғ." if bce else f"{a} ғ."
        ru = f"{a} в. до н.э." if bce else f"{a} в."
        en = f"{ea} century BCE" if bce else f"{ea} century"
    else:
        kk = f"б.з.д. {a}{dash}{b} ғғ." if bce else f"{a}{dash}{b} ғғ."
        ru = f"{a}{dash}{b} вв. до н.э." if bce else f"{a}{dash}{b} вв."
        en = f"{ea}{dash}{eb} century BCE" if bce else f"{ea}{dash}{eb} century"
    return Dating((kk, ru, en), lo, hi)


def _millennium_bce(n: int) -> Dating:
    r = _roman(n)
    labels = (f"б.з.д. {r} мыңжылдық", f"{r} тыс. до н.э.", f"{_ordinal(n)} millennium BCE")
    return Dating(labels, 1 - 1000 * n, -1000 * (n - 1))


def _part_of_century(part: str, century: int) -> Dating:
    lo, hi = _century_span(century)
    r, o = _roman(century), _ordinal(century)
    first = hi - 99  # thirds of the century, as mappings/dates.py reads them
    if part == "early":
        return Dating((f"{r} ғ. басы", f"начало {r} в.", f"early {o} century"), lo, first + 32)
    if part == "mid":
        labels = (f"{r} ғ. ортасы", f"середина {r} в.", f"mid-{o} century")
        return Dating(labels, first + 33, first + 65)
    return Dating((f"{r} ғ. соңы", f"конец {r} в.", f"late {o} century"), first + 66, hi)


def _years(first: int, last: int, dash: str) -> Dating:
    if first == last:
        return Dating((f"{first} ж.", f"{first} г.", f"{first}"), first, last)
    span = f"{first}{dash}{last}"
    return Dating((f"{span} жж.", f"{span} гг.", span), first, last)


def _circa(year: int) -> Dating:
    # not widened: the museum gave one year, and mappings/dates.py keeps it so
    labels = (f"шамамен {year} ж.", f"ок. {year} г.", f"ca. {year}")
    return Dating(labels, year, year)


def _decade(year: int) -> Dating:
    return Dating((f"{year}-жылдар", f"{year}-е гг.", f"{year}s"), year, year + 9)


_FIXED_DATINGS: dict[Spec, Dating] = {}


def choose_dating(spec: Spec, rng: random.Random) -> Dating:
    """Turn a period spec of the object templates into a concrete dating.

    Specs: ``("c", first, last)`` centuries (negative = BCE), ``("m", n)`` the
    n-th millennium BCE, ``("early"|"mid"|"late", century)``, ``("y", a, b)``
    exact years, ``("pick", lo, hi)`` a year, a circa, a decade or a span
    inside lo..hi.
    """
    dash = "-" if rng.random() < 0.6 else "–"
    kind = spec[0]
    if kind != "pick":
        key = (*spec, dash)
        dating = _FIXED_DATINGS.get(key)
        if dating is None:
            dating = _FIXED_DATINGS[key] = _fixed_dating(spec, dash)
        return dating
    lo, hi = spec[1], spec[2]
    year = between(rng, lo, hi)
    roll = rng.random()
    if roll < 0.6:
        return _years(year, year, dash)
    # a decade or a span must not spill out of lo..hi (an artist's working life)
    if roll < 0.8:
        return _circa(year)
    decade = year - year % 10
    if roll < 0.9 and lo <= decade and decade + 9 <= hi:
        return _decade(decade)
    end = min(hi, year + between(rng, 1, 10))
    return _years(year, end, dash)


def _fixed_dating(spec: Spec, dash: str) -> Dating:
    kind = spec[0]
    if kind == "c":
        return _centuries(spec[1], spec[2], dash)
    if kind == "m":
        return _millennium_bce(spec[1])
    if kind in ("early", "mid", "late"):
        return _part_of_century(kind, spec[1])
    if kind == "y":
        return _years(spec[1], spec[2], dash)
    raise ValueError(f"unknown period spec {spec!r}")
