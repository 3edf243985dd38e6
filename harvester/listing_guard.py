"""Telling a long listing from an endless one, in bounded memory.

A national museum's listing can run to tens of thousands of pages, so a page
count alone cannot tell "large" from "loops".  What a loop cannot hide:

* **it brings nothing new**: ``stale_pages`` consecutive pages (default 50)
  whose record identifiers were all already seen in this window (an
  endpoint repeating one record with fresh tokens, or cycling through old
  tokens); empty pages count as bringing nothing;
* **it outruns its own promise**: more records than ``2 x completeListSize +
  1000`` (the slack covers records added during the harvest and servers that
  count loosely);
* **its token comes back**: a token already handed out in this window
  (RepeatedResumptionToken; the last ``TOKEN_MEMORY`` tokens are kept).

Identifiers seen are kept in a Bloom filter of fixed size (``FILTER_BYTES``,
8 MiB: under one false "seen" in 10^4 records up to ~5 million records, and a
false "seen" only matters if a whole page of them lines up 50 times), so a
window of millions of records costs the same memory as one of ten.

When no rule fires, a safety cap on pages remains: ``2 x completeListSize +
1000`` pages when the endpoint gives a size (every page must bring a record),
else ``SAFETY_MAX_PAGES``; the museum's time limit ends anything else.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Iterable

from harvester.errors import CompleteListSizeExceeded, NoNewRecords, PageLimitExceeded, RepeatedResumptionToken, excerpt

__all__ = [
    "FILTER_BYTES",
    "SAFETY_MAX_PAGES",
    "STALE_PAGES",
    "TOKEN_MEMORY",
    "ListingGuard",
    "SeenIdentifiers",
    "size_limit",
]

FILTER_BYTES = 8 * 1024 * 1024
STALE_PAGES = 50
SAFETY_MAX_PAGES = 1_000_000
TOKEN_MEMORY = 10_000
_HASHES = 7


def size_limit(complete_list_size: int) -> int:
    """The most records (or pages) a listing promising ``complete_list_size`` may bring."""
    return 2 * complete_list_size + 1000


class SeenIdentifiers:
    """A Bloom filter: ``add`` says whether the identifier was (probably) there already."""

    def __init__(self, size_bytes: int = FILTER_BYTES) -> None:
        self._bits = bytearray(size_bytes)  # zero pages are not resident until written
        self._size = size_bytes * 8

    def add(self, identifier: str) -> bool:
        digest = hashlib.blake2b(identifier.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        first = int.from_bytes(digest[:8], "little")
        step = int.from_bytes(digest[8:], "little") | 1
        seen = True
        bits = self._bits
        for i in range(_HASHES):
            position = (first + i * step) % self._size
            byte, mask = position >> 3, 1 << (position & 7)
            if not bits[byte] & mask:
                seen = False
                bits[byte] |= mask
        return seen


class ListingGuard:
    """The rules above for one harvest window of one museum's endpoint."""

    def __init__(
        self,
        museum_id: str,
        url: str,
        *,
        stale_pages: int = STALE_PAGES,
        max_pages: int | None = None,
        records_before: int = 0,
        first_token: str | None = None,
    ) -> None:
        self.museum_id = museum_id
        self.url = url
        self.stale_pages = stale_pages
        self.max_pages = max_pages
        self._records_before = records_before
        self._first_token = first_token
        self.restart()

    def restart(self) -> None:
        """A new window (or the same window again after an expired token): forget what was seen."""
        self.pages = 0
        self.records = self._records_before
        self._records_before = 0
        self.stale = 0
        self._seen = SeenIdentifiers()
        self._tokens: OrderedDict[str, None] = OrderedDict()
        if self._first_token:
            self._tokens[self._first_token] = None
            self._first_token = None

    def handed_out(self, token: str) -> bool:
        """Whether this window has seen ``token`` already (asking for it would loop: do not ask ahead)."""
        return token in self._tokens

    def check_page(self, identifiers: Iterable[str], next_token: str | None, complete_list_size: int | None) -> None:
        """Account for one page; raise the HarvestError of the first rule it breaks."""
        self.pages += 1
        new = 0
        count = 0
        for identifier in identifiers:
            count += 1
            if not self._seen.add(identifier):
                new += 1
        self.records += count
        self.stale = 0 if new else self.stale + 1
        where = f"{self.url} (page {self.pages} of this window, {self.records} records)"
        if next_token is not None and next_token in self._tokens:
            raise RepeatedResumptionToken(
                self.museum_id,
                f"{where} returned resumption token {excerpt(next_token, 60)} again; "
                "it would loop forever; ask the museum to check its resumption tokens",
            )
        if next_token is not None and self.stale >= self.stale_pages:
            raise NoNewRecords(
                self.museum_id,
                f"{where}: the last {self.stale} pages brought no record not already seen in this window; "
                "the listing loops; stopped; ask the museum to check its resumption tokens",
            )
        if complete_list_size is not None and self.records > size_limit(complete_list_size):
            raise CompleteListSizeExceeded(
                self.museum_id,
                f"{where}: the endpoint promised completeListSize {complete_list_size} but has sent "
                f"{self.records} records; stopped in case it loops; ask the museum to check its resumption tokens",
            )
        cap = self.max_pages
        if cap is None:
            cap = size_limit(complete_list_size) if complete_list_size is not None else SAFETY_MAX_PAGES
        if next_token is not None and self.pages > cap:
            raise PageLimitExceeded(
                self.museum_id,
                f"more than {cap} pages in one window from {where}; stopping in case the endpoint loops",
            )
        if next_token is not None:
            self._tokens[next_token] = None
            if len(self._tokens) > TOKEN_MEMORY:
                self._tokens.popitem(last=False)
