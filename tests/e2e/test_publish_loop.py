"""A museum with only a spreadsheet gets an endpoint with one command, and the catalogue follows it exactly.

`emuseum publish` runs as a real subprocess on 127.0.0.1:0 and prints its URL;
`emuseum harvest` and `emuseum check-endpoint` run as the operator runs them.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook
from sqlalchemy import create_engine, select

from aggregator.store.models import CoreRow, Tombstone

MUSEUM = "kz-spreadsheet-museum"
HEADER = ["id", "title_ru", "title_kk", "object_type", "classification", "materials", "date", "image_url"]
ROWS = [
    ["KP-1", "Кебеже", "Кебеже", "chest", "Этнография", "wood", "XIX век", "https://m.example/1.jpg"],
    ["KP-2", "Ковёр", "Кілем", "carpet", "Этнография", "wool", "1900", "https://m.example/2.jpg"],
    ["KP-3", "Монета", "Теңге", "coin", "Нумизматика", "silver", "XV век", ""],
    ["KP-4", "Пиала", "Кесе", "bowl", "Этнография", "ceramic", "XX век", "https://m.example/4.jpg"],
    ["KP-5", "Домбра", "Домбыра", "dombra", "Музыка", "wood", "1920", "https://m.example/5.jpg"],
]


def write_workbook(path: Path, rows: list[list[str]]) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Фонд"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    temporary = path.with_name(path.name + ".tmp.xlsx")
    book.save(temporary)
    os.replace(temporary, path)  # how a museum's export replaces the old one: whole, at once


def _emuseum(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aggregator", *args], env=env, capture_output=True, text=True, timeout=300
    )


class Publisher:
    """`emuseum publish` in a subprocess; its stdout lines arrive on a queue."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "aggregator", "publish", *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, words: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                assert self.process.poll() is None, "the publisher exited"
                continue
            if words in line:
                return line
        raise AssertionError(f"the publisher never said {words!r}")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "EMUSEUM_DATABASE_URL": f"sqlite:///{tmp_path / 'cat.db'}",
        "EMUSEUM_INDEX_URL": "sqlite",
        "EMUSEUM_ALLOW_SOURCE_NETWORKS": "127.0.0.0/8",
    }


@pytest.fixture
def publisher(tmp_path: Path, env: dict[str, str]) -> Iterator[tuple[Publisher, str, Path]]:
    export = tmp_path / "fund.xlsx"
    write_workbook(export, ROWS)
    started = Publisher([str(export), "--profile", "generic", "--port", "0", "--watch", "--interval", "0.2"], env)
    try:
        line = started.wait_for("publishing fund.xlsx as OAI-PMH at http://127.0.0.1:")
        url = line.split(" at ", 1)[1].split(" ", 1)[0]
        yield started, url, export
    finally:
        started.stop()


def _catalogue(env: dict[str, str]) -> dict[str, dict[str, object]]:
    engine = create_engine(env["EMUSEUM_DATABASE_URL"])
    try:
        with engine.connect() as conn:
            live = {r.local_id: r.document for r in conn.execute(select(CoreRow.local_id, CoreRow.document))}
            gone = {r.local_id: {"deleted": True} for r in conn.execute(select(Tombstone.local_id))}
    finally:
        engine.dispose()
    return {**live, **gone}


def _titles(document: dict[str, object]) -> dict[str, str]:
    return {t["lang"]: t["value"] for t in document["titles"]}  # type: ignore[attr-defined,index]


def test_publish_harvest_change_delete_and_harvest_again(
    publisher: tuple[Publisher, str, Path], env: dict[str, str], tmp_path: Path
) -> None:
    process, url, export = publisher
    config = tmp_path / "config"
    config.mkdir()
    museum = {
        "id": MUSEUM,
        "name": {"ru": "Музей с таблицей", "en": "Spreadsheet museum"},
        "region": "KZ-75",
        "source": {"type": "oai-pmh", "url": url, "max_retries": 1, "overlap_seconds": 1},
    }
    (config / "museums.yaml").write_text(yaml.safe_dump({"museums": [museum]}, allow_unicode=True), encoding="utf-8")

    first = _emuseum(["harvest", MUSEUM, "--config", str(config)], env)
    assert first.returncode == 0, first.stderr
    assert f"{MUSEUM}: succeeded (full) new 5, updated 0, unchanged 0, deleted 0" in first.stdout
    stored = _catalogue(env)
    assert set(stored) == {"KP-1", "KP-2", "KP-3", "KP-4", "KP-5"}
    assert _titles(stored["KP-2"]) == {"ru": "Ковёр", "kk": "Кілем"}

    time.sleep(2.2)  # past the incremental window's overlap: unchanged rows fall outside 'from'
    changed = [list(r) for r in ROWS if r[0] != "KP-4"]  # KP-4 is deleted ...
    changed[1][1] = "Ковёр ворсовый"  # ... and KP-2 renamed
    write_workbook(export, changed)
    reloaded = process.wait_for("fund.xlsx: reloaded:")
    assert reloaded.endswith("new 0, changed 1, unchanged 3, deleted 1")

    second = _emuseum(["harvest", MUSEUM, "--config", str(config)], env)
    assert second.returncode == 0, second.stderr
    assert f"{MUSEUM}: succeeded (incremental) new 0, updated 1, unchanged 0, deleted 1" in second.stdout
    stored = _catalogue(env)
    assert stored["KP-4"] == {"deleted": True}
    assert _titles(stored["KP-2"]) == {"ru": "Ковёр ворсовый", "kk": "Кілем"}
    assert {k for k, v in stored.items() if v != {"deleted": True}} == {"KP-1", "KP-2", "KP-3", "KP-5"}
    for row in changed:  # every published row is in the catalogue as the spreadsheet says
        assert _titles(stored[row[0]]) == {"ru": row[1], "kk": row[2]}


def test_the_published_endpoint_passes_the_endpoint_check(
    publisher: tuple[Publisher, str, Path], env: dict[str, str]
) -> None:
    _, url, _ = publisher
    checked = _emuseum(["check-endpoint", url, "--json"], env)
    report = json.loads(checked.stdout)
    assert checked.returncode == 0, [f["message"] for f in report["findings"] if f["severity"] == "error"]
    facts = report["facts"]
    assert facts["granularity"] == "YYYY-MM-DDThh:mm:ssZ" and facts["honours_from"] is True
    assert facts["deleted_record"] == "persistent" and facts["formats"] == ["lido", "oai_dc"]
    assert facts["sets"] == 3 and facts["records_listed"] == 5
    assert not [f for f in report["findings"] if f["code"].startswith(("protocol.", "paging.", "incremental.g"))
                and f["severity"] != "info"]  # fmt: skip


def test_a_workbook_is_also_harvested_directly(tmp_path: Path, env: dict[str, str]) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    more = [[f"KP-{n}", f"Предмет {n}", f"Зат {n}", "bowl", "Этнография", "clay", "XX век", ""] for n in range(6, 13)]
    rows = ROWS + more
    write_workbook(exports / "fund.xlsx", rows)
    config = tmp_path / "config"
    config.mkdir()
    museum = {
        "id": MUSEUM,
        "name": {"en": "Spreadsheet museum"},
        "region": "KZ-75",
        "source": {"type": "xlsx", "url": str(exports / "fund.xlsx"), "profile": "generic", "sheet": "Фонд"},
    }
    (config / "museums.yaml").write_text(yaml.safe_dump({"museums": [museum]}, allow_unicode=True), encoding="utf-8")
    env = {**env, "EMUSEUM_FILE_SOURCES_DIR": str(exports)}
    first = _emuseum(["harvest", MUSEUM, "--config", str(config)], env)
    assert first.returncode == 0, first.stderr
    assert f"{MUSEUM}: succeeded (full) new 12" in first.stdout
    write_workbook(exports / "fund.xlsx", [r for r in rows if r[0] != "KP-5"])  # below the breaker's 10%
    second = _emuseum(["harvest", MUSEUM, "--config", str(config)], env)
    assert f"{MUSEUM}: succeeded (full) new 0, updated 0, unchanged 11, deleted 1" in second.stdout, second.stderr
    assert _catalogue(env)["KP-5"] == {"deleted": True}
