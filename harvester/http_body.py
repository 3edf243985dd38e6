"""Reading a response body with a cap on its size *after* decompression.

A gzip page of 1.2 MB can inflate to 1.2 GB.  The body is read in chunks as
it arrives (``decode_content=False``) and inflated here, never more than the
room left under the cap at a time (zlib's ``max_length``), so memory stays
bounded by the cap whatever the compression ratio, and the read stops as soon
as the cap is passed instead of after the whole body is in memory.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import Protocol

__all__ = ["ACCEPT_ENCODING", "BodyTooLarge", "BrokenEncoding", "UnsupportedEncoding", "read_limited"]

#: What the harvester asks for: only codings it inflates itself under the cap.
ACCEPT_ENCODING = "gzip, deflate"
CHUNK = 64 * 1024
_STEP = 1024 * 1024


class BodyTooLarge(Exception):
    """More than the cap arrived (counted after decompression)."""


class UnsupportedEncoding(Exception):
    """A Content-Encoding the harvester did not ask for and does not inflate."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        super().__init__(coding)


class BrokenEncoding(Exception):
    """The compressed stream is damaged (often a connection cut mid-body): worth a retry."""


class _Readable(Protocol):
    def read(self, amt: int | None = None, decode_content: bool | None = None) -> bytes: ...


class _Inflater:
    """gzip (also several members) or deflate (zlib-wrapped or, as some servers send it, raw)."""

    def __init__(self, coding: str) -> None:
        self._gzip = coding in ("gzip", "x-gzip")
        self._wbits = 32 + zlib.MAX_WBITS if self._gzip else zlib.MAX_WBITS  # 32+: gzip or zlib header
        self._inflater = zlib.decompressobj(self._wbits)
        self._started = False

    def inflate(self, data: bytes, room: int) -> bytes:
        """Inflate ``data``; raise BodyTooLarge as soon as the output would pass ``room`` bytes."""
        pieces: list[bytes] = []
        produced = 0
        while data:
            step = min(room - produced + 1, _STEP)  # never more than a step inflated at once
            try:
                out = self._inflater.decompress(data, step)
            except zlib.error:
                if self._started or self._gzip:
                    raise
                self._wbits = -zlib.MAX_WBITS  # raw deflate without the zlib header
                self._inflater = zlib.decompressobj(self._wbits)
                out = self._inflater.decompress(data, step)
            self._started = True
            produced += len(out)
            if produced > room:
                raise BodyTooLarge
            pieces.append(out)
            data = self._inflater.unconsumed_tail
            if not data and self._inflater.eof and self._inflater.unused_data:
                data = self._inflater.unused_data  # the next gzip member
                self._inflater = zlib.decompressobj(self._wbits)
        return b"".join(pieces)

    def finish(self, room: int) -> bytes:
        out = self._inflater.flush()
        if len(out) > room:
            raise BodyTooLarge
        return out


def read_limited(
    raw: _Readable,
    content_encoding: str | None,
    cap: int,
    *,
    content_length: str | None = None,
    between_chunks: Callable[[], None] | None = None,
) -> bytes:
    """The whole body, inflated; BodyTooLarge past ``cap`` bytes, UnsupportedEncoding for br/zstd/...

    ``between_chunks`` runs after each chunk (a deadline check raising to stop).
    """
    codings = [c.strip().lower() for c in (content_encoding or "").split(",")]
    codings = [c for c in codings if c and c != "identity"]
    if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
        raise UnsupportedEncoding(", ".join(codings))
    inflater = _Inflater(codings[0]) if codings else None
    if inflater is None and content_length and content_length.strip().isdigit() and int(content_length) > cap:
        raise BodyTooLarge
    parts: list[bytes] = []
    total = 0
    while True:
        data = raw.read(CHUNK, decode_content=False)
        if not data:
            break
        if inflater is not None:
            try:
                data = inflater.inflate(data, cap - total)
            except zlib.error as exc:
                raise BrokenEncoding(f"damaged {codings[0]} data ({exc})") from None
        total += len(data)
        if total > cap:
            raise BodyTooLarge
        if data:
            parts.append(data)
        if between_chunks is not None:
            between_chunks()
    if inflater is not None:
        try:
            tail = inflater.finish(cap - total)
        except zlib.error as exc:
            raise BrokenEncoding(f"damaged {codings[0]} data ({exc})") from None
        if tail:
            parts.append(tail)
    return b"".join(parts)
