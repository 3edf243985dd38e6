"""A stored core record as bulk dumps move it: id, museum and the document's JSON text.

Apart from ``dump_rows`` (which reads these from the store) so that the dump
workers, which receive them pickled, import a dataclass and not SQLAlchemy:
a spawned worker's imports are paid on every build.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["StoredDocument"]


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A core record as the store keeps it: id, museum and the document's JSON text (decoded by the renderer)."""

    id: str
    museum_id: str
    text: str
