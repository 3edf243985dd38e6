"""``emuseum``: the command line of the national catalogue, one module per group of commands."""

from aggregator.cli import harvesting, jobs, maintenance, runs, searching, serving  # noqa: F401 - they register commands
from aggregator.cli.app import app
from aggregator.cli.main import main

__all__ = ["app", "main"]
