"""Measurements and licences in the reader's language.

A Russian accounting export writes «выс. 42,5 см», a LIDO export "height 42.5
cm"; a rights statement is a Creative Commons URI or just "CC BY-SA 4.0".  The
object page and the API show each in the reader's language, with the
licence's canonical link, from the words in ``vocabulary/display.yaml``.
Free text that is more than numbers, units and the usual abbreviations is
shown as the museum wrote it: a wrong translation is worse than none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

import yaml

from mappings.concepts import normalise_label
from mappings.core import Measurement

__all__ = ["Licence", "licence_from", "licence_name", "measurement_label"]

_FILE: Final = Path(__file__).with_name("vocabulary") / "display.yaml"
_CC_URI: Final = re.compile(
    r"^https?://(?:www\.)?creativecommons\.org/(licenses|publicdomain)/"
    r"(by|by-sa|by-nc|by-nd|by-nc-sa|by-nc-nd|zero|mark)/(\d\.\d)(?:/[a-z]{2}(?:-[a-z]{2})?)?"
    r"(?:/(?:deed(?:\.[a-zA-Z_-]+)?|legalcode(?:\.[a-zA-Z_-]+)?)?)?/?$"
)
_CC_CODE: Final = re.compile(r"^\s*CC[\s-]+(BY(?:-(?:SA|NC|ND))*|0)\s*(\d\.\d)?\s*$", re.IGNORECASE)
_NUMBER: Final = re.compile(r"\d+(?:[.,]\d+)?")
_TOKEN: Final = re.compile(r"\d+(?:[.,]\d+)?|[^\W\d_]+\.?|[×xх*;,:/()=-]", re.UNICODE)


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(_FILE.read_text(encoding="utf-8"))
    return data


@cache
def _aliases(section: str) -> dict[str, str]:
    """Every way a source writes a measurement type or unit -> its key."""
    table: dict[str, str] = {}
    for key, entry in _data()[section].items():
        for name in (key, entry["kk"], entry["ru"], entry["en"], *entry.get("also", ())):
            table[normalise_label(str(name)).rstrip(".")] = key
    return table


def _word(section: str, key: str, lang: str) -> str:
    entry = _data()[section][key]
    return str(entry.get(lang) or entry["en"])


def _number(text: str, lang: str) -> str:
    point = text.replace(",", ".")
    if point.endswith(".0"):
        point = point[:-2]
    return point.replace(".", ",") if lang in _data()["decimal_comma"] else point


def measurement_label(measurement: Measurement, lang: str) -> str | None:
    """One measurement in the reader's words; None when there is nothing to show."""
    if measurement.value is not None:
        kind = _aliases("measurement_types").get(normalise_label(measurement.type or ""))
        unit = _aliases("units").get(normalise_label(measurement.unit or "").rstrip("."))
        parts = [
            _word("measurement_types", kind, lang) if kind else (measurement.type or ""),
            _number(repr(measurement.value), lang),
            _word("units", unit, lang) if unit else (measurement.unit or ""),
        ]
        return " ".join(p for p in parts if p)
    if measurement.display:
        return _localise_display(measurement.display, lang)
    return None


def _localise_display(text: str, lang: str) -> str:
    """Units, type words and decimal marks translated when the text is only those and numbers."""
    tokens = _TOKEN.findall(text)
    if "".join(tokens) != "".join(text.split()):
        return text
    out: list[str] = []
    for token in tokens:
        if _NUMBER.fullmatch(token):
            out.append(_number(token, lang))
            continue
        key = normalise_label(token).rstrip(".")
        if key in _aliases("units"):
            out.append(_word("units", _aliases("units")[key], lang))
        elif key in _aliases("measurement_types"):
            out.append(_word("measurement_types", _aliases("measurement_types")[key], lang))
        elif token in "×xх*":
            out.append("×")
        elif len(token) == 1 and not token.isalpha():
            out.append(token)
        else:
            return text  # a word we do not know: the museum's text as it is
    return _join(out)


def _join(tokens: list[str]) -> str:
    text = ""
    for token in tokens:
        if token in ";,:)" or not text or text.endswith("("):
            text += token
        else:
            text += " " + token
    return text


@dataclass(frozen=True, slots=True)
class Licence:
    """A Creative Commons licence or tool: its code (``by-sa``, ``zero``, ``mark``) and version."""

    code: str
    version: str

    @property
    def url(self) -> str:
        kind = "publicdomain" if self.code in ("zero", "mark") else "licenses"
        return f"https://creativecommons.org/{kind}/{self.code}/{self.version}/"

    @property
    def short(self) -> str:
        if self.code == "zero":
            return f"CC0 {self.version}"
        if self.code == "mark":
            return f"PDM {self.version}"
        return f"CC {self.code.upper()} {self.version}"


def licence_from(uri: str | None, label: str | None = None) -> Licence | None:
    """The Creative Commons licence a rights URI (any deed/legalcode/port form) or label names."""
    match = _CC_URI.match((uri or "").strip())
    if match:
        return Licence(match.group(2), match.group(3))
    code = _CC_CODE.match(label or "")
    if code:
        name = code.group(1).lower()
        return Licence("zero" if name == "0" else name, code.group(2) or ("1.0" if name == "0" else "4.0"))
    return None


def licence_name(licence: Licence, lang: str) -> str:
    """"Attribution — ShareAlike 4.0 International" in the reader's language, with the short code."""
    words: dict[str, str] = _data()["licences"].get(lang) or _data()["licences"]["en"]
    if licence.code in ("zero", "mark"):
        return words[licence.code].format(v=licence.version)
    elements = " — ".join(words[part] for part in licence.code.split("-"))
    version = f" {licence.version}" + (f" {words['international']}" if licence.version == "4.0" else "")
    return f"{elements}{version} ({licence.short})"
