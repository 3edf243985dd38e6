"""The ``emuseum`` command object and what every command shares: consoles, --config, the one-line failure."""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

__all__ = ["ConfigOption", "Failure", "app", "console", "err", "operator"]

HELP = """emuseum: the command line of the national catalogue.

Every command exits 0 on success and non-zero with one line saying why
otherwise, so the ministry's cron and CI can rely on it.
"""

app = typer.Typer(add_completion=False, no_args_is_help=True, help=HELP, pretty_exceptions_enable=False)
console = Console(soft_wrap=True)  # one record, one line: never wrapped in the middle of an id or a path
err = Console(stderr=True, soft_wrap=True)

ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", help="Folder with museums.yaml (and schedules.yaml); or EMUSEUM_CONFIG."),
]


class Failure(Exception):
    """A command that cannot do what was asked; its message is the one line the user sees."""


def operator() -> str:
    """Who decides (held runs, approvals): EMUSEUM_OPERATOR, else the login name."""
    return os.environ.get("EMUSEUM_OPERATOR") or getpass.getuser()
