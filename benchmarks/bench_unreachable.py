"""Three unreachable museums in one night: how long ``emuseum harvest --all`` takes and what it prints.

Run: ``.venv/bin/python -m benchmarks.bench_unreachable``

The museums: two closed ports on 127.0.0.1 (the kernel refuses at once) and
one address that never answers (a listening socket on 127.0.0.2 whose accept
backlog is full, so the kernel drops every new SYN: a connect times out, as
with an unroutable host).  A healthy one-museum night against the demo's OAI
peer is the baseline, measured in the same run.  Nothing is asserted; the
figures go to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import yaml

from benchmarks.measure import machine_line, print_table
from demo.oai_endpoint import EndpointRecord, OaiEndpoint

__all__ = ["main", "silent_address"]

ROOT = Path(__file__).resolve().parents[1]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def silent_address(stack: ExitStack, host: str = "127.0.0.2") -> str:
    """host:port whose connects time out: its accept queue is full and nobody accepts."""
    listener = stack.enter_context(socket.socket())
    listener.bind((host, 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    for _ in range(4):  # fill the backlog (one more than asked for is queued on Linux)
        filler = stack.enter_context(socket.socket())
        filler.setblocking(False)
        try:
            filler.connect((host, port))
        except BlockingIOError:
            pass
    time.sleep(0.2)
    return f"{host}:{port}"


def _night(config: Path, env: dict[str, str], *extra: str) -> tuple[float, str, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "aggregator", "harvest", "--all", "--config", str(config), *extra],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    return time.perf_counter() - started, done.stdout, done.stderr


def _config(folder: Path, urls: list[str]) -> Path:
    folder.mkdir(parents=True)
    museums = [
        {"id": f"kz-unreachable-{n}", "name": {"en": f"Unreachable {n}"}, "region": "KZ-75",
         "source": {"type": "oai-pmh", "url": url}}
        for n, url in enumerate(urls, 1)
    ]  # fmt: skip
    (folder / "museums.yaml").write_text(yaml.safe_dump({"museums": museums}), encoding="utf-8")
    return folder


def main() -> None:
    print(machine_line())
    rows = []
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        base = {**os.environ, "EMUSEUM_INDEX_URL": "sqlite", "EMUSEUM_ALLOW_SOURCE_NETWORKS": "127.0.0.0/8"}
        records = [
            EndpointRecord(identifier=f"oai:x.kz:{n}", datestamp=__import__("datetime").datetime(2025, 1, 1),
                           metadata={"oai_dc": b"<oai_dc:dc xmlns:oai_dc='http://www.openarchives.org/OAI/2.0/oai_dc/'"
                                               b" xmlns:dc='http://purl.org/dc/elements/1.1/'><dc:title>T</dc:title>"
                                               b"<dc:identifier>" + str(n).encode() + b"</dc:identifier></oai_dc:dc>"})
            for n in range(50)
        ]  # fmt: skip
        healthy = stack.enter_context(OaiEndpoint(records, name="Healthy", formats=["oai_dc"], batch_size=25))
        config = _config(Path(tmp) / "healthy", [healthy.url])
        env = {**base, "EMUSEUM_DATABASE_URL": f"sqlite:///{tmp}/healthy.db"}
        seconds, out, err = _night(config, env)
        rows.append(["one healthy museum (baseline)", f"{seconds:.1f} s", len(err.splitlines()), 0])
        silent = silent_address(stack)
        urls = [f"http://127.0.0.1:{_closed_port()}/oai", f"http://127.0.0.1:{_closed_port()}/oai", f"http://{silent}/oai"]
        config = _config(Path(tmp) / "broken", urls)
        env = {**base, "EMUSEUM_DATABASE_URL": f"sqlite:///{tmp}/broken.db"}
        seconds, out, err = _night(config, env)
        noise = sum("urllib3" in line or "Max retries exceeded" in line for line in (out + err).splitlines())
        rows.append(["three unreachable museums (2 workers)", f"{seconds:.1f} s", len(err.splitlines()), noise])
        env = {**base, "EMUSEUM_DATABASE_URL": f"sqlite:///{tmp}/broken-one.db"}
        one, out_one, err_one = _night(config, env, "--workers", "1")
        both = (out_one + err_one).splitlines()
        noise_one = sum("urllib3" in line or "Max retries exceeded" in line for line in both)
        rows.append(["the same, one after another (--workers 1)", f"{one:.1f} s", len(err_one.splitlines()), noise_one])
        print("--- stdout of the unreachable night ---\n" + out + "--- stderr ---\n" + err)
    print(machine_line())
    print_table(
        "emuseum harvest --all",
        ["night", "wall time", "stderr lines", "lines with urllib3 text"],
        rows,
    )


if __name__ == "__main__":
    main()
