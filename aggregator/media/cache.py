"""The media cache on disk: one file per derivative, a size limit, least recently used out first.

Each entry is ``<key>.bin`` beside ``<key>.json`` (content type, ETag, image
size).  Reading an entry touches its file, so the modification time orders
entries by last use; when the total passes the limit the oldest go until the
cache is back under nine tenths of it.  Writes land in a temporary file and
are renamed into place, so a reader never sees half an image.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["CacheEntry", "DiskCache"]


@dataclass(frozen=True, slots=True)
class CacheEntry:
    path: Path
    content_type: str
    etag: str
    size: int
    width: int | None = None
    height: int | None = None


class DiskCache:
    def __init__(self, folder: Path, max_bytes: int) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._total: int | None = None

    @staticmethod
    def key(*parts: str) -> str:
        return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()

    def _paths(self, key: str) -> tuple[Path, Path]:
        return self.folder / f"{key}.bin", self.folder / f"{key}.json"

    def get(self, key: str) -> CacheEntry | None:
        data, meta = self._paths(key)
        try:
            info: dict[str, Any] = json.loads(meta.read_text(encoding="utf-8"))
            size = data.stat().st_size
            os.utime(data)  # last use, for eviction
        except (OSError, ValueError):
            return None
        return CacheEntry(data, info["content_type"], info["etag"], size, info.get("width"), info.get("height"))

    def put(self, key: str, body: bytes, content_type: str, **extra: int | None) -> CacheEntry:
        self.folder.mkdir(parents=True, exist_ok=True)
        data, meta = self._paths(key)
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        info = {"content_type": content_type, "etag": etag, **extra}
        for path, content in ((data, body), (meta, json.dumps(info).encode())):
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".part-")
            with os.fdopen(handle, "wb") as out:
                out.write(content)
            os.replace(temporary, path)
        with self._lock:
            self._total = (self._total if self._total is not None else self._measure()) + len(body)
            if self._total > self.max_bytes:
                self._evict()
        return CacheEntry(data, content_type, etag, len(body), extra.get("width"), extra.get("height"))

    def total(self) -> int:
        with self._lock:
            self._total = self._measure()
            return self._total

    def _measure(self) -> int:
        return sum(p.stat().st_size for p in self.folder.glob("*.bin")) if self.folder.exists() else 0

    def _evict(self) -> None:
        """Oldest-used first until the cache holds at most nine tenths of its limit."""
        entries = []
        for path in self.folder.glob("*.bin"):
            try:
                stat = path.stat()
            except OSError:
                continue
            entries.append((stat.st_mtime, stat.st_size, path))
        entries.sort()
        total = sum(size for _, size, _ in entries)
        target = self.max_bytes * 9 // 10
        for _, size, path in entries:
            if total <= target:
                break
            path.unlink(missing_ok=True)
            path.with_suffix(".json").unlink(missing_ok=True)
            total -= size
        self._total = total
