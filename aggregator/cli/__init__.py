"""``emuseum``: the command line of the national catalogue, one module per group of commands."""

from aggregator.cli import (  # noqa: F401 - they register commands
    endpoints,
    exporting,
    harvesting,
    jobs,
    maintenance,
    ops,
    publishing,
    runs,
    searching,
    serving,
)
from aggregator.cli.app import app
from aggregator.cli.main import main

__all__ = ["app", "main"]
