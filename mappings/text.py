"""Script-agnostic search keys for Kazakh, Russian and English text.

Why
---
One Kazakh word reaches the catalogue in up to six spellings: Cyrillic
(«Шымкент»), the 2021 Latin alphabet ("Şymkent"), the 2017 apostrophe
alphabet ("S'ymkent"), the 2018 acute alphabet ("Shymkent"), informal
Turkish-style Latin and Russian-style romanisation ("Shymkent", "Chimkent").
Records and queries meet only if every spelling folds to one key.  We fold
to a *plain-ASCII Latin skeleton* that drops exactly the distinctions the
variants disagree on; both sides of a search are folded the same way, so a
collision costs precision, never recall.

Folding rules (``fold``) and why each exists
--------------------------------------------
1. NFKC, then ``İ``→``i`` *before* ``str.lower()`` (Python lowers ``İ`` to
   ``i`` + U+0307), then lowercase.  Every i-form (``i ı İ ï``, Cyrillic
   ``і ы и й``) ends as ``i`` anyway, so the Turkish/Kazakh dotted/dotless
   casing cannot split keys.  Combining marks are removed afterwards.
2. 2017 apostrophe digraphs: ``a' g' n' o' u' i'`` lose the apostrophe (their
   base letter is already the skeleton), ``y'`` (= у) → ``u``, ``s'`` (= ш) →
   ``sh``, ``c'`` (= ч) → ``ch``.  All other apostrophes are removed so the
   word stays whole (``Kazakhstan's`` → ``kazakstans``).
3. Letters to the skeleton (one ``str.translate`` table):

   ============================  ======  ==================================
   spellings                     key     why
   ============================  ======  ==================================
   ә ä á à â, a                  a       Ә has no letter in Russian-style
   ғ ğ ǵ, g, (``gh``)            g       ``Qaraghandy`` = ``Qarağandy``
   қ q, k, (``kh``), х           k       Қазақстан/Kazakhstan/Казахстан
   ң ñ ŋ ń, n                    n       ``Mañğystau`` = ``Mangystau``
   ө ö ó, o                      o
   ұ ү у ū ü ú ý, u, w           u       ``Ý`` is 2018 у; ``W`` informal у
   і ı ы и й i y ï í             i       2021 ``ı``=і, ``y``=ы, 2018 ``ı``=и;
                                         Russian-style writes і/ы as i or y
   ж j, (``zh``)                 j       ``Jetısu`` = ``Zhetysu``
   ш ş, s', (``sh``)             sh
   ч ç, c', (``ch``)             ch
   щ                             shch    Russian-style ``Shch``
   ц                             ts      Russian-style ``Ts`` (stanza's
                                         ``C`` would collide with English c)
   ё е э                         e       Russian «ёлка» = «елка»
   ю / я                         iu/ia   2021 ``İu``/``İa`` = ``Yu``/``Ya``
   һ                             h       Kazakh Һ in Arabic loans
   ъ ь                           (none)  dropped in every Latin variant
   x                             ks      ``Alexander`` = «Александр»
   ============================  ======  ==================================

   Other diacritics are stripped (``é``→``e``, ``ά``→``α``; ``ß``→``ss``, ``æ``→``ae``),
   Unicode digits become ASCII digits, and letters of other scripts (Arabic,
   Greek, CJK) pass through lowercased without marks.
4. ``zh+``→``j``, ``kh+``→``k``, ``gh+``→``g`` (runs of ``h`` so the rule is
   idempotent).
5. Anything that is not a letter or digit becomes one space.

Known collisions (accepted for recall): Қ/К/Х (``kazak``), Ғ/Г, Ң/Н, Ө/О,
Ұ/Ү/У, Ә/А, І/Ы/И/Й, 2018 ``Ý``/Czech ``ý``, English ``y``/``i`` and ``w``/``u``,
``h`` after k/g/z, English plural possessive ``s'`` (→ ``sh``; the stem key
still meets because the English stemmer strips the apostrophe first).

Known misses (variants that do *not* meet on the key):
* 2021/2018 Latin ``H`` for Cyrillic Х (``Han`` vs «Хан» → ``kan``): Х must
  fold to ``k`` so that Russian «Казахстан» meets «Қазақстан»; Һ keeps ``h``.
* stanza's ``C`` for Ц and 2018 ``s`` for Ц; 2018 ``sh`` for Щ; ``Io`` for Ё
  (Ё folds to ``e`` so that Russian «ёлка» meets «елка»).
* Russian-style ``Ye``/``Yo`` for word-initial Е/Ё.

Two keys per token: exact key and stem
--------------------------------------
The index stores, for every token, its *key* (``tokens``) and its *stem*
(``stems``): the Snowball stemmer of the token's own script (Russian for
Cyrillic, English for Latin) applied to the original spelling, then folded.
A query token matches when its key equals an indexed key **or** its stem
equals an indexed stem (``query_terms`` gives both).  Stems make «иконы»
find «икона» and "icons" find "icon"; keys make Kazakh Latin find Kazakh
Cyrillic even where the two stemmers cut the word differently (the Russian
stemmer turns «Алматы» into ``almat``, the English one "Almaty" into
``almati``; their keys are both ``almati``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

import snowballstemmer

__all__ = ["ascii_digits", "fold", "query_terms", "stems", "tokens", "transliterate_kk_latin"]

_APOSTROPHES = "'’ʼ‘`´ʹ′"

# -- fold tables ---------------------------------------------------------------

_CYRILLIC_SKELETON: dict[str, str] = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d",
    "е": "e", "ё": "e", "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k",
    "қ": "k", "л": "l", "м": "m", "н": "n", "ң": "n", "о": "o", "ө": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u",
    "ф": "f", "х": "k", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "i", "і": "i", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
    # Ukrainian/Belarusian/Kyrgyz letters met in Russian-language records.
    "ї": "i", "є": "e", "ў": "u", "ґ": "g",
}

# Latin letters whose skeleton is not simply "strip the diacritic".
_LATIN_SKELETON: dict[str, str] = {
    "q": "k", "y": "i", "w": "u", "x": "ks", "ı": "i",
    "ş": "sh", "ș": "sh", "ç": "ch", "ñ": "n", "ŋ": "n", "ń": "n",
    "ǵ": "g", "ğ": "g", "ý": "u", "ÿ": "i", "ŷ": "i",
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d",
    "ł": "l", "þ": "th", "ħ": "h", "ŧ": "t", "ĳ": "ij",
}

_APOSTROPHE_DIGRAPH = re.compile(f"([aginouycs])[{_APOSTROPHES}]")
_APOSTROPHE_VALUE = {"y": "u", "s": "sh", "c": "ch"}
_H_AFTER_Z = re.compile(r"zh+")
_H_AFTER_KG = re.compile(r"([kg])h+")
_SEPARATORS = re.compile(r"[\W_]+")
_RAW_TOKEN = re.compile(
    f"[^\\W_]+(?:[{_APOSTROPHES}]+[^\\W_]+)*[{_APOSTROPHES}]*"
)
_CYRILLIC = re.compile(r"[\u0400-\u04ff\u0500-\u052f]")
_LATIN = re.compile(r"[a-z\u00c0-\u024f\u1e00-\u1eff]")


def _build_prepare_table() -> dict[int, str]:
    """Mark-stripping and digit table applied after lowercasing.

    Every combining mark is deleted and every decimal digit of any script
    becomes its ASCII digit, so «١٨٦٩» and "1869" meet.  The table holds an
    entry for *every* BMP character (identity where nothing changes) because
    ``str.translate`` pays for a raised KeyError on each character a dict
    table lacks; complete tables made folding about three times faster.
    """
    table: dict[int, str] = {}
    for code in range(0x10000):
        char = chr(code)
        category = unicodedata.category(char)
        if category == "Mn":
            table[code] = ""
        elif category == "Nd":
            table[code] = str(unicodedata.decimal(char))
        elif category != "Cs":
            table[code] = char
    return table


def _build_skeleton_table() -> dict[int, str]:
    """Letters (already lowercase) to the ASCII skeleton; apostrophes vanish."""
    table: dict[int, str] = {}
    for code in range(0xC0, 0x10000):
        char = chr(code)
        if not char.islower() or 0x400 <= code < 0x530:
            continue  # Cyrillic letters get their own rows below
        decomposed = unicodedata.normalize("NFD", char)
        if len(decomposed) > 1 and decomposed[0].isalpha():
            table[code] = decomposed[0]  # é → e, ά → α: accents never split keys
    for source, target in {**_LATIN_SKELETON, **_CYRILLIC_SKELETON}.items():
        table[ord(source)] = target
    for char in _APOSTROPHES:
        table[ord(char)] = ""
    return table


_PREPARE = _build_prepare_table()
_SKELETON = _build_skeleton_table()
# prepare + skeleton in one pass, for whole texts (fold, tokens).
_FOLD = {code: _SKELETON.get(ord(char), char) if len(char) == 1 else char
         for code, char in _PREPARE.items()}


def _lower(text: str) -> str:
    """NFKC and a lowercase that keeps İ a plain i (Python lowers 'İ' to 'i' + U+0307)."""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKC", text).replace("İ", "i").lower()


def _prepare(text: str) -> str:
    """Lowercase, no combining marks, ASCII digits: the form raw tokens are cut from."""
    lowered = _lower(text)
    return lowered if lowered.isascii() else lowered.translate(_PREPARE)


def _apostrophe_digraph(match: re.Match[str]) -> str:
    letter = match.group(1)
    return _APOSTROPHE_VALUE.get(letter, letter)


def _skeleton(lowered: str, table: dict[int, str] = _SKELETON) -> str:
    """Apostrophe digraphs, letter table and h-rules on lowercased text."""
    if any(char in lowered for char in _APOSTROPHES):
        lowered = _APOSTROPHE_DIGRAPH.sub(_apostrophe_digraph, lowered)
    folded = lowered.translate(table)
    if "h" in folded:
        folded = _H_AFTER_Z.sub("j", folded)
        folded = _H_AFTER_KG.sub(r"\1", folded)
    return folded


# Every decimal digit of the Basic Multilingual Plane (Arabic-Indic, Devanagari,
# full-width, ...) to its ASCII digit: dates and numbers arrive in any script.
_DIGITS = {
    code: str(unicodedata.decimal(chr(code)))
    for code in range(0x80, 0x10000)
    if unicodedata.category(chr(code)) == "Nd"
}


def ascii_digits(text: str) -> str:
    """The text with every decimal digit written as an ASCII digit (``١٩٠٥`` -> ``1905``)."""
    return text if text.isascii() else text.translate(_DIGITS)


def fold(text: str) -> str:
    """The search key of a text: see the module docstring for every rule."""
    return _SEPARATORS.sub(" ", _skeleton(_lower(text), _FOLD)).strip()


def tokens(text: str) -> list[str]:
    """Folded tokens (exact keys) in text order; digits are kept."""
    return _SEPARATORS.sub(" ", _skeleton(_lower(text), _FOLD)).split()


# -- stems --------------------------------------------------------------------


@lru_cache(maxsize=2)
def _stemmer(language: str) -> Callable[[str], str]:
    stem_word: Callable[[str], str] = snowballstemmer.stemmer(language).stemWord  # the library ships no types
    return stem_word


@lru_cache(maxsize=200_000)
def _term(raw: str) -> tuple[str, str]:
    """(key, stem) of one prepared raw token; cached because words repeat (Zipf)."""
    key = _SEPARATORS.sub("", _skeleton(raw))
    if not key:
        return "", ""
    if _CYRILLIC.search(raw):
        stemmed = _stemmer("russian")(raw)
    elif _LATIN.search(raw):
        stemmed = _stemmer("english")(raw)
    else:
        return key, key
    stem = _SEPARATORS.sub("", _skeleton(stemmed))
    return key, stem or key


def query_terms(text: str) -> list[tuple[str, str]]:
    """(key, stem) per token: the same rules the index applies to records."""
    terms = (_term(raw) for raw in _RAW_TOKEN.findall(_prepare(text)))
    return [term for term in terms if term[0]]


def stems(text: str) -> list[str]:
    """Morphology-tolerant keys, one per token of ``tokens(text)``."""
    return [stem for _, stem in query_terms(text)]


# -- Kazakh Cyrillic -> Latin 2021 --------------------------------------------

# The official 2021 table gives 31 Latin letters for Kazakh Cyrillic; Ё Ц Ч Щ
# Ю Я have none, and published tables differ for them.  We follow the stanza
# transliterator (Ё→İo, Ч→Ç, Щ→Şç, Ю→İu, Я→İa) except Ц→Ts (the usual
# choice of reference tables and of Russian-style romanisation), because
# stanza's C would be the only C in Kazakh Latin text and would collide with
# English c in the search key.  І→I/ı and И/Й→İ/i follow the official table.
_KK_LATIN_LOWER: dict[str, str] = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d",
    "е": "e", "ё": "io", "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k",
    "қ": "q", "л": "l", "м": "m", "н": "n", "ң": "ñ", "о": "o", "ө": "ö",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū", "ү": "ü",
    "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ç", "ш": "ş", "щ": "şç",
    "ъ": "", "ы": "y", "і": "ı", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}
_KK_LATIN_UPPER: dict[str, str] = {
    "А": "A", "Ә": "Ä", "Б": "B", "В": "V", "Г": "G", "Ғ": "Ğ", "Д": "D",
    "Е": "E", "Ё": "İo", "Ж": "J", "З": "Z", "И": "İ", "Й": "İ", "К": "K",
    "Қ": "Q", "Л": "L", "М": "M", "Н": "N", "Ң": "Ñ", "О": "O", "Ө": "Ö",
    "П": "P", "Р": "R", "С": "S", "Т": "T", "У": "U", "Ұ": "Ū", "Ү": "Ü",
    "Ф": "F", "Х": "H", "Һ": "H", "Ц": "Ts", "Ч": "Ç", "Ш": "Ş", "Щ": "Şç",
    "Ъ": "", "Ы": "Y", "І": "I", "Ь": "", "Э": "E", "Ю": "İu", "Я": "İa",
}
_KK_LATIN = str.maketrans({**_KK_LATIN_LOWER, **_KK_LATIN_UPPER})
# In an all-capitals word the two-letter values must be capitals too.
_KK_LATIN_CAPS = str.maketrans(
    {**_KK_LATIN_LOWER, **{k: v.upper() for k, v in _KK_LATIN_UPPER.items()}}
)
_CAPS_WORD_WITH_DIGRAPH = re.compile(
    r"\b[А-ЯЁӘҒҚҢӨҰҮҺІ]*[ЁЦЩЮЯ][А-ЯЁӘҒҚҢӨҰҮҺІ]*\b"
)


def _caps_word(match: re.Match[str]) -> str:
    word = match.group()
    if len(word) < 2:
        return word
    return word.translate(_KK_LATIN_CAPS)


def transliterate_kk_latin(text: str) -> str:
    """Kazakh Cyrillic to the 2021 Latin alphabet, for a display title variant.

    Case is preserved; non-Cyrillic characters pass unchanged.
    """
    text = unicodedata.normalize("NFC", text)
    text = _CAPS_WORD_WITH_DIGRAPH.sub(_caps_word, text)
    return text.translate(_KK_LATIN)
