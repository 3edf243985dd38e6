"""The scheduler survives restarts: a night missed while it was down runs at start-up, once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml
from sqlalchemy import create_engine, select

from aggregator.ops.passes import last_fire_time, missed_passes, start_pass
from aggregator.store.database import open_database
from aggregator.store.models import HarvestPass, NightReport
from config.schedules import Schedule, ScheduledJob
from demo.oai_endpoint import OaiEndpoint
from tests.ops.conftest import records


def test_the_latest_planned_time_within_the_grace_period_is_missed_until_a_pass_has_it(tmp_path: Path) -> None:
    schedule = Schedule(timezone="Asia/Almaty", jobs=[ScheduledJob(name="nightly", cron="30 1 * * *")])
    job = schedule.jobs[0]
    morning = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)  # 09:00 in Almaty: the 01:30 run was 7.5 h ago
    planned = last_fire_time(job, schedule.timezone, morning, grace=8 * 3600)
    assert planned is not None and planned.astimezone(UTC) == datetime(2026, 11, 29, 20, 30, tzinfo=UTC)
    assert last_fire_time(job, schedule.timezone, morning, grace=6 * 3600) is None  # too late to catch up
    db = open_database(f"sqlite:///{tmp_path / 'cat.db'}")
    try:
        assert missed_passes(db, schedule, morning, 8 * 3600) == [(job, planned)]
        start_pass(db, "nightly", planned, [], False)
        assert missed_passes(db, schedule, morning, 8 * 3600) == []
    finally:
        db.dispose()


def _passes(url: str) -> list[HarvestPass]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(select(HarvestPass)).all())  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 - the scheduler may not have created the tables yet
        return []
    finally:
        engine.dispose()


def _wait(condition, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


def test_a_real_scheduler_catches_up_the_missed_night_at_start_up_and_only_once(tmp_path: Path) -> None:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    missed, too_old = now - timedelta(minutes=2), now - timedelta(hours=3)
    url = f"sqlite:///{tmp_path / 'cat.db'}"
    env = {**os.environ, "EMUSEUM_DATABASE_URL": url, "EMUSEUM_INDEX_URL": "sqlite"}
    with OaiEndpoint(records("kz-scheduled", 20), name="S", formats=["lido"], batch_size=10) as endpoint:
        config = tmp_path / "config"
        config.mkdir()
        museum = {"id": "kz-scheduled", "name": {"en": "Scheduled"}, "region": "KZ-75",
                  "source": {"type": "oai-pmh", "url": endpoint.url}}  # fmt: skip
        (config / "museums.yaml").write_text(yaml.safe_dump({"museums": [museum]}), encoding="utf-8")
        jobs = [
            {"name": "nightly", "cron": f"{missed.minute} {missed.hour} * * *"},
            {"name": "too-old", "cron": f"{too_old.minute} {too_old.hour} * * *"},
        ]
        (config / "schedules.yaml").write_text(yaml.safe_dump({"timezone": "UTC", "jobs": jobs}), encoding="utf-8")
        command = [sys.executable, "-m", "aggregator", "schedule", "--grace", "600", "--config", str(config)]

        def run_scheduler(log: Path, until) -> None:  # type: ignore[no-untyped-def]
            with log.open("w") as err:
                process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=err)
                try:
                    assert _wait(until, 180), log.read_text()
                finally:
                    process.terminate()
                    process.wait(timeout=30)

        first_log = tmp_path / "first.log"
        run_scheduler(first_log, lambda: any(p.status == "finished" for p in _passes(url)))
        passes = _passes(url)
        assert [(p.job_name, p.planned_at.replace(tzinfo=UTC)) for p in passes] == [("nightly", missed)]
        assert "missed while the scheduler was down" in first_log.read_text()
        engine = create_engine(url)
        with engine.connect() as conn:
            report = conn.execute(select(NightReport)).one()
        engine.dispose()
        assert report.pass_id == passes[0].id and report.data["totals"]["succeeded"] == 1

        # Restarted: the night has its pass, nothing runs again.
        second_log = tmp_path / "second.log"
        run_scheduler(second_log, lambda: "catch-up: no pass missed" in second_log.read_text())
        assert len(_passes(url)) == 1
