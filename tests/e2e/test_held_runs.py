"""A run that would empty a museum is held: nothing changes until an operator approves or rejects it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, func, select

from aggregator.store.models import CoreRow, StagedRecord, Tombstone
from demo.oai_endpoint import EndpointRecord, OaiEndpoint
from demo.samples import generate_museum_objects, to_lido

MUSEUM_ID = "kz-central-state-museum"


def _records(count: int, offset: int = 0) -> list[EndpointRecord]:
    objects = generate_museum_objects(MUSEUM_ID, count + offset, seed=2, region="KZ-75", base_url="https://m.example/")
    return [
        EndpointRecord(
            identifier=f"oai:csm.kz:{o.local_id}",
            datestamp=datetime(2025, 1, 1),
            metadata={"lido": to_lido(o, "Central State Museum")},
        )
        for o in objects[offset:]
    ]


def _emuseum(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "aggregator", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


def _count(url: str, table: type[CoreRow] | type[StagedRecord] | type[Tombstone]) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        count = int(conn.scalar(select(func.count()).select_from(table)) or 0)
    engine.dispose()
    return count


@pytest.fixture
def setup(tmp_path: Path):  # type: ignore[no-untyped-def]
    env = {**os.environ, "EMUSEUM_DATABASE_URL": f"sqlite:///{tmp_path / 'cat.db'}", "EMUSEUM_INDEX_URL": "sqlite"}
    with OaiEndpoint(_records(100), name="CSM", formats=["lido"], batch_size=25) as endpoint:
        config = tmp_path / "config"
        config.mkdir()
        museum = {"id": MUSEUM_ID, "name": {"en": "CSM"}, "region": "KZ-75",
                  "source": {"type": "oai-pmh", "url": endpoint.url}}  # fmt: skip
        (config / "museums.yaml").write_text(yaml.safe_dump({"museums": [museum]}), encoding="utf-8")
        first = _emuseum(["harvest", "--all", "--config", str(config)], env)
        assert first.returncode == 0, first.stderr
        # The museum's export breaks: a full listing now holds 40 of the 100 records.
        endpoint.set_records(_records(40))
        yield env, config


def _held_run(env: dict[str, str], config: Path) -> dict[str, object]:
    held = _emuseum(["harvest", "--all", "--full", "--config", str(config)], env)
    assert held.returncode == 0, held.stderr
    assert f"{MUSEUM_ID}: held (full)" in held.stdout
    assert "it would delete 60 of 100 active records (60%" in held.stdout
    runs = json.loads(_emuseum(["runs", "--json", "--config", str(config)], env).stdout)
    return runs[0]


def test_a_held_run_changes_nothing_and_blocks_the_next_harvest_until_decided(setup) -> None:  # type: ignore[no-untyped-def]
    env, config = setup
    run = _held_run(env, config)

    assert run["status"] == "held" and "60 of 100" in str(run["held_reason"])
    assert _count(env["EMUSEUM_DATABASE_URL"], CoreRow) == 100
    assert _count(env["EMUSEUM_DATABASE_URL"], StagedRecord) == 40
    status = json.loads(_emuseum(["status", "--json", "--config", str(config)], env).stdout)
    assert status[0]["last_run"]["status"] == "held"
    blocked = _emuseum(["harvest", "--all", "--config", str(config)], env)
    assert f"run {run['id']} is held" in blocked.stdout


def test_rejecting_a_held_run_discards_it_and_keeps_the_catalogue(setup) -> None:  # type: ignore[no-untyped-def]
    env, config = setup
    run = _held_run(env, config)

    rejected = _emuseum(["runs", "reject", str(run["id"]), "--config", str(config)], env)

    assert rejected.returncode == 0, rejected.stderr
    assert f"run {run['id']} rejected: 40 staged changes discarded" in rejected.stdout
    assert _count(env["EMUSEUM_DATABASE_URL"], CoreRow) == 100
    assert _count(env["EMUSEUM_DATABASE_URL"], StagedRecord) == 0
    again = _emuseum(["runs", "reject", str(run["id"]), "--config", str(config)], env)
    assert again.returncode == 1 and again.stderr.strip() == (
        f"error: run {run['id']} of {MUSEUM_ID} is rejected, not held: nothing to decide"
    )


def test_approving_a_held_run_applies_it(setup) -> None:  # type: ignore[no-untyped-def]
    env, config = setup
    run = _held_run(env, config)

    approved = _emuseum(["runs", "approve", str(run["id"]), "--config", str(config)], env)

    assert approved.returncode == 0, approved.stderr
    assert "60 absent from the listing removed" in approved.stdout
    assert _count(env["EMUSEUM_DATABASE_URL"], CoreRow) == 40
    assert _count(env["EMUSEUM_DATABASE_URL"], Tombstone) == 60
    shown = json.loads(_emuseum(["runs", "show", str(run["id"]), "--json", "--config", str(config)], env).stdout)
    assert shown["status"] == "succeeded" and shown["decided_by"]


def test_an_unknown_run_is_one_line(setup) -> None:  # type: ignore[no-untyped-def]
    env, config = setup
    result = _emuseum(["runs", "approve", "999", "--config", str(config)], env)
    assert result.returncode == 1 and result.stderr.strip() == "error: there is no harvest run 999"
