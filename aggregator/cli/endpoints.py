"""``emuseum check-endpoint``: what the catalogue will meet at a museum's OAI-PMH endpoint, with advice.

Exit codes: 0 no errors found, 1 errors found, 2 the endpoint could not be
reached.  The operator may check any URL (private and loopback addresses
included: the command runs on the operator's own machine, on the operator's
word); the public web form at ``/check`` is bounded much more tightly.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import replace
from typing import Annotated

import typer

from aggregator.catalogue import Catalogue
from aggregator.cli.app import ConfigOption, Failure, app, console
from aggregator.endpoint_report import EndpointReport, run_endpoint_check
from harvester.endpoint_check import Finding

__all__ = ["check_endpoint_command", "print_report"]

_ANY_ADDRESS = (ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0"))
_LABEL = {"error": "ERROR  ", "warning": "WARNING", "info": "info   "}


def _print_finding(item: Finding) -> None:
    console.print(f"{_LABEL[item.severity]} [{item.area}] {item.message}", markup=False, highlight=False)
    console.print(f"         rule: {item.rule}", markup=False, highlight=False)
    if item.evidence.request:
        console.print(f"         request: {item.evidence.request}", markup=False, highlight=False)
    if item.evidence.excerpt:
        console.print(f"         answer: «{item.evidence.excerpt}»", markup=False, highlight=False)
    if item.severity != "info":
        console.print(f"         advice: {item.advice}", markup=False, highlight=False)


def _yes_no(value: bool | None) -> str:
    return "not testable" if value is None else ("yes" if value else "NO")


def print_report(report: EndpointReport) -> None:
    outcome, facts = report.outcome, report.outcome.facts
    for item in outcome.sorted_findings():
        _print_finding(item)
    console.print("", markup=False)
    if outcome.reachable:
        listed = "complete" if facts.listing_complete else "in part"
        lines = [
            f"repository: {facts.repository_name or '?'}; formats: {', '.join(facts.formats) or 'none'}; "
            f"checked: {facts.metadata_prefix or '-'}; sets: {facts.sets if facts.sets is not None else 'none'}",
            f"granularity: declared {facts.declared_granularity or '?'}, used {facts.granularity or '?'}; "
            f"from honoured: {_yes_no(facts.honours_from)}; until honoured: {_yes_no(facts.honours_until)}",
            f"deletedRecord: {facts.deleted_record or '?'} ({facts.deleted_seen} deleted listed); "
            f"listed: {facts.records_listed} records in {facts.pages_listed} pages ({listed})",
        ]
        quality = report.quality
        if quality.records:
            tiers = ", ".join(f"{t} {n}" for t, n in quality.tiers.items())
            lines.append(f"quality: {quality.records} records, mean {quality.mean} (tiers {tiers})")
        for line in lines:
            console.print(line, markup=False, highlight=False)
    counts = ", ".join(f"{outcome.count(s)} {s}{'s' if outcome.count(s) != 1 else ''}" for s in ("error", "warning"))
    verdict = {0: "no errors", 1: "errors found", 2: "could not reach the endpoint"}[report.exit_code]
    console.print(
        f"result: {verdict} ({counts}, {outcome.count('info')} notes); exit {report.exit_code}",
        markup=False,
        highlight=False,
    )


@app.command("check-endpoint")
def check_endpoint_command(
    url: Annotated[str, typer.Argument(help="The OAI-PMH base URL (http or https).")],
    metadata_format: Annotated[
        str | None, typer.Option("--format", help="metadataPrefix to check (lido, oai_dc); default: lido if offered.")
    ] = None,
    set_spec: Annotated[str | None, typer.Option("--set", help="Check only this set (setSpec).")] = None,
    max_records: Annotated[int, typer.Option("--max-records", min=1, help="Records to read at most.")] = 200,
    max_seconds: Annotated[float, typer.Option("--max-seconds", min=1, help="Time for the whole check.")] = 300.0,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    museum: Annotated[
        str | None,
        typer.Option("--museum", help="Save the result as this museum's endpoint profile (the harvester uses it)."),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Check an OAI-PMH endpoint: protocol, paging, incremental harvesting, deletions, records, encoding, speed.

    Exit 0: no errors; 1: errors found; 2: the endpoint could not be reached.
    A check of a registry museum's URL (or with --museum) is saved as its endpoint profile.
    """
    with Catalogue.open(config) as catalogue:
        owner = None
        if museum is not None:
            owner = catalogue.museum(museum)
            if owner is None:
                raise Failure(catalogue.settings.registry.unknown([museum]))
        else:
            owner = catalogue.museum_for_endpoint(url)
        policy = replace(catalogue.settings.source_policy, allowed_networks=_ANY_ADDRESS)
        report = run_endpoint_check(
            url,
            metadata_prefix=metadata_format,
            set_spec=set_spec,
            max_records=max_records,
            policy=policy,
            max_seconds=max_seconds,
        )
        if owner is not None and report.outcome.reachable:
            report.museum_id = owner.id
            catalogue.save_endpoint_profile(owner.id, report.to_json())
    if as_json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print_report(report)
        if report.museum_id:
            console.print(f"saved as the endpoint profile of {report.museum_id}", markup=False, highlight=False)
    raise typer.Exit(report.exit_code)
