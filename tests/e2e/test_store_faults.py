"""When the store itself fails, a command ends in one line and a true state, and a rerun resumes exactly.

Faults of the database are real here: a private PostgreSQL cluster stopped in
the middle of a harvest, a real full disk (a small tmpfs) under an SQLite
store, and several processes creating one brand-new store at the same moment.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, func, select
from sqlalchemy.exc import ProgrammingError

from aggregator.store.models import CoreRow, StagedRecord
from demo.oai_endpoint import EndpointRecord, Faults, OaiEndpoint
from demo.samples import generate_museum_objects, to_lido
from tests.conftest import missing_service

MUSEUM_ID = "kz-central-state-museum"
#: An engine nobody listens at: with PostgreSQL the index is always an engine; syncing it only costs a note.
_NO_ENGINE = "opensearch+http://127.0.0.1:9/x?attempts=1"


def _records(count: int) -> list[EndpointRecord]:
    objects = generate_museum_objects(MUSEUM_ID, count, seed=5, region="KZ-75", base_url="https://media.example/")
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
        "name": {"en": "Central State Museum"},
        "region": "KZ-75",
        "source": {"type": "oai-pmh", "url": url, "max_retries": 1, "timeout": 10},
    }
    (folder / "museums.yaml").write_text(yaml.safe_dump({"museums": [museum]}), encoding="utf-8")
    return folder


def _emuseum(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "aggregator", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "aggregator", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


def _error_lines(stderr: str) -> list[str]:
    """What the user reads: lines that are not log records (logs go to stderr off a terminal)."""
    return [line for line in stderr.splitlines() if line.startswith("error:") or line.startswith("Traceback")]


def _stored(url: str, table: type[CoreRow] | type[StagedRecord] = CoreRow) -> int:
    """Rows committed so far (0 while the command is still creating the tables)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(table)) or 0)
    except ProgrammingError:
        return 0
    finally:
        engine.dispose()


# -- a private PostgreSQL that a test may stop ----------------------------------------------


@dataclass
class PrivatePostgres:
    bin_dir: Path
    data: Path
    socket_dir: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/emuseum"

    def _as_postgres(self, cmd: list[str]) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.socket_dir} -c fsync=off"
        subprocess.run(
            self._as_postgres([str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-o", options, "-w", "start"]),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def stop(self) -> None:
        subprocess.run(
            self._as_postgres([str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"]),
            check=True,
            stdout=subprocess.DEVNULL,
        )


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    initdb = Path(found[-1]) if found else (Path(w) if (w := shutil.which("initdb")) else None)
    if initdb is None or not os.environ.get("EMUSEUM_TEST_POSTGRES_URL"):
        missing_service("PostgreSQL is not installed or not started (make test starts it)")
    home = Path(tempfile.mkdtemp(prefix="emuseum-pg-fault-"))
    if os.geteuid() == 0:
        shutil.chown(home, "postgres", "postgres")
    server = PrivatePostgres(initdb.parent, home / "data", home, _free_port())
    subprocess.run(
        server._as_postgres(
            [str(initdb), "-D", str(server.data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    server.start()
    subprocess.run(
        server._as_postgres(
            [str(server.bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(server.port), "-U", "postgres", "emuseum"]
        ),
        check=True,
    )
    try:
        yield server
    finally:
        subprocess.run(
            server._as_postgres([str(server.bin_dir / "pg_ctl"), "-D", str(server.data), "-m", "immediate", "stop"]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(home, ignore_errors=True)


@pytest.mark.postgres
def test_postgresql_stopped_mid_harvest_ends_in_one_line_and_the_rerun_resumes_exactly(
    private_postgres: PrivatePostgres, tmp_path: Path
) -> None:
    env = {**os.environ, "EMUSEUM_DATABASE_URL": private_postgres.url, "EMUSEUM_INDEX_URL": _NO_ENGINE}
    with OaiEndpoint(_records(60), name="CSM", formats=["lido"], batch_size=5, faults=Faults(page_delay=0.4)) as peer:
        config = _config(tmp_path / "c", peer.url)
        harvest = _emuseum(["harvest", "--all", "--config", str(config)], env)
        deadline = time.monotonic() + 60
        while _stored(private_postgres.url, StagedRecord) < 10 and time.monotonic() < deadline:
            time.sleep(0.2)
        private_postgres.stop()
        _, stderr = harvest.communicate(timeout=120)

        assert harvest.returncode == 1
        errors = _error_lines(stderr)
        assert len(errors) == 1, stderr
        assert errors[0].startswith("error: the store postgresql+psycopg://postgres@127.0.0.1:")
        assert "run the command again" in errors[0]

        private_postgres.start()
        status = _run(["status", "--json", "--config", str(config)], env)
        assert '"status": "failed"' in status.stdout, status.stdout + status.stderr

        rerun = _run(["harvest", "--all", "--config", str(config)], env)
        assert rerun.returncode == 0, rerun.stderr
        assert "resumed" in rerun.stdout
    assert _stored(private_postgres.url) == 60


@contextmanager
def _small_disk(size: str) -> Iterator[Path]:
    mount_point = Path(tempfile.mkdtemp(prefix="emuseum-full-disk-"))
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount_point)], check=True,
                       capture_output=True)  # fmt: skip
    except (subprocess.CalledProcessError, FileNotFoundError) as exc:
        mount_point.rmdir()
        missing_service(f"cannot mount a small tmpfs to fill a disk ({exc}); this spec needs root")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)
        shutil.rmtree(mount_point, ignore_errors=True)


def test_a_full_disk_ends_in_one_line_and_after_freeing_space_the_rerun_resumes_exactly(tmp_path: Path) -> None:
    with _small_disk("1500k") as disk, OaiEndpoint(_records(200), name="CSM", formats=["lido"], batch_size=20) as peer:
        env = {**os.environ, "EMUSEUM_DATABASE_URL": f"sqlite:///{disk / 'cat.db'}", "EMUSEUM_INDEX_URL": "sqlite"}
        config = _config(tmp_path / "c", peer.url)

        full = _run(["harvest", "--all", "--config", str(config)], env)

        assert full.returncode == 1
        errors = _error_lines(full.stderr)
        assert len(errors) == 1, full.stderr
        assert f"the SQLite store {disk / 'cat.db'} failed" in errors[0]
        assert "free disk space" in errors[0]

        subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)
        rerun = _run(["harvest", "--all", "--config", str(config)], env)
        assert rerun.returncode == 0, rerun.stderr
        assert _stored(env["EMUSEUM_DATABASE_URL"]) == 200


@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
def test_processes_creating_one_brand_new_store_at_once_all_succeed(store: str, tmp_path: Path) -> None:
    if store == "sqlite":
        url = f"sqlite:///{tmp_path / 'fresh.db'}"
    else:
        base = os.environ.get("EMUSEUM_TEST_POSTGRES_URL")
        if not base:
            missing_service("EMUSEUM_TEST_POSTGRES_URL is not set (make test starts PostgreSQL)")
        name = f"fresh_{os.getpid()}_{int(time.time() * 1000) % 100000}"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        admin.dispose()
        url = base.rsplit("/", 1)[0] + "/" + name
    config = _config(tmp_path / "c", "http://127.0.0.1:9/oai")
    index = "sqlite" if store == "sqlite" else _NO_ENGINE
    env = {**os.environ, "EMUSEUM_DATABASE_URL": url, "EMUSEUM_INDEX_URL": index}

    commands = [_emuseum(["status", "--json", "--config", str(config)], env) for _ in range(4)]
    results = [(c.wait(timeout=120), c.stderr.read() if c.stderr else "") for c in commands]

    assert [code for code, _ in results] == [0, 0, 0, 0], [err for _, err in results]
