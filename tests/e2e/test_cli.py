"""The `emuseum` command as the ministry's operators and cron use it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, func, select, text

from aggregator.store.models import CoreRow, RawRow, StagedRecord
from demo.oai_endpoint import EndpointRecord, Faults, OaiEndpoint
from demo.samples import generate_museum_objects, to_lido

MUSEUM_ID = "kz-central-state-museum"
LIDO_REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "lido-real"


def _records(count: int) -> list[EndpointRecord]:
    objects = generate_museum_objects(MUSEUM_ID, count, seed=11, region="KZ-75", base_url="https://media.example/")
    return [
        EndpointRecord(
            identifier=f"oai:csm.kz:{o.local_id}",
            datestamp=datetime(2025, 1, 1),
            metadata={"lido": to_lido(o, "Central State Museum")},
        )
        for o in objects
    ]


def _config(folder: Path, url: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    museum = {
        "id": MUSEUM_ID,
        "name": {"kk": "Орталық мемлекеттік музей", "en": "Central State Museum"},
        "region": "KZ-75",
        "city": "Almaty",
        "source": {"type": "oai-pmh", "url": url, "max_retries": 2, "timeout": 10},
    }
    (folder / "museums.yaml").write_text(yaml.safe_dump({"museums": [museum]}, allow_unicode=True), encoding="utf-8")
    return folder


def _emuseum(args: list[str], env: dict[str, str], **kw) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def]
    return subprocess.run(
        [sys.executable, "-m", "aggregator", *args], env=env, capture_output=True, text=True, timeout=300, **kw
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "EMUSEUM_DATABASE_URL": f"sqlite:///{tmp_path / 'cat.db'}", "EMUSEUM_INDEX_URL": "sqlite"}


def test_harvest_without_museums_exits_non_zero_with_one_line(env, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = _emuseum(["harvest", "--config", str(_config(tmp_path / "c", "http://127.0.0.1:9/oai"))], env)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == "error: name one or more museum ids, or use --all"


def test_unknown_museum_and_bad_config_are_named(env, tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = _config(tmp_path / "c", "http://127.0.0.1:9/oai")
    result = _emuseum(["harvest", "kz-nowhere", "--config", str(config)], env)
    assert result.returncode == 1 and "unknown museum id 'kz-nowhere'; known:" in result.stderr
    (config / "museums.yaml").write_text("museums:\n  - id: Bad Id\n", encoding="utf-8")
    result = _emuseum(["status", "--config", str(config)], env)
    assert result.returncode == 1 and "museum Bad Id" in result.stderr and "field id" in result.stderr


def test_harvest_status_and_search_work_together(env, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with OaiEndpoint(_records(30), name="CSM", formats=["lido"], batch_size=10) as endpoint:
        config = _config(tmp_path / "c", endpoint.url)
        harvest = _emuseum(["harvest", "--all", "--config", str(config)], env)
    assert harvest.returncode == 0, harvest.stderr
    assert f"{MUSEUM_ID}: succeeded (full) new 30" in harvest.stdout
    status = json.loads(_emuseum(["status", "--json", "--config", str(config)], env).stdout)
    assert status[0]["museum_id"] == MUSEUM_ID and status[0]["active"] == 30 and status[0]["deleted"] == 0
    assert status[0]["last_run"]["status"] == "succeeded"
    found = _emuseum(["search", "", "--facet", "region", "--json", "--size", "5", "--config", str(config)], env)
    result = json.loads(found.stdout)
    assert result["total"] == 30 and len(result["hits"]) == 5
    assert set(result["hits"][0]) >= {"id", "title", "museum_id"}
    assert result["facets"]["region"] == [{"value": "KZ-75", "count": 30}]
    bad = _emuseum(["search", "x", "--filter", "colour=red", "--config", str(config)], env)
    assert bad.returncode == 1 and "unknown filter 'colour'" in bad.stderr


def test_a_killed_harvest_resumes_from_its_last_committed_page(env, tmp_path) -> None:  # type: ignore[no-untyped-def]
    database = create_engine(env["EMUSEUM_DATABASE_URL"])
    with OaiEndpoint(
        _records(120), name="CSM", formats=["lido"], batch_size=10, faults=Faults(page_delay=0.3)
    ) as endpoint:
        config = _config(tmp_path / "c", endpoint.url)
        process = subprocess.Popen(
            [sys.executable, "-m", "aggregator", "harvest", MUSEUM_ID, "--config", str(config)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        pages = 0
        while time.monotonic() < deadline and pages < 3:
            time.sleep(0.1)
            try:
                with database.connect() as conn:
                    pages = conn.execute(text("SELECT max(pages) FROM harvest_runs")).scalar() or 0
            except Exception:  # the table appears once the CLI has migrated the database
                pages = 0
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert pages >= 3, "the harvest should have committed a few pages before the kill"
        with database.connect() as conn:
            staged_at_kill = conn.execute(select(func.count()).select_from(StagedRecord)).scalar()
            searchable_at_kill = conn.execute(select(func.count()).select_from(CoreRow)).scalar()
        assert 0 < staged_at_kill < 120
        assert searchable_at_kill == 0, "a run reaches the catalogue only when it is applied"
        endpoint.faults.page_delay = 0
        resumed = _emuseum(["harvest", MUSEUM_ID, "--config", str(config)], env)
    assert resumed.returncode == 0, resumed.stderr
    assert "resumed" in resumed.stdout
    with database.connect() as conn:
        assert conn.execute(select(func.count()).select_from(CoreRow)).scalar() == 120
        assert conn.execute(select(func.count()).select_from(RawRow)).scalar() == 120
        assert conn.execute(text("SELECT count(*) FROM search_docs")).scalar() == 120
        assert conn.execute(text("SELECT count(*) FROM search_fts")).scalar() == 120
    database.dispose()


@pytest.mark.skipif(not LIDO_REAL.is_dir(), reason="../shared/data/lido-real is not present")
def test_map_previews_a_museums_file_in_every_output_format(env) -> None:  # type: ignore[no-untyped-def]
    path = LIDO_REAL / "LIDO-v1.1-Example_FMobj00154983-LaPrimavera.xml"
    as_json = _emuseum(["map", str(path), "--format", "lido", "--to", "json"], env)
    assert as_json.returncode == 0, as_json.stderr
    records = json.loads(as_json.stdout)
    assert len(records) == 1 and "Primavera" in json.dumps(records[0]["titles"])
    lido = _emuseum(["map", str(path), "--to", "lido"], env)
    assert lido.stdout.lstrip().startswith("<?xml") and "lidoWrap" in lido.stdout
    turtle = _emuseum(["map", str(path), "--to", "turtle"], env)
    assert "crm:E22_Human-Made_Object" in turtle.stdout
    jsonld = _emuseum(["map", str(path), "--to", "jsonld"], env)
    assert json.loads(jsonld.stdout)[0]["type"] == "HumanMadeObject"
    wrong = _emuseum(["map", str(path), "--format", "marc"], env)
    assert wrong.returncode == 1 and "unknown format 'marc'" in wrong.stderr
