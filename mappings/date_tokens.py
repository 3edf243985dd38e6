"""The words of a display date: text in any of the catalogue's languages to typed tokens.

``mappings.dates`` reads a date statement in two steps; this is the first.  It
cleans the text (NFKC, ASCII digits, lowercase), marks era phrases, stashes
numeric dates, and gives every remaining word a kind: a number, a roman
numeral, a month, a century word, a part ("second half"), approximation,
a range word, or noise.  Words whose kind depends on their neighbours
("c." is circa before a number and century after one) are settled last.

The words themselves are data, reviewed apart from the code, in
``mappings/data/date_words.yaml``; this module loads them once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum, auto
from typing import Any

from mappings.data_files import DataFileError, load_yaml, mapping_of, strings_of, version_of
from mappings.iso_dates import IsoDate, is_valid_date
from mappings.text import ascii_digits, fold

__all__ = ["DATE_WORDS_VERSION", "Kind", "Token", "lex"]

_WORDS_FILE = "data/date_words.yaml"


class Kind(Enum):
    """What a word or number contributes to a date; the YAML sections use these names."""

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
class Token:
    """One lexed item; mutable because neighbours settle ambiguous kinds afterwards."""

    kind: Kind
    value: int = 0
    text: str = ""
    point: IsoDate | None = None
    digits: int = 0  # for NUM: how many digits were written
    decade: bool = False  # NUM written with a decade suffix


# -- the word tables ---------------------------------------------------------------

_ORDINAL_KEYS = {"1": 1, "2": 2, "3": 3, "4": 4, "last": -1}


@dataclass(frozen=True, slots=True)
class _Lexicon:
    """The word tables of date_words.yaml, keyed the way the lexer looks words up."""

    version: str
    exact_words: dict[str, Kind]
    folded_words: dict[str, Kind]
    ordinals: dict[str, int]
    months: dict[str, int]
    kazakh_month_stems: tuple[tuple[str, int], ...]
    decade_suffixes: frozenset[str]
    ablative_suffixes: frozenset[str]
    bce_phrases: re.Pattern[str]
    ce_phrases: re.Pattern[str]

    def month_of(self, folded: str) -> int | None:
        """Month number of a folded word, or None; Kazakh names may carry a case ending."""
        month = self.months.get(folded)
        if month is not None:
            return month
        for stem, number in self.kazakh_month_stems:
            if folded.startswith(stem) and len(folded) <= len(stem) + 4:
                return number
        return None


def _kinds(section: dict[str, Any], where: str, key: Callable[[str], str] | None = None) -> dict[str, Kind]:
    words: dict[str, Kind] = {}
    for name, listed in section.items():
        try:
            kind = Kind[name.upper()]
        except KeyError:
            raise DataFileError(f"{where}: {name!r} is not a kind of date word") from None
        for word in strings_of(listed, f"{where}.{name}"):
            words[key(word) if key else word] = kind
    return words


def _numbered(section: dict[str, Any], where: str, numbers: dict[str, int]) -> dict[str, int]:
    words: dict[str, int] = {}
    for name, listed in section.items():
        if name not in numbers:
            raise DataFileError(f"{where}: unexpected key {name!r}")
        for word in strings_of(listed, f"{where}.{name}"):
            words[fold(word)] = numbers[name]
    return words


def _load_lexicon() -> _Lexicon:
    table = load_yaml(_WORDS_FILE)

    def where(key: str) -> str:
        return f"{_WORDS_FILE}: {key}"

    def section(key: str) -> dict[str, Any]:
        return mapping_of(table.get(key), where(key))

    def strings(key: str) -> list[str]:
        return strings_of(table.get(key), where(key))

    stems = strings("kazakh_month_stems")
    if len(stems) != 12:
        raise DataFileError(f"{where('kazakh_month_stems')} must list the twelve months in order")
    eras = section("era_phrases")
    return _Lexicon(
        version=version_of(table, _WORDS_FILE),
        exact_words=_kinds(section("exact_words"), where("exact_words")),
        folded_words=_kinds(section("folded_words"), where("folded_words"), key=fold),
        ordinals=_numbered(section("ordinals"), where("ordinals"), _ORDINAL_KEYS),
        months=_numbered(section("months"), where("months"), {str(n): n for n in range(1, 13)}),
        kazakh_month_stems=tuple((fold(stem), number) for number, stem in enumerate(stems, start=1)),
        decade_suffixes=frozenset(strings("decade_suffixes")),
        ablative_suffixes=frozenset(strings("ablative_suffixes")),
        bce_phrases=re.compile("|".join(strings_of(eras.get("bce"), where("era_phrases.bce")))),
        ce_phrases=re.compile("|".join(strings_of(eras.get("ce"), where("era_phrases.ce")))),
    )


_LEXICON = _load_lexicon()

#: Version of the word tables; the mappings that read display dates follow it.
DATE_WORDS_VERSION = _LEXICON.version


# -- lexing ---------------------------------------------------------------------

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


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _normalise(text: str) -> str:
    # Control characters are cleared first: the lexer uses \x00/\x01 as markers.
    text = unicodedata.normalize("NFKC", _CONTROL.sub(" ", text)).replace("İ", "i")
    return ascii_digits(text).lower()


def _numeric_date(match: re.Match[str]) -> IsoDate | None:
    groups = match.groupdict()
    month: int | None
    day: int | None
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


def _classify_word(word: str) -> Token:
    raw = word.strip("'’")
    kind = _LEXICON.exact_words.get(raw)
    if kind is not None:
        return Token(kind, text=raw)
    roman = _roman_value(raw)
    if roman is not None:
        return Token(Kind.ROMAN, value=roman, text=raw)
    folded = fold(raw).replace(" ", "")
    kind = _LEXICON.folded_words.get(folded)
    if kind is not None:
        return Token(kind, text=folded)
    ordinal = _LEXICON.ordinals.get(folded)
    if ordinal is not None:
        return Token(Kind.ORDINAL, value=ordinal, text=folded)
    month = _LEXICON.month_of(folded)
    if month is not None:
        return Token(Kind.MONTH, value=month, text=folded)
    return Token(Kind.NOISE, text=folded)


def lex(text: str) -> list[Token]:
    text = _normalise(text)
    text = _LEXICON.bce_phrases.sub(" \x01bce\x01 ", text)
    text = _LEXICON.ce_phrases.sub(" \x01ce\x01 ", text)
    points: list[IsoDate | None] = []

    def stash(match: re.Match[str]) -> str:
        points.append(_numeric_date(match))
        return f" \x00{len(points) - 1}\x00 "

    text = _NUMERIC_DATES.sub(stash, text)
    result: list[Token] = []
    for match in _LEXER.finditer(text):
        group = match.lastgroup
        if match.group("date") is not None:
            point = points[int(match.group("date_index"))]
            if point is not None:
                result.append(Token(Kind.DATE, point=point))
        elif match.group("mark") is not None:
            is_bce = match.group("mark_kind") == "bce"
            result.append(Token(Kind.BCE if is_bce else Kind.CE))
        elif match.group("num") is not None:
            digits = match.group("num")
            suffix = (match.group("suffix") or "").lstrip("-'’")
            token = Token(Kind.NUM, value=int(digits), digits=len(digits), text=digits)
            token.decade = suffix in _LEXICON.decade_suffixes and token.value % 10 == 0
            result.append(token)
            if suffix in _LEXICON.ablative_suffixes:
                result.append(Token(Kind.ABLATIVE))
        elif match.group("word") is not None:
            result.append(_classify_word(match.group("word")))
        elif match.group("dash") is not None:
            result.append(Token(Kind.RANGE, text=match.group("dash")))
        elif group == "approx" or match.group("approx") is not None:
            result.append(Token(Kind.APPROX))
    return _resolve_ambiguous(result)


_PARTS = (Kind.HALF, Kind.THIRD, Kind.QUARTER, Kind.EARLY, Kind.MID, Kind.LATE)


def _resolve_ambiguous(found: list[Token]) -> list[Token]:
    """Settle words whose meaning depends on their neighbours."""
    tokens = [t for t in found if t.kind is not Kind.NOISE]
    for index, token in enumerate(tokens):
        previous = tokens[index - 1] if index else None
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token.kind is Kind.CENTURY and token.text == "в" and (
            previous is None or previous.kind not in (Kind.NUM, Kind.ROMAN)
        ):
            token.kind = Kind.NOISE  # «в 1900 г.»: the preposition "in"
        elif token.kind is Kind.CIRCA_OR_CENTURY:
            after_value = previous is not None and previous.kind in (Kind.NUM, Kind.ROMAN)
            if token.text == "s" and previous is not None and previous.kind is Kind.NUM:
                previous.decade = previous.value % 10 == 0
                token.kind = Kind.NOISE
            elif after_value:
                token.kind = Kind.CENTURY
            elif token.text == "s" and following is not None and following.kind is Kind.ROMAN:
                token.kind = Kind.CENTURY  # "s. XIX" (siglo / secolo)
            else:
                token.kind = Kind.APPROX
        elif token.kind is Kind.DECADE and previous is not None and previous.kind is Kind.NUM:
            previous.decade = previous.value % 10 == 0
            token.kind = Kind.NOISE
        elif token.kind is Kind.DECADE:
            token.kind = Kind.NOISE
        elif token.kind is Kind.DECADE_PREFIX:
            if following is not None and following.kind is Kind.NUM:
                following.decade = following.value % 10 == 0
            token.kind = Kind.NOISE
        elif token.kind is Kind.ORDINAL and previous is not None and (
            previous.kind is Kind.ORDINAL
            or (previous.kind is Kind.NUM and previous.digits <= 1)
        ):
            # "first third", "primo quarto", "1. Drittel": the second is the noun.
            token.kind = {3: Kind.THIRD, 4: Kind.QUARTER}.get(token.value, Kind.NOISE)
        elif token.kind is Kind.ORDINAL and token.value == 1 and token.text == "prima" and (
            following is None or following.kind not in _PARTS
        ):
            token.kind = Kind.BEFORE  # Italian "prima del 1900"
        elif token.kind is Kind.HALF and token.text == "meta" and (
            previous is None or previous.kind not in (Kind.ORDINAL, Kind.NUM)
        ):
            token.kind = Kind.MID  # "metà del XIX secolo"
        elif token.kind is Kind.RANGE and previous is not None and previous.kind in _PARTS:
            token.kind = Kind.NOISE  # "mid-19th century"
    return [t for t in tokens if t.kind is not Kind.NOISE]


