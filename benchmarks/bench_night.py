"""A national night, simulated: 50 loopback museums of very different sizes, harvested at once.

Run: ``.venv/bin/python -m benchmarks.bench_night [--scale 200000] [--museums 50] [--workers 1,2,4]``

Fifty OAI-PMH peers (LIDO, 100 records a page) serve ``--scale`` records in
all with a skewed size distribution (a few large museums, many small: sizes
fall as 1/rank^1.1, at least 20 records each).  They run in two child
processes, as museums' servers are other machines.  Then, each into a fresh
SQLite store with the embedded FTS5 index:

* a full harvest of every museum with ``emuseum harvest --all --workers W``
  (``Catalogue.harvest``) for each W of ``--workers``;
* on the last store, an incremental night after 1 % of every museum's
  records changed at the source.

Each run prints wall time, records/s, CPU seconds (this process and its
workers), peak RSS, and the extrapolation to 252 museums / 4.5 M records.
Baseline of the same run: reading every page of every museum with requests +
lxml, one museum after another and with W threads at once (the raw
page-read ceiling of the same peers).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path

from benchmarks.measure import children_usage, machine_line, print_table, rate, self_cpu, wait_for_quiet
from benchmarks.read_ceiling import read_with_lxml
from benchmarks.sample_fund import BENCH_REGIONS, fund
from config.registry import Museum, Registry
from config.settings import Settings
from config.source_policy import SourcePolicy
from demo.oai_endpoint import EndpointRecord, OaiEndpoint
from demo.samples import to_lido

__all__ = ["main", "museum_sizes"]

NATIONAL_RECORDS = 4_500_000
NATIONAL_MUSEUMS = 252
PAGE_SIZE = 100
PEERS = 2  # child processes serving the endpoints
_BASE_STAMP = datetime(2024, 6, 1)


def museum_sizes(total: int, museums: int, *, exponent: float = 1.1, minimum: int = 20) -> list[int]:
    """Skewed fund sizes summing to ``total``: the first museum largest, most of them small."""
    weights = [1 / (rank + 1) ** exponent for rank in range(museums)]
    spare = total - minimum * museums
    if spare < 0:
        raise ValueError(f"{total} records cannot give {museums} museums {minimum} each")
    sizes = [minimum + int(spare * w / sum(weights)) for w in weights]
    sizes[0] += total - sum(sizes)
    return sizes


def _museum_id(n: int) -> str:
    return f"night-museum-{n + 1:03d}"


def _records(n: int, size: int) -> tuple[list[EndpointRecord], list[bytes]]:
    objects = fund(size, museum_index=n % len(BENCH_REGIONS), seed=1000 + n)
    records, changed = [], []
    for obj in objects:
        obj.museum_id = _museum_id(n)
        records.append(
            EndpointRecord(
                identifier=f"oai:{obj.museum_id}.museums.kz:{obj.local_id}",
                datestamp=_BASE_STAMP,
                metadata={"lido": to_lido(obj, f"Museum {n + 1}")},
            )
        )
        obj.inventory_number += "-rev"  # the 1 % that change tonight carry a corrected inventory number
        changed.append(to_lido(obj, f"Museum {n + 1}"))
    return records, changed


def _serve(assigned: list[tuple[int, int]], conn: Connection) -> None:
    """A peer process: serve its museums until told to change 1 % of each, then until told to stop."""
    with ExitStack() as stack:
        endpoints: dict[int, tuple[OaiEndpoint, list[bytes]]] = {}
        for n, size in assigned:
            records, changed = _records(n, size)
            endpoint = stack.enter_context(
                OaiEndpoint(records, name=f"Museum {n + 1}", formats=["lido"], batch_size=PAGE_SIZE)
            )
            endpoints[n] = (endpoint, changed)
        ready = resource.getrusage(resource.RUSAGE_SELF)
        conn.send({n: endpoint.url for n, (endpoint, _) in endpoints.items()})
        while (command := conn.recv()) != "stop":
            assert command == "change"
            changed_count = 0
            stamp = datetime.now(UTC).replace(tzinfo=None)
            for endpoint, versions in endpoints.values():
                records = endpoint.records()
                picked = random.Random(len(records)).sample(range(len(records)), max(1, len(records) // 100))
                for i in picked:
                    records[i] = EndpointRecord(records[i].identifier, stamp, metadata={"lido": versions[i]})
                endpoint.set_records(records)
                changed_count += len(picked)
            conn.send(changed_count)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        conn.send(usage.ru_utime + usage.ru_stime - ready.ru_utime - ready.ru_stime)


@dataclass(slots=True)
class Peers:
    urls: dict[int, str]
    conns: list[Connection]
    cpu_seconds: float = 0.0

    def change_one_percent(self) -> int:
        for conn in self.conns:
            conn.send("change")
        return sum(conn.recv() for conn in self.conns)


@contextmanager
def served(sizes: list[int]) -> Iterator[Peers]:
    context = multiprocessing.get_context("fork")  # the children need our imports, no threads run yet
    assigned: list[list[tuple[int, int]]] = [[] for _ in range(PEERS)]
    loads = [0] * PEERS
    for n, size in sorted(enumerate(sizes), key=lambda item: -item[1]):  # spread the big ones
        target = loads.index(min(loads))
        assigned[target].append((n, size))
        loads[target] += size
    processes, conns = [], []
    for part in assigned:
        parent, child = context.Pipe()
        process = context.Process(target=_serve, args=(part, child), daemon=True)
        process.start()
        processes.append(process)
        conns.append(parent)
    peers = Peers({}, conns)
    try:
        for conn in conns:
            if not conn.poll(1800):
                raise RuntimeError("a benchmark peer did not start within 30 minutes")
            peers.urls.update(conn.recv())
        yield peers
    finally:
        for conn, process in zip(conns, processes, strict=True):
            if process.is_alive():
                conn.send("stop")
                if conn.poll(30):
                    peers.cpu_seconds += conn.recv()
            process.join(timeout=30)
            if process.is_alive():
                process.terminate()


def _settings(folder: Path, urls: dict[int, str], name: str) -> Settings:
    museums = [
        Museum.model_validate(
            {
                "id": _museum_id(n),
                "name": {"en": f"Museum {n + 1}"},
                "region": BENCH_REGIONS[n % len(BENCH_REGIONS)],
                "source": {"type": "oai-pmh", "url": url, "timeout": 300, "max_retries": 2},
            }
        )
        for n, url in sorted(urls.items())
    ]
    return Settings(
        config_dir=folder,
        database_url=f"sqlite:///{folder / name}",
        index_url="sqlite",
        registry=Registry(museums=museums),
        source_policy=SourcePolicy.from_env(),
    )


@dataclass(slots=True)
class Night:
    label: str
    workers: int
    records: int
    wall: float
    cpu: float
    rss_mib: float
    museums_ok: int

    def row(self, museums: int) -> tuple[object, ...]:
        full = self.label.startswith("full") and self.records > 0
        hours = f"{NATIONAL_RECORDS / rate(self.records, self.wall) / 3600:.1f} h" if full else "-"
        # On a shared machine the wall clock counts others' work; CPU seconds per record barely move with load.
        cores = min(self.workers, os.cpu_count() or 1)
        by_cpu = f"{self.cpu / self.records * NATIONAL_RECORDS / cores / 3600:.1f} h" if full else "-"
        return (self.label, self.workers, f"{self.museums_ok}/{museums}", self.records, self.wall,
                rate(self.records, self.wall) if full else "-", self.cpu, self.rss_mib, hours, by_cpu)  # fmt: skip


def _harvest(settings: Settings, workers: int, full: bool, label: str) -> tuple[Night, list[object]]:
    from aggregator.catalogue import Catalogue
    from aggregator.store.database import open_database

    catalogue = Catalogue(settings, open_database(settings.database_url))
    try:
        wall, cpu, (child_cpu, _) = time.perf_counter(), self_cpu(), children_usage()
        summaries = catalogue.harvest(full=full, workers=workers)
        wall = time.perf_counter() - wall
        cpu = self_cpu() - cpu + children_usage()[0] - child_cpu
    finally:
        catalogue.close()
    failed = [s.line() for s in summaries if not s.ok]
    if failed:
        sys.exit("the night did not do what the benchmark needs:\n" + "\n".join(failed[:10]))
    records = sum(s.new + s.updated for s in summaries)
    rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, children_usage()[1] * 1024) / 1024
    return Night(label, workers, records, wall, cpu, rss, len(summaries)), list(summaries)


def _read_all(urls: dict[int, str], threads: int) -> tuple[float, int]:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        counts = list(pool.map(lambda url: read_with_lxml(url).records, urls.values()))
    return time.perf_counter() - started, sum(counts)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=200_000, help="records in all (default 200,000)")
    parser.add_argument("--museums", type=int, default=50)
    parser.add_argument("--workers", default=f"1,2,{max(4, os.cpu_count() or 1)}", help="worker counts to run")
    parser.add_argument("--max-load", type=float, default=1.5, help="wait for a 1-minute load under this")
    parser.add_argument("--wait", type=float, default=900, help="seconds to wait for that at most")
    args = parser.parse_args(argv)
    counts = [int(w) for w in args.workers.split(",")]
    sizes = museum_sizes(args.scale, args.museums)
    print(f"bench_night: {machine_line()}")
    print(f"  {args.museums} museums, {args.scale:,} records; largest {sizes[:3]}, smallest {sizes[-3:]}; "
          f"{sum(1 for s in sizes if s < 1000)} museums under 1,000 records")  # fmt: skip
    started = time.perf_counter()
    with served(sizes) as peers, tempfile.TemporaryDirectory(prefix="emuseum-bench-night-") as tmp:
        print(f"  peers ready in {time.perf_counter() - started:.0f} s")
        print(f"  {wait_for_quiet(args.max_load, args.wait)}")
        baselines: list[tuple[object, ...]] = []
        for threads in sorted({1, max(counts)}):
            seconds, read = _read_all(peers.urls, threads)
            if read != args.scale:
                sys.exit(f"the read ceiling saw {read} records, not {args.scale}")
            baselines.append((f"requests + lxml, every page, {threads} reader(s)", threads, read, seconds,
                              rate(read, seconds)))  # fmt: skip
        nights: list[Night] = []
        settings = None
        for workers in counts:
            settings = _settings(Path(tmp), peers.urls, f"night-{workers}.db")
            night, _ = _harvest(settings, workers, True, "full harvest")
            if night.records != args.scale:
                sys.exit(f"the full harvest stored {night.records} records, not {args.scale}")
            nights.append(night)
            print(f"  full harvest, {workers} worker(s): {night.wall:.0f} s; {machine_line()}")
        assert settings is not None
        changed = peers.change_one_percent()
        incremental, _ = _harvest(settings, max(counts), False, "incremental night, 1 % changed")
        if incremental.records != changed:
            sys.exit(f"the incremental night brought {incremental.records} changes, not {changed}")
        nights.append(incremental)
        print(f"  incremental night: {incremental.wall:.0f} s; {machine_line()}")
    print_table(
        f"Baseline: the raw page-read ceiling of the same {args.museums} peers",
        ("reader", "threads", "records", "seconds", "records/s"),
        baselines,
    )
    print_table(
        f"A night of {args.museums} museums, {args.scale:,} records (SQLite + FTS5; CPU: this process and its "
        f"workers; peer CPU {peers.cpu_seconds:.0f} s in all)",
        ("run", "workers", "museums ok", "records", "seconds", "records/s", "CPU s", "peak RSS MiB",
         "4.5 M at this wall rate", "4.5 M by CPU on idle cores"),  # fmt: skip
        [night.row(args.museums) for night in nights],
    )
    best = min(nights[:-1], key=lambda n: n.wall)
    best_rate = rate(best.records, best.wall)
    # An incremental night: a fixed cost per museum (Identify, formats, an empty or short listing) plus the changes.
    per_museum = max(0.0, incremental.wall - changed / best_rate) / args.museums
    national_changes = NATIONAL_RECORDS // 100
    night_seconds = NATIONAL_MUSEUMS * per_museum + national_changes / best_rate
    print(
        f"\nExtrapolation to {NATIONAL_MUSEUMS} museums / {NATIONAL_RECORDS:,} records on this machine: a first "
        f"full harvest at the best rate here ({best.workers} workers, {best_rate:,.0f} records/s) takes "
        f"{NATIONAL_RECORDS / best_rate / 3600:.1f} h; an incremental night with 1 % changed "
        f"({national_changes:,} records) about {night_seconds / 60:.0f} min ({per_museum:.2f} s per museum "
        f"beyond its changes in this run)."
    )
    print(f"\nfinished: {machine_line()}")


if __name__ == "__main__":
    main()
