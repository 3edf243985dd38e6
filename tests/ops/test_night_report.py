"""A night with one broken and one held museum: the pass, its report in three languages, delivery, alerts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from aggregator.catalogue import Catalogue
from aggregator.ops.passes import PassTaken, list_passes
from aggregator.ops.service import Operations
from tests.ops.conftest import Night, records


def _pass(night: Night, planned: datetime, *, full: bool = False) -> dict:  # type: ignore[type-arg]
    with Catalogue.open(night.config) as catalogue:
        return Operations(catalogue).run_pass("nightly", planned, None, full=full).report


def _museum(report: dict, museum_id: str) -> dict:  # type: ignore[type-arg]
    return next(m for region in report["regions"] for m in region["museums"] if m["id"] == museum_id)


def test_a_night_with_a_broken_and_a_held_museum_is_reported_sent_and_alerted(night: Night) -> None:
    first = _pass(night, datetime(2026, 11, 28, 20, 30, tzinfo=UTC))
    assert first["totals"]["succeeded"] == 2 and first["totals"]["failed"] == 1
    assert _museum(first, "kz-broken")["failure"]["kind"] == "unreachable"

    night.shrinking.set_records(records("kz-shrinking", 40)[:10])  # the export lost three quarters of the fund
    report = _pass(night, datetime(2026, 11, 29, 20, 30, tzinfo=UTC), full=True)

    assert report["night"] == "2026-11-29" and report["job"] == "nightly"
    assert report["totals"] == {**report["totals"], "museums": 3, "succeeded": 1, "failed": 1, "held": 1}
    held = _museum(report, "kz-shrinking")
    assert held["status"] == "held" and "it would delete 30 of 40" in held["held"]["reason"]
    assert report["held_runs"][0]["museum_id"] == "kz-shrinking"
    broken = _museum(report, "kz-broken")
    assert broken["failure"]["kind"] == "unreachable" and "connection refused" in broken["failure"]["detail"]
    assert broken["light"] == "red" and broken["consecutive_failures"] == 2
    assert {a["kind"] for a in report["alerts"]} == {"failing", "held"}

    # Delivered in Russian, by e-mail through a real SMTP server and to a real webhook.
    subjects = [m["Subject"] for m in night.mailbox.messages]  # type: ignore[attr-defined]
    assert any(s.startswith("Отчёт о ночном сборе 2026-11-29") for s in subjects), subjects
    mail = next(m for m in night.mailbox.messages if "2026-11-29" in m["Subject"])  # type: ignore[attr-defined]
    text = next(part for part in mail.walk() if part.get_content_type() == "text/plain").get_content()
    assert "Сервер музея недоступен" in text and "Сломанный музей" in text
    # What broke comes first, right under the totals, not among the regions' healthy museums.
    failures, held_runs = text.split("\n\n")[1:3]
    assert failures.startswith("Неудачные сборы:\n  - Сломанный музей: Сервер музея недоступен")
    assert held_runs.startswith("Задержанные сборы:\n  - ") and "(сбор " in held_runs
    assert any(part.get_content_type() == "text/html" for part in mail.walk())
    hooks = night.webhook.bodies  # type: ignore[attr-defined]
    report_hooks = [b for b in hooks if b["type"] == "report" and b["night"] == "2026-11-29"]
    assert report_hooks and report_hooks[0]["lang"] == "ru"
    alert_hooks = [b for b in hooks if b["type"] == "alerts"]
    assert alert_hooks and any("held:" in a["key"] for b in alert_hooks for a in b["opened"])

    # The same night cannot be run twice.
    with pytest.raises(PassTaken), Catalogue.open(night.config) as catalogue:
        Operations(catalogue).run_pass("nightly", datetime(2026, 11, 29, 20, 30, tzinfo=UTC), None)

    # The report is kept, and read in any language from the command line.
    env = {**os.environ, **night.env}
    cli = [sys.executable, "-m", "aggregator"]
    shown = subprocess.run([*cli, "report", "--night", "2026-11-29", "--json", "--lang", "kk", "--config",
                            str(night.config)], env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    kk = json.loads(shown.stdout)
    assert kk["title"] == "Түнгі жинау туралы есеп" and _museum(kk, "kz-broken")["failure"]["advice"].startswith(
        "Сервердің қосулы"
    )
    html = subprocess.run([*cli, "report", "--html", "--lang", "en", "--config", str(night.config)], env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert html.returncode == 0 and "<h1>Night harvest report" in html.stdout and "Broken Museum" in html.stdout
    # Every label of the Kazakh page is Kazakh, the held run's too.
    kk_html = subprocess.run([*cli, "report", "--html", "--lang", "kk", "--config", str(night.config)], env=env,
                             capture_output=True, text=True, timeout=120)  # fmt: skip
    assert kk_html.returncode == 0, kk_html.stderr
    assert f"(жинау {held['run_id']})" in kk_html.stdout and "(run " not in kk_html.stdout
    assert "<th>Сәтті</th>" in kk_html.stdout and "<th>Тоқтатылды</th>" in kk_html.stdout
    assert "<h2>Сәтсіз жинаулар</h2>" in kk_html.stdout

    # A decided held run closes its alert; the broken museum's stays open.
    with Catalogue.open(night.config) as catalogue:
        ops = Operations(catalogue)
        catalogue.approve_run(held["run_id"], by="test")
        changes = ops.check_alerts()
        assert [a["kind"] for a in changes.closed] == ["held"]
        assert [a["kind"] for a in ops.alerts()] == ["failing"]
        assert len(list_passes(catalogue.db)) == 2
    listed = subprocess.run([*cli, "alerts", "--all", "--json", "--config", str(night.config)], env=env,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    kinds = {(a["kind"], a["closed_at"] is None) for a in json.loads(listed.stdout)}
    assert kinds == {("failing", True), ("held", False)}


def test_runs_keep_their_http_figures_and_the_endpoints_behaviour(night: Night) -> None:
    _pass(night, datetime(2026, 11, 28, 20, 30, tzinfo=UTC))
    grown = records("kz-healthy", 32)
    for record in grown[30:]:  # two objects catalogued since the first night
        record.datestamp = datetime.now(UTC).replace(tzinfo=None)
    night.healthy.set_records(grown)
    _pass(night, datetime(2026, 11, 29, 20, 30, tzinfo=UTC))
    with Catalogue.open(night.config) as catalogue:
        runs = catalogue.runs("kz-healthy")
        health = {h.museum_id: h for h in Operations(catalogue).health()}
    incremental, full = runs[0], runs[1]
    assert full["http_requests"] >= 4 and full["http_errors"] == 0 and full["bytes_received"] > 10_000
    assert set(full["response_ms"]) >= {"p50", "p90", "p99", "max"}
    assert incremental["mode"] == "incremental" and incremental["endpoint"]["granularity"]
    assert incremental["endpoint"]["deleted_record"] in ("no", "transient", "persistent")
    assert incremental["endpoint"]["honours_from"] is True and incremental["endpoint"]["token_expiry"] is False
    assert health["kz-healthy"].light == "green" and health["kz-healthy"].records_trend == [30, 32]
    assert health["kz-broken"].consecutive_failures == 2 and health["kz-broken"].last_success_at is None


def test_a_slower_endpoint_and_an_index_out_of_step_raise_alerts_that_close_when_the_cause_is_gone(
    night: Night,
) -> None:
    from sqlalchemy import delete

    from aggregator.store.models import SearchDoc

    with Catalogue.open(night.config) as catalogue:
        ops = Operations(catalogue)
        for _ in range(3):
            ops.harvest(["kz-healthy"], full=True)
        assert not [a for a in ops.check_alerts().opened if a["kind"] == "slow"]
        night.healthy.faults.page_delay = 0.4  # the museum's server got slow
        ops.harvest(["kz-healthy"], full=True)
        slow = [a for a in ops.check_alerts().opened if a["kind"] == "slow"]
        assert slow and slow[0]["museum_id"] == "kz-healthy" and slow[0]["details"]["after"] >= 400
        assert ops.alert_text(slow[0], "en").startswith("Healthy Museum: the server's response time grew from")
        assert ops.check_alerts().opened == []  # seen again: the same alert, not a new one

        with catalogue.db.session() as session:  # the index loses documents the store still has
            session.execute(delete(SearchDoc).where(SearchDoc.record_id.in_(
                [f"kz-healthy:{r.identifier.rsplit(':', 1)[1]}" for r in records("kz-healthy", 30)][:12]
            )))  # fmt: skip
            session.commit()
        drift = [a for a in ops.check_alerts().opened if a["kind"] == "index_drift"]
        assert drift and drift[0]["details"]["difference"] == 12
        catalogue.reindex()
        night.healthy.faults.page_delay = 0.0
        for _ in range(4):
            ops.harvest(["kz-healthy"], full=True)
        closed = {a["kind"] for a in ops.check_alerts().closed}
        assert closed == {"index_drift", "slow"}
