"""The ministry's operations over one catalogue: passes, the report, alerts, health, for CLI, web and scheduler.

``Operations`` wraps a ``Catalogue``: the harvest itself stays the
catalogue's; what happens around it (the pass row, the runs tagged with it,
snapshots for the trends, the report, the alerts and their delivery) is here,
so the scheduler, ``emuseum report`` and the dashboard agree.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aggregator.catalogue import Catalogue
from aggregator.index.query import SearchQuery
from aggregator.ops import alerts as alert_store
from aggregator.ops.delivery import deliver
from aggregator.ops.health import MuseumHealth, museum_health, store_figures, take_snapshots
from aggregator.ops.passes import finish_pass, list_passes, runs_since, start_pass, tag_runs
from aggregator.ops.report import (
    alert_text,
    build_report,
    latest_report,
    localise,
    mark_delivered,
    night_of,
    report_html,
    report_text,
    store_report,
)
from aggregator.pipeline import PageCallback, RunSummary
from aggregator.store.records import now
from harvester.log_context import log_context

__all__ = ["Operations", "PassOutcome"]

log = logging.getLogger("emuseum.ops")


@dataclass(slots=True)
class PassOutcome:
    pass_id: int
    summaries: list[RunSummary] = field(default_factory=list)
    report: dict[str, Any] = field(default_factory=dict)
    delivered: list[list[str]] = field(default_factory=list)


class Operations:
    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.db = catalogue.db
        self.settings = catalogue.settings

    # -- harvesting, watched -----------------------------------------------------------------
    def harvest(
        self,
        ids: list[str] | None = None,
        *,
        full: bool = False,
        workers: int = 1,
        max_seconds: float | None = None,
        on_page: PageCallback | None = None,
        pass_id: int | None = None,
    ) -> list[RunSummary]:
        """``Catalogue.harvest``, then the runs' snapshots (trends) and their pass."""
        summaries = self.catalogue.harvest(ids, full=full, workers=workers, max_seconds=max_seconds, on_page=on_page)
        self.after_runs(summaries, pass_id)
        return summaries

    def after_runs(self, summaries: list[RunSummary], pass_id: int | None = None) -> None:
        self._after(pass_id, {s.museum_id: s.run_id or None for s in summaries})

    def _after(self, pass_id: int | None, runs: dict[str, int | None]) -> None:
        run_ids = [run_id for run_id in runs.values() if run_id]
        if pass_id is not None and run_ids:
            tag_runs(self.db, pass_id, run_ids)
        take_snapshots(self.db, runs)

    def harvest_on_queue(
        self, ids: list[str], *, full: bool = False, pass_id: int | None = None, poll_seconds: float = 5.0
    ) -> dict[str, int | None]:
        """A PostgreSQL store's pass: one job per museum for ``emuseum worker``, waited for within the night.

        Returns each museum's run (None: its job did not start before the
        night's limit, EMUSEUM_MAX_SECONDS_PER_NIGHT); the report then says so.
        """
        from aggregator.jobs.enqueue import enqueue_harvests
        from aggregator.jobs.waiting import wait_for_museums

        since = now()
        for queued in enqueue_harvests(self.settings.database_url, ids, full=full):
            log.info("%s", queued.line())
        deadline = time.time() + self.settings.source_policy.max_seconds_per_night
        late = wait_for_museums(self.db, ids, deadline=deadline, poll_seconds=poll_seconds)
        if late:
            log.warning("the night's limit passed with jobs still queued or running: %s", ", ".join(sorted(late)))
        runs = runs_since(self.db, ids, since)
        self._after(pass_id, runs)
        return runs

    def run_pass(
        self,
        job: str,
        planned_at: datetime,
        ids: list[str] | None,
        *,
        full: bool = False,
        workers: int = 1,
        deliver_report: bool = True,
        queue: bool = False,
        poll_seconds: float = 5.0,
    ) -> PassOutcome:
        """One scheduled pass: harvest, tag, report, alerts, delivery (raises PassTaken when it ran already).

        With ``queue`` (a PostgreSQL store) the museums are harvested by the
        queue's workers and the pass waits for them before it reports.
        """
        museums = [m.id for m in self.catalogue.museums(ids)]
        pass_id = start_pass(self.db, job, planned_at, museums, full)
        outcome = PassOutcome(pass_id)
        with log_context(pass_id=pass_id):
            log.info("pass started job=%s planned=%s museums=%d", job, planned_at.isoformat(), len(museums))
            try:
                if queue:
                    queued = self.harvest_on_queue(museums, full=full, pass_id=pass_id, poll_seconds=poll_seconds)
                    run_ids = list(queued.values())
                else:
                    outcome.summaries = self.harvest(museums, full=full, workers=workers, pass_id=pass_id)
                    run_ids = [s.run_id for s in outcome.summaries]
            except Exception as exc:
                finish_pass(self.db, pass_id, report_id=None, error=f"{type(exc).__name__}: {exc}")
                raise
            self.check_alerts()
            night = night_of(planned_at.astimezone(UTC), self.settings.schedule.timezone)
            outcome.report = self.make_report(night, [r for r in run_ids if r], job=job, pass_id=pass_id)
            finish_pass(self.db, pass_id, report_id=outcome.report["id"])
            if deliver_report:
                outcome.delivered = self.deliver_report(outcome.report)
                self.deliver_alerts()
            log.info("pass finished job=%s report=%s", job, outcome.report["id"])
        return outcome

    def passes(self, limit: int = 30) -> list[dict[str, Any]]:
        return list_passes(self.db, limit)

    # -- the report --------------------------------------------------------------------------
    def make_report(
        self, night: str, run_ids: list[int], *, job: str | None = None, pass_id: int | None = None
    ) -> dict[str, Any]:
        data = build_report(
            self.db,
            self.settings.registry,
            night=night,
            runs=run_ids,
            job=job,
            pass_id=pass_id,
            failed_nights=self.settings.ops.alerts.failed_nights,
        )
        store_report(self.db, data)
        return data

    def report(self, night: str | None = None) -> dict[str, Any] | None:
        return latest_report(self.db, night)

    def localised(self, report: dict[str, Any], lang: str) -> dict[str, Any]:
        return localise(report, lang, self.settings.registry)

    def report_text(self, report: dict[str, Any], lang: str) -> str:
        return report_text(self.localised(report, lang))

    def report_html(self, report: dict[str, Any], lang: str) -> str:
        return report_html(self.localised(report, lang))

    def deliver_report(self, report: dict[str, Any]) -> list[list[str]]:
        delivery = self.settings.ops.delivery
        lang = delivery.lang
        shown = self.localised(report, lang)
        totals = report["totals"]
        subject = (f"{shown['title']} {report['night']}: {totals['succeeded']}/{totals['museums']} ok, "
                   f"{totals['failed']} failed, {totals['held']} held")  # fmt: skip
        outcomes = deliver(delivery, subject, report_text(shown), report_html(shown), {"type": "report", **shown})
        if outcomes:
            mark_delivered(self.db, report["id"], outcomes)
        return outcomes

    # -- alerts ------------------------------------------------------------------------------
    def index_count(self) -> int | None:
        """Documents the search index holds (None when the index cannot be asked)."""
        try:
            return self.catalogue.search(SearchQuery(size=0)).total
        except Exception as exc:  # noqa: BLE001 - an index that cannot answer is reported, not raised
            log.warning("cannot count the search index's documents: %s", exc)
            return None

    def check_alerts(self) -> alert_store.AlertChanges:
        figures = store_figures(self.db)
        return alert_store.evaluate_alerts(
            self.db,
            self.settings.registry,
            self.settings.ops.alerts,
            index_count=self.index_count(),
            store_count=figures.store_records,
        )

    def alerts(self, *, include_closed: bool = False) -> list[dict[str, Any]]:
        return alert_store.list_alerts(self.db, include_closed=include_closed)

    def alert_text(self, alert: dict[str, Any], lang: str) -> str:
        registry = self.settings.registry

        def name(museum_id: str | None) -> str:
            museum = registry.get(museum_id or "")
            return museum.display_name(lang) if museum else (museum_id or "")

        return alert_text(alert["kind"], alert["museum_id"], alert["details"], lang, name)

    def deliver_alerts(self) -> list[list[str]]:
        """Tell the configured channels about alerts opened or closed since the last time."""
        opened, closed = alert_store.pending_notifications(self.db)
        delivery = self.settings.ops.delivery
        if not (opened or closed) or not (delivery.email or delivery.webhook):
            return []
        from aggregator.ops.words import word

        lang = delivery.lang
        lines = [f"{word('alert_opened', lang)}: {self.alert_text(a, lang)}" for a in opened]
        lines += [f"{word('alert_closed', lang)}: {self.alert_text(a, lang)}" for a in closed]
        subject = (
            f"emuseum: {len(opened)} {word('alert_opened', lang).lower()}, "
            f"{len(closed)} {word('alert_closed', lang).lower()}"
        )
        payload = {"type": "alerts", "opened": opened, "closed": closed, "lines": lines}
        outcomes = deliver(delivery, subject, "\n".join(lines) + "\n", None, payload)
        if any(outcome == "sent" for _, outcome in outcomes):
            alert_store.mark_notified(self.db, [a["id"] for a in opened], [a["id"] for a in closed])
        return outcomes

    # -- health ------------------------------------------------------------------------------
    def health(self) -> list[MuseumHealth]:
        return museum_health(self.db, self.settings.registry, self.settings.ops.alerts.failed_nights)
