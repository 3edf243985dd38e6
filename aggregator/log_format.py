"""Log lines: JSON objects for machines when stderr is not a terminal, short text for people when it is.

Under cron or systemd the ministry's log collector reads one JSON object per
line and filters by museum and run; a person at a terminal reads words.  The
run, museum, pass, page and record come from the logging context
(``harvester.log_context``) or from ``extra=`` on the call.  Third-party
clients (urllib3, elastic_transport, opensearch) log each connection retry
or request: what matters of those reaches the user once, in the harvester's
own words, so their loggers are raised to WARNING / ERROR here.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from harvester.log_context import CONTEXT_FIELDS, current_context

__all__ = ["JsonFormatter", "configure_logging"]

#: Loggers of libraries whose messages repeat what the harvester says once, in its own words.
QUIET_LOGGERS = {
    "urllib3": logging.ERROR,
    "urllib3.connectionpool": logging.ERROR,
    "elastic_transport": logging.WARNING,
    "elastic_transport.transport": logging.ERROR,
    "elasticsearch": logging.WARNING,
    "opensearch": logging.WARNING,
    "apscheduler": logging.WARNING,
    "aiosmtpd": logging.WARNING,
}
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message", "asctime", "taskName", "summarised"
}


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, context and ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(current_context())
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool | type(None)) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class _TextFormatter(logging.Formatter):
    """``LEVEL museum run: message`` for a person."""

    def format(self, record: logging.LogRecord) -> str:
        context = {**current_context(), **{k: getattr(record, k) for k in CONTEXT_FIELDS if hasattr(record, k)}}
        where = " ".join(f"{k}={v}" for k, v in context.items() if k in CONTEXT_FIELDS)
        text = f"{record.levelname.lower()}: {record.getMessage()}" + (f" [{where}]" if where else "")
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


def _not_summarised(record: logging.LogRecord) -> bool:
    """On a terminal, a record the command prints as its outcome line anyway (``extra={"summarised": True}``)."""
    return not getattr(record, "summarised", False)


def configure_logging(stream: TextIO | None = None, *, json_lines: bool | None = None) -> None:
    """One handler on the root logger: JSON lines off a terminal (INFO), short text on one (WARNING)."""
    stream = stream or sys.stderr
    if json_lines is None:
        json_lines = not stream.isatty()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if json_lines else _TextFormatter())
    if not json_lines:
        handler.addFilter(_not_summarised)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.INFO if json_lines else logging.WARNING)
    for name, level in QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(level)
