"""A sliding-window limit per client address, and a cap on work running at once (in one process).

Enough for a form that a museum's IT person uses a few times a day; a
deployment with several web processes divides the limits among them.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

__all__ = ["ClientRateLimit"]


class ClientRateLimit:
    def __init__(
        self, per_window: int, window_seconds: float, concurrent: int, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.per_window = per_window
        self.window_seconds = window_seconds
        self.concurrent = concurrent
        self._clock = clock
        self._lock = threading.Lock()
        self._starts: dict[str, deque[float]] = {}
        self._running = 0

    def acquire(self, client: str) -> float | None:
        """Take a slot for ``client``: None when granted (call ``release`` after), else seconds to wait."""
        now = self._clock()
        with self._lock:
            starts = self._starts.setdefault(client, deque())
            while starts and starts[0] <= now - self.window_seconds:
                starts.popleft()
            if len(starts) >= self.per_window:
                return max(1.0, starts[0] + self.window_seconds - now)
            if self._running >= self.concurrent:
                return 10.0
            starts.append(now)
            self._running += 1
            if len(self._starts) > 10_000:  # forget clients whose window is over
                for key in [k for k, v in self._starts.items() if not v or v[-1] <= now - self.window_seconds]:
                    del self._starts[key]
            return None

    def release(self) -> None:
        with self._lock:
            self._running = max(0, self._running - 1)
