"""Run a command (the test suite) with real PostgreSQL, OpenSearch and Elasticsearch servers beside it.

Each server is private to this run: a throw-away PostgreSQL cluster, an
OpenSearch node and an Elasticsearch node in temporary folders, bound to
127.0.0.1 on free ports, and stopped by their own PIDs afterwards (never by
process name).  Their URLs reach the tests as EMUSEUM_TEST_POSTGRES_URL,
EMUSEUM_TEST_OPENSEARCH_URL and EMUSEUM_TEST_ELASTICSEARCH_URL; a server whose
tools are missing is skipped with a message, and the tests that need it skip
with a reason (in CI they fail).

The two JVMs take tens of seconds each to boot, so both are started first and
PostgreSQL is set up while they boot; only then is each waited for.

    python devtools/test_services.py [--no-postgres] [--no-opensearch] [--no-elasticsearch] -- CMD ...
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "devtools"))

import search_node  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin() -> Path | None:
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _as_postgres(cmd: list[str]) -> list[str]:
    """initdb refuses to run as root; CI runs as root, so drop to the postgres user there."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@contextmanager
def postgres():
    bin_dir = _pg_bin()
    if bin_dir is None:
        print(
            "test-services: PostgreSQL not installed; PostgreSQL tests will skip", file=sys.stderr
        )
        yield None
        return
    home = Path(tempfile.mkdtemp(prefix="emuseum-pg-"))
    if os.geteuid() == 0:
        shutil.chown(home, "postgres", "postgres")
    data, port = home / "data", _free_port()
    started = time.monotonic()
    subprocess.run(
        _as_postgres(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale",
                "C.UTF-8",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {home} -c fsync=off"
    subprocess.run(
        _as_postgres(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(home / "log"),
                "-w",
                "start",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    pid = int((data / "postmaster.pid").read_text().splitlines()[0])
    try:
        subprocess.run(
            _as_postgres(
                [
                    str(bin_dir / "createdb"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "-U",
                    "postgres",
                    "emuseum_test",
                ]
            ),
            check=True,
        )
        print(
            f"test-services: PostgreSQL pid {pid} on 127.0.0.1:{port} ({time.monotonic() - started:.1f}s)",
            file=sys.stderr,
        )
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/emuseum_test"
    finally:
        os.kill(pid, signal.SIGINT)  # fast shutdown of exactly this postmaster
        for _ in range(100):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        shutil.rmtree(home, ignore_errors=True)


@contextmanager
def _search_node(engine: str, label: str):
    """Start the node's JVM and yield a function that waits until it is healthy and returns its URL.

    Stopping (by PID; for Elasticsearch its process group) happens on exit whether or not the
    node ever became healthy.
    """
    home = Path(tempfile.mkdtemp(prefix=f"emuseum-{engine[:2]}-"))
    try:
        pending = search_node.launch(home, engine=engine)
    except BaseException:
        shutil.rmtree(home, ignore_errors=True)
        raise

    def wait() -> str:
        node = search_node.wait_ready(pending)
        print(
            f"test-services: {label} pid {node.pid} at {node.url} ({node.startup_seconds:.1f}s)",
            file=sys.stderr,
        )
        return node.url

    try:
        yield wait
    finally:
        search_node.stop(pending)
        shutil.rmtree(home, ignore_errors=True)


@contextmanager
def opensearch():
    if shutil.which("java") is None or shutil.which("mvn") is None:
        print("test-services: java/mvn missing; OpenSearch tests will skip", file=sys.stderr)
        yield None
        return
    search_node.build(ROOT)
    with _search_node("opensearch", "OpenSearch") as wait:
        yield wait


@contextmanager
def elasticsearch():
    try:
        _java_home, major = search_node.find_java(search_node.ES_MIN_JAVA)
    except search_node.SearchNodeError as error:
        print(f"test-services: {error}; Elasticsearch tests will skip", file=sys.stderr)
        yield None
        return
    if search_node.needs_fetch(ROOT) and shutil.which("mvn") is None:
        print("test-services: mvn missing; Elasticsearch tests will skip", file=sys.stderr)
        yield None
        return
    search_node.fetch_elasticsearch(ROOT)
    with _search_node("elasticsearch", f"Elasticsearch {search_node.ES_VERSION} (Java {major})") as wait:
        yield wait


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-opensearch", action="store_true")
    parser.add_argument("--no-elasticsearch", action="store_true")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    env = dict(os.environ)
    started = time.monotonic()
    with ExitStack() as stack:
        try:
            # JVMs first (each boots for tens of seconds, concurrently), PostgreSQL meanwhile.
            waits = {}
            if not args.no_opensearch and not os.environ.get("EMUSEUM_TEST_OPENSEARCH_URL"):
                wait = stack.enter_context(opensearch())
                if wait:
                    waits["EMUSEUM_TEST_OPENSEARCH_URL"] = wait
            if not args.no_elasticsearch and not os.environ.get("EMUSEUM_TEST_ELASTICSEARCH_URL"):
                wait = stack.enter_context(elasticsearch())
                if wait:
                    waits["EMUSEUM_TEST_ELASTICSEARCH_URL"] = wait
            if not args.no_postgres and not os.environ.get("EMUSEUM_TEST_POSTGRES_URL"):
                url = stack.enter_context(postgres())
                if url:
                    env["EMUSEUM_TEST_POSTGRES_URL"] = url
            for variable, wait in waits.items():
                env[variable] = wait()
        except search_node.SearchNodeError as error:
            print(f"test-services: {error}", file=sys.stderr)
            return 1
        print(f"test-services: services ready in {time.monotonic() - started:.1f}s", file=sys.stderr)
        return subprocess.run(command, env=env).returncode


if __name__ == "__main__":
    sys.exit(main())
