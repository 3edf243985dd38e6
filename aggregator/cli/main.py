"""Running the command: one line for every error a user can act on, a traceback only for a bug."""

from __future__ import annotations

import sys

import click

from aggregator.cli.app import Failure, app, err
from aggregator.held_runs import RunDecisionError
from aggregator.index.errors import IndexUnavailable
from aggregator.index.query import QueryError
from aggregator.log_format import configure_logging
from aggregator.store.errors import StoreUnavailable
from config.errors import ConfigError
from harvester.errors import HarvestError

__all__ = ["main"]


def _is_usage_error(exc: BaseException) -> bool:
    """click's and typer's (vendored click) usage errors: they carry a message and an exit code."""
    if isinstance(exc, click.ClickException):
        return True
    return type(exc).__name__ in ("UsageError", "BadParameter", "NoSuchOption", "MissingParameter",
                                  "BadOptionUsage", "BadArgumentUsage", "ClickException", "FileError")  # fmt: skip


def _usage_line(exc: BaseException) -> str:
    """``error: <what> (see emuseum search --help)``: one line, whatever click would have printed."""
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    context = getattr(exc, "ctx", None)
    command = getattr(context, "command_path", None) or "emuseum"
    return f"error: {' '.join(str(message).split())} (see {command} --help)"


def main() -> None:
    configure_logging()  # JSON lines for cron and log collectors, short text on a terminal
    try:
        code = app(standalone_mode=False)
    except (click.Abort, KeyboardInterrupt):
        err.print("error: interrupted")
        sys.exit(130)
    except (
        Failure,
        ConfigError,
        HarvestError,
        QueryError,
        IndexUnavailable,
        StoreUnavailable,
        RunDecisionError,
    ) as exc:
        err.print(f"error: {exc}", markup=False, highlight=False)
        sys.exit(1)
    except Exception as exc:
        if not _is_usage_error(exc):
            raise
        err.print(_usage_line(exc), markup=False, highlight=False)
        sys.exit(int(getattr(exc, "exit_code", 2)))
    sys.exit(code if isinstance(code, int) else 0)
