"""The progress bar long commands show on a terminal (remap, reindex, export); nothing for cron and pipes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from aggregator.cli.app import console
from aggregator.parallel import ProgressCallback

__all__ = ["progress_bar"]


@contextmanager
def progress_bar(what: str) -> Iterator[ProgressCallback | None]:
    """A callback that moves a bar (records done of all, time left), or None off a terminal."""
    if not console.is_terminal:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
               TimeElapsedColumn(), TimeRemainingColumn())  # fmt: skip
    with Progress(*columns, console=console) as progress:
        task = progress.add_task(what, total=None)

        def on_progress(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield on_progress
