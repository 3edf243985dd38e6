"""Remap and full reindex of a large store, in worker processes: records/s and the national extrapolation.

Run: ``.venv/bin/python -m benchmarks.bench_remap [--records 1000000] [--sample 20000] [--workers N]``
(``EMUSEUM_BENCH_NODE_PID``: the search node's PID, to report its CPU beside ours)

The store is *generated*, not harvested: raw LIDO payloads and core
documents written straight into a SQLite store (``generate_store``), with an
older mapping version stamped on every core record, so a remap finds every
record changed, exactly as after a mapping change.  Then:

* on a sample store (``--sample`` records): remap and full reindex with one
  process and with ``--workers`` processes (the speed-up), and the baselines
  of the same run: reading + decompressing the raw rows, ``map_raw`` alone,
  building index documents alone, one core each;
* on the large store (``--records``): remap with ``--workers``, then
  ``reindex --full`` into OpenSearch (``EMUSEUM_BENCH_OPENSEARCH_URL``, a
  fresh alias dropped at the end) or, without it, the embedded FTS5 index.

Works on an older tree too (remap and rebuild without ``workers``): then it
measures one process only, which is how the "before" figures were taken.
"""

from __future__ import annotations

import argparse
import inspect
import os
import sqlite3
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from benchmarks.measure import children_usage, machine_line, print_table, rate, self_cpu, wait_for_quiet
from benchmarks.sample_fund import BENCH_REGIONS, fund, museum_id_for
from demo.samples import to_lido

__all__ = ["generate_store", "main"]

NATIONAL_RECORDS = 4_500_000
_HEADERS = ("run", "workers", "records", "seconds", "records/s", "CPU s", "node CPU s", "4.5 M at this wall rate",
            "4.5 M by CPU on idle cores")  # fmt: skip
MUSEUMS = 20
TEMPLATES = 2000
_MARK = b"\x00z1"  # CompressedBytes' marker (aggregator/store/models.py)
_LOCAL = "@@LOCAL@@"
_STALE_VERSION = "lido-in/0+vocab/0"


def _templates(count: int) -> list[tuple[bytes, str, str]]:
    """(LIDO payload, core document JSON with placeholders, title) for ``count`` sample objects."""
    from harvester.raw import RawRecord
    from mappings.formats import map_raw

    out = []
    for obj in fund(count, museum_index=0, seed=41):
        payload = to_lido(obj, "Benchmark museum")
        record = map_raw(RawRecord(obj.museum_id, _LOCAL, "lido", payload)).record
        document = record.model_dump(mode="json", exclude_none=True)
        document["source"] = {**document["source"], "mapping_version": _STALE_VERSION}
        text = orjson.dumps(document).decode().replace(obj.museum_id, "@@MUSEUM@@")
        out.append((payload.replace(obj.local_id.encode(), b"@@RAWLOCAL@@"), text, record.title("kk", "ru", "en")))
    return out


def generate_store(path: Path, records: int, templates: list[tuple[bytes, str, str]]) -> float:
    """Write ``records`` raw + core rows (and their museums) into a migrated store; returns seconds."""
    from aggregator.store.database import open_database

    open_database(f"sqlite:///{path}").dispose()  # migrate
    started = time.perf_counter()
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=OFF")
        db.executemany(
            "INSERT INTO museums (id, name, region, city, source_type, source_url, updated_at) "
            "VALUES (?, ?, ?, NULL, 'oai-pmh', 'http://127.0.0.1:9/oai', ?)",
            [
                (museum_id_for(m), orjson.dumps({"en": f"Museum {m + 1}"}).decode(),
                 BENCH_REGIONS[m % len(BENCH_REGIONS)], stamp)
                for m in range(MUSEUMS)
            ],  # fmt: skip
        )
        batch = 5000
        for start in range(0, records, batch):
            raws, cores = [], []
            for n in range(start, min(start + batch, records)):
                payload, document, title = templates[n % len(templates)]
                museum, local = museum_id_for(n % MUSEUMS), f"{n:07d}"
                body = payload.replace(b"@@RAWLOCAL@@", local.encode())
                raws.append((museum, local, _MARK + zlib.compress(body, 6), f"{n:064x}", stamp))
                text = document.replace("@@MUSEUM@@", museum).replace(_LOCAL, local)
                cores.append((f"{museum}:{local}", museum, local, text, f"{n:064x}", title, stamp))
            db.executemany(
                "INSERT INTO raw_records (museum_id, local_id, format, payload, content_hash, datestamp, "
                "oai_identifier, deleted, harvested_at, last_seen_run) VALUES (?, ?, 'lido', ?, ?, "
                "'2024-06-01T00:00:00Z', NULL, 0, ?, NULL)",
                raws,
            )
            db.executemany(
                "INSERT INTO core_records (id, museum_id, local_id, document, mapping_version, raw_hash, title, "
                f"quality, updated_at) VALUES (?, ?, ?, ?, '{_STALE_VERSION}', ?, ?, 50.0, ?)",
                cores,
            )
            db.commit()
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return time.perf_counter() - started


def _regions() -> dict[str, str]:
    return {museum_id_for(m): BENCH_REGIONS[m % len(BENCH_REGIONS)] for m in range(MUSEUMS)}


def _supports_workers(function: Callable[..., Any]) -> bool:
    return "workers" in inspect.signature(function).parameters


def _node_cpu() -> float | None:
    """CPU seconds the search node has used so far, if ``EMUSEUM_BENCH_NODE_PID`` names it (Linux /proc).

    The node shares the machine's cores with the reindex, so its CPU is the
    other half of what a reindex costs; without it a slow reindex looks like
    waiting when it is the node working.
    """
    pid = os.environ.get("EMUSEUM_BENCH_NODE_PID", "")
    try:
        fields = Path(f"/proc/{int(pid)}/stat").read_text().rsplit(")", 1)[1].split()
    except (ValueError, OSError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


@contextmanager
def _measured() -> Iterator[dict[str, float]]:
    """Wall seconds; CPU seconds of this process plus the worker processes that finished inside; the node's CPU."""
    out: dict[str, float] = {}
    wall, cpu, (child_cpu, _), node = time.perf_counter(), self_cpu(), children_usage(), _node_cpu()
    yield out
    out["wall"] = time.perf_counter() - wall
    out["cpu"] = self_cpu() - cpu + children_usage()[0] - child_cpu
    node_after = _node_cpu()
    if node is not None and node_after is not None:
        out["node_cpu"] = node_after - node


def _remap(path: Path, workers: int, index_url: str) -> tuple[dict[str, float], Any]:
    from aggregator.mapping_step import MappingStep
    from aggregator.remap import remap
    from aggregator.store.database import open_database

    db = open_database(f"sqlite:///{path}")
    step = MappingStep(_regions(), index_url)
    try:
        with _measured() as cost:
            if _supports_workers(remap):
                summary = remap(db, step, workers=workers)
            else:
                summary = remap(db, step)
    finally:
        db.dispose()
    return cost, summary


def _reindex(path: Path, workers: int, index_url: str | None) -> tuple[dict[str, float], int]:
    from aggregator.index.rebuild import rebuild, reindex_embedded
    from aggregator.store.database import open_database

    db = open_database(f"sqlite:///{path}")
    try:
        if index_url is None:
            with _measured() as cost:
                if _supports_workers(reindex_embedded):
                    report = reindex_embedded(db, _regions(), workers=workers)
                else:
                    report = reindex_embedded(db, _regions())
            return cost, report.documents
        from aggregator.index.open import open_engine

        engine = open_engine(index_url)
        try:
            with _measured() as cost:
                if _supports_workers(rebuild):
                    report = rebuild(db, engine, _regions(), workers=workers, index_url=index_url)
                else:
                    report = rebuild(db, engine, _regions())
            return cost, report.documents
        finally:
            engine.drop()
            engine.close()
    finally:
        db.dispose()


def _baselines(path: Path, count: int) -> list[tuple[object, ...]]:
    """One core each, over the first ``count`` records of the store: read, map, build documents."""
    from aggregator.index.documents import build_document
    from harvester.raw import RawRecord
    from mappings.core import CoreRecord
    from mappings.formats import map_raw
    from mappings.quality import assess

    with closing(sqlite3.connect(path)) as db:
        started = time.perf_counter()
        rows = db.execute(
            "SELECT museum_id, local_id, payload FROM raw_records ORDER BY museum_id, local_id LIMIT ?", (count,)
        ).fetchall()
        raws = [RawRecord(m, local, "lido", zlib.decompress(payload[len(_MARK) :])) for m, local, payload in rows]
        read = time.perf_counter() - started
        documents = [orjson.loads(d) for (d,) in db.execute("SELECT document FROM core_records LIMIT ?", (count,))]
    started = time.perf_counter()
    for raw in raws:
        map_raw(raw)
    mapping = time.perf_counter() - started
    started = time.perf_counter()
    for document in documents:
        record = CoreRecord.model_validate(document)
        build_document(record, "KZ-75", assess(record).score)
    building = time.perf_counter() - started
    return [
        ("read + decompress raw rows (sqlite3)", count, read, rate(count, read)),
        ("map_raw alone, one core", count, mapping, rate(count, mapping)),
        ("validate stored document + build index document, one core", count, building, rate(count, building)),
    ]


def _row(what: str, count: int, cost: dict[str, float], workers: int) -> tuple[object, ...]:
    """A table row with two extrapolations: at this run's wall-clock rate, and by CPU cost on idle cores.

    On a shared machine the wall clock counts other people's work too; the CPU
    seconds a record costs barely move with load, so ``CPU s x 4.5 M / cores``
    is what an otherwise idle machine of this size would take.
    """
    hours = NATIONAL_RECORDS / rate(count, cost["wall"]) / 3600
    by_cpu = cost["cpu"] / count * NATIONAL_RECORDS / min(workers, os.cpu_count() or 1) / 3600
    node = cost.get("node_cpu")
    return (what, workers, count, cost["wall"], rate(count, cost["wall"]), cost["cpu"],
            "-" if node is None else node, f"{hours:.2f} h", f"{by_cpu:.2f} h")  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000, help="records of the large store (0: skip it)")
    parser.add_argument("--sample", type=int, default=20_000, help="records of the 1-vs-N comparison store")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--large-steps",
        default="remap,reindex",
        help="what to run on the large store: remap,reindex (default), or reindex alone (a stale store "
        "costs a reindex the same)",
    )
    parser.add_argument("--max-load", type=float, default=1.5, help="wait for a 1-minute load under this")
    parser.add_argument("--wait", type=float, default=900, help="seconds to wait for that at most")
    args = parser.parse_args(argv)
    print(f"bench_remap: {machine_line()}")
    print(f"  {wait_for_quiet(args.max_load, args.wait)}")
    base = os.environ.get("EMUSEUM_BENCH_OPENSEARCH_URL")
    index_url = f"opensearch+{base.rstrip('/')}/emuseum-bench-{os.getpid()}?replicas=0" if base else None
    print(f"  index: {'OpenSearch at ' + base if base else 'embedded FTS5 (EMUSEUM_BENCH_OPENSEARCH_URL not set)'}")
    templates = _templates(TEMPLATES)
    remap_index = index_url or "sqlite"
    with tempfile.TemporaryDirectory(prefix="emuseum-bench-remap-") as tmp:
        sample = Path(tmp) / "sample.db"
        generated = generate_store(sample, args.sample, templates)
        print(f"  sample store: {args.sample:,} records generated in {generated:.1f} s")
        rows = []
        counts = sorted({1, args.workers})
        for workers in counts:
            generate_store(sample.with_name(f"sample-{workers}.db"), args.sample, templates)
            cost, summary = _remap(sample.with_name(f"sample-{workers}.db"), workers, remap_index)
            if summary.changed != args.sample:
                sys.exit(f"remap changed {summary.changed} of {args.sample}: the benchmark needs every record changed")
            used = getattr(summary, "workers", 1)
            rows.append(_row("remap (every record changed)", args.sample, cost, used))
            print(f"  remap, {used} worker(s): {cost['wall']:.1f} s")
        for workers in counts:
            cost, documents = _reindex(sample, workers, index_url)
            if documents != args.sample:
                sys.exit(f"reindex wrote {documents} of {args.sample} documents")
            used = workers if _supports_workers(_reindex_function(index_url)) else 1
            rows.append(_row("reindex --full", args.sample, cost, used))
            print(f"  reindex, {used} worker(s): {cost['wall']:.1f} s")
        print_table(
            f"Sample store, {args.sample:,} generated LIDO records (CPU: this process + its workers)",
            _HEADERS,
            rows,
        )
        print_table(
            "Baselines of the same run, one core each, over the first 2,000 records",
            ("stage", "records", "seconds", "records/s"),
            _baselines(sample, min(2000, args.sample)),
        )
        for name in list(Path(tmp).glob("sample*")):
            name.unlink()
        if args.records:
            steps = {step.strip() for step in args.large_steps.split(",") if step.strip()}
            if not steps or not steps <= {"remap", "reindex"}:
                sys.exit(f"--large-steps takes remap and/or reindex, not {args.large_steps!r}")
            _large(Path(tmp) / "large.db", args.records, args.workers, templates, remap_index, index_url, steps)
    print(f"\nfinished: {machine_line()}")


def _reindex_function(index_url: str | None) -> Callable[..., Any]:
    from aggregator.index.rebuild import rebuild, reindex_embedded

    return rebuild if index_url else reindex_embedded


def _large(path: Path, records: int, workers: int, templates: list[tuple[bytes, str, str]], remap_index: str,
           index_url: str | None, steps: set[str]) -> None:  # fmt: skip
    print(f"\nlarge store: {records:,} records; {machine_line()}")
    generated = generate_store(path, records, templates)
    size = path.stat().st_size / 1024**3
    print(f"  generated in {generated:.0f} s ({rate(records, generated):,.0f} records/s), {size:.2f} GiB")
    rows = []
    used = workers
    if "remap" in steps:
        remap_cost, summary = _remap(path, workers, remap_index)
        print(f"  remap: {remap_cost['wall']:.0f} s, {summary.changed:,} changed; {machine_line()}")
        used = getattr(summary, "workers", 1)
        rows.append(_row("remap (every record changed)", records, remap_cost, used))
    if "reindex" in steps:
        reindex_cost, documents = _reindex(path, workers, index_url)
        print(f"  reindex: {reindex_cost['wall']:.0f} s, {documents:,} documents; {machine_line()}")
        if documents != records:
            sys.exit(f"reindex wrote {documents} of {records} documents")
        rows.append(
            _row("reindex --full" + (" into OpenSearch" if index_url else " (FTS5)"), records, reindex_cost, used)
        )
    if len(rows) == 2:
        both = {key: remap_cost[key] + reindex_cost[key] for key in remap_cost.keys() & reindex_cost.keys()}
        rows.append(_row("remap + reindex", records, both, used))
    print_table(f"Large store, {records:,} generated LIDO records, {used} worker(s)", _HEADERS, rows)


if __name__ == "__main__":
    main()
