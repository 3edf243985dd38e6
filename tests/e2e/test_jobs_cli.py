"""The queue's commands as operators meet them: one line on SQLite; queued work listed on PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from aggregator.catalogue import Catalogue
from aggregator.jobs.enqueue import enqueue_scheduled
from aggregator.jobs.queries import list_jobs
from aggregator.store.database import Database
from config.errors import ConfigError
from config.settings import load_settings
from tests.conftest import _postgres_database

MUSEUMS = ["kz-cli-a", "kz-cli-b"]


def _config(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    museums = [
        {"id": m, "name": {"en": m}, "region": "KZ-75", "source": {"type": "oai-pmh", "url": "http://127.0.0.1:9/oai"}}
        for m in MUSEUMS
    ]
    (folder / "museums.yaml").write_text(yaml.safe_dump({"museums": museums}), encoding="utf-8")
    return folder


def _emuseum(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aggregator", *args], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def pg_db() -> Iterator[Database]:
    yield from _postgres_database()


@pytest.mark.parametrize(
    "args", [["harvest", "kz-cli-a", "--enqueue"], ["worker"], ["jobs"], ["reindex", "--enqueue"]], ids=" ".join
)
def test_on_the_embedded_store_the_queue_commands_say_why_in_one_line(args: list[str], tmp_path: Path) -> None:
    env = {**os.environ, "EMUSEUM_DATABASE_URL": f"sqlite:///{tmp_path / 'cat.db'}", "EMUSEUM_INDEX_URL": "sqlite",
           "EMUSEUM_CONFIG": str(_config(tmp_path / "c"))}  # fmt: skip
    result = _emuseum(args, env)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "needs the job queue, which lives in a PostgreSQL store; this store is sqlite" in result.stderr
    assert not (tmp_path / "cat.db").exists(), "refused before touching the store"


@pytest.mark.postgres
def test_enqueued_work_is_listed_and_nothing_waits_twice(pg_db: Database, tmp_path: Path) -> None:
    env = {**os.environ, "EMUSEUM_DATABASE_URL": pg_db.engine.url.render_as_string(hide_password=False),
           "EMUSEUM_CONFIG": str(_config(tmp_path / "c"))}  # fmt: skip
    harvest = _emuseum(["harvest", "--all", "--enqueue"], env)
    assert harvest.returncode == 0, harvest.stderr
    assert harvest.stdout.splitlines() == ["harvest kz-cli-a: queued as job 1", "harvest kz-cli-b: queued as job 2"]
    assert "procrastinate" not in harvest.stderr
    unknown = _emuseum(["harvest", "kz-nowhere", "--enqueue"], env)
    assert unknown.returncode == 1 and "unknown museum id 'kz-nowhere'; known:" in unknown.stderr
    remap = _emuseum(["remap", "--museum", "kz-cli-b", "--enqueue"], env)
    assert remap.stdout.strip() == "remap kz-cli-b: queued as job 3", remap.stderr
    reindex = _emuseum(["reindex", "--full", "--enqueue"], env)
    assert reindex.stdout.strip() == "reindex full: queued as job 4", reindex.stderr

    listed = _emuseum(["jobs"], {**env, "COLUMNS": "100"})
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines()[0] == "queued 4, running 0, done 0, failed 0"
    assert all(word in listed.stdout for word in ("remap", "reindex", "kz-cli-b", "full")), listed.stdout
    assert listed.stderr == "", "enqueueing and listing are quiet: cron mails only what matters"
    as_json = json.loads(_emuseum(["jobs", "--json", "--status", "queued", "--limit", "2"], env).stdout)
    assert [job["id"] for job in as_json["jobs"]] == [4, 3] and as_json["jobs"][0]["args"] == {"full": True}
    bad = _emuseum(["jobs", "--status", "stuck"], env)
    assert bad.returncode == 1 and bad.stderr.strip() == (
        "error: unknown job status 'stuck'; known: queued, running, done, failed, cancelled, aborting, aborted"
    )


@pytest.mark.postgres
def test_the_schedule_on_postgresql_puts_museums_on_the_queue(pg_db: Database, tmp_path: Path) -> None:
    settings = load_settings(_config(tmp_path / "c"))
    settings.database_url = pg_db.engine.url.render_as_string(hide_password=False)
    catalogue = Catalogue(settings, pg_db)
    queued = enqueue_scheduled(catalogue, MUSEUMS, full=True)
    assert [q.line() for q in queued] == [f"harvest-full {m}: queued as job {n}" for n, m in enumerate(MUSEUMS, 1)]
    assert [q.job_id for q in enqueue_scheduled(catalogue, MUSEUMS, full=True)] == [None, None]  # the next tick
    assert [(j.task, j.target, j.status) for j in list_jobs(pg_db)] == [
        ("harvest", "kz-cli-b", "queued"), ("harvest", "kz-cli-a", "queued")
    ]  # fmt: skip
    with pytest.raises(ConfigError, match="unknown museum id"):
        enqueue_scheduled(catalogue, ["kz-gone"])
