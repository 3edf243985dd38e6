"""The media proxy: a record's image or 3D model fetched once, kept on disk, served from here.

Museum media hosts are slow, go down, or are unreachable from a researcher's
network; a page that hot-links them shows broken images.  The proxy fetches a
file named by a stored record (``record id`` + position, see ``paths``) once,
with bounded size and time, makes the thumbnail and the large view from it,
and answers from its cache afterwards.  When the source cannot be had, the
caller gets ``None`` and shows the placeholder; the failure is remembered for
a minute so a dead host is not asked again for every thumbnail of a page.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from aggregator.media.cache import CacheEntry, DiskCache
from aggregator.media.fetch import FetchFailed, fetch
from aggregator.media.images import ImageRejected, derivative
from aggregator.media.paths import VARIANTS
from aggregator.media.policy import BlockedSource, SourcePolicy
from mappings.core import CoreRecord, Media, MediaKind

__all__ = ["MediaService", "MediaSettings"]

log = logging.getLogger("emuseum.media")

RecordLookup = Callable[[str], CoreRecord | None]
FAILURE_MEMORY: Final = 60.0  # seconds a failed source is not asked again
_MIME_BY_SUFFIX: Final = {".glb": "model/gltf-binary", ".gltf": "model/gltf+json", ".usdz": "model/vnd.usdz+zip"}


@dataclass(slots=True)
class MediaSettings:
    """Where the cache lives and what a fetch may cost; from EMUSEUM_MEDIA_* variables."""

    cache_dir: Path = Path("var/media-cache")
    cache_bytes: int = 512 * 1024 * 1024
    image_bytes: int = 25 * 1024 * 1024
    file_bytes: int = 64 * 1024 * 1024
    timeout: float = 10.0
    policy: SourcePolicy = field(default_factory=SourcePolicy)

    @classmethod
    def from_env(cls) -> MediaSettings:
        return cls(
            cache_dir=Path(os.environ.get("EMUSEUM_MEDIA_CACHE", "var/media-cache")),
            cache_bytes=int(os.environ.get("EMUSEUM_MEDIA_CACHE_MB", "512")) * 1024 * 1024,
            policy=SourcePolicy.from_env(),
        )


class MediaService:
    def __init__(self, lookup: RecordLookup, settings: MediaSettings | None = None) -> None:
        self.lookup = lookup
        self.settings = settings or MediaSettings.from_env()
        self.cache = DiskCache(self.settings.cache_dir, self.settings.cache_bytes)
        self._failed: dict[str, float] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def media(self, record_id: str, position: int) -> Media | None:
        record = self.lookup(record_id)
        if record is None or not 0 <= position < len(record.media):
            return None
        return record.media[position]

    def get(self, record_id: str, position: int, variant: str) -> CacheEntry | None:
        """The cached derivative (or file), fetching it first if need be; None when it cannot be had."""
        media = self.media(record_id, position)
        if media is None or variant not in VARIANTS:
            return None
        if VARIANTS[variant] is not None and media.kind is not MediaKind.IMAGE:
            return None
        key = DiskCache.key(variant, media.url)
        entry = self.cache.get(key)
        if entry is not None:
            return entry
        if time.monotonic() < self._failed.get(media.url, 0.0):
            return None
        with self._lock_for(media.url):
            entry = self.cache.get(key)  # another request may have fetched it meanwhile
            if entry is None:
                entry = self._fill(media, variant)
        return entry

    def _lock_for(self, url: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(url, threading.Lock())

    def _fill(self, media: Media, variant: str) -> CacheEntry | None:
        image = VARIANTS[variant] is not None
        limit = self.settings.image_bytes if image else self.settings.file_bytes
        try:
            fetched = fetch(media.url, self.settings.policy, max_bytes=limit, timeout=self.settings.timeout)
            if not image:
                kind = media.mime or _MIME_BY_SUFFIX.get(Path(media.url.split("?")[0]).suffix.lower())
                return self.cache.put(DiskCache.key(variant, media.url), fetched.body,
                                      kind or fetched.content_type or "application/octet-stream")  # fmt: skip
            wanted: CacheEntry | None = None
            for name, longest in VARIANTS.items():  # one fetch makes every image size
                if longest is None:
                    continue
                made = derivative(fetched.body, longest)
                entry = self.cache.put(
                    DiskCache.key(name, media.url), made.body, made.content_type, width=made.width, height=made.height
                )
                wanted = entry if name == variant else wanted
            return wanted
        except (FetchFailed, BlockedSource, ImageRejected) as exc:
            log.warning("media source unavailable url=%s reason=%s", media.url[:200], exc)
            self._failed[media.url] = time.monotonic() + FAILURE_MEMORY
            return None
