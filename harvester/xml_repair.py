"""Bytes a museum server sent, made into text an XML parser accepts.

Real OAI-PMH endpoints send characters XML 1.0 forbids (U+0000-U+001F other
than tab, LF and CR, often pasted from old catalogue software), bytes that are
not valid UTF-8, and encoding declarations that do not match the bytes.  A
strict parser rejects the whole page for one such character, so a museum with
one bad record would never be harvested.  This module repairs exactly those
faults, and nothing else, and reports where each repair happened (as an offset
into the repaired text) so the harvester can say which record it touched.
"""

from __future__ import annotations

import bisect
import codecs
import re
from dataclasses import dataclass

__all__ = ["Fix", "RepairedXml", "repair_xml_bytes"]

_DECLARATION = re.compile(r"^\s*<\?xml[^>]*?\?>")
_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
# Raw forbidden characters, plus character references that would produce one
# (``&#11;`` is as fatal to a parser as the character itself).
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|&#(?:[xX]0*([0-9A-Fa-f]{1,6})|0*([0-9]{1,7}));"
)
_UTF8_NAMES = {"utf-8", "utf8"}


@dataclass(frozen=True, slots=True)
class Fix:
    """One repair: where it is in the repaired text, and what was done."""

    position: int
    description: str


class RepairedXml:
    """The repaired document as text (no XML declaration left to contradict it).

    When the bytes need no repair at all (UTF-8 without BOM, declared UTF-8 or
    not declared, nothing forbidden), they are kept as they are and the text
    is only made when asked for: a 60 MB page is then held once, not three
    times (bytes, text, re-encoded bytes) while it is parsed.
    """

    __slots__ = ("_raw", "_text", "encoding_note", "fixes")

    def __init__(
        self,
        text: str | None = None,
        fixes: list[Fix] | None = None,
        encoding_note: str | None = None,
        *,
        raw: bytes | None = None,
    ) -> None:
        if text is None and raw is None:
            raise ValueError("RepairedXml needs text or raw bytes")
        self._text = text
        self._raw = raw
        self.fixes = fixes if fixes is not None else []
        self.encoding_note = encoding_note  # set when the bytes were not read as they claimed

    @property
    def text(self) -> str:
        if self._text is None:
            assert self._raw is not None
            text = self._raw.decode("utf-8")
            declaration = _DECLARATION.match(text)
            self._text = text[declaration.end() :] if declaration else text
        return self._text

    def head(self, size: int) -> str:
        """The first ``size`` characters or so, without making the whole text."""
        if self._text is not None:
            return self._text[:size]
        assert self._raw is not None
        return self._raw[:size].decode("utf-8", errors="ignore")

    def utf8(self) -> bytes:
        if self._raw is not None:
            return self._raw
        return self.text.encode("utf-8")


# Control characters XML 1.0 forbids, and U+FFFE / U+FFFF in UTF-8.  Checked with
# bytes.translate and `in` (C loops over the page) rather than one regex with an
# alternation, which cost ~25 ms a megabyte: a third of reading a page.
_FORBIDDEN_CONTROL = bytes(range(0x00, 0x09)) + b"\x0b\x0c" + bytes(range(0x0E, 0x20))
_NONCHARACTERS = (b"\xef\xbf\xbe", b"\xef\xbf\xbf")
_REFERENCE_BYTES = re.compile(rb"&#(?:[xX]0*([0-9A-Fa-f]{1,6})|0*([0-9]{1,7}));")


def _clean_utf8(data: bytes) -> bool:
    """True when ``data`` parses as it is: UTF-8, no BOM, no other declared encoding, nothing forbidden."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    match = _DECLARED_ENCODING.match(data)
    if match and match.group(1).decode("ascii").lower() not in _UTF8_NAMES:
        return False
    if len(data.translate(None, _FORBIDDEN_CONTROL)) != len(data):
        return False
    if any(sequence in data for sequence in _NONCHARACTERS):
        return False
    for ref in _REFERENCE_BYTES.finditer(data):
        hex_digits, dec_digits = ref.group(1), ref.group(2)
        if _is_forbidden(int(hex_digits, 16) if hex_digits is not None else int(dec_digits)):
            return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def repair_xml_bytes(data: bytes) -> RepairedXml:
    """Decode ``data`` trusting the bytes over the declaration, then drop forbidden characters.

    The XML declaration is removed from the returned text because the text is
    handed to the parser as UTF-8 bytes; a leftover ``encoding="windows-1251"``
    would make the parser decode it a second time, wrongly.
    """
    if _clean_utf8(data):
        return RepairedXml(raw=data)
    text, replaced, note = _decode(data)
    declaration = _DECLARATION.match(text)
    if declaration:
        cut = declaration.end()
        text = text[cut:]
        replaced = [p - cut for p in replaced]
    text, removed, cuts = _drop_forbidden(text)
    starts = [start for start, _ in cuts]
    cut_before = [0]
    for _, length in cuts:
        cut_before.append(cut_before[-1] + length)
    fixes = [
        Fix(p - cut_before[bisect.bisect_left(starts, p)], "replaced invalid UTF-8 bytes")
        for p in replaced
    ]
    fixes.extend(removed)
    fixes.sort(key=lambda f: f.position)
    return RepairedXml(text=text, fixes=fixes, encoding_note=note)


def _decode(data: bytes) -> tuple[str, list[int], str | None]:
    """Text, offsets of U+FFFD put in for undecodable bytes, and a note if the declaration lied."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), [], None
    match = _DECLARED_ENCODING.match(data)
    declared = match.group(1).decode("ascii").lower() if match else None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        note = None
        if declared and declared not in _UTF8_NAMES and not data.isascii():
            note = f"the XML declaration says {declared} but the bytes are UTF-8; read as UTF-8"
        return text, [], note
    if declared and declared not in _UTF8_NAMES:
        try:
            return data.decode(declared), [], None
        except (LookupError, UnicodeDecodeError):
            pass
    return _decode_utf8_replacing(data)


def _decode_utf8_replacing(data: bytes) -> tuple[str, list[int], str | None]:
    parts: list[str] = []
    replaced: list[int] = []
    length = 0
    start = 0
    while True:
        try:
            chunk = data[start:].decode("utf-8")
        except UnicodeDecodeError as exc:
            good = data[start : start + exc.start].decode("utf-8")
            parts.append(good)
            length += len(good)
            replaced.append(length)
            parts.append("\ufffd")
            length += 1
            start += exc.end
            continue
        parts.append(chunk)
        return "".join(parts), replaced, None


def _is_forbidden(code: int) -> bool:
    return (code < 0x20 and code not in (0x09, 0x0A, 0x0D)) or code in (0xFFFE, 0xFFFF)


def _drop_forbidden(text: str) -> tuple[str, list[Fix], list[tuple[int, int]]]:
    """Text without forbidden characters, the fixes, and the (start, length) of each cut."""
    removed: list[Fix] = []
    cuts: list[tuple[int, int]] = []
    shift = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal shift
        hex_digits, dec_digits = match.group(1), match.group(2)
        if hex_digits is not None or dec_digits is not None:
            code = int(hex_digits, 16) if hex_digits is not None else int(dec_digits)
            if not _is_forbidden(code):
                return match.group(0)
            what = f"character reference {match.group(0)} to forbidden U+{code:04X}"
        else:
            what = f"forbidden control character U+{ord(match.group(0)):04X}"
        removed.append(Fix(match.start() - shift, f"removed {what}"))
        cuts.append((match.start(), len(match.group(0))))
        shift += len(match.group(0))
        return ""

    return _FORBIDDEN.sub(replace, text), removed, cuts
