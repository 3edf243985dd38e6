"""What a log line is about (museum, run, page, record), carried by context variables.

A harvest's log lines come from many layers (the HTTP fetcher, the OAI
reader, the pipeline) that do not all know the run they serve.  The
pipeline sets the museum and the run once; the layers below add the page or
the record they are on; the log formatter (``aggregator.log_format``) writes
whatever is set into every line, so a structured log can be filtered by run.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["CONTEXT_FIELDS", "current_context", "log_context"]

CONTEXT_FIELDS = ("run_id", "museum_id", "pass_id", "page", "record_id")

_context: contextvars.ContextVar[dict[str, object] | None] = contextvars.ContextVar("emuseum_log_context", default=None)


def current_context() -> dict[str, object]:
    return dict(_context.get() or {})


@contextmanager
def log_context(**fields: object) -> Iterator[None]:
    """Add ``fields`` (None values are left out) to every log line written inside the block."""
    merged = {**(_context.get() or {}), **{k: v for k, v in fields.items() if v is not None}}
    token = _context.set(merged)
    try:
        yield
    finally:
        _context.reset(token)
