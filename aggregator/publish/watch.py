"""``emuseum publish --watch``: pick up a replaced export file without a restart.

A museum replaces its export by saving over it or copying a new one in;
either way the file's size, modification time or inode changes.  The
watcher polls them (no inotify: the export may sit on a network share) and
reloads once they have stayed the same for one more poll, so a file still
being copied is not read half-way.  A reload that fails keeps the published
version and is tried again at the next change.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

from aggregator.publish.export_source import ExportSource
from aggregator.publish.snapshot import Changes

__all__ = ["ExportWatcher"]

log = logging.getLogger("emuseum.publish")

Signature = tuple[int, int, int] | None


def _signature(path: Path) -> Signature:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino)


class ExportWatcher:
    """Polls the export every ``interval`` seconds in a daemon thread; ``stop()`` ends it."""

    def __init__(
        self,
        source: ExportSource,
        *,
        interval: float = 2.0,
        on_reload: Callable[[Changes | None, str | None], None] | None = None,
    ) -> None:
        self.source = source
        self.interval = interval
        self.on_reload = on_reload
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._published = _signature(source.publication.export)

    def start(self) -> ExportWatcher:
        self._thread = threading.Thread(target=self._run, name="export-watcher", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _run(self) -> None:
        seen = self._published
        while not self._stop.wait(self.interval):
            now = _signature(self.source.publication.export)
            if now is None or now == self._published:
                seen = now
                continue
            if now != seen:  # still changing (or just changed): look again at the next poll
                seen = now
                continue
            self._published = now
            try:
                changes = self.source.reload()
            except ValueError as exc:
                log.warning("export not reloaded, the published version stays: %s", exc)
                if self.on_reload:
                    self.on_reload(None, str(exc))
                continue
            if self.on_reload:
                self.on_reload(changes, None)
