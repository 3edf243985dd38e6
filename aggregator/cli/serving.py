"""``emuseum serve``: the search API, the researchers' page and OAI-PMH out."""

from __future__ import annotations

from typing import Annotated

import typer

from aggregator.catalogue import Catalogue
from aggregator.cli.app import ConfigOption, Failure, app, console

__all__ = ["serve"]


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    config: ConfigOption = None,
) -> None:
    """Serve the search API, the search page and OAI-PMH out until interrupted."""
    from aggregator.web.server import serve as run_server

    with Catalogue.open(config) as catalogue:
        try:
            run_server(catalogue, host=host, port=port, console=console)
        except OSError as exc:
            raise Failure(str(exc)) from None
