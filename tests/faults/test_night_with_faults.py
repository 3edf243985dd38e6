"""A night with a hung and a broken museum among healthy ones, as the ministry's cron runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

from tests.faults.hostile_endpoint import SECRET_MARKER, HostileEndpoint


def _registry(folder: Path, endpoints: dict[str, HostileEndpoint]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    museums = [
        {"id": museum_id, "name": {"en": museum_id}, "region": "KZ-75",
         "source": {"type": "oai-pmh", "url": endpoint.url, "timeout": 2, "max_retries": 1}}  # fmt: skip
        for museum_id, endpoint in endpoints.items()
    ]
    (folder / "museums.yaml").write_text(yaml.safe_dump({"museums": museums}), encoding="utf-8")
    return folder


def _emuseum(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "aggregator", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


def test_a_hung_museum_costs_its_own_time_limit_and_the_others_are_harvested(
    hostile: Callable[..., HostileEndpoint], tmp_path: Path
) -> None:
    endpoints = {
        "kz-dripping-museum": hostile("drip", fault_after_pages=1, drip_interval=0.5),
        "kz-healthy-one": hostile("healthy", records=40),
        "kz-hung-museum": hostile("stall", fault_after_pages=1),
        "kz-html-museum": hostile("html", fault_after_pages=1),
        "kz-healthy-two": hostile("healthy", records=25),
    }
    env = {**os.environ, "EMUSEUM_DATABASE_URL": f"sqlite:///{tmp_path / 'night.db'}", "EMUSEUM_INDEX_URL": "sqlite"}
    config = _registry(tmp_path / "config", endpoints)

    night = _emuseum(["harvest", "--all", "--max-seconds", "6", "--workers", "2", "--config", str(config)], env)

    assert night.returncode == 1
    assert "kz-healthy-one: succeeded (full) new 40" in night.stdout
    assert "kz-healthy-two: succeeded (full) new 25" in night.stdout
    errors = [line for line in night.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "3 of 5 harvests failed" in errors[0]

    def failure_of(museum_id: str) -> str:
        return errors[0].split(f"{museum_id}: ", 1)[1].split("; kz-", 1)[0]

    dripping = failure_of("kz-dripping-museum")
    assert "stopped after" in dripping and "(time limit 6.0 s)" in dripping, "a drip is ended by the museum's limit"
    assert "no answer within 2 s" in failure_of("kz-hung-museum")
    assert "not an OAI-PMH response" in failure_of("kz-html-museum")
    assert SECRET_MARKER not in night.stdout + night.stderr
    assert "Traceback" not in night.stderr

    status = json.loads(_emuseum(["status", "--json", "--config", str(config)], env).stdout)
    by_id = {s["museum_id"]: s for s in status}
    assert by_id["kz-healthy-one"]["active"] == 40 and by_id["kz-healthy-two"]["active"] == 25
    assert by_id["kz-hung-museum"]["last_run"]["status"] == "failed"
    assert by_id["kz-hung-museum"]["active"] == 0, "a failed run's staged pages wait for the next run to resume"
