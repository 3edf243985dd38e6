"""Build, start and stop a real single-node OpenSearch 2.19 or Elasticsearch 9 for development and CI.

Why this exists: tests of the search index must run against a real engine (analyzers, aliases,
aggregations behave in ways no fake reproduces), yet CI machines have no Docker and only package
registries online.

* OpenSearch (the default engine) is assembled from Maven Central jars by
  ``search-node/pom.xml`` and runs embedded in a small launcher of our own, on Java 17+.
* Elasticsearch is Elastic's own JDK-less test distribution
  (``org.elasticsearch.distribution.integ-test-zip``), fetched once from Maven Central into
  ``search-node/target/`` and started by its own ``bin/elasticsearch`` on a JDK >= 21. It
  refuses to run as root, so as root it runs as the unprivileged system user ``emuseum-es``.

Each node runs in its own process session, so stopping it (by PID, never by name) touches nothing
else. Stdlib only: ``.ci/run``, the Makefile and pytest fixtures all import or run this file
before any project dependency is guaranteed to be installed.

CLI::

    python devtools/search_node.py build [--engine opensearch|elasticsearch|all]
    python devtools/search_node.py fetch          # the same as: build --engine elasticsearch
    python devtools/search_node.py start [--engine opensearch|elasticsearch] --port 0 \
        --home DIR --pidfile FILE [--heap SIZE] [--server-jvm]
    python devtools/search_node.py stop --pidfile FILE
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "ENGINES",
    "ES_VERSION",
    "READY_TIMEOUT_SECONDS",
    "STOP_TIMEOUT_SECONDS",
    "Launch",
    "SearchNode",
    "SearchNodeError",
    "build",
    "elasticsearch_command",
    "fetch_elasticsearch",
    "find_java",
    "free_port",
    "java_major",
    "jvm_command",
    "launch",
    "needs_build",
    "needs_fetch",
    "start",
    "stop",
    "wait_ready",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
MAIN_CLASS = "kz.emuseum.searchnode.SearchNodeMain"
ENGINES = ("opensearch", "elasticsearch")
READY_TIMEOUT_SECONDS = 120.0
ES_READY_TIMEOUT_SECONDS = 180.0  # ~15-50 s on 2 cores, longer while OpenSearch boots beside it
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
# ``--server-jvm``: what a production node runs (G1, the full JIT), for benchmarks. The test
# profile above makes Lucene's indexing loops several times dearer (C1 only) and lets Serial
# GC fill the heap until the real-memory circuit breaker refuses bulk requests.
_QUICK_ONLY = ("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
SERVER_JVM_FLAGS = ("-XX:+UseG1GC", *(flag for flag in JVM_FLAGS if flag not in _QUICK_ONLY))

# Elasticsearch: the client's major decides the server's (the 9.x client sends
# `compatible-with=9`, which an 8.x server refuses). 9.5.4 is the newest 9.x whose
# integ-test-zip Maven Central served here (9.5.5, 9.5.6 and 9.6.0 were not found).
ES_VERSION = "9.5.4"
ES_ARTIFACT = f"org.elasticsearch.distribution.integ-test-zip:elasticsearch:{ES_VERSION}:zip"
ES_MIN_JAVA = 21
ES_HEAP = "384m"
ES_USER = os.environ.get("EMUSEUM_ES_USER", "emuseum-es")
# The cluster name doubles as the mark `stop` looks for in /proc/PID/cmdline before it signals.
ES_CLUSTER_NAME = "emuseum-es-test"
# Added after the distribution's own jvm.options (which keep G1: a second GC flag would be a
# conflict). C1-only halves start-up CPU (about 12.5 s instead of 21 s on 2 cores); without
# pre-touching, the 384 MB heap is committed as used, not all at start (RSS ~450 MB, not ~580).
ES_JVM_FLAGS = ("-XX:TieredStopAtLevel=1", "-XX:-AlwaysPreTouch")
ES_SERVER_JVM_FLAGS = ("-XX:-AlwaysPreTouch",)
MAVEN_DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
_FETCHED_STAMP = ".emuseum-fetched"


class SearchNodeError(RuntimeError):
    """The node could not be built, started or stopped; the message carries the log tail."""


@dataclass(frozen=True)
class SearchNode:
    """A running node. ``process`` is kept only so that this interpreter can reap its child.

    For Elasticsearch ``pid`` is the launcher's (``bin/elasticsearch`` execs a small Java
    launcher that starts the server JVM as its child); it leads the node's process group, and
    SIGTERM to it shuts the server down cleanly.
    """

    pid: int
    url: str
    home: Path
    log_file: Path
    startup_seconds: float
    engine: str = "opensearch"
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class Launch:
    """A node whose JVM was started but is not known to be healthy yet (see ``wait_ready``)."""

    engine: str
    pid: int
    url: str
    home: Path
    log_file: Path
    log_offset: int
    started_at: float
    process: subprocess.Popen[bytes] = field(repr=False, compare=False)


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


# --- Elasticsearch distribution ------------------------------------------------------------


def _es_zip(root: Path) -> Path:
    return _project_dir(root) / "target" / f"elasticsearch-{ES_VERSION}.zip"


def es_home(root: Path = REPO_ROOT) -> Path:
    """The unpacked distribution (shared, read-only for the node: config is copied per node)."""
    return _project_dir(root) / "target" / f"elasticsearch-{ES_VERSION}"


def needs_fetch(root: Path = REPO_ROOT) -> bool:
    """True until the distribution was unpacked completely (the stamp is written last)."""
    return not (es_home(root) / _FETCHED_STAMP).is_file()


def _unpack(archive: Path, target: Path) -> None:
    """Unzip keeping the executable bits, readable by every user (the node may run as another).

    zipfile drops Unix modes, and `unzip` may be missing on a fresh machine, hence by hand.
    """
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    prefix = f"elasticsearch-{ES_VERSION}/"
    with zipfile.ZipFile(archive) as zipped:
        for info in zipped.infolist():
            name = info.filename
            if not name.startswith(prefix) or ".." in Path(name).parts:
                raise SearchNodeError(f"unexpected entry {name!r} in {archive}")
            dest = partial / name[len(prefix) :]
            mode = (info.external_attr >> 16) & 0o777
            if info.is_dir():
                dest.mkdir(parents=True, exist_ok=True)
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            with zipped.open(info) as source, dest.open("wb") as out:
                shutil.copyfileobj(source, out, 1 << 20)
            dest.chmod(0o755 if mode & 0o100 else 0o644)
    for directory in [partial, *(p for p in partial.rglob("*") if p.is_dir())]:
        directory.chmod(0o755)
    if not (partial / "bin" / "elasticsearch").is_file():
        raise SearchNodeError(f"{archive} holds no bin/elasticsearch")
    (partial / _FETCHED_STAMP).write_text(f"{ES_ARTIFACT}\n", encoding="ascii")
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)


def fetch_elasticsearch(root: Path = REPO_ROOT) -> Path:
    """Fetch the zip from Maven Central once and unpack it once; return the distribution folder.

    The zip stays in ``search-node/target/`` (gitignored) beside the unpacked folder, so a
    damaged folder is unpacked again without any download (Maven's ~/.m2 holds a copy too).
    """
    home = es_home(root)
    if not needs_fetch(root):
        return home
    archive = _es_zip(root)
    if not archive.is_file():
        mvn = shutil.which("mvn")
        if mvn is None:
            raise SearchNodeError(
                f"Maven (mvn) is not on PATH; it is needed once to fetch {ES_ARTIFACT}"
            )
        archive.parent.mkdir(parents=True, exist_ok=True)
        command = [
            mvn,
            "-B",
            "-q",
            "-U",  # retry even if an earlier attempt (say, offline) left a cached failure
            "-Dstyle.color=never",
            f"{MAVEN_DEPENDENCY_PLUGIN}:copy",
            f"-Dartifact={ES_ARTIFACT}",
            f"-DoutputDirectory={archive.parent}",
        ]
        # No pom.xml in cwd, so Maven runs as a stand-alone project whatever folder we are in.
        result = subprocess.run(
            command, capture_output=True, text=True, check=False, cwd=archive.parent
        )
        if result.returncode != 0 or not archive.is_file():
            output = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr).splitlines()
            first = next((line for line in output if "ERROR" in line), output[-1] if output else "")
            reason = first.replace("[ERROR]", "").strip()
            reason = reason.split("on project standalone-pom: ", 1)[-1]
            raise SearchNodeError(
                f"mvn could not fetch {ES_ARTIFACT} (exit {result.returncode}): {reason[:300]}"
            )
    try:
        _unpack(archive, home)
    except zipfile.BadZipFile as error:
        archive.unlink(missing_ok=True)  # a truncated download: fetch again next time
        raise SearchNodeError(f"{archive} is not a valid zip ({error}); run fetch again") from error
    return home


# --- Java ----------------------------------------------------------------------------------


def java_major(version_output: str) -> int | None:
    """The feature version from `java -version` output: 'version "25.0.3"' -> 25, "1.8.0" -> 8."""
    match = re.search(r'version "(\d+)(?:\.(\d+))?', version_output)
    if match is None:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def _java_home_candidates() -> list[tuple[Path, bool]]:
    """(JDK home, named explicitly by an environment variable) in order of preference."""
    candidates = [
        (Path(os.environ[variable]), True)
        for variable in ("ES_JAVA_HOME", "JAVA_HOME")
        if os.environ.get(variable)
    ]
    candidates += [(Path(p).parent.parent, False) for p in sorted(glob.glob("/usr/lib/jvm/*/bin/java"))]
    on_path = shutil.which("java")
    if on_path:
        candidates.append((Path(os.path.realpath(on_path)).parent.parent, False))
    return candidates


def find_java(min_major: int = ES_MIN_JAVA) -> tuple[Path, int]:
    """A JDK home whose `java -version` is >= min_major, and that version.

    ES_JAVA_HOME, then JAVA_HOME, win when new enough; otherwise the newest of /usr/lib/jvm/*
    and the `java` on PATH. Found by running each, never by a hard-coded path.
    """
    seen: set[str] = set()
    found: list[tuple[bool, int, Path]] = []
    for home, explicit in _java_home_candidates():
        java = home / "bin" / "java"
        key = os.path.realpath(java)
        if key in seen or not java.is_file():
            continue
        seen.add(key)
        try:
            result = subprocess.run(
                [str(java), "-version"], capture_output=True, text=True, timeout=30, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        major = java_major(result.stderr + result.stdout)
        if major is not None and major >= min_major:
            found.append((explicit, major, home))
    if not found:
        raise SearchNodeError(
            f"no JDK >= {min_major} found (tried ES_JAVA_HOME, JAVA_HOME, /usr/lib/jvm/*, java on "
            f"PATH); Elasticsearch {ES_VERSION} needs one: install it (devtools/install_tools.sh "
            "as root) or set ES_JAVA_HOME"
        )
    explicit = [item for item in found if item[0]]
    _, major, home = explicit[0] if explicit else max(found, key=lambda item: item[1])
    return home, major


# --- processes -----------------------------------------------------------------------------


def free_port() -> int:
    """A port the OS just handed out on 127.0.0.1; the JVM binds it a moment later."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def jvm_command(
    home: Path, port: int, heap: str = "512m", root: Path = REPO_ROOT, server_jvm: bool = False
) -> list[str]:
    """The exact java command line, kept separate so it can be shown and tested."""
    java_home = os.environ.get("JAVA_HOME")
    java = str(Path(java_home) / "bin" / "java") if java_home else (shutil.which("java") or "java")
    classpath = f"{_jar(root)}{os.pathsep}{_lib(root) / '*'}"
    return [
        java,
        f"-Xms{heap}",
        f"-Xmx{heap}",
        *(SERVER_JVM_FLAGS if server_jvm else JVM_FLAGS),
        "-cp",
        classpath,
        MAIN_CLASS,
        "--home",
        str(home),
        "--port",
        str(port),
    ]


def elasticsearch_command(
    home: Path, port: int, root: Path = REPO_ROOT, dist: Path | None = None
) -> list[str]:
    """bin/elasticsearch with every setting as -E, so the shared config/ stays untouched.

    Loopback-only HTTP and transport keep the node in development mode (no production bootstrap
    checks); the transport port is left to the OS so nodes never collide.
    """
    dist = dist or es_home(root)
    settings = {
        "cluster.name": ES_CLUSTER_NAME,
        "node.name": "es-node-1",
        "discovery.type": "single-node",
        "xpack.security.enabled": "false",
        "http.host": "127.0.0.1",
        "http.port": str(port),
        "transport.host": "127.0.0.1",
        "transport.port": "0",
        "path.data": str(home / "data"),
        "path.logs": str(home / "logs"),
        # These machines have been seen with 287 MB free; a flood-stage watermark would turn
        # every index read-only in the middle of a test run.
        "cluster.routing.allocation.disk.threshold_enabled": "false",
        "action.destructive_requires_name": "false",
    }
    # Only settings of modules that are there: an unknown setting stops the node at boot, and
    # the test distribution has no ingest-geoip nor x-pack-ml.
    if (dist / "modules" / "ingest-geoip").is_dir():
        settings["ingest.geoip.downloader.enabled"] = "false"
    if (dist / "modules" / "x-pack-ml").is_dir():
        settings["xpack.ml.enabled"] = "false"
    command = [str(dist / "bin" / "elasticsearch")]
    for key, value in settings.items():
        command += ["-E", f"{key}={value}"]
    return command


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


def _is_healthy(url: str, cluster_name: str | None = None) -> bool:
    health = f"{url}/_cluster/health?wait_for_status=yellow&timeout=1s"
    try:
        with urllib.request.urlopen(health, timeout=3) as response:
            if response.status != 200:
                return False
            if cluster_name is None:
                return True
            # Our node, not something else that grabbed the port between probe and bind.
            return json.loads(response.read()).get("cluster_name") == cluster_name
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _ensure_es_user() -> tuple[int, int]:
    """uid/gid of the unprivileged user the node runs as when we are root (created if missing)."""
    import pwd  # noqa: PLC0415 - POSIX only, like the rest of the root path

    try:
        entry = pwd.getpwnam(ES_USER)
    except KeyError:
        useradd = shutil.which("useradd") or "/usr/sbin/useradd"
        nologin = "/usr/sbin/nologin" if Path("/usr/sbin/nologin").exists() else "/bin/false"
        result = subprocess.run(
            [useradd, "-r", "-M", "-s", nologin, "-c", "emuseum test Elasticsearch", ES_USER],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise SearchNodeError(
                f"Elasticsearch refuses to run as root and user {ES_USER} could not be created: "
                f"{(result.stderr or result.stdout).strip()}"
            ) from None
        entry = pwd.getpwnam(ES_USER)
    return entry.pw_uid, entry.pw_gid


def _chown_tree(path: Path, uid: int, gid: int) -> None:
    os.chown(path, uid, gid)
    for dirpath, dirnames, filenames in os.walk(path):
        for name in [*dirnames, *filenames]:
            os.lchown(os.path.join(dirpath, name), uid, gid)


def _usable_by(uid: int, gid: int, dist: Path, home: Path) -> bool:
    """Can that user run the distribution and write the node's folders (all parents entered)?"""
    probe = subprocess.run(
        [
            "sh",
            "-c",
            'test -x "$1/bin/elasticsearch" && test -r "$1/lib" && test -w "$2/data"',
            "probe",
            str(dist),
            str(home),
        ],
        user=uid,
        group=gid,
        extra_groups=[],
        check=False,
    )
    return probe.returncode == 0


def _private_dist(home: Path, root: Path) -> Path:
    """A copy of the distribution inside the node's home, for a repository the user can't enter.

    CI may clone into a folder only root can enter (a 0700 home directory, say); unpacking the
    cached zip again (about 3 s, no download) beats failing.
    """
    private = home / f"elasticsearch-{ES_VERSION}"
    if not (private / _FETCHED_STAMP).is_file():
        if _es_zip(root).is_file():
            _unpack(_es_zip(root), private)
        else:
            shutil.rmtree(private, ignore_errors=True)
            shutil.copytree(es_home(root), private, symlinks=True)
    return private


def _prepare_es_home(
    home: Path, root: Path
) -> tuple[Path, dict[str, str], dict[str, object]]:
    """Per-node folders (its own copy of config/: the node writes its keystore there).

    Returns the distribution folder to run, the environment for bin/elasticsearch and the extra
    Popen arguments (the user to run as).
    """
    dist = es_home(root)
    java_home, _ = find_java(ES_MIN_JAVA)
    for name in ("data", "logs", "tmp"):
        (home / name).mkdir(parents=True, exist_ok=True)
    if not (home / "config").is_dir():
        shutil.copytree(dist / "config", home / "config")
    # bin/elasticsearch ignores (and warns about) these; ES_JAVA_HOME and ES_JAVA_OPTS count.
    dropped = ("JAVA_HOME", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JAVA_OPTS")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        ES_JAVA_HOME=str(java_home),
        ES_PATH_CONF=str(home / "config"),
        ES_TMPDIR=str(home / "tmp"),
        HOME=str(home),
    )
    popen_user: dict[str, object] = {}
    if os.geteuid() == 0:
        uid, gid = _ensure_es_user()
        home.chmod(0o755)
        for name in ("config", "data", "logs", "tmp"):
            _chown_tree(home / name, uid, gid)
        os.chown(home, uid, gid)
        if not _usable_by(uid, gid, dist, home):
            dist = _private_dist(home, root)
            if not _usable_by(uid, gid, dist, home):
                raise SearchNodeError(
                    f"user {ES_USER} cannot enter {home}: give its parent folders o+x, "
                    "or use a --home under /tmp"
                )
        popen_user = {"user": uid, "group": gid, "extra_groups": []}
    return dist, env, popen_user


def launch(
    home: Path,
    port: int = 0,
    heap: str | None = None,
    root: Path = REPO_ROOT,
    engine: str = "opensearch",
    server_jvm: bool = False,
) -> Launch:
    """Start the node's JVM in its own session and return at once; ``wait_ready`` waits.

    Splitting the two lets a caller start OpenSearch and Elasticsearch side by side and then
    wait for both, instead of paying their start-up times one after the other.
    """
    if engine not in ENGINES:
        raise SearchNodeError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    home = Path(home).resolve()
    home.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    log_file = home / LOG_NAME
    popen_user: dict[str, object] = {}
    if engine == "opensearch":
        if not _jar(root).is_file():
            raise SearchNodeError(
                f"{_jar(root)} is missing; run `python devtools/search_node.py build` first"
            )
        command = jvm_command(home, port, heap or "512m", root, server_jvm)
        env = None
    else:
        if needs_fetch(root):
            raise SearchNodeError(
                f"{es_home(root)} is missing; run `python devtools/search_node.py fetch` first"
            )
        dist, env, popen_user = _prepare_es_home(home, root)
        heap = heap or ES_HEAP
        flags = ES_SERVER_JVM_FLAGS if server_jvm else ES_JVM_FLAGS
        env["ES_JAVA_OPTS"] = " ".join([f"-Xms{heap}", f"-Xmx{heap}", *flags])
        command = elasticsearch_command(home, port, root, dist)
    started_at = time.monotonic()
    with log_file.open("ab") as log:
        log_offset = log.tell()  # earlier runs' lines stay, but must not count as READY
        process = subprocess.Popen(
            command,
            cwd=home,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            **popen_user,  # type: ignore[arg-type]
        )
    return Launch(engine, process.pid, url, home, log_file, log_offset, started_at, process)


def wait_ready(pending: Launch, timeout: float | None = None) -> SearchNode:
    """Return once the node is healthy (yellow or green); stop it and raise if it is not."""
    if timeout is None:
        timeout = READY_TIMEOUT_SECONDS if pending.engine == "opensearch" else ES_READY_TIMEOUT_SECONDS
    process, url, log_file = pending.process, pending.url, pending.log_file
    label = "search node" if pending.engine == "opensearch" else f"Elasticsearch {ES_VERSION}"
    deadline = pending.started_at + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            _terminate(pending.pid, process, STOP_TIMEOUT_SECONDS, pending.engine)
            raise SearchNodeError(
                f"{label} exited with code {process.returncode} before becoming healthy; "
                f"log {log_file}:\n{_log_tail(log_file)}"
            )
        if pending.engine == "opensearch":
            ready = _announced_ready(log_file, pending.log_offset) and _is_healthy(url)
        else:
            ready = _is_healthy(url, ES_CLUSTER_NAME)
        if ready:
            return SearchNode(
                pid=pending.pid,
                url=url,
                home=pending.home,
                log_file=log_file,
                startup_seconds=time.monotonic() - pending.started_at,
                engine=pending.engine,
                process=process,
            )
        time.sleep(0.25)
    _terminate(pending.pid, process, STOP_TIMEOUT_SECONDS, pending.engine)
    raise SearchNodeError(
        f"{label} at {url} not healthy within {timeout:.0f} s; log {log_file}:\n"
        f"{_log_tail(log_file)}"
    )


def start(
    home: Path,
    port: int = 0,
    heap: str | None = None,
    root: Path = REPO_ROOT,
    timeout: float | None = None,
    engine: str = "opensearch",
    server_jvm: bool = False,
) -> SearchNode:
    """Start the node; return once it is healthy (cluster health at least yellow).

    OpenSearch must also have printed READY (after its post-start cluster settings). The JVM
    gets its own session (process group) so a Ctrl-C in the calling terminal or a test
    runner's signal handling never reaches it; only ``stop`` ends it.
    """
    return wait_ready(launch(home, port, heap, root, engine, server_jvm), timeout)


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
    return _proc_state(pid) not in ("Z", None)


def _proc_state(pid: int) -> str | None:
    """The state letter from /proc/PID/stat (None: gone); 'R' where there is no /proc."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except FileNotFoundError:
        return None
    except OSError:
        return "R"
    return text.rsplit(")", 1)[1].split()[0]


def _group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes in process group ``pgid``: the ES launcher and its server."""
    members = []
    for stat_file in glob.glob("/proc/[0-9]*/stat"):
        try:
            fields = Path(stat_file).read_text(encoding="ascii", errors="replace").rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat_file.split("/")[2]))
    return members


def _wait_gone(
    pid: int, process: subprocess.Popen[bytes] | None, timeout: float, group: bool = False
) -> bool:
    def gone() -> bool:
        return not _is_running(pid, process) and not (group and _group_members(pid))

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if gone():
            return True
        time.sleep(0.1)
    return gone()


def _terminate(
    pid: int,
    process: subprocess.Popen[bytes] | None,
    timeout: float,
    engine: str = "opensearch",
) -> None:
    """SIGTERM lets the JVM close the node (flushes the translog); SIGKILL after ``timeout``.

    Elasticsearch: SIGTERM goes to the launcher, which shuts its server JVM down and waits for
    it; we wait until the whole process group we created is gone, and SIGKILL that group (and
    only that group) if it is not.
    """
    # We started it with start_new_session, so its PID is its group's id; from a pidfile, check.
    group = engine == "elasticsearch" and (process is not None or _pgid(pid) == pid)
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        if not group:
            return
    if _wait_gone(pid, process, timeout, group):
        return
    try:
        if group:
            os.killpg(pid, signal.SIGKILL)
        else:
            os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    if not _wait_gone(pid, process, 10.0, group):
        raise SearchNodeError(f"search node pid {pid} survived SIGKILL")


def _pgid(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except ProcessLookupError:
        return None


def _cmdline(pid: int) -> bytes | None:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return None


def _engine_of(pid: int) -> str | None:
    """Guard against a recycled PID from a stale pidfile: only ever signal our own node.

    Returns the engine whose node that PID is, or None when it is gone or something else.
    """
    try:
        cmdline = _cmdline(pid)
    except OSError:
        return "opensearch"  # no /proc (not Linux): trust the pidfile
    if cmdline is None:
        return None
    if MAIN_CLASS.encode() in cmdline:
        return "opensearch"
    if f"cluster.name={ES_CLUSTER_NAME}".encode() in cmdline:
        return "elasticsearch"
    return None


def _is_search_node(pid: int) -> bool:
    return _engine_of(pid) is not None


def stop(node_or_pid: SearchNode | Launch | int, timeout: float = STOP_TIMEOUT_SECONDS) -> None:
    """Stop exactly that node: SIGTERM to its PID, up to ``timeout`` s, then SIGKILL.

    Given a bare PID (from a pidfile), the engine is read from /proc/PID/cmdline; a PID that is
    no node of ours is left alone.
    """
    if isinstance(node_or_pid, SearchNode | Launch):
        pid, process, engine = node_or_pid.pid, node_or_pid.process, node_or_pid.engine
    else:
        pid, process = int(node_or_pid), None
        engine = _engine_of(pid)
        if engine is None:
            return  # already gone, or the PID now belongs to something else
    _terminate(pid, process, timeout, engine)


def _cmd_build(args: argparse.Namespace) -> int:
    engines = ENGINES if args.engine == "all" else (args.engine,)
    for engine in engines:
        started_at = time.monotonic()
        if engine == "opensearch":
            build(args.root)
            print(f"search-node: build ready in {time.monotonic() - started_at:.1f} s", file=sys.stderr)
        else:
            dist = fetch_elasticsearch(args.root)
            print(
                f"search-node: Elasticsearch {ES_VERSION} ready in {dist} "
                f"({time.monotonic() - started_at:.1f} s)",
                file=sys.stderr,
            )
    return 0


def _cmd_fetch(args: argparse.Namespace) -> int:
    args.engine = "elasticsearch"
    return _cmd_build(args)


def _cmd_start(args: argparse.Namespace) -> int:
    try:
        node = start(
            Path(args.home),
            port=args.port,
            heap=args.heap,
            root=args.root,
            engine=args.engine,
            server_jvm=args.server_jvm,
        )
    except SearchNodeError as error:
        print(f"search-node: {error}", file=sys.stderr)
        return 1
    Path(args.pidfile).write_text(f"{node.pid}\n", encoding="ascii")
    print(node.url)
    print(
        f"search-node: {node.engine} healthy after {node.startup_seconds:.1f} s "
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
    build_cmd = commands.add_parser(
        "build", help="OpenSearch: mvn package if stale; Elasticsearch: fetch and unpack once"
    )
    build_cmd.add_argument("--engine", choices=[*ENGINES, "all"], default="opensearch")
    commands.add_parser("fetch", help=f"fetch and unpack Elasticsearch {ES_VERSION} once")
    start_cmd = commands.add_parser("start", help="start a node and wait until it is healthy")
    start_cmd.add_argument("--engine", choices=ENGINES, default="opensearch")
    start_cmd.add_argument("--port", type=int, default=0, help="HTTP port; 0 picks a free one")
    start_cmd.add_argument("--home", required=True, help="node home: data, config, log file")
    start_cmd.add_argument("--pidfile", required=True, help="where to write the node's pid")
    start_cmd.add_argument(
        "--heap", default=None, help=f"-Xms/-Xmx value (default 512m; Elasticsearch {ES_HEAP})"
    )
    start_cmd.add_argument(
        "--server-jvm",
        action="store_true",
        help="G1 and the full JIT, as a production node runs (for benchmarks; tests start faster without)",
    )
    stop_cmd = commands.add_parser("stop", help="SIGTERM the pid in --pidfile, SIGKILL after 30 s")
    stop_cmd.add_argument("--pidfile", required=True)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handlers = {"build": _cmd_build, "fetch": _cmd_fetch, "start": _cmd_start, "stop": _cmd_stop}
    try:
        return handlers[args.command](args)
    except SearchNodeError as error:
        print(f"search-node: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
