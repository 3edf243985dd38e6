"""Build, start and stop a real single-node OpenSearch 2.19 for development and CI.

Why this exists: tests of the search index must run against a real engine (analyzers, aliases,
aggregations behave in ways no fake reproduces), yet CI machines have no Docker and only package
registries online. The node is assembled from Maven Central jars by ``search-node/pom.xml`` and
runs in its own JVM, started here in its own process group so that stopping it never touches
anything else. Stdlib only: ``.ci/run``, the Makefile and pytest fixtures all import or run this
file before any project dependency is guaranteed to be installed.

CLI::

    python devtools/search_node.py build
    python devtools/search_node.py start --port 0 --home DIR --pidfile FILE [--heap 512m]
    python devtools/search_node.py stop --pidfile FILE
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "READY_TIMEOUT_SECONDS",
    "STOP_TIMEOUT_SECONDS",
    "SearchNode",
    "SearchNodeError",
    "build",
    "free_port",
    "jvm_command",
    "needs_build",
    "start",
    "stop",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
MAIN_CLASS = "kz.emuseum.searchnode.SearchNodeMain"
READY_TIMEOUT_SECONDS = 120.0
STOP_TIMEOUT_SECONDS = 30.0
LOG_NAME = "search-node.log"

# Serial GC and C1-only JIT: a test node is small and short-lived, and on 2 cores these shave
# start-up and leave the other core to pytest. SPI,COMPAT matches the locale data OpenSearch 2.x
# ships in its own jvm.options, so date formats parse as they would in production.
JVM_FLAGS = (
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",
    "-Dlog4j2.disable.jmx=true",
    "-Djava.locale.providers=SPI,COMPAT",
    "-Djava.awt.headless=true",
    "-Dfile.encoding=UTF-8",
)


class SearchNodeError(RuntimeError):
    """The node could not be built, started or stopped; the message carries the log tail."""


@dataclass(frozen=True)
class SearchNode:
    """A running node. ``process`` is kept only so that this interpreter can reap its child."""

    pid: int
    url: str
    home: Path
    log_file: Path
    startup_seconds: float
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False, compare=False)


def _project_dir(root: Path) -> Path:
    return root / "devtools" / "search-node"


def _jar(root: Path) -> Path:
    return _project_dir(root) / "target" / "search-node.jar"


def _lib(root: Path) -> Path:
    return _project_dir(root) / "target" / "lib"


def _build_inputs(root: Path) -> list[Path]:
    project = _project_dir(root)
    return [project / "pom.xml", *sorted((project / "src").rglob("*"))]


def needs_build(root: Path) -> bool:
    """True when the jar or lib/ is missing, or the pom or any source is newer than the jar."""
    jar, lib = _jar(root), _lib(root)
    if not jar.is_file() or not lib.is_dir() or not any(lib.glob("*.jar")):
        return True
    built_at = jar.stat().st_mtime
    return any(p.is_file() and p.stat().st_mtime > built_at for p in _build_inputs(root))


def build(root: Path = REPO_ROOT) -> None:
    """Run Maven only when needed; a changed pom also empties lib/ so no stale jar lingers.

    Two OpenSearch or Lucene versions side by side in lib/ would fail only at node construction,
    with a NoSuchMethodError far from the cause, hence the clean copy.
    """
    if not needs_build(root):
        return
    mvn = shutil.which("mvn")
    if mvn is None:
        raise SearchNodeError("Maven (mvn) is not on PATH; install it to build the search node")
    jar, lib = _jar(root), _lib(root)
    pom = _project_dir(root) / "pom.xml"
    if lib.is_dir() and (not jar.is_file() or pom.stat().st_mtime > jar.stat().st_mtime):
        shutil.rmtree(lib)
    command = [mvn, "-B", "-q", "-f", str(pom), "package"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0 or not jar.is_file():
        tail = (result.stdout + result.stderr).strip().splitlines()[-40:]
        raise SearchNodeError(
            f"{' '.join(command)} failed ({result.returncode}):\n" + "\n".join(tail)
        )
    jar.touch()  # Maven keeps an unchanged jar's old mtime; the staleness check needs "now".


def free_port() -> int:
    """A port the OS just handed out on 127.0.0.1; the JVM binds it a moment later."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def jvm_command(home: Path, port: int, heap: str = "512m", root: Path = REPO_ROOT) -> list[str]:
    """The exact java command line, kept separate so it can be shown and tested."""
    java_home = os.environ.get("JAVA_HOME")
    java = str(Path(java_home) / "bin" / "java") if java_home else (shutil.which("java") or "java")
    classpath = f"{_jar(root)}{os.pathsep}{_lib(root) / '*'}"
    return [
        java,
        f"-Xms{heap}",
        f"-Xmx{heap}",
        *JVM_FLAGS,
        "-cp",
        classpath,
        MAIN_CLASS,
        "--home",
        str(home),
        "--port",
        str(port),
    ]


def _log_tail(log_file: Path, lines: int = 40) -> str:
    try:
        text = log_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return f"(no log at {log_file})"
    return "\n".join(text.splitlines()[-lines:])


def _announced_ready(log_file: Path, offset: int) -> bool:
    """The launcher prints READY only after its post-start cluster settings are applied."""
    try:
        with log_file.open("rb") as log:
            log.seek(offset)
            return b"\nREADY http://" in b"\n" + log.read()
    except OSError:
        return False


def _is_healthy(url: str) -> bool:
    health = f"{url}/_cluster/health?wait_for_status=yellow&timeout=1s"
    try:
        with urllib.request.urlopen(health, timeout=3) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def start(
    home: Path,
    port: int = 0,
    heap: str = "512m",
    root: Path = REPO_ROOT,
    timeout: float = READY_TIMEOUT_SECONDS,
) -> SearchNode:
    """Start the node; return once it printed READY and cluster health is at least yellow.

    The JVM gets its own session (process group) so a Ctrl-C in the calling terminal or a
    test runner's signal handling never reaches it; only ``stop`` ends it.
    """
    if not _jar(root).is_file():
        raise SearchNodeError(
            f"{_jar(root)} is missing; run `python devtools/search_node.py build` first"
        )
    home = Path(home).resolve()
    home.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    log_file = home / LOG_NAME
    started_at = time.monotonic()
    with log_file.open("ab") as log:
        log_offset = log.tell()  # earlier runs' lines stay, but must not count as READY
        process = subprocess.Popen(
            jvm_command(home, port, heap, root),
            cwd=home,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = started_at + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SearchNodeError(
                f"search node exited with code {process.returncode} before becoming healthy; "
                f"log {log_file}:\n{_log_tail(log_file)}"
            )
        if _announced_ready(log_file, log_offset) and _is_healthy(url):
            return SearchNode(
                pid=process.pid,
                url=url,
                home=home,
                log_file=log_file,
                startup_seconds=time.monotonic() - started_at,
                process=process,
            )
        time.sleep(0.25)
    _terminate(process.pid, process, STOP_TIMEOUT_SECONDS)
    raise SearchNodeError(
        f"search node at {url} not healthy within {timeout:.0f} s; log {log_file}:\n"
        f"{_log_tail(log_file)}"
    )


def _is_running(pid: int, process: subprocess.Popen[bytes] | None) -> bool:
    """Alive and not a zombie: a child we never waited for still answers kill(pid, 0)."""
    if process is not None:
        return process.poll() is None
    try:
        reaped, _ = os.waitpid(pid, os.WNOHANG)
        if reaped == pid:
            return False
    except ChildProcessError:
        pass  # not our child: fall through to the signal probe
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _wait_gone(pid: int, process: subprocess.Popen[bytes] | None, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _is_running(pid, process):
            return True
        time.sleep(0.1)
    return not _is_running(pid, process)


def _terminate(pid: int, process: subprocess.Popen[bytes] | None, timeout: float) -> None:
    """SIGTERM lets the JVM shutdown hook close the node (flushes the translog); SIGKILL after."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    if _wait_gone(pid, process, timeout):
        return
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    if not _wait_gone(pid, process, 10.0):
        raise SearchNodeError(f"search node pid {pid} survived SIGKILL")


def _is_search_node(pid: int) -> bool:
    """Guard against a recycled PID from a stale pidfile: only ever signal our own JVM."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return False
    except OSError:
        return True  # no /proc (not Linux): trust the pidfile
    return MAIN_CLASS.encode() in cmdline


def stop(node_or_pid: SearchNode | int, timeout: float = STOP_TIMEOUT_SECONDS) -> None:
    """Stop exactly that node: SIGTERM to its PID, up to ``timeout`` s, then SIGKILL."""
    if isinstance(node_or_pid, SearchNode):
        pid, process = node_or_pid.pid, node_or_pid.process
    else:
        pid, process = int(node_or_pid), None
    if process is None and not _is_search_node(pid):
        return  # already gone, or the PID now belongs to something else
    _terminate(pid, process, timeout)


def _cmd_build(args: argparse.Namespace) -> int:
    started_at = time.monotonic()
    build(args.root)
    print(f"search-node: build ready in {time.monotonic() - started_at:.1f} s", file=sys.stderr)
    return 0


def _cmd_start(args: argparse.Namespace) -> int:
    try:
        node = start(Path(args.home), port=args.port, heap=args.heap, root=args.root)
    except SearchNodeError as error:
        print(f"search-node: {error}", file=sys.stderr)
        return 1
    Path(args.pidfile).write_text(f"{node.pid}\n", encoding="ascii")
    print(node.url)
    print(
        f"search-node: healthy after {node.startup_seconds:.1f} s "
        f"(pid {node.pid}, log {node.log_file})",
        file=sys.stderr,
    )
    return 0


def _cmd_stop(args: argparse.Namespace) -> int:
    pidfile = Path(args.pidfile)
    try:
        pid = int(pidfile.read_text(encoding="ascii").strip())
    except (FileNotFoundError, ValueError):
        print(f"search-node: no usable pid in {pidfile}; nothing to stop", file=sys.stderr)
        return 0
    try:
        stop(pid)
    except SearchNodeError as error:
        print(f"search-node: {error}", file=sys.stderr)
        return 1
    pidfile.unlink(missing_ok=True)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="repository root")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("build", help="mvn package, only if the jar or lib/ is stale")
    start_cmd = commands.add_parser("start", help="start a node and wait until it is healthy")
    start_cmd.add_argument("--port", type=int, default=0, help="HTTP port; 0 picks a free one")
    start_cmd.add_argument("--home", required=True, help="node home: data, config, log file")
    start_cmd.add_argument("--pidfile", required=True, help="where to write the JVM's pid")
    start_cmd.add_argument("--heap", default="512m", help="-Xms/-Xmx value")
    stop_cmd = commands.add_parser("stop", help="SIGTERM the pid in --pidfile, SIGKILL after 30 s")
    stop_cmd.add_argument("--pidfile", required=True)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handlers = {"build": _cmd_build, "start": _cmd_start, "stop": _cmd_stop}
    try:
        return handlers[args.command](args)
    except SearchNodeError as error:
        print(f"search-node: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
