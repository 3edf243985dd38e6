"""`emuseum check-endpoint` as a museum's IT person and the ministry's operator run it, and what the harvest learns.

Real peers only: the oaipmh-based demo endpoint and the hostile endpoint run on
127.0.0.1 in this process; the command runs as a real subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from demo.oai_endpoint import OaiEndpoint
from tests.faults.hostile_endpoint import HostileEndpoint
from tests.harvester.test_endpoint_check import healthy_records

MUSEUM = "kz-checked-museum"


def _emuseum(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aggregator", *args], env=env, capture_output=True, text=True, timeout=300
    )


def _config(folder: Path, url: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    museum = {
        "id": MUSEUM,
        "name": {"en": "Checked museum"},
        "region": "KZ-75",
        "source": {"type": "oai-pmh", "url": url, "max_retries": 1, "timeout": 10, "overlap_seconds": 60},
    }
    (folder / "museums.yaml").write_text(yaml.safe_dump({"museums": [museum]}), encoding="utf-8")
    return folder


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "EMUSEUM_DATABASE_URL": f"sqlite:///{tmp_path / 'cat.db'}",
        "EMUSEUM_INDEX_URL": "sqlite",
        "EMUSEUM_ALLOW_SOURCE_NETWORKS": "127.0.0.0/8",
    }


def test_exit_codes_say_healthy_faulty_or_unreachable(env: dict[str, str], tmp_path: Path) -> None:
    with OaiEndpoint(healthy_records(), name="Healthy", formats=["lido", "oai_dc"], batch_size=5) as endpoint:
        healthy = _emuseum(["check-endpoint", endpoint.url], env)
    assert healthy.returncode == 0, healthy.stdout + healthy.stderr
    assert "result: no errors" in healthy.stdout and "from honoured: yes" in healthy.stdout
    with HostileEndpoint(behaviour="ignore_from") as endpoint:
        faulty = _emuseum(["check-endpoint", endpoint.url, "--json", "--max-records", "20"], env)
    assert faulty.returncode == 1, faulty.stderr
    report = json.loads(faulty.stdout)
    assert report["exit_code"] == 1 and report["facts"]["honours_from"] is False
    error = next(f for f in report["findings"] if f["code"] == "incremental.from_ignored")
    assert error["severity"] == "error" and error["rule"].startswith("OAI-PMH 2.0")
    assert error["evidence"]["request"].startswith(endpoint.url) and "from=" in error["evidence"]["request"]
    assert report["findings"][0]["severity"] == "error"  # errors first
    gone = _emuseum(["check-endpoint", "http://127.0.0.1:9/oai", "--max-seconds", "5"], env)
    assert gone.returncode == 2 and "could not reach" in gone.stdout
    unknown = _emuseum(["check-endpoint", "http://127.0.0.1:9/oai", "--museum", "kz-nowhere"], env)
    assert unknown.returncode == 1 and unknown.stderr.strip().startswith("error: unknown museum id 'kz-nowhere'")


def test_a_registry_museums_profile_steers_its_incremental_harvests(env: dict[str, str], tmp_path: Path) -> None:
    """The endpoint declares seconds but takes only days: after a check, the harvest sends days and succeeds."""
    with HostileEndpoint(behaviour="wrong_granularity") as endpoint:
        config = str(_config(tmp_path / "c", endpoint.url))
        first = _emuseum(["harvest", MUSEUM, "--config", config], env)
        assert first.returncode == 0, first.stderr
        blind = _emuseum(["harvest", MUSEUM, "--config", config], env)  # incremental, 'from' with a time
        assert blind.returncode == 1 and "badArgument" in blind.stderr
        checked = _emuseum(["check-endpoint", endpoint.url, "--config", config], env)
        assert checked.returncode == 1 and f"saved as the endpoint profile of {MUSEUM}" in checked.stdout
        endpoint.requests_seen.clear()
        steered = _emuseum(["harvest", MUSEUM, "--config", config], env)
        froms = [r.get("from") for r in endpoint.list_records_requests() if "metadataPrefix" in r]
    assert steered.returncode == 0, steered.stdout + steered.stderr
    assert froms and all(f is not None and "T" not in f for f in froms), froms


def test_where_from_is_ignored_the_harvest_lists_in_full_and_notices_deletions(
    env: dict[str, str], tmp_path: Path
) -> None:
    with HostileEndpoint(behaviour="ignore_from", records=20) as endpoint:
        config = str(_config(tmp_path / "c", endpoint.url))
        assert _emuseum(["harvest", MUSEUM, "--config", config], env).returncode == 0
        checked = _emuseum(["check-endpoint", endpoint.url, "--museum", MUSEUM, "--config", config, "--json"], env)
        assert json.loads(checked.stdout)["museum_id"] == MUSEUM
        endpoint.remove_records(1)  # the museum removes one object
        endpoint.requests_seen.clear()
        second = _emuseum(["harvest", MUSEUM, "--config", config], env)
        first_request = endpoint.list_records_requests()[0]
    assert second.returncode == 0, second.stderr
    assert "from" not in first_request
    assert "deleted 1" in second.stdout and "ignores 'from'" in second.stdout
