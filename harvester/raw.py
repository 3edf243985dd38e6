"""A record as a museum system sent it, before any interpretation, and how it is named.

The harvester produces these and the store keeps them verbatim, so that a
better mapping can be re-run later without asking the museum again.  The
mappings read them; this module is the one thing the two share, which is why
the catalogue-wide record id and the CSV row conventions live here too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

__all__ = ["RawRecord", "csv_header_key", "csv_row_id", "record_id"]


def record_id(museum_id: str, local_id: str) -> str:
    """The catalogue-wide id: museum ids never contain ':', so the split is unambiguous."""
    return f"{museum_id}:{local_id}"


@dataclass(frozen=True, slots=True)
class RawRecord:
    museum_id: str
    local_id: str
    format: str  # "lido", "oai_dc", "csv:<profile>"
    payload: bytes  # the metadata element as XML bytes, or a CSV row as JSON bytes
    datestamp: str | None = None  # as the source gave it (OAI datestamp), or None
    deleted: bool = False
    oai_identifier: str | None = None
    harvested_at: datetime | None = None
    content_hash: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "content_hash", hashlib.sha256(self.payload).hexdigest())

    @property
    def record_id(self) -> str:
        return record_id(self.museum_id, self.local_id)


@lru_cache(maxsize=4096)
def csv_header_key(name: str) -> str:
    """The key a CSV header is matched by: spreadsheet users add spaces and change case."""
    return " ".join(name.replace("\ufeff", "").replace("\xa0", " ").split()).casefold()


def csv_row_id(cells: Mapping[str, str], id_columns: Iterable[str]) -> str | None:
    """A CSV row's local id: the first of the id columns with a value, stripped.

    When two headers fold to the same key, the first non-empty cell counts.
    """
    by_key: dict[str, str] = {}
    for header, cell in cells.items():
        key = csv_header_key(header)
        if not by_key.get(key, "").strip():
            by_key[key] = cell
    for column in id_columns:
        value = by_key.get(csv_header_key(column), "").strip()
        if value:
            return value
    return None
