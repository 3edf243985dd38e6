"""``emuseum runs``: the history of harvest runs, and a person's decision on a held run."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from aggregator.catalogue import Catalogue
from aggregator.cli.app import ConfigOption, Failure, app, console, operator
from aggregator.ops.service import Operations

__all__ = ["runs_app"]


runs_app = typer.Typer(no_args_is_help=False, help="Harvest runs: history, and decisions on held runs.")
app.add_typer(runs_app, name="runs")


@runs_app.callback(invoke_without_command=True)
def runs_list(
    ctx: typer.Context,
    museum: Annotated[str | None, typer.Option(help="Only this museum.")] = None,
    limit: Annotated[int, typer.Option(help="How many of the newest runs.")] = 20,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    config: ConfigOption = None,
) -> None:
    """The newest harvest runs (held ones say why); see also runs show / approve / reject."""
    if ctx.invoked_subcommand is not None:
        return
    with Catalogue.open(config) as catalogue:
        runs = catalogue.runs(museum, limit=limit)
    if as_json:
        print(json.dumps(runs, ensure_ascii=False, indent=2))
        return
    table = Table("run", "museum", "mode", "status", "started", "secs", "new", "updated", "deleted", "failed",
                  "http err", "p50 ms", "why")  # fmt: skip
    for run in runs:
        why = run.get("held_reason") or run.get("error") or ""
        p50 = (run.get("response_ms") or {}).get("p50")
        table.add_row(str(run["id"]), run["museum_id"], run["mode"], run["status"], (run["started_at"] or "")[:19],
                      _shown(run["seconds"]), str(run["new"]), str(run["updated"]), str(run["deleted"]),
                      str(run["failed"]), _shown(run["http_errors"]), _shown(p50), why)  # fmt: skip
    console.print(table)


def _shown(value: object) -> str:
    return "-" if value is None else str(value)


@runs_app.command("health")
def runs_health(
    museum: Annotated[str | None, typer.Option(help="Only this museum.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    config: ConfigOption = None,
) -> None:
    """Per museum: its light, last success, failures in a row, records and quality over recent runs."""
    with Catalogue.open(config) as catalogue:
        if museum and catalogue.museum(museum) is None:
            raise Failure(catalogue.settings.registry.unknown([museum]))
        health = [h for h in Operations(catalogue).health() if museum is None or h.museum_id == museum]
    if as_json:
        print(json.dumps([h.to_json() for h in health], ensure_ascii=False, indent=2))
        return
    table = Table("museum", "light", "last success", "failures in a row", "records", "trend", "quality", "tier",
                  "p50 ms trend", "alerts")  # fmt: skip
    for h in health:
        table.add_row(h.museum_id, h.light, (h.last_success_at or "never")[:16], str(h.consecutive_failures),
                      str(h.active), " ".join(map(str, h.records_trend[-6:])), _shown(h.mean_score), h.tier or "-",
                      " ".join(f"{v:g}" for v in h.response_trend[-6:]), str(h.open_alerts))  # fmt: skip
    console.print(table)


@runs_app.command("show")
def runs_show(
    run_id: Annotated[int, typer.Argument(help="The run's number.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
    config: ConfigOption = None,
) -> None:
    """Everything a run recorded: counts, timings, the endpoint's behaviour, why it was held."""
    with Catalogue.open(config) as catalogue:
        run = catalogue.run(run_id)
    if run is None:
        raise Failure(f"there is no harvest run {run_id}")
    if as_json:
        print(json.dumps(run, ensure_ascii=False, indent=2))
        return
    for key, value in run.items():
        if value not in (None, [], {}):
            console.print(f"{key}: {value}", markup=False, highlight=False)


@runs_app.command("approve")
def runs_approve(run_id: Annotated[int, typer.Argument(help="The held run.")], config: ConfigOption = None) -> None:
    """Apply a held run: its changes reach the store and the index."""
    with Catalogue.open(config) as catalogue:
        applied = catalogue.approve_run(run_id, by=operator())
    console.print(
        f"run {run_id} applied: {applied.upserted} records written, {applied.deleted} deleted at source, "
        f"{applied.swept} absent from the listing removed",
        highlight=False,
    )


@runs_app.command("reject")
def runs_reject(run_id: Annotated[int, typer.Argument(help="The held run.")], config: ConfigOption = None) -> None:
    """Discard a held run: nothing of it reaches the catalogue; the next harvest starts afresh."""
    with Catalogue.open(config) as catalogue:
        dropped = catalogue.reject_run(run_id, by=operator())
    console.print(f"run {run_id} rejected: {dropped} staged changes discarded", highlight=False)
