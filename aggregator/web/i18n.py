"""The interface in Kazakh, Russian and English: UI strings and human labels for facet values.

Researchers in Kazakhstan work in all three languages, so every word the page
itself prints comes from here (the texts are in ``messages.yaml`` beside this
module, for translators to review), and a missing translation falls back to
English instead of printing a key.  Museum data is never translated: it is
shown in the language the museum wrote it in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import yaml

__all__ = [
    "DEFAULT_LANG",
    "LANGUAGES",
    "UI_STRINGS",
    "century_label",
    "count_word",
    "lang_preference",
    "roman",
    "ui_strings",
]

LANGUAGES: Final = ("kk", "ru", "en")
DEFAULT_LANG: Final = "kk"

_MESSAGES_FILE: Final = Path(__file__).with_name("messages.yaml")


def _load_messages() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """``{lang: {key: text}}`` and the century label forms, from messages.yaml."""
    loaded = yaml.safe_load(_MESSAGES_FILE.read_text(encoding="utf-8"))
    strings: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    for key, translations in loaded["messages"].items():
        if not isinstance(key, str):  # an unquoted yes / no / on / off reads as a boolean
            raise ValueError(f"{_MESSAGES_FILE.name}: message key {key!r} must be quoted")
        for lang, text in translations.items():
            if lang not in strings or not isinstance(text, str):
                raise ValueError(f"{_MESSAGES_FILE.name}: {key}.{lang} is not a {'/'.join(LANGUAGES)} text")
            strings[lang][key] = text
    centuries = {lang: {"ce": forms["ce"], "bce": forms["bce"]} for lang, forms in loaded["century_labels"].items()}
    return strings, centuries


_LOADED: Final = _load_messages()
UI_STRINGS: Final[dict[str, dict[str, str]]] = _LOADED[0]
_CENTURY_FORMS: Final[dict[str, dict[str, str]]] = _LOADED[1]
_EN: Final = UI_STRINGS["en"]

_ROMAN: Final = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


class _Fallback(dict[str, str]):
    """A lookup that falls back to English, then to the key, so a gap never breaks a page."""

    def __missing__(self, key: str) -> str:
        return _EN.get(key, key)


def ui_strings(lang: str) -> dict[str, str]:
    return _Fallback(UI_STRINGS.get(lang, _EN))


def count_word(count: int, lang: str, key: str = "results") -> str:
    """The noun after a number, in the form the language wants: 1 результат, 3 результата, 31 результат.

    Russian has three forms (``KEY_one``, ``KEY_few``, ``KEY`` for many) chosen by
    the last two digits; English two; Kazakh keeps the singular after numbers.
    """
    strings = ui_strings(lang)
    if lang == "ru":
        tens, units = count % 100, count % 10
        if units == 1 and tens != 11:
            return strings[f"{key}_one"]
        if 2 <= units <= 4 and not 12 <= tens <= 14:
            return strings[f"{key}_few"]
        return strings[key]
    if lang == "en" and count == 1:
        return strings[f"{key}_one"]
    return strings[key]


def lang_preference(lang: str) -> tuple[str, ...]:
    """The order in which to pick a label: the reader's language first, then the others."""
    first = lang if lang in LANGUAGES else DEFAULT_LANG
    return (first, *(other for other in ("kk", "ru", "en") if other != first), "und")


def roman(number: int) -> str:
    if number <= 0:
        raise ValueError(f"roman numerals start at 1, not {number}")
    out = []
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def century_label(century: int, lang: str = "en") -> str:
    """``19`` -> "XIX c.", ``-5`` -> "V c. BCE" (ordinal centuries as the index stores them)."""
    if century == 0:
        raise ValueError("there is no century 0")
    forms = _CENTURY_FORMS.get(lang, _CENTURY_FORMS["en"])
    return forms["bce" if century < 0 else "ce"].format(numeral=roman(abs(century)))
