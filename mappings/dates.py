"""Free-text display dates to ISO earliest/latest, in many languages.

Why
---
Museums write dates for people ("2. Hälfte 19. Jh.", «конец XIX в.»,
"б.з.д. V ғ.", "um 1600"); search needs two sortable bounds.  The core record
keeps them as ISO strings (``[-]YYYY[-MM[-DD]]``) because ``datetime.date``
cannot hold BCE years.

Conventions (decided here, applied everywhere)
----------------------------------------------
* **Astronomical years**: 1 BCE = ``0000``, 2 BCE = ``-0001``, 500 BCE =
  ``-0499``.  ISO 8601 and xsd:gYear (XSD 1.1) count this way, so the value can
  be sorted and compared as a number.  ``normalise_iso`` only re-formats: an
  index date ``-0500`` is taken to be astronomical already.
* **Centuries CE** are counted the way cataloguers use them: the 19th century
  is 1800–1899 (real records give "2. Hälfte 20. Jh." as 1950–…); the 1st
  century CE starts at 0001.  **Centuries BCE** run from their first to their
  last year in time: the 5th century BCE is 500–401 BCE = ``-0499``..``-0400``.
  Millennia likewise (2nd millennium CE = 1000–1999; «II тыс. до н.э.» =
  2000–1001 BCE = ``-1999``..``-1000``).
* **Parts** split the span in time order: halves, thirds, quarters by number;
  early/beginning = first third, mid/middle = middle third, late/end = last
  third (1800–1832, 1833–1865, 1866–1899).
* **Approximation** ("ca.", "um", "circa", «около», «шамамен», "?") keeps the
  stated range unwidened: any widening would invent a precision the museum
  did not give, and the real records keep "um 1970" as 1970–1970.  The
  display text stays in the record for readers.
* **Before/after** ("vor 1896", «до 1900 г.», "after 1850", "1924-") give an
  open bound (``None``) on the other side.
* **Numeric dates** are day-first (``1.7.1921`` is 1 July) unless the first
  number cannot be a month-day pair that way (``12/31/1921``).  A whole value
  shaped like an index date is read as one (``1505-03`` is March 1505,
  ``1910-11`` is November 1910); inside longer text, or with a second part
  above 12, ``YYYY-YY`` is an abbreviated range (``1921-23``, ``ca. 1910-11``).
* Two-digit decades without a century ("20er Jahre") are read as 19xx.
* Several alternatives ("um 1480 oder 1482/1485") give the span of them all.
* A range written backwards is put in order.

Pipeline: ``mappings.date_tokens`` normalises the text (NFKC, ASCII digits,
lowercase, era phrases to markers) and lexes it into typed tokens, using the
word tables in ``mappings/data/date_words.yaml``; here the tokens are split
into pieces at range words, each piece is read (date / month / year / decade
/ century / millennium, with parts and era), pieces borrow what they leave
out from their neighbours («V–IV вв. до н.э.», "1921–23", "März–April 1921"),
and the span of all pieces is the answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from mappings.date_tokens import Kind, Token, lex
from mappings.iso_dates import IsoDate, is_valid_date, normalise_iso

__all__ = ["DateRange", "normalise_iso", "parse_date"]


@dataclass(frozen=True, slots=True)
class DateRange:
    earliest: str | None  # ISO: [-]YYYY[-MM[-DD]]
    latest: str | None


# -- spans ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Span:
    start: IsoDate
    end: IsoDate


# -- pieces -----------------------------------------------------------------------


# Tokens that carry a value a span can be read from.
_BEARERS = (Kind.NUM, Kind.ROMAN, Kind.DATE, Kind.MONTH)


@dataclass(slots=True)
class _Piece:
    tokens: list[Token] = field(default_factory=list)
    era: Kind | None = None
    unit: Kind | None = None  # CENTURY / MILLENNIUM
    part: tuple[Kind, int] | None = None  # (kind, index); index 0 = none given
    months: list[int] = field(default_factory=list)
    numbers: list[Token] = field(default_factory=list)
    romans: list[int] = field(default_factory=list)
    points: list[IsoDate] = field(default_factory=list)


def _split(tokens: list[Token]) -> tuple[list[_Piece], str | None]:
    """Cut the token list at range words; say whether the range is open."""
    pieces: list[_Piece] = [_Piece()]
    openness: str | None = None
    has_range_word = any(
        t.kind in (Kind.RANGE, Kind.TO, Kind.OR, Kind.ABLATIVE) for t in tokens
    )
    for index, token in enumerate(tokens):
        current = pieces[-1]
        seen_value = any(t.kind in _BEARERS for t in current.tokens) or len(pieces) > 1
        rest_has_value = any(t.kind in _BEARERS for t in tokens[index + 1:])
        if token.kind in (Kind.RANGE, Kind.TO, Kind.OR, Kind.ABLATIVE):
            if seen_value and rest_has_value:
                pieces.append(_Piece())
            elif not seen_value and rest_has_value and token.kind in (Kind.RANGE, Kind.TO):
                openness = "before"  # "-1.1.1924", "bis 1900", «до 1900 г.»
            elif seen_value and not rest_has_value and token.kind is Kind.RANGE:
                openness = "after"  # "1924-"
        elif token.kind is Kind.FROM:
            if not has_range_word:
                openness = "after"  # "ab 1900", «с 1900 г.»
        elif token.kind in (Kind.BEFORE, Kind.BEFORE_POST):
            if token.kind is Kind.BEFORE or len(pieces) == 1:
                openness = "before"
        elif token.kind in (Kind.AFTER, Kind.AFTER_POST):
            openness = "after"
        elif token.kind is not Kind.APPROX:
            current.tokens.append(token)
    return [p for p in pieces if p.tokens], openness


def _read_piece(piece: _Piece) -> None:
    """Sort a piece's tokens into values, unit, part and era."""
    tokens = piece.tokens
    consumed: set[int] = set()
    for index, token in enumerate(tokens):
        if token.kind in (Kind.HALF, Kind.THIRD, Kind.QUARTER):
            previous = tokens[index - 1] if index else None
            ordinal = 0
            if previous is not None and previous.kind is Kind.ORDINAL:
                ordinal = previous.value
                consumed.add(index - 1)
            elif previous is not None and previous.kind is Kind.NUM and previous.value <= 4:
                ordinal = previous.value
                consumed.add(index - 1)
            piece.part = (token.kind, ordinal)
        elif token.kind in (Kind.EARLY, Kind.MID, Kind.LATE):
            piece.part = (token.kind, 0)
    for index, token in enumerate(tokens):
        if index in consumed:
            continue
        if token.kind in (Kind.BCE, Kind.CE):
            piece.era = token.kind
        elif token.kind in (Kind.CENTURY, Kind.MILLENNIUM):
            piece.unit = token.kind
        elif token.kind is Kind.MONTH:
            piece.months.append(token.value)
        elif token.kind is Kind.NUM:
            piece.numbers.append(token)
        elif token.kind is Kind.ROMAN:
            piece.romans.append(token.value)
        elif token.kind is Kind.DATE and token.point is not None:
            piece.points.append(token.point)


def _has_value(piece: _Piece) -> bool:
    return bool(piece.numbers or piece.romans or piece.points or piece.months)


def _borrow(pieces: list[_Piece]) -> None:
    """Let pieces take the unit, era and year their neighbours state."""
    units = [p.unit for p in pieces if p.unit is not None]
    eras = [p.era for p in pieces if p.era is not None]
    for piece in pieces:
        if piece.unit is None and units and not piece.points and not piece.months:
            if piece.romans or all(n.value <= 40 and not n.decade for n in piece.numbers):
                piece.unit = units[-1]
    if not eras:
        _expand_abbreviated_years(pieces)
    for piece in pieces:
        if piece.era is None and eras:
            piece.era = eras[-1]
    decade_pieces = [p for p in pieces if any(n.decade for n in p.numbers)]
    if decade_pieces:
        for piece in pieces:
            for number in piece.numbers:
                if piece.unit is None and number.value % 10 == 0:
                    number.decade = True
    # Days without a month ("1.–3. März 1921") borrow month and year.
    for index, piece in enumerate(pieces):
        if _only_days(piece):
            donors = pieces[index + 1:] + pieces[:index][::-1]
            for donor in donors:
                if donor.months and _year_numbers(donor):
                    piece.months = donor.months[:1]
                    piece.numbers.append(_year_numbers(donor)[0])
                    break
    # Month without a year ("März–April 1921") borrows the next year given.
    for index, piece in enumerate(pieces):
        if piece.months and not _year_numbers(piece):
            donors = pieces[index + 1:] + pieces[:index][::-1]
            for donor in donors:
                years = _year_numbers(donor) or [Token(Kind.NUM, value=p.year, digits=4)
                                                 for p in donor.points]
                if years:
                    piece.numbers.append(years[0])
                    break


def _expand_abbreviated_years(pieces: list[_Piece]) -> None:
    """"1921–23" → 1921–1923, "1998–03" → 1998–2003 (only when no era is written)."""
    previous_year: Token | None = None
    for piece in pieces:
        if piece.unit is not None or piece.months or piece.points:
            continue
        for number in piece.numbers:
            if (
                previous_year is not None
                and number.digits < previous_year.digits
                and previous_year.value >= 100
                and not number.decade
            ):
                scale = 10**number.digits
                value = previous_year.value // scale * scale + number.value
                if value < previous_year.value:
                    value += scale
                number.value, number.digits = value, previous_year.digits
            previous_year = number


def _only_days(piece: _Piece) -> bool:
    return (
        bool(piece.numbers)
        and not (piece.months or piece.points or piece.romans or piece.unit)
        and all(n.digits <= 2 and 1 <= n.value <= 31 and not n.decade for n in piece.numbers)
    )


def _year_numbers(piece: _Piece) -> list[Token]:
    """Numbers of a month piece that are years (the rest are days)."""
    if not piece.months:
        return list(piece.numbers)
    long = [n for n in piece.numbers if n.digits >= 3 or n.value > 31]
    if long:
        return long
    return piece.numbers[-1:] if len(piece.numbers) > 1 else []


def _century_span(number: int, unit: Kind, bce: bool) -> tuple[int, int]:
    size = 100 if unit is Kind.CENTURY else 1000
    if bce:
        return 1 - number * size, -(number - 1) * size
    return max(1, (number - 1) * size), (number - 1) * size + size - 1


def _apply_part(start: int, end: int, part: tuple[Kind, int] | None) -> tuple[int, int]:
    if part is None:
        return start, end
    kind, ordinal = part
    count = {Kind.HALF: 2, Kind.THIRD: 3, Kind.QUARTER: 4}.get(kind, 3)
    if kind is Kind.EARLY:
        ordinal = 1
    elif kind is Kind.MID:
        ordinal = 2
    elif kind is Kind.LATE or ordinal == -1:
        ordinal = count
    if not 1 <= ordinal <= count:
        return start, end
    length = end - start + 1
    return (start + length * (ordinal - 1) // count, start + length * ordinal // count - 1)


def _to_era(point: IsoDate, bce: bool) -> IsoDate:
    return IsoDate(1 - point.year, point.month, point.day) if bce else point


def _piece_spans(piece: _Piece) -> list[_Span]:
    bce = piece.era is Kind.BCE
    spans: list[_Span] = []
    limit = {Kind.CENTURY: 40, Kind.MILLENNIUM: 12}.get(piece.unit) if piece.unit else 0
    values = piece.romans + [n.value for n in piece.numbers if not n.decade]
    decades = [n.value for n in piece.numbers if n.decade and n.value < 100]
    if piece.unit is Kind.CENTURY and decades and values and 1 <= values[0] <= 40 and not bce:
        # «20-е годы XX века»: a decade inside the century named.
        base = (values[0] - 1) * 100
        for decade in decades:
            start, end = _apply_part(base + decade, base + decade + 9, piece.part)
            spans.append(_Span(IsoDate(start), IsoDate(end)))
        return spans
    if piece.unit is not None and any(1 <= value <= (limit or 0) for value in values):
        for value in values:
            if not 1 <= value <= (limit or 0):
                continue
            start, end = _century_span(value, piece.unit, bce)
            start, end = _apply_part(start, end, piece.part)
            spans.append(_Span(IsoDate(start), IsoDate(end)))
        return spans
    for point in piece.points:
        converted = _to_era(point, bce)
        spans.append(_Span(converted, converted))
    if piece.months:
        years = _year_numbers(piece)
        days = [
            n for n in piece.numbers
            if all(n is not y for y in years) and 1 <= n.value <= 31
        ]
        if years:
            year = years[0].value
            month = piece.months[0]
            day = days[0].value if days and len(piece.months) == 1 else None
            if not is_valid_date(year, month, day):
                day = None
            for month in piece.months:
                point = _to_era(IsoDate(year, month, day), bce)
                spans.append(_Span(point, point))
        return spans
    for number in piece.numbers:
        if number.decade:
            first = number.value if number.digits >= 3 else 1900 + number.value
            start, end = (1 - (first + 9), 1 - first) if bce else (first, first + 9)
            start, end = _apply_part(start, end, piece.part)
            spans.append(_Span(IsoDate(start), IsoDate(end)))
        else:
            point = _to_era(IsoDate(number.value), bce)
            spans.append(_Span(point, point))
    return spans


@lru_cache(maxsize=16384)
def parse_date(text: str | None) -> DateRange | None:
    """Parse a display date (years, ranges, centuries, 'ca.', BCE; many languages).

    See the module docstring for the conventions.  Returns None when the text
    holds no date.  Cached (the result is frozen and depends on the text
    only): a fund repeats its dates ("XIX в.", "1950-е") row after row.
    """
    if not text or not text.strip():
        return None
    iso = normalise_iso(text)
    if iso is not None:
        return DateRange(iso, iso)
    pieces, openness = _split(lex(text))
    for piece in pieces:
        _read_piece(piece)
    pieces = [p for p in pieces if _has_value(p)]
    # A roman numeral without a century word anywhere is a name ("Louis XIV").
    if not any(p.unit for p in pieces):
        for piece in pieces:
            piece.romans.clear()
        pieces = [p for p in pieces if _has_value(p)]
    if not pieces:
        return None
    _borrow(pieces)
    spans = [span for piece in pieces for span in _piece_spans(piece)]
    if not spans:
        return None
    start = min((s.start for s in spans), key=IsoDate.start_key)
    end = max((s.end for s in spans), key=IsoDate.end_key)
    if start.start_key() > end.end_key():
        start, end = end, start
    earliest, latest = start.iso(), end.iso()
    if openness == "before":
        return DateRange(None, latest)
    if openness == "after":
        return DateRange(earliest, None)
    return DateRange(earliest, latest)
