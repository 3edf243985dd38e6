"""Run errors and notes in a form safe to publish on the public API.

A run's error is written for the operator: it may name the catalogue's own
database or search cluster.  The public ``/api/museums`` shows museums and
researchers what went wrong with a museum's harvest without telling the
internet where the catalogue's internals live; the full text stays in the
operator's ``emuseum runs show``.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

__all__ = ["public_run"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MAX = 300
_INTERNAL = "an internal failure of the catalogue (its operators have the details)"


def _hosts(*urls: str) -> list[str]:
    hosts = []
    for url in urls:
        parts = urlsplit(url.split("+", 1)[-1] if "+" in url.split("://", 1)[0] else url)
        if parts.hostname:
            hosts.append(f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname)
    return hosts


def _safe(text: str, internal: list[str]) -> str:
    line = _CONTROL.sub(" ", text.split("\n", 1)[0]).strip()
    if "the store " in line or "search index" in line or any(host in line for host in internal):
        return _INTERNAL
    return line if len(line) <= _MAX else line[: _MAX - 1] + "…"


def public_run(run: dict[str, Any] | None, *, database_url: str, index_url: str) -> dict[str, Any] | None:
    """The run as the public API shows it: errors and notes on one line each, nothing internal."""
    if run is None:
        return None
    internal = _hosts(database_url, index_url)
    shown = {k: v for k, v in run.items() if k not in ("error", "notes", "held_reason", "decided_by", "endpoint")}
    if run.get("error"):
        shown["error"] = _safe(str(run["error"]), internal)
    if run.get("held_reason"):
        shown["held_reason"] = _safe(str(run["held_reason"]), internal)
    notes = [_safe(str(note), internal) for note in run.get("notes") or []]
    shown["notes"] = [note for note in notes if note != _INTERNAL][:10]
    return shown
