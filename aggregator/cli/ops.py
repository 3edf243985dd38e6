"""``emuseum report`` and ``alerts``: what the ministry reads in the morning."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from aggregator.catalogue import Catalogue
from aggregator.cli.app import ConfigOption, Failure, app, console
from aggregator.ops.report import night_of
from aggregator.ops.service import Operations
from aggregator.ops.words import LANGS

__all__ = ["alerts", "report"]


def _lang(value: str) -> str:
    if value not in LANGS:
        raise Failure(f"--lang must be one of {', '.join(LANGS)}, not {value!r}")
    return value


@app.command()
def report(
    night: Annotated[str | None, typer.Option("--night", help="YYYY-MM-DD; default: the newest report.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The report as JSON.")] = False,
    as_html: Annotated[bool, typer.Option("--html", help="The report as one HTML page.")] = False,
    lang: Annotated[str, typer.Option("--lang", help="kk, ru or en.")] = "kk",
    send: Annotated[bool, typer.Option("--send", help="Send it again by e-mail / webhook (see README).")] = False,
    config: ConfigOption = None,
) -> None:
    """The morning report of a night: per region and museum, what came in, what failed and why, held runs.

    A night without a scheduled pass gets a report made now from that night's runs.
    """
    lang = _lang(lang)
    if night is not None:
        try:
            datetime.strptime(night, "%Y-%m-%d")
        except ValueError:
            raise Failure(f"--night {night!r} is not a date as YYYY-MM-DD") from None
    with Catalogue.open(config) as catalogue:
        ops = Operations(catalogue)
        data = ops.report(night)
        if data is None:
            data = _made_now(ops, night)
        if send:
            outcomes = ops.deliver_report(data)
            if not outcomes:
                raise Failure("no delivery is configured: set EMUSEUM_SMTP_HOST and EMUSEUM_REPORT_TO, or "
                              "EMUSEUM_REPORT_WEBHOOK")  # fmt: skip
            for channel, outcome in outcomes:
                console.print(f"{channel}: {outcome}", markup=False, highlight=False)
            return
        if as_json:
            print(json.dumps(ops.localised(data, lang), ensure_ascii=False, indent=2))
        elif as_html:
            print(ops.report_html(data, lang))
        else:
            console.print(ops.report_text(data, lang), markup=False, highlight=False, end="")


def _made_now(ops: Operations, night: str | None) -> dict[str, object]:
    """A report of the runs of ``night`` (default: the current one) when no pass made one."""
    timezone = ops.settings.schedule.timezone
    night = night or night_of(datetime.now(UTC), timezone)
    runs = [
        run
        for run in ops.catalogue.runs(limit=5000)
        if night_of(datetime.fromisoformat(run["started_at"]), timezone) == night
    ]
    if not runs:
        raise Failure(f"no report and no harvest run for the night of {night}")
    latest: dict[str, int] = {}
    for run in sorted(runs, key=lambda r: r["id"]):
        latest[run["museum_id"]] = run["id"]
    return ops.make_report(night, list(latest.values()))


@app.command()
def alerts(
    include_closed: Annotated[bool, typer.Option("--all", help="Closed alerts too.")] = False,
    check: Annotated[bool, typer.Option("--check/--no-check", help="Evaluate the causes first.")] = True,
    send: Annotated[bool, typer.Option("--send", help="Deliver alerts opened or closed since the last time.")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    lang: Annotated[str, typer.Option("--lang", help="kk, ru or en.")] = "en",
    config: ConfigOption = None,
) -> None:
    """Open alerts: museums failing night after night, slow endpoints, index drift, held runs."""
    lang = _lang(lang)
    with Catalogue.open(config) as catalogue:
        ops = Operations(catalogue)
        if check:
            ops.check_alerts()
        if send:
            for channel, outcome in ops.deliver_alerts():
                console.print(f"{channel}: {outcome}", markup=False, highlight=False)
        rows = ops.alerts(include_closed=include_closed)
        texts = [ops.alert_text(a, lang) for a in rows]
    if as_json:
        print(json.dumps([{**a, "text": t} for a, t in zip(rows, texts, strict=True)], ensure_ascii=False, indent=2))
        return
    if not rows:
        console.print("no open alerts", highlight=False)
        return
    table = Table("alert", "kind", "museum", "opened", "closed", "what")
    for a, text in zip(rows, texts, strict=True):
        table.add_row(str(a["id"]), a["kind"], a["museum_id"] or "-", a["opened_at"][:16], (a["closed_at"] or "")[:16],
                      text)  # fmt: skip
    console.print(table)
