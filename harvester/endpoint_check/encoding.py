"""Encoding faults in what an endpoint serves: repaired bytes, and text converted with the wrong code page.

The harvester repairs control characters and bad bytes as it parses
(``xml_repair``) and says where; here those notes become findings.  What it
cannot see is *mojibake*: text that was already garbled before it was
published, because a Windows-1251 (or UTF-8) export was read as Latin-1 on
the way.  «Музей» then arrives as "Ìóçåé" (cp1251 read as Latin-1) or as
"ÐœÑƒÐ·ÐµÐ¹" (UTF-8 read as Latin-1).  Both are valid XML, so only a look at
the text finds them: a run of Latin-1 letters that, put back into bytes and
read with the right code page, becomes Cyrillic words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from lxml import etree

__all__ = ["Mojibake", "find_mojibake", "repair_kind"]

# Latin-1 letters and the C1/Windows-1252 range UTF-8 continuation bytes turn into.
_SUSPECT_RUN: Final = re.compile(
    r"[\u00c0-\u00ff\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]{3,}"
)
_CYRILLIC: Final = re.compile(r"[\u0400-\u04ff]")


@dataclass(frozen=True, slots=True)
class Mojibake:
    text: str  # the garbled run as served
    meant: str  # what it reads as with the right code page
    how: str  # "Windows-1251 read as Latin-1" | "UTF-8 read as Latin-1"


def _mostly_cyrillic(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(1 for c in letters if _CYRILLIC.match(c)) >= 0.8 * len(letters)


def _reread(run: str) -> Mojibake | None:
    for codec in ("latin-1", "cp1252"):
        try:
            raw = run.encode(codec)
        except UnicodeEncodeError:
            continue
        try:
            as_utf8 = raw.decode("utf-8")
            if _mostly_cyrillic(as_utf8):
                return Mojibake(run, as_utf8, "UTF-8 read as Latin-1")
        except UnicodeDecodeError:
            pass
        as_cp1251 = raw.decode("cp1251", errors="replace")
        if "\ufffd" not in as_cp1251 and _mostly_cyrillic(as_cp1251) and len(run) >= 4:
            return Mojibake(run, as_cp1251, "Windows-1251 read as Latin-1")
    return None


def find_mojibake(element: etree._Element) -> Mojibake | None:
    """The first garbled run in the text of ``element`` (a record's metadata), or None."""
    for text in element.itertext():
        if not isinstance(text, str):
            continue
        for match in _SUSPECT_RUN.finditer(text):
            found = _reread(match.group(0))
            if found is not None:
                return found
    return None


def repair_kind(note: str) -> str:
    """Which finding a harvester repair note (``Document.repair_notes``) belongs to."""
    lowered = note.lower()
    if "not well-formed" in lowered:
        return "records.unreadable"
    if "forbidden" in lowered:
        return "encoding.control_characters"
    return "encoding.bad_bytes"
