"""The morning report: one per night, per region and museum, kept in the store as language-neutral data.

It is built once, right after the night's pass (``aggregator.ops.passes``),
from the runs of that pass: what each museum brought, what failed and why in
plain words with what the museum should fix (``aggregator.ops.words``), which
runs are held and why, whose quality tier moved, which alerts are open.  The
stored data carries codes and numbers; ``localise`` puts it into kk, ru or en
when it is read, so one stored report serves every reader.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from aggregator.ops.health import museum_health
from aggregator.ops.words import failure_kind, failure_words, held_reason_words, word
from aggregator.run_history import describe_run
from aggregator.store.database import Database
from aggregator.store.models import AlertRow, HarvestRun, MuseumSnapshot, NightReport
from aggregator.store.records import now
from aggregator.store.runs import HELD, SUCCEEDED
from config.regions import region_label
from config.registry import Registry

__all__ = [
    "alert_text",
    "build_report",
    "latest_report",
    "localise",
    "mark_delivered",
    "night_of",
    "report_html",
    "report_text",
    "store_report",
]

_LIGHT_ORDER = {"red": 3, "amber": 2, "grey": 1, "green": 0}


def night_of(moment: datetime, timezone: str) -> str:
    """The night a moment belongs to, as the ministry names it: the local date of the evening before 12:00."""
    local = moment.astimezone(ZoneInfo(timezone))
    day = local.date() if local.hour >= 12 else date.fromordinal(local.date().toordinal() - 1)
    return day.isoformat()


def _tier_change(db: Database, museum_id: str, run_ids: set[int]) -> dict[str, str] | None:
    with db.session() as session:
        snaps = list(
            session.scalars(
                select(MuseumSnapshot)
                .where(MuseumSnapshot.museum_id == museum_id)
                .order_by(MuseumSnapshot.id.desc())
                .limit(2)
            )
        )
    if len(snaps) < 2 or snaps[0].run_id not in run_ids or snaps[0].tier == snaps[1].tier:
        return None
    return {"before": snaps[1].tier or "-", "after": snaps[0].tier or "-"}


def build_report(
    db: Database,
    registry: Registry,
    *,
    night: str,
    runs: Iterable[int],
    job: str | None = None,
    pass_id: int | None = None,
    failed_nights: int = 3,
) -> dict[str, Any]:
    """The night's report from its runs (ids); museums of the registry without a run are 'not run'."""
    run_ids = set(runs)
    with db.session() as session:
        rows = list(session.scalars(select(HarvestRun).where(HarvestRun.id.in_(run_ids)))) if run_ids else []
        described = {row.museum_id: describe_run(row) for row in sorted(rows, key=lambda r: r.id)}
        alerts = [
            {"kind": a.kind, "museum_id": a.museum_id, "details": a.details, "opened_at": a.opened_at.isoformat()}
            for a in session.scalars(select(AlertRow).where(AlertRow.closed_at.is_(None)).order_by(AlertRow.id))
        ]
    health = {h.museum_id: h for h in museum_health(db, registry, failed_nights)}
    totals = dict.fromkeys(
        ("museums", "succeeded", "failed", "held", "not_run", "new", "updated", "unchanged", "deleted", "quarantined"),
        0,
    )
    regions: dict[str, dict[str, Any]] = {}
    held_runs, quality_changes = [], []
    for museum in registry.museums:
        if not museum.enabled and museum.id not in described:
            continue
        run = described.get(museum.id)
        status = run["status"] if run else "not_run"
        entry: dict[str, Any] = {
            "id": museum.id,
            "names": dict(museum.name),
            "status": status,
            "light": health[museum.id].light if museum.id in health else "grey",
            "records": health[museum.id].active if museum.id in health else 0,
            "consecutive_failures": health[museum.id].consecutive_failures if museum.id in health else 0,
            "run_id": run["id"] if run else None,
            "mode": run["mode"] if run else None,
            "counts": {k: run[k] for k in ("new", "updated", "unchanged", "deleted", "failed")} if run else None,
            "seconds": run["seconds"] if run else None,
            "http": {
                "requests": run["http_requests"],
                "errors": run["http_errors"],
                "retries": run["retries"],
                "p50_ms": (run["response_ms"] or {}).get("p50"),
            }
            if run
            else None,
            "failure": None,
            "held": None,
            "tier": _tier_change(db, museum.id, run_ids),
        }
        totals["museums"] += 1
        key = {SUCCEEDED: "succeeded", HELD: "held", "not_run": "not_run"}.get(status, "failed")
        totals[key] += 1
        if run and status == SUCCEEDED:  # a held or failed run changed nothing in the catalogue
            for name in ("new", "updated", "unchanged", "deleted"):
                totals[name] += int(run[name] or 0)
            totals["quarantined"] += int(run["failed"] or 0)
        if status == HELD and run:
            entry["held"] = {"run_id": run["id"], "reason": run["held_reason"]}
            held_runs.append({"museum_id": museum.id, "run_id": run["id"], "reason": run["held_reason"]})
        elif key == "failed" and run:
            entry["failure"] = {"kind": failure_kind(run["error"]), "detail": run["error"]}
        if entry["tier"]:
            quality_changes.append({"museum_id": museum.id, **entry["tier"]})
        region = regions.setdefault(museum.region, {"code": museum.region, "light": "green", "museums": []})
        region["museums"].append(entry)
        if _LIGHT_ORDER[entry["light"]] > _LIGHT_ORDER[region["light"]]:
            region["light"] = entry["light"]
    return {
        "night": night,
        "job": job,
        "pass_id": pass_id,
        "generated_at": now().isoformat(),
        "totals": totals,
        "regions": sorted(regions.values(), key=lambda r: r["code"]),
        "held_runs": held_runs,
        "quality_changes": quality_changes,
        "alerts": alerts,
    }


def store_report(db: Database, data: dict[str, Any]) -> int:
    with db.session() as session:
        row = NightReport(night=data["night"], pass_id=data.get("pass_id"), created_at=now(), data=data)
        session.add(row)
        session.commit()
        data["id"] = row.id
        row.data = dict(data)
        session.commit()
        return row.id


def latest_report(db: Database, night: str | None = None) -> dict[str, Any] | None:
    """The newest stored report (of ``night``, YYYY-MM-DD, when given)."""
    with db.session() as session:
        stmt = select(NightReport).order_by(NightReport.id.desc()).limit(1)
        if night:
            stmt = stmt.where(NightReport.night == night)
        row = session.scalars(stmt).first()
        if row is None:
            return None
        return {**row.data, "id": row.id, "delivered": row.delivered or []}


def mark_delivered(db: Database, report_id: int, outcomes: list[list[str]]) -> None:
    with db.session() as session:
        row = session.get(NightReport, report_id)
        if row is not None:
            row.delivered = [*(row.delivered or []), *outcomes]
            session.commit()


def _name(names: dict[str, str], lang: str) -> str:
    return names.get(lang) or names.get("en") or names.get("ru") or next(iter(names.values()), "")


def localise(data: dict[str, Any], lang: str, registry: Registry | None = None) -> dict[str, Any]:
    """The stored report with every label, status and failure in ``lang`` (kk, ru or en)."""
    names = {m.id: dict(m.name) for m in registry.museums} if registry else {}
    out = {**data, "lang": lang, "title": word("report_title", lang)}
    regions = []
    for region in data["regions"]:
        museums = []
        for museum in region["museums"]:
            shown = {**museum, "name": _name(museum["names"], lang)}
            shown["status_text"] = word(f"status_{museum['status']}", lang)
            shown["light_text"] = word(f"light_{museum['light']}", lang)
            if museum.get("failure"):
                reason, advice = failure_words(museum["failure"]["kind"], lang)
                shown["failure"] = {**museum["failure"], "reason": reason, "advice": advice}
            if museum.get("held"):
                reason, advice = failure_words("held", lang)
                shown["held"] = {
                    **museum["held"],
                    "reason": held_reason_words(museum["held"]["reason"], lang),
                    "advice": advice,
                    "decide": word("approve_hint", lang, run=museum["held"]["run_id"]),
                }
            museums.append(shown)
        regions.append({**region, "label": region_label(region["code"], lang), "museums": museums})
    out["regions"] = regions
    # What broke, before the region-by-region list: with 252 museums the failures would be
    # scattered among hundreds of healthy lines.
    out["failures"] = [m for region in regions for m in region["museums"] if m.get("failure")]

    def museum_name(museum_id: str | None) -> str:
        return _name(names.get(museum_id or "", {}), lang) or (museum_id or "")

    out["held_runs"] = [
        {**h, "museum": museum_name(h["museum_id"]), "reason": held_reason_words(h["reason"], lang)}
        for h in data["held_runs"]
    ]
    out["quality_changes"] = [{**q, "museum": museum_name(q["museum_id"])} for q in data["quality_changes"]]
    out["alerts"] = [{**a, "text": alert_text(a["kind"], a["museum_id"], a["details"], lang, museum_name)}
                     for a in data["alerts"]]  # fmt: skip
    out["labels"] = {
        key: word(key, lang)
        for key in ("night", "job", "generated", "summary", "museums", "museum", "region", "status", "new", "updated",
                    "unchanged", "deleted", "quarantined", "records", "reason", "advice", "detail", "failures",
                    "held_runs", "run", "quality_changes", "alerts", "none")
    }  # fmt: skip
    return out


def alert_text(kind: str, museum_id: str | None, details: dict[str, Any], lang: str, name: Any = None) -> str:
    museum = name(museum_id) if callable(name) else (museum_id or "")
    values = {k: v for k, v in details.items() if isinstance(v, str | int | float)}
    try:
        return word(f"alert_{kind}", lang, museum=museum, **values)
    except (KeyError, IndexError):
        return f"{kind}: {museum}"


def report_text(report: dict[str, Any]) -> str:
    """A localised report as plain text (the e-mail's text part, the CLI's default output)."""
    labels, totals = report["labels"], report["totals"]
    lines = [
        f"{report['title']} - {labels['night']} {report['night']}" + (f" ({report['job']})" if report["job"] else ""),
        f"{labels['museums']}: {totals['museums']}; {word('status_succeeded', report['lang'])} {totals['succeeded']}, "
        f"{word('status_failed', report['lang'])} {totals['failed']}, {word('status_held', report['lang'])} "
        f"{totals['held']}, {word('status_not_run', report['lang'])} {totals['not_run']}",
        f"{labels['new']} {totals['new']}, {labels['updated']} {totals['updated']}, {labels['deleted']} "
        f"{totals['deleted']}, {labels['quarantined']} {totals['quarantined']}",
    ]
    if report.get("failures"):
        lines += ["", f"{labels['failures']}:"]
        lines += [f"  - {m['name']}: {m['failure']['reason']}" for m in report["failures"]]
    if report["held_runs"]:
        lines += ["", f"{labels['held_runs']}:"]
        lines += [f"  - {h['museum']} ({labels['run']} {h['run_id']}): {h['reason']}" for h in report["held_runs"]]
    lines += ["", f"{labels['alerts']}: " + ("; ".join(a["text"] for a in report["alerts"]) or labels["none"])]
    for region in report["regions"]:
        lines.append("")
        lines.append(f"{region['label']} ({region['code']})")
        for m in region["museums"]:
            counts = (m["counts"] or {}) if m["status"] == SUCCEEDED else {}  # a held run changed nothing yet
            line = f"  [{m['light_text']}] {m['name']}: {m['status_text']}"
            if counts:
                line += (
                    f" - {labels['new']} {counts['new']}, {labels['updated']} {counts['updated']}, "
                    f"{labels['deleted']} {counts['deleted']}, {labels['quarantined']} {counts['failed']}"
                )
            lines.append(line)
            if m.get("failure"):
                lines.append(f"      {labels['reason']}: {m['failure']['reason']}")
                lines.append(f"      {labels['advice']}: {m['failure']['advice']}")
                lines.append(f"      {labels['detail']}: {m['failure']['detail']}")
            if m.get("held"):
                lines.append(f"      {labels['reason']}: {m['held']['reason']}")
                lines.append(f"      {m['held']['decide']}")
            if m.get("tier"):
                lines.append(f"      {labels['quality_changes']}: {m['tier']['before']} -> {m['tier']['after']}")
    return "\n".join(lines) + "\n"


def report_html(report: dict[str, Any]) -> str:
    """A localised report as one self-contained HTML page (the e-mail's HTML part, ``--html``)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    lang = report["lang"]
    status_words = {k: word(f"status_{k}", lang) for k in ("succeeded", "failed", "held", "not_run")}
    return env.get_template("report.html").render(r=report, status_words=status_words)
