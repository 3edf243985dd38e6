"""Where the aggregator serves a record's media: by record id and position, never by URL.

A URL in the path would turn the media proxy into an open proxy; a record id
and the position of the media in that record can only ever name a URL a
museum put into a stored record.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import quote

from mappings.core import CoreRecord, MediaKind

__all__ = ["VARIANTS", "first_image", "iiif_manifest_path", "media_path"]

#: Variant -> longest side in pixels (images) or None (the file as the museum serves it).
VARIANTS: Final[dict[str, int | None]] = {"thumb": 240, "large": 1200, "file": None}


def media_path(variant: str, record_id: str, position: int) -> str:
    if variant not in VARIANTS:
        raise ValueError(f"unknown media variant {variant!r}; use {', '.join(VARIANTS)}")
    return f"/media/{variant}/{position}/{quote(record_id, safe=':')}"


def iiif_manifest_path(record_id: str) -> str:
    return f"/iiif/{quote(record_id, safe=':')}/manifest"


def first_image(record: CoreRecord) -> int | None:
    """Position of the record's thumbnail: the image marked as one, else the first image."""
    images = [(n, m) for n, m in enumerate(record.media) if m.kind is MediaKind.IMAGE]
    marked = [n for n, m in images if m.thumbnail]
    if marked:
        return marked[0]
    return images[0][0] if images else None
