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

Pipeline: normalise (NFKC, ASCII digits, lowercase, era phrases to markers),
lex into typed tokens, split into pieces at range words, read each piece
(date / month / year / decade / century / millennium, with parts and era),
let pieces borrow what they leave out from their neighbours («V–IV вв. до
н.э.», "1921–23", "März–April 1921"), then take the span of all pieces.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import Enum, auto

from mappings.iso_dates import IsoDate, is_valid_date, normalise_iso
from mappings.text import ascii_digits, fold

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


# -- lexicon ------------------------------------------------------------------


class _Kind(Enum):
    NUM = auto()
    ROMAN = auto()
    DATE = auto()
    MONTH = auto()
    CENTURY = auto()
    MILLENNIUM = auto()
    DECADE = auto()  # suffix or word after a number: 1920s, 1920er, 1850-е
    DECADE_PREFIX = auto()  # années 1920, anni 1920
    BCE = auto()
    CE = auto()
    APPROX = auto()
    BEFORE = auto()  # prefix: vor, before, до (alone)
    BEFORE_POST = auto()  # postfix: дейін
    AFTER = auto()  # prefix: nach, after, после, ab, since
    AFTER_POST = auto()  # postfix: кейін
    FROM = auto()  # von, from, с, от, dal: "from" of a range, else "after"
    TO = auto()  # bis, to, до, по, al: range word, else "before"
    RANGE = auto()  # -, –, /
    OR = auto()
    ABLATIVE = auto()  # Kazakh -дан/-ден: "from" of a range
    HALF = auto()
    THIRD = auto()
    QUARTER = auto()
    EARLY = auto()
    MID = auto()
    LATE = auto()
    ORDINAL = auto()  # ordinal words: first, zweite, вторая, екінші, last
    CIRCA_OR_CENTURY = auto()  # "c." / "s.": circa before a number, century after
    NOISE = auto()


@dataclass(slots=True)
class _Token:
    kind: _Kind
    value: int = 0
    text: str = ""
    point: IsoDate | None = None
    digits: int = 0  # for NUM: how many digits were written
    decade: bool = False  # NUM written with a decade suffix


# Era phrases are matched on the lowercased text before lexing because they
# contain dots and spaces ("до н. э.", "v. Chr.", "b.c.e.").
_BCE_PHRASES = re.compile(
    r"до\s*н\.?\s*э\.?|до\s+нашей\s+эры|до\s+р\.?\s*х\.?|до\s+рождества\s+христова"
    r"|б\.?\s*з\.?\s*д\.?(?![а-яәғқңөұүһі])|біздің\s+заманымызға\s+дейін"
    r"|\bb\.?\s?c\.?(?:\s?e\.?)?(?![a-z])|\bbefore\s+christ"
    r"|\bv\.\s*chr\.?(?:\s*g(?:eb)?\.?)?|\bvor\s+chr(?:istus|\.|\b)(?:\s*geb(?:urt|\.))?"
    r"|\ba\.\s*c\.|\bavanti\s+cristo|\bav\.?\s*j\.?\s*-?\s*c\.?|\bavant\s+j(?:\.|ésus)\s*-?\s*c(?:\.|hrist)?"
)
_CE_PHRASES = re.compile(
    r"\bн\.?\s*э\.?(?![а-я])|нашей\s+эры|\bб\.?\s*з\.?(?![а-яәғқңөұүһі])"
    r"|біздің\s+заманымыз(?:дың)?"
    r"|\ba\.?\s?d\.?(?![a-z])|(?<=\d)\s*c\.?\s?e\.?(?![a-z])|\banno\s+domini"
    r"|\bn\.\s*chr\.?(?:\s*g(?:eb)?\.?)?|\bnach\s+chr(?:istus|\.|\b)(?:\s*geb(?:urt|\.))?"
    r"|\bd\.\s*c\.|\bdopo\s+cristo|\bap\.?\s*j\.?\s*-?\s*c\.?|\baprès\s+j(?:\.|ésus)\s*-?\s*c(?:\.|hrist)?"
)

# Numeric dates, tried before the general lexer.  d/m/y with any separator.
_NUMERIC_DATES = re.compile(
    r"(?P<ymd>\b\d{4})[-./](?P<ymd_m>\d{1,2})[-./](?P<ymd_d>\d{1,2})(?![\d])"
    r"|(?P<dmy>\b\d{1,2})[-./](?P<dmy_m>\d{1,2})[-./](?P<dmy_y>\d{3,4})(?!\d)"
    r"|(?P<cjk_y>\d+)\s*[年년]\s*(?:(?P<cjk_m>\d{1,2})\s*[月월]\s*(?:(?P<cjk_d>\d{1,2})\s*[日일])?)?"
    r"|(?P<my_m>\b\d{1,2})[./](?P<my_y>\d{4})(?!\d)"
)

_LEXER = re.compile(
    r"(?P<date>\x00(?P<date_index>\d+)\x00)"
    r"|(?P<mark>\x01(?P<mark_kind>bce|ce)\x01)"
    r"|(?P<num>\d+)(?P<suffix>(?:(?<=\d)[-'’]?(?=[^\W\d_]))[^\W\d_]+)?"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<dash>[-–—−‒/])"
    r"|(?P<approx>[~≈?])"
)

_ROMAN_LOOKALIKES = str.maketrans({"х": "x", "і": "i", "с": "c", "м": "m"})
_ROMAN = re.compile(r"^(m{0,3})(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_SUFFIX = re.compile(r"^([ivxlcdmхіс]+?)(?:e|er|re|ème|eme|mo|o|a|th|st|nd|rd)?$")
_ROMAN_VALUES = {"m": 1000, "d": 500, "c": 100, "l": 50, "x": 10, "v": 5, "i": 1}

# Exact lowercase words (before folding): short or script-sensitive ones.
_RAW_WORDS: dict[str, _Kind] = {
    "в": _Kind.CENTURY, "вв": _Kind.CENTURY, "ғ": _Kind.CENTURY, "ғғ": _Kind.CENTURY,
    "c": _Kind.CIRCA_OR_CENTURY, "s": _Kind.CIRCA_OR_CENTURY, "ss": _Kind.CENTURY,
    "jh": _Kind.CENTURY, "jhd": _Kind.CENTURY, "jhdt": _Kind.CENTURY, "jht": _Kind.CENTURY,
    "sec": _Kind.CENTURY, "cent": _Kind.CENTURY, "vv": _Kind.CENTURY,
    "тыс": _Kind.MILLENNIUM, "jt": _Kind.MILLENNIUM, "jtsd": _Kind.MILLENNIUM,
    "mill": _Kind.MILLENNIUM, "mil": _Kind.MILLENNIUM,
    "ca": _Kind.APPROX, "cca": _Kind.APPROX, "um": _Kind.APPROX, "ок": _Kind.APPROX,
    "около": _Kind.APPROX,
    "шам": _Kind.APPROX, "approx": _Kind.APPROX, "zw": _Kind.NOISE,
    "до": _Kind.TO, "по": _Kind.TO, "bis": _Kind.TO, "to": _Kind.TO, "a": _Kind.TO,
    "à": _Kind.TO, "al": _Kind.TO, "till": _Kind.TO, "until": _Kind.TO, "au": _Kind.TO,
    "с": _Kind.FROM, "со": _Kind.FROM, "от": _Kind.FROM, "von": _Kind.FROM,
    "from": _Kind.FROM, "since": _Kind.FROM, "seit": _Kind.FROM,
    "and": _Kind.TO, "und": _Kind.TO, "и": _Kind.TO, "et": _Kind.TO, "e": _Kind.TO,
    "or": _Kind.OR, "oder": _Kind.OR, "или": _Kind.OR, "o": _Kind.OR, "ou": _Kind.OR,
    "немесе": _Kind.OR, "не": _Kind.NOISE,
    "е": _Kind.DECADE, "х": _Kind.DECADE, "ые": _Kind.DECADE, "ых": _Kind.DECADE,
    "er": _Kind.DECADE, "ern": _Kind.DECADE,
    "ден": _Kind.ABLATIVE, "дан": _Kind.ABLATIVE, "тен": _Kind.ABLATIVE,
    "тан": _Kind.ABLATIVE, "нен": _Kind.ABLATIVE, "нан": _Kind.ABLATIVE,
    "жылдан": _Kind.ABLATIVE,
    "нач": _Kind.EARLY, "сер": _Kind.MID, "кон": _Kind.LATE, "пол": _Kind.HALF,
    "четв": _Kind.QUARTER,
    "дейін": _Kind.BEFORE_POST, "шейін": _Kind.BEFORE_POST, "кейін": _Kind.AFTER_POST,
    "бері": _Kind.AFTER_POST,
}

# Folded whole words (fold() makes Kazakh Latin/Cyrillic and ё/е meet).
_FOLDED_WORDS: dict[str, _Kind] = {
    # centuries
    "century": _Kind.CENTURY, "centuries": _Kind.CENTURY, "jahrhundert": _Kind.CENTURY,
    "jahrhunderts": _Kind.CENTURY, "jahrhunderte": _Kind.CENTURY, "jahrh": _Kind.CENTURY,
    "vek": _Kind.CENTURY, "veka": _Kind.CENTURY, "veke": _Kind.CENTURY,
    "vekov": _Kind.CENTURY, "veki": _Kind.CENTURY,
    "gasir": _Kind.CENTURY, "gasirdin": _Kind.CENTURY, "gasirda": _Kind.CENTURY,
    "gasirlar": _Kind.CENTURY, "gasirlardin": _Kind.CENTURY, "gasirinin": _Kind.CENTURY,
    "secolo": _Kind.CENTURY, "secoli": _Kind.CENTURY, "siecle": _Kind.CENTURY,
    "siecles": _Kind.CENTURY, "siglo": _Kind.CENTURY,
    # millennia
    "millennium": _Kind.MILLENNIUM, "millennia": _Kind.MILLENNIUM,
    "jahrtausend": _Kind.MILLENNIUM, "jahrtausends": _Kind.MILLENNIUM,
    "tisiacheletie": _Kind.MILLENNIUM, "tisiacheletiia": _Kind.MILLENNIUM,
    "tis": _Kind.MILLENNIUM, "minjildik": _Kind.MILLENNIUM, "minjildiktin": _Kind.MILLENNIUM,
    "millenaire": _Kind.MILLENNIUM, "millennio": _Kind.MILLENNIUM,
    # decades
    "jildar": _Kind.DECADE, "jildari": _Kind.DECADE, "jildardin": _Kind.DECADE,
    "annees": _Kind.DECADE_PREFIX, "anni": _Kind.DECADE_PREFIX, "the": _Kind.NOISE,
    # approximation
    "circa": _Kind.APPROX, "etwa": _Kind.APPROX, "gegen": _Kind.APPROX,
    "okolo": _Kind.APPROX, "primerno": _Kind.APPROX, "priblizitelno": _Kind.APPROX,
    "shamamen": _Kind.APPROX, "shamasinda": _Kind.APPROX, "about": _Kind.APPROX,
    "around": _Kind.APPROX, "approximately": _Kind.APPROX, "environ": _Kind.APPROX,
    "vers": _Kind.APPROX, "verso": _Kind.APPROX, "intorno": _Kind.APPROX,
    "presumably": _Kind.APPROX, "vermutlich": _Kind.APPROX, "wohl": _Kind.APPROX,
    # before / after
    "vor": _Kind.BEFORE, "before": _Kind.BEFORE, "prior": _Kind.BEFORE, "avant": _Kind.BEFORE,
    "prima": _Kind.ORDINAL, "pozdnee": _Kind.BEFORE, "spatestens": _Kind.BEFORE,
    "nach": _Kind.AFTER, "after": _Kind.AFTER, "posle": _Kind.AFTER, "ab": _Kind.AFTER,
    "dopo": _Kind.AFTER, "apres": _Kind.AFTER,
    "ranee": _Kind.AFTER, "fruhestens": _Kind.AFTER,
    # parts
    "half": _Kind.HALF, "halfte": _Kind.HALF, "haelfte": _Kind.HALF, "polovina": _Kind.HALF,
    "polovini": _Kind.HALF, "polovine": _Kind.HALF, "jartisi": _Kind.HALF,
    "jartisinda": _Kind.HALF, "moitie": _Kind.HALF, "meta": _Kind.HALF, "mitad": _Kind.HALF,
    "drittel": _Kind.THIRD, "tret": _Kind.THIRD, "treti": _Kind.THIRD, "tiers": _Kind.THIRD,
    "quarter": _Kind.QUARTER, "viertel": _Kind.QUARTER, "chetvert": _Kind.QUARTER,
    "chetverti": _Kind.QUARTER, "shiregi": _Kind.QUARTER,
    "shireginde": _Kind.QUARTER, "quart": _Kind.QUARTER,
    "early": _Kind.EARLY, "beginning": _Kind.EARLY, "start": _Kind.EARLY, "anfang": _Kind.EARLY,
    "beginn": _Kind.EARLY, "fruhes": _Kind.EARLY, "fruhe": _Kind.EARLY, "fruhen": _Kind.EARLY,
    "nachalo": _Kind.EARLY, "nachala": _Kind.EARLY, "basi": _Kind.EARLY,
    "basinda": _Kind.EARLY, "debut": _Kind.EARLY, "inizio": _Kind.EARLY, "inizi": _Kind.EARLY,
    "principio": _Kind.EARLY, "principios": _Kind.EARLY,
    "mid": _Kind.MID, "middle": _Kind.MID, "mitte": _Kind.MID, "seredina": _Kind.MID,
    "seredini": _Kind.MID, "ortasi": _Kind.MID, "ortasinda": _Kind.MID,
    "milieu": _Kind.MID, "mediados": _Kind.MID,
    "late": _Kind.LATE, "end": _Kind.LATE, "ende": _Kind.LATE, "spates": _Kind.LATE,
    "spate": _Kind.LATE, "spaten": _Kind.LATE, "konets": _Kind.LATE, "kontsa": _Kind.LATE,
    "soni": _Kind.LATE, "sonina": _Kind.LATE, "sonind": _Kind.LATE,
    "sonunda": _Kind.LATE, "aiagi": _Kind.LATE, "fin": _Kind.LATE, "fine": _Kind.LATE,
    "finales": _Kind.LATE,
}

_FOLDED_WORDS = {fold(word): kind for word, kind in _FOLDED_WORDS.items()}

# Ordinal words (folded) with their value; -1 means "last".
_ORDINALS: dict[str, int] = {}
for _value, _words in {
    1: "first erste ersten erstes erster pervaia pervoi pervaya perviu birinshi prima primo "
    "premier premiere premiere primera",
    2: "second zweite zweiten zweites zweiter vtoraia vtoroi vtoruiu ekinshi seconda secondo "
    "seconde deuxieme segunda",
    3: "third dritte dritten drittes tretia tretei tretiu ushinshi terza terzo troisieme tercera",
    4: "fourth vierte vierten viertes chetvertaia chetvertoi tortinshi quarta quatrieme cuarta",
    -1: "last letzte letzten letztes poslednaia posledniaia poslednei posledniu songi songi "
    "ultima ultimo derniere dernier",
}.items():
    for _word in _words.split():
        _ORDINALS[fold(_word)] = _value

# Month names (folded, so Kazakh Latin and Cyrillic spellings meet) in en, de,
# fr, it, es, pt, id, hu, ru and kk, with the usual abbreviations and the
# Russian case forms.  Whole words only: a prefix rule would read "Mainz 1900"
# as May 1900.
_MONTH_NAMES = {
    1: "january jan januar janner jan janvier janv gennaio gen enero janeiro januari "
    "janvar ianuarie январь января январе янв қаңтар",
    2: "february feb febr februar fevrier fevr febbraio febrero fevereiro februari "
    "февраль февраля феврале фев февр ақпан",
    3: "march mar marz maerz mars marzo marco maret marcius marc "
    "март марта марте мар наурыз",
    4: "april apr avril avr aprile abril aprilis "
    "апрель апреля апреле апр сәуір",
    5: "may mai maggio mag mayo maio mei majus maj "
    "май мая мае мамыр",
    6: "june jun juni juin giugno giu junio junho junius "
    "июнь июня июне июн маусым",
    7: "july jul juli juillet juil luglio lug julio julho julius "
    "июль июля июле июл шілде",
    8: "august aug aout agosto ago agustus augusztus "
    "август августа августе авг тамыз",
    9: "september sep sept septembre settembre set septiembre setiembre setembro szeptember "
    "szept сентябрь сентября сентябре сен сент қыркүйек",
    10: "october oct oktober okt octobre ottobre ott octubre outubro "
    "октябрь октября октябре окт қазан",
    11: "november nov novembre noviembre novembro "
    "ноябрь ноября ноябре ноя нояб қараша",
    12: "december dec dezember dez decembre dicembre dic diciembre dezembro desember "
    "декабрь декабря декабре дек желтоқсан",
}
_MONTHS: dict[str, int] = {
    fold(name): month for month, names in _MONTH_NAMES.items() for name in names.split()
}
# Kazakh month names take case endings (наурызда, қазанның): match by stem.
_KAZAKH_MONTH_STEMS: tuple[tuple[str, int], ...] = tuple(
    (fold(name), month)
    for month, name in enumerate(
        "қаңтар ақпан наурыз сәуір мамыр маусым шілде тамыз қыркүйек қазан қараша желтоқсан"
        .split(),
        start=1,
    )
)


def _month_of(folded: str) -> int | None:
    """Month number of a folded word, or None."""
    month = _MONTHS.get(folded)
    if month is not None:
        return month
    for stem, month in _KAZAKH_MONTH_STEMS:
        if folded.startswith(stem) and len(folded) <= len(stem) + 4:
            return month
    return None


def _roman_value(word: str) -> int | None:
    match = _ROMAN_SUFFIX.match(word)
    if match is None:
        return None
    letters = match.group(1).translate(_ROMAN_LOOKALIKES)
    if not letters or _ROMAN.match(letters) is None:
        return None
    total = 0
    for index, letter in enumerate(letters):
        value = _ROMAN_VALUES[letter]
        following = _ROMAN_VALUES[letters[index + 1]] if index + 1 < len(letters) else 0
        total += -value if value < following else value
    return total or None


# -- lexing ---------------------------------------------------------------------


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _normalise(text: str) -> str:
    # Control characters are cleared first: the lexer uses \x00/\x01 as markers.
    text = unicodedata.normalize("NFKC", _CONTROL.sub(" ", text)).replace("İ", "i")
    return ascii_digits(text).lower()


def _numeric_date(match: re.Match[str]) -> IsoDate | None:
    groups = match.groupdict()
    if groups["ymd"]:
        year, month, day = int(groups["ymd"]), int(groups["ymd_m"]), int(groups["ymd_d"])
    elif groups["dmy"]:
        first, second, year = int(groups["dmy"]), int(groups["dmy_m"]), int(groups["dmy_y"])
        day, month = (first, second) if second <= 12 else (second, first)
    elif groups["cjk_y"]:
        year = int(groups["cjk_y"])
        month = int(groups["cjk_m"]) if groups["cjk_m"] else None
        day = int(groups["cjk_d"]) if groups["cjk_d"] else None
        return IsoDate(year, month, day) if is_valid_date(year, month, day) else IsoDate(year)
    else:
        year, month, day = int(groups["my_y"]), int(groups["my_m"]), None
    if not is_valid_date(year, month, day):
        return None
    return IsoDate(year, month, day)


def _classify_word(word: str) -> _Token:
    raw = word.strip("'’")
    kind = _RAW_WORDS.get(raw)
    if kind is not None:
        return _Token(kind, text=raw)
    roman = _roman_value(raw)
    if roman is not None:
        return _Token(_Kind.ROMAN, value=roman, text=raw)
    folded = fold(raw).replace(" ", "")
    kind = _FOLDED_WORDS.get(folded)
    if kind is not None:
        return _Token(kind, text=folded)
    if folded in _ORDINALS:
        return _Token(_Kind.ORDINAL, value=_ORDINALS[folded], text=folded)
    month = _month_of(folded)
    if month is not None:
        return _Token(_Kind.MONTH, value=month, text=folded)
    return _Token(_Kind.NOISE, text=folded)


_DECADE_SUFFIXES = frozenset({"s", "'s", "’s", "er", "ern", "е", "-е", "х", "-х", "ые",
                              "-ые", "ых", "-ых", "x", "-x"})
_ABLATIVE_SUFFIXES = frozenset({"ден", "дан", "тен", "тан", "нен", "нан"})


def _lex(text: str) -> list[_Token]:
    text = _normalise(text)
    text = _BCE_PHRASES.sub(" \x01bce\x01 ", text)
    text = _CE_PHRASES.sub(" \x01ce\x01 ", text)
    points: list[IsoDate | None] = []

    def stash(match: re.Match[str]) -> str:
        points.append(_numeric_date(match))
        return f" \x00{len(points) - 1}\x00 "

    text = _NUMERIC_DATES.sub(stash, text)
    result: list[_Token] = []
    for match in _LEXER.finditer(text):
        group = match.lastgroup
        if match.group("date") is not None:
            point = points[int(match.group("date_index"))]
            if point is not None:
                result.append(_Token(_Kind.DATE, point=point))
        elif match.group("mark") is not None:
            is_bce = match.group("mark_kind") == "bce"
            result.append(_Token(_Kind.BCE if is_bce else _Kind.CE))
        elif match.group("num") is not None:
            digits = match.group("num")
            suffix = (match.group("suffix") or "").lstrip("-'’")
            token = _Token(_Kind.NUM, value=int(digits), digits=len(digits), text=digits)
            token.decade = suffix in _DECADE_SUFFIXES and token.value % 10 == 0
            result.append(token)
            if suffix in _ABLATIVE_SUFFIXES:
                result.append(_Token(_Kind.ABLATIVE))
        elif match.group("word") is not None:
            result.append(_classify_word(match.group("word")))
        elif match.group("dash") is not None:
            result.append(_Token(_Kind.RANGE, text=match.group("dash")))
        elif group == "approx" or match.group("approx") is not None:
            result.append(_Token(_Kind.APPROX))
    return _resolve_ambiguous(result)


_BEARERS = (_Kind.NUM, _Kind.ROMAN, _Kind.DATE, _Kind.MONTH)
_PARTS = (_Kind.HALF, _Kind.THIRD, _Kind.QUARTER, _Kind.EARLY, _Kind.MID, _Kind.LATE)


def _resolve_ambiguous(found: list[_Token]) -> list[_Token]:
    """Settle words whose meaning depends on their neighbours."""
    tokens = [t for t in found if t.kind is not _Kind.NOISE]
    for index, token in enumerate(tokens):
        previous = tokens[index - 1] if index else None
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token.kind is _Kind.CENTURY and token.text == "в" and (
            previous is None or previous.kind not in (_Kind.NUM, _Kind.ROMAN)
        ):
            token.kind = _Kind.NOISE  # «в 1900 г.»: the preposition "in"
        elif token.kind is _Kind.CIRCA_OR_CENTURY:
            after_value = previous is not None and previous.kind in (_Kind.NUM, _Kind.ROMAN)
            if token.text == "s" and previous is not None and previous.kind is _Kind.NUM:
                previous.decade = previous.value % 10 == 0
                token.kind = _Kind.NOISE
            elif after_value:
                token.kind = _Kind.CENTURY
            elif token.text == "s" and following is not None and following.kind is _Kind.ROMAN:
                token.kind = _Kind.CENTURY  # "s. XIX" (siglo / secolo)
            else:
                token.kind = _Kind.APPROX
        elif token.kind is _Kind.DECADE and previous is not None and previous.kind is _Kind.NUM:
            previous.decade = previous.value % 10 == 0
            token.kind = _Kind.NOISE
        elif token.kind is _Kind.DECADE:
            token.kind = _Kind.NOISE
        elif token.kind is _Kind.DECADE_PREFIX:
            if following is not None and following.kind is _Kind.NUM:
                following.decade = following.value % 10 == 0
            token.kind = _Kind.NOISE
        elif token.kind is _Kind.ORDINAL and previous is not None and (
            previous.kind is _Kind.ORDINAL
            or (previous.kind is _Kind.NUM and previous.digits <= 1)
        ):
            # "first third", "primo quarto", "1. Drittel": the second is the noun.
            token.kind = {3: _Kind.THIRD, 4: _Kind.QUARTER}.get(token.value, _Kind.NOISE)
        elif token.kind is _Kind.ORDINAL and token.value == 1 and token.text == "prima" and (
            following is None or following.kind not in _PARTS
        ):
            token.kind = _Kind.BEFORE  # Italian "prima del 1900"
        elif token.kind is _Kind.HALF and token.text == "meta" and (
            previous is None or previous.kind not in (_Kind.ORDINAL, _Kind.NUM)
        ):
            token.kind = _Kind.MID  # "metà del XIX secolo"
        elif token.kind is _Kind.RANGE and previous is not None and previous.kind in _PARTS:
            token.kind = _Kind.NOISE  # "mid-19th century"
    return [t for t in tokens if t.kind is not _Kind.NOISE]


# -- pieces -----------------------------------------------------------------------


@dataclass(slots=True)
class _Piece:
    tokens: list[_Token] = field(default_factory=list)
    era: _Kind | None = None
    unit: _Kind | None = None  # CENTURY / MILLENNIUM
    part: tuple[_Kind, int] | None = None  # (kind, index); index 0 = none given
    months: list[int] = field(default_factory=list)
    numbers: list[_Token] = field(default_factory=list)
    romans: list[int] = field(default_factory=list)
    points: list[IsoDate] = field(default_factory=list)


def _split(tokens: list[_Token]) -> tuple[list[_Piece], str | None]:
    """Cut the token list at range words; say whether the range is open."""
    pieces: list[_Piece] = [_Piece()]
    openness: str | None = None
    has_range_word = any(
        t.kind in (_Kind.RANGE, _Kind.TO, _Kind.OR, _Kind.ABLATIVE) for t in tokens
    )
    for index, token in enumerate(tokens):
        current = pieces[-1]
        seen_value = any(t.kind in _BEARERS for t in current.tokens) or len(pieces) > 1
        rest_has_value = any(t.kind in _BEARERS for t in tokens[index + 1:])
        if token.kind in (_Kind.RANGE, _Kind.TO, _Kind.OR, _Kind.ABLATIVE):
            if seen_value and rest_has_value:
                pieces.append(_Piece())
            elif not seen_value and rest_has_value and token.kind in (_Kind.RANGE, _Kind.TO):
                openness = "before"  # "-1.1.1924", "bis 1900", «до 1900 г.»
            elif seen_value and not rest_has_value and token.kind is _Kind.RANGE:
                openness = "after"  # "1924-"
        elif token.kind is _Kind.FROM:
            if not has_range_word:
                openness = "after"  # "ab 1900", «с 1900 г.»
        elif token.kind in (_Kind.BEFORE, _Kind.BEFORE_POST):
            if token.kind is _Kind.BEFORE or len(pieces) == 1:
                openness = "before"
        elif token.kind in (_Kind.AFTER, _Kind.AFTER_POST):
            openness = "after"
        elif token.kind is not _Kind.APPROX:
            current.tokens.append(token)
    return [p for p in pieces if p.tokens], openness


def _read_piece(piece: _Piece) -> None:
    """Sort a piece's tokens into values, unit, part and era."""
    tokens = piece.tokens
    consumed: set[int] = set()
    for index, token in enumerate(tokens):
        if token.kind in (_Kind.HALF, _Kind.THIRD, _Kind.QUARTER):
            previous = tokens[index - 1] if index else None
            ordinal = 0
            if previous is not None and previous.kind is _Kind.ORDINAL:
                ordinal = previous.value
                consumed.add(index - 1)
            elif previous is not None and previous.kind is _Kind.NUM and previous.value <= 4:
                ordinal = previous.value
                consumed.add(index - 1)
            piece.part = (token.kind, ordinal)
        elif token.kind in (_Kind.EARLY, _Kind.MID, _Kind.LATE):
            piece.part = (token.kind, 0)
    for index, token in enumerate(tokens):
        if index in consumed:
            continue
        if token.kind in (_Kind.BCE, _Kind.CE):
            piece.era = token.kind
        elif token.kind in (_Kind.CENTURY, _Kind.MILLENNIUM):
            piece.unit = token.kind
        elif token.kind is _Kind.MONTH:
            piece.months.append(token.value)
        elif token.kind is _Kind.NUM:
            piece.numbers.append(token)
        elif token.kind is _Kind.ROMAN:
            piece.romans.append(token.value)
        elif token.kind is _Kind.DATE and token.point is not None:
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
                years = _year_numbers(donor) or [_Token(_Kind.NUM, value=p.year, digits=4)
                                                 for p in donor.points]
                if years:
                    piece.numbers.append(years[0])
                    break


def _expand_abbreviated_years(pieces: list[_Piece]) -> None:
    """"1921–23" → 1921–1923, "1998–03" → 1998–2003 (only when no era is written)."""
    previous_year: _Token | None = None
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


def _year_numbers(piece: _Piece) -> list[_Token]:
    """Numbers of a month piece that are years (the rest are days)."""
    if not piece.months:
        return list(piece.numbers)
    long = [n for n in piece.numbers if n.digits >= 3 or n.value > 31]
    if long:
        return long
    return piece.numbers[-1:] if len(piece.numbers) > 1 else []


def _century_span(number: int, unit: _Kind, bce: bool) -> tuple[int, int]:
    size = 100 if unit is _Kind.CENTURY else 1000
    if bce:
        return 1 - number * size, -(number - 1) * size
    return max(1, (number - 1) * size), (number - 1) * size + size - 1


def _apply_part(start: int, end: int, part: tuple[_Kind, int] | None) -> tuple[int, int]:
    if part is None:
        return start, end
    kind, ordinal = part
    count = {_Kind.HALF: 2, _Kind.THIRD: 3, _Kind.QUARTER: 4}.get(kind, 3)
    if kind is _Kind.EARLY:
        ordinal = 1
    elif kind is _Kind.MID:
        ordinal = 2
    elif kind is _Kind.LATE or ordinal == -1:
        ordinal = count
    if not 1 <= ordinal <= count:
        return start, end
    length = end - start + 1
    return (start + length * (ordinal - 1) // count, start + length * ordinal // count - 1)


def _to_era(point: IsoDate, bce: bool) -> IsoDate:
    return IsoDate(1 - point.year, point.month, point.day) if bce else point


def _piece_spans(piece: _Piece) -> list[_Span]:
    bce = piece.era is _Kind.BCE
    spans: list[_Span] = []
    limit = {_Kind.CENTURY: 40, _Kind.MILLENNIUM: 12}.get(piece.unit) if piece.unit else 0
    values = piece.romans + [n.value for n in piece.numbers if not n.decade]
    decades = [n.value for n in piece.numbers if n.decade and n.value < 100]
    if piece.unit is _Kind.CENTURY and decades and values and 1 <= values[0] <= 40 and not bce:
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


def parse_date(text: str | None) -> DateRange | None:
    """Parse a display date (years, ranges, centuries, 'ca.', BCE; many languages).

    See the module docstring for the conventions.  Returns None when the text
    holds no date.
    """
    if not text or not text.strip():
        return None
    iso = normalise_iso(text)
    if iso is not None:
        return DateRange(iso, iso)
    pieces, openness = _split(_lex(text))
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
