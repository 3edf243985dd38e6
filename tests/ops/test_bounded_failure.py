"""Unreachable museums cost bounded time, say so in one plain line each, log JSON, and land in the report."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import yaml

from aggregator.log_format import configure_logging
from benchmarks.bench_unreachable import silent_address
from harvester.log_context import log_context
from tests.ops.conftest import closed_port


def test_log_lines_are_json_with_their_context_off_a_terminal_and_short_text_on_one() -> None:
    root = logging.getLogger()
    saved = (list(root.handlers), root.level, logging.getLogger("urllib3").level)
    try:
        stream = io.StringIO()
        configure_logging(stream, json_lines=True)
        with log_context(museum_id="kz-a", run_id=7):
            logging.getLogger("emuseum.test").warning("page read", extra={"page": 3, "record_id": "KP-1"})
        logging.getLogger("urllib3.connectionpool").warning("Retrying (Retry(total=0)) after connection broken")
        line = json.loads(stream.getvalue().strip())
        assert line["message"] == "page read" and line["level"] == "warning" and line["logger"] == "emuseum.test"
        assert (line["museum_id"], line["run_id"], line["page"], line["record_id"]) == ("kz-a", 7, 3, "KP-1")
        assert "Retrying" not in stream.getvalue()  # urllib3 speaks through the harvester's own words

        stream = io.StringIO()
        configure_logging(stream, json_lines=False)
        logging.getLogger("emuseum.test").error("said in the summary", extra={"summarised": True})
        logging.getLogger("emuseum.test").error("only here")
        assert stream.getvalue() == "error: only here\n"
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
        logging.getLogger("urllib3").setLevel(saved[2])


def test_three_unreachable_museums_fail_fast_in_plain_words_and_are_in_the_report(tmp_path: Path) -> None:
    with ExitStack() as stack:
        urls = [f"http://127.0.0.1:{closed_port()}/oai", f"http://127.0.0.1:{closed_port()}/oai",
                f"http://{silent_address(stack)}/oai"]  # fmt: skip
        config = tmp_path / "config"
        config.mkdir()
        museums = [{"id": f"kz-down-{n}", "name": {"en": f"Down {n}"}, "region": "KZ-75",
                    "source": {"type": "oai-pmh", "url": url}} for n, url in enumerate(urls, 1)]  # fmt: skip
        (config / "museums.yaml").write_text(yaml.safe_dump({"museums": museums}), encoding="utf-8")
        env = {**os.environ, "EMUSEUM_DATABASE_URL": f"sqlite:///{tmp_path / 'cat.db'}", "EMUSEUM_INDEX_URL": "sqlite",
               "EMUSEUM_CONNECT_TIMEOUT": "1"}  # fmt: skip
        cli = [sys.executable, "-m", "aggregator"]
        night = subprocess.run([*cli, "harvest", "--all", "--workers", "1", "--config", str(config)], env=env,
                               capture_output=True, text=True, timeout=300)  # fmt: skip
    assert night.returncode == 1
    outcome = {line.split(":", 1)[0]: line for line in night.stdout.splitlines() if line.startswith("kz-down-")}
    assert "unreachable (connection refused; 2 attempts" in outcome["kz-down-1"]
    assert "unreachable (connection refused; 2 attempts" in outcome["kz-down-2"]
    assert "unreachable (no connection within 1 s (connect timeout); 2 attempts" in outcome["kz-down-3"]
    everything = night.stdout + night.stderr
    assert "urllib3" not in everything and "Max retries exceeded" not in everything and "Pool" not in everything
    logs = [json.loads(line) for line in night.stderr.splitlines() if line.startswith("{")]
    assert {entry.get("museum_id") for entry in logs if entry["level"] == "error"} == {
        "kz-down-1",
        "kz-down-2",
        "kz-down-3",
    }
    runs = json.loads(subprocess.run([*cli, "runs", "--json", "--config", str(config)], env=env, capture_output=True,
                                     text=True, timeout=120).stdout)  # fmt: skip
    assert all(run["http_requests"] == 2 and run["http_errors"] == 2 and run["retries"] == 1 for run in runs)
    report = subprocess.run([*cli, "report", "--json", "--lang", "en", "--config", str(config)], env=env,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert report.returncode == 0, report.stderr
    failures = [m["failure"] for region in json.loads(report.stdout)["regions"] for m in region["museums"]]
    assert [f["kind"] for f in failures] == ["unreachable"] * 3
    assert failures[0]["reason"] == "The museum's server could not be reached: no connection was made."
