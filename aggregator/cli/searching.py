"""``emuseum search`` and ``map``: what researchers find, and what museums' files become."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from aggregator.catalogue import Catalogue
from aggregator.cli.app import ConfigOption, Failure, app, console, err
from aggregator.index.query import SearchQuery, parse_filters
from aggregator.web.concept_labels import resolve_filter
from aggregator.web.results import facet_label
from config.regions import REGIONS

__all__ = ["map_file", "search"]


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Free text, in any script (kk, ru, en).")] = "",
    filters: Annotated[list[str] | None, typer.Option("--filter", help="NAME=VALUE, e.g. region=KZ-75.")] = None,
    facets: Annotated[list[str] | None, typer.Option("--facet", help="Facet to count, e.g. material.")] = None,
    date_from: Annotated[int | None, typer.Option("--from", help="Year (negative for BCE).")] = None,
    date_to: Annotated[int | None, typer.Option("--to", help="Year (negative for BCE).")] = None,
    sort: Annotated[str, typer.Option(help="relevance, title, date or -date.")] = "relevance",
    page: int = 1,
    size: int = 10,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    config: ConfigOption = None,
) -> None:
    """Search the union catalogue."""
    if date_from is not None and date_to is not None and date_from > date_to:
        raise Failure(f"--from ({date_from}) is after --to ({date_to}); swap them")
    try:
        q = SearchQuery(
            text=query,
            filters=parse_filters(filters or []),
            facets=facets or [],
            date_from=date_from,
            date_to=date_to,
            sort=sort,
            page=page,
            size=size,
        )
    except ValidationError as exc:
        raise Failure("; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())) from None
    with Catalogue.open(config) as catalogue:
        for warning in _filter_warnings(catalogue, q.filters):
            err.print(f"warning: {warning}", markup=False, highlight=False)
        result = catalogue.search(q)
        registry = catalogue.settings.registry
    if as_json:
        print(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    console.print(f"{result.total} records", highlight=False)
    for hit in result.hits:
        extra = f" ({hit.date_display})" if hit.date_display else ""
        console.print(f"  {hit.id}  {hit.title}{extra}", markup=False, highlight=False)
    about = "about " if result.facets_approximate else ""  # counts estimated from a sample of the matches
    for name, values in result.facets.items():
        shown = ", ".join(f"{facet_label(registry, name, v.value, 'en')} ({about}{v.count})" for v in values[:12])
        console.print(f"  [{name}] {shown}", markup=False, highlight=False)


def _filter_warnings(catalogue: Catalogue, filters: dict[str, list[str]]) -> list[str]:
    """Filter values that name nothing the catalogue knows (the search still runs, and finds nothing)."""
    warnings = []
    for name, values in filters.items():
        for value in values:
            if name == "museum" and catalogue.museum(value) is None:
                warnings.append(f"no museum has the id {value!r} (see emuseum status)")
            elif name == "region" and value not in REGIONS:
                warnings.append(f"{value!r} is not an ISO 3166-2:KZ region code (e.g. KZ-75)")
            elif name == "century" and not value.lstrip("-").isdigit():
                warnings.append(f"century {value!r} is not a number (19, or -5 for the 5th century BCE)")
            elif not resolve_filter(name, value)[1]:
                warnings.append(f"{name} {value!r} is not in the vocabulary; matched as a museum's own term")
    return warnings


@app.command("map")
def map_file(
    file: Annotated[
        Path,
        typer.Argument(help="A LIDO/oai_dc XML file or a CSV export.", exists=True, dir_okay=False),
    ],
    fmt: Annotated[str, typer.Option("--format", help="lido, oai_dc or csv:PROFILE.")] = "lido",
    to: Annotated[
        str | None, typer.Option("--to", help="json, lido, jsonld or turtle (default json).", show_default=False)
    ] = None,
    museum: Annotated[str, typer.Option(help="Museum id to stamp on the preview.")] = "preview",
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="For each field: its value and the source elements (or columns) it came from, "
            "then the source elements not used. With --to json: the same as JSON.",
        ),
    ] = False,
) -> None:
    """Preview how a file maps to core records (for museums checking their export).

    Exits 1 when no record of the file could be mapped, whatever the output.
    """
    from aggregator.explain import explanation_lines
    from aggregator.preview import NothingMapped, explain_file, preview_file

    if explain and to not in (None, "json"):
        raise Failure(f"--explain shows where each value came from; use it alone or with --to json, not --to {to}")
    try:
        if explain:
            explained = explain_file(file, fmt, museum)
            problems = explained["problems"]
            if to == "json":
                output = json.dumps(explained["records"], ensure_ascii=False, indent=2)
            else:
                output = "\n\n".join("\n".join(explanation_lines(r)) for r in explained["records"])
        else:
            output, problems = preview_file(file, fmt, to or "json", museum)
    except NothingMapped as exc:
        for line in exc.problems:
            err.print(line, markup=False, highlight=False)
        raise Failure(str(exc)) from None
    except ValueError as exc:
        raise Failure(str(exc)) from None
    sys.stdout.write(output)
    if not output.endswith("\n"):
        sys.stdout.write("\n")
    for line in problems:
        err.print(line, markup=False, highlight=False)
