"""The `emuseum` command for people: a mistake costs one line that says what to do, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from demo.glb import yurt_glb

MUSEUM = {
    "id": "kz-central-state-museum",
    "name": {"kk": "Орталық мемлекеттік музей", "en": "Central State Museum"},
    "region": "KZ-75",
    "source": {"type": "oai-pmh", "url": "http://127.0.0.1:9/oai"},
}


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("cli")
    (folder / "museums.yaml").write_text(yaml.safe_dump({"museums": [MUSEUM]}, allow_unicode=True), encoding="utf-8")
    return {
        **os.environ,
        "EMUSEUM_CONFIG": str(folder),
        "EMUSEUM_DATABASE_URL": f"sqlite:///{folder / 'cat.db'}",
        "EMUSEUM_INDEX_URL": "sqlite",
    }


def emuseum(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aggregator", *args], env=env, capture_output=True, text=True, timeout=120
    )


def error_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    """What a person reads on stderr: not the JSON log lines written off a terminal."""
    return [line for line in result.stderr.splitlines() if line.strip() and not line.startswith('{"time"')]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["search", "--from", "soon"], "error: Invalid value for '--from'"),
        (["harvest", "--bogus"], "error: No such option: --bogus (see "),
        (["frobnicate"], "error: No such command 'frobnicate'"),
        (["search", "--from", "1900", "--to", "1800"], "error: --from (1900) is after --to (1800); swap them"),
        (["quality", "--museum", "UNKNOWN"], "error: unknown museum id 'UNKNOWN'; known: kz-central-state-museum"),
        (["search", "--filter", "region"], "error: filter 'region' is not NAME=VALUE"),
    ],
)
def test_usage_errors_are_one_line_without_a_traceback(env: dict[str, str], args: list[str], expected: str) -> None:
    result = emuseum(env, *args)
    assert result.returncode != 0
    lines = error_lines(result)
    assert len(lines) == 1 and lines[0].startswith(expected), result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_filter_value_is_warned_and_the_search_still_runs(env: dict[str, str]) -> None:
    filters = ["--filter", "material=woood", "--filter", "region=KZ-99", "--filter", "material=серебро"]
    result = emuseum(env, "search", *filters)
    assert result.returncode == 0 and result.stdout.startswith("0 records")
    warnings = [line for line in error_lines(result) if line.startswith("warning:")]
    assert warnings == [
        "warning: material 'woood' is not in the vocabulary; matched as a museum's own term",
        "warning: 'KZ-99' is not an ISO 3166-2:KZ region code (e.g. KZ-75)",
    ]  # серебро is the concept silver: no warning


def test_map_findings_are_never_wrapped_inside_a_path(env: dict[str, str], tmp_path: Path) -> None:
    deep = tmp_path / ("a-rather-long-folder-name-" * 4) / "export.xml"
    deep.parent.mkdir(parents=True)
    deep.write_bytes(yurt_glb())  # not XML at all: one finding naming the file
    result = emuseum({**env, "COLUMNS": "40"}, "map", str(deep), "--format", "lido")
    assert result.returncode != 0
    assert any(str(deep.name) in line for line in error_lines(result)), result.stderr
    assert all(len(line) > 40 for line in error_lines(result))  # one long line, not wrapped at 40 columns
