"""End-to-end harvest throughput: loopback OAI-PMH peer -> map -> SQLite store + FTS5 index.

Run: ``.venv/bin/python -m benchmarks.bench_harvest [--quick] [--records N] [--page-size N]``

Prints records/s of a full harvest, a no-change full re-harvest and a
no-change incremental harvest, against baselines taken in the same run from
the same peer: fetching and parsing the pages alone (``OaiHarvester.pages``),
mapping alone (``map_raw``) and quality + index document alone.  The share of
each stage in the full harvest tells where a harvest spends its time; the rest
(store + index + commit) is what the full harvest costs beyond those stages.
The same is done for a Windows-1251 CSV export of the same size.
"""

from __future__ import annotations

import argparse
import gc
import inspect
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from aggregator.index.documents import build_document
from aggregator.page_staging import prepare_page
from aggregator.pipeline import Pipeline, RunSummary
from aggregator.store.database import Database, open_database
from aggregator.store.models import HarvestRun
from benchmarks.measure import (
    heap_peak,
    machine_line,
    print_table,
    rate,
    ratio,
    rss_peak_mib,
    stopwatch,
    wait_for_quiet,
)
from benchmarks.read_ceiling import ReadCeiling, read_with_lxml, read_with_sickle
from benchmarks.sample_fund import fund, museum_id_for, oai_museum, served_fund
from config.breaker import BreakerLimits
from config.registry import CsvSource, Museum
from demo.samples import to_accounting_row, to_lido, write_csv
from harvester.csv_export import read_export, start_checkpoint
from harvester.oai import OaiHarvester
from harvester.page import Page
from harvester.raw import RawRecord
from mappings.csv_profiles import load_profile
from mappings.formats import map_raw
from mappings.quality import assess

__all__ = ["main"]

#: Records in the national catalogue once every museum is in: the figure extrapolations use.
NATIONAL_RECORDS = 4_500_000


def _warm_up() -> None:
    """Imports, vocabulary tables and stem caches warm before anything is timed."""
    for obj in fund(60, museum_index=7, seed=99):
        raw = RawRecord(obj.museum_id, obj.local_id, "lido", to_lido(obj, "warm-up"))
        record = map_raw(raw).record
        build_document(record, "KZ-75", assess(record).score)


def _database(folder: Path, name: str) -> tuple[Database, Path]:
    path = folder / f"{name}.db"
    return open_database(f"sqlite:///{path}"), path


def _disk_mib(path: Path) -> float:
    """Size of the database once the WAL is folded in: what a backup would copy."""
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.stat().st_size / (1024 * 1024)


def _check(summary: RunSummary, expected_new: int) -> None:
    """A benchmark of a harvest that quietly failed would be a benchmark of nothing."""
    print(f"  {summary.line()}")
    if not summary.ok or summary.failed or summary.new != expected_new:
        sys.exit(f"harvest did not do what the benchmark needs: {summary.line()}")


@dataclass(slots=True)
class StageSeconds:
    """The pipeline's stages timed one by one over the same pages, in the pipeline's order."""

    fetch: float = 0.0
    fetch_cpu: float = 0.0
    mapping: float = 0.0
    documents: float = 0.0
    records: int = 0

    def best(self, other: StageSeconds) -> StageSeconds:
        """Per stage, the less disturbed of two runs (the machine is shared)."""
        return StageSeconds(
            min(self.fetch, other.fetch),
            min(self.fetch_cpu, other.fetch_cpu),
            min(self.mapping, other.mapping),
            min(self.documents, other.documents),
            self.records,
        )


def stage_seconds(pages: Iterator[Page], region: str) -> StageSeconds:
    """Fetch a page, then map it and build its documents, timing each step apart.

    Page by page and keeping nothing, as the pipeline does: holding thousands
    of mapped records would make every garbage-collector pass longer and so
    charge the mapping for memory the pipeline never holds.
    """
    stages = StageSeconds()
    while True:
        wall, cpu = time.perf_counter(), time.process_time()
        page = next(pages, None)
        stages.fetch += time.perf_counter() - wall
        stages.fetch_cpu += time.process_time() - cpu
        if page is None:
            return stages
        for raw in page.records:
            started = time.perf_counter()
            record = map_raw(raw).record
            mapped = time.perf_counter()
            build_document(record, region, assess(record).score)
            stages.mapping += mapped - started
            stages.documents += time.perf_counter() - mapped
            stages.records += 1


def _best_of_two(run: Callable[[], StageSeconds]) -> StageSeconds:
    return run().best(run())


def _best_read(read: Callable[[], ReadCeiling], count: int) -> ReadCeiling:
    """The faster of two reads; a read that saw another number of records is no ceiling."""
    runs = [read(), read()]
    for run in runs:
        if run.records != count:
            sys.exit(f"the read ceiling saw {run.records} records, not {count}")
    return min(runs, key=lambda r: r.seconds)


def _share(seconds: float, ceiling: ReadCeiling) -> str:
    """A run's rate as a share of the raw read rate (1.00x: as fast as reading the pages)."""
    return f"{ceiling.seconds / seconds:.2f}x" if seconds else "n/a"


def _stage_rows(count: int, full: float, stages: StageSeconds) -> list[tuple[object, ...]]:
    fetch, mapping, documents = stages.fetch, stages.mapping, stages.documents
    rest = max(full - fetch - mapping - documents, 0.0)
    return [
        ("fetch + parse pages (baseline)", fetch, rate(count, fetch), f"{fetch / full:.0%}", "1.0x"),
        ("map_raw", mapping, rate(count, mapping), f"{mapping / full:.0%}", ratio(mapping, fetch)),
        (
            "quality + index document",
            documents,
            rate(count, documents),
            f"{documents / full:.0%}",
            ratio(documents, fetch),
        ),
        ("store + FTS5 index + commit (rest)", rest, rate(count, rest), f"{rest / full:.0%}", ratio(rest, fetch)),
        ("full harvest, end to end", full, rate(count, full), "100%", ratio(full, fetch)),
    ]


def _pipeline(db: Database, workers: int = 1) -> Pipeline:
    """A pipeline mapping in ``workers`` processes (an older tree without them: one)."""
    if workers > 1 and "map_workers" in inspect.signature(Pipeline).parameters:
        return Pipeline(db, map_workers=workers)  # type: ignore[call-arg, unused-ignore]
    return Pipeline(db)


def _full_harvest(
    museum: Museum, folder: Path, name: str, expected: int, workers: int = 1
) -> tuple[float, Database, Path]:
    """One full harvest into a fresh database; the caller disposes of the database."""
    db, path = _database(folder, name)
    with stopwatch() as watch:
        summary = _pipeline(db, workers).harvest(museum, full=True)
    _check(summary, expected)
    return watch.wall, db, path


def _pooled_row(museum: Museum, folder: Path, name: str, count: int, workers: int,
                baseline: float) -> list[tuple[object, ...]]:  # fmt: skip
    """The full harvest again with mapping in ``workers`` processes, where the tree has them."""
    if workers <= 1 or "map_workers" not in inspect.signature(Pipeline).parameters:
        return []
    seconds, db, _ = _full_harvest(museum, folder, name, count, workers)
    db.dispose()
    return [(f"full harvest, mapping in {workers} worker processes", seconds, rate(count, seconds), "-",
             ratio(seconds, baseline))]  # fmt: skip


def store_only(museum: Museum, folder: Path, name: str, expected: int) -> float:
    """Stage, decide and apply pages mapped beforehand: the store + index part of a harvest alone.

    The pages are read and mapped first (not timed); then committing every page
    with its checkpoint, the breaker's decision and applying the run to the
    store and the FTS5 index are timed, exactly as the pipeline does them.
    """
    db, _ = _database(folder, name)
    pipeline = Pipeline(db)
    opened = pipeline.begin(museum, True)
    assert not isinstance(opened, RunSummary)
    with db.session() as session:
        run = session.get(HarvestRun, opened.run_id)
        assert run is not None
        pages = list(pipeline.pages(opened))
        prepared = [
            prepare_page(session, museum, run.id, run.mode, n, page, "sqlite") for n, page in enumerate(pages)
        ]
        session.rollback()
        started = time.perf_counter()
        for item in prepared:
            pipeline.commit(session, run, item, opened.counts)
    summary = pipeline.finish(opened, BreakerLimits(), None, started)
    seconds = time.perf_counter() - started
    _check(summary, expected)
    db.dispose()
    return seconds


def bench_oai(count: int, page_size: int, folder: Path, *, heap: bool, workers: int) -> None:
    print(f"\nOAI-PMH (LIDO): {count:,} records, {page_size} per page, peer in a child process")
    with served_fund(count, page_size=page_size) as (url, peer):
        museum = oai_museum(url)
        first, first_db, _ = _full_harvest(museum, folder, "oai-1", count)
        first_db.dispose()
        second, db, db_path = _full_harvest(museum, folder, "oai-2", count)
        full = min(first, second)
        rss_after_full = rss_peak_mib()
        pipeline = Pipeline(db)
        with stopwatch() as again:
            refull = pipeline.harvest(museum, full=True)
        print(f"  {refull.line()}")
        with stopwatch() as incremental:
            increment = pipeline.harvest(museum)
        print(f"  {increment.line()}")
        db.dispose()
        disk = _disk_mib(db_path)

        def baseline() -> StageSeconds:
            harvester = OaiHarvester(museum.id, museum.source)  # type: ignore[arg-type]
            return stage_seconds(harvester.pages(harvester.start(last_success=None, full=True)), museum.region)

        stages = _best_of_two(baseline)
        if stages.records != count:
            sys.exit(f"the baseline saw {stages.records} records, not {count}")
        ceiling = _best_read(lambda: read_with_lxml(url), count)
        sickle_loop = _best_read(lambda: read_with_sickle(url), count)
        pooled = _pooled_row(museum, folder, "oai-pool", count, workers, stages.fetch)
        store_alone = store_only(museum, folder, "oai-store", count)

        heap_mib = None
        if heap:
            gc.collect()
            heap_db, _ = _database(folder, "oai-heap")
            with heap_peak() as peak:
                Pipeline(heap_db).harvest(museum, full=True)
            heap_db.dispose()
            heap_mib = peak[0]

    print_table(
        f"OAI-PMH LIDO harvest of {count:,} records: where the time goes",
        ("stage", "seconds", "records/s", "share of full harvest", "vs fetch"),
        [
            *_stage_rows(count, full, stages),
            *pooled,
            ("store + FTS5 index alone: stage, decide, apply (pages mapped beforehand)", store_alone,
             rate(count, store_alone), f"{store_alone / full:.0%}", ratio(store_alone, stages.fetch)),
        ],  # fmt: skip
    )
    print(
        f"  full harvest: best of two into fresh databases ({first:.1f} s, {second:.1f} s); "
        "stages: best of two page-by-page passes"
    )
    print_table(
        "Re-harvests of an unchanged museum",
        ("run", "seconds", "records/s", "vs full harvest"),
        [
            ("full harvest (all new)", full, rate(count, full), "1.0x"),
            ("full re-harvest, nothing changed", again.wall, rate(count, again.wall), ratio(again.wall, full)),
            ("incremental harvest, nothing changed", incremental.wall, "-", ratio(incremental.wall, full)),
        ],
    )
    print_table(
        "Against the raw page-read ceiling of the same peer (rate as a share of the ceiling's rate)",
        ("reader", "seconds", "records/s", "share of raw read rate"),
        [
            ("requests + lxml, pages only (raw ceiling)", ceiling.seconds, ceiling.rate, "1.00x"),
            ("plain sickle loop", sickle_loop.seconds, sickle_loop.rate, _share(sickle_loop.seconds, ceiling)),
            ("emuseum full harvest (all new)", full, rate(count, full), _share(full, ceiling)),
            *[(f"emuseum full harvest, {row[0].split(', ', 1)[1]}", row[1], row[2], _share(float(row[1]), ceiling))
              for row in pooled],  # fmt: skip
            ("emuseum full re-harvest, nothing changed", again.wall, rate(count, again.wall),
             _share(again.wall, ceiling)),
        ],
    )
    memory_rows: list[tuple[object, ...]] = [
        ("harvester process peak RSS after full harvest (MiB)", rss_after_full),
        ("peer process CPU seconds serving every listing of this run", peer.cpu_seconds),
        ("fetch baseline: harvester CPU seconds (the rest of its wall time is waiting on the peer)", stages.fetch_cpu),
        ("SQLite database after harvests, WAL checkpointed (MiB)", disk),
        ("store + index bytes per record", f"{disk * 1024 * 1024 / count:,.0f}"),
    ]
    if heap_mib is not None:
        memory_rows.append(("Python heap peak during a full harvest, tracemalloc (MiB)", heap_mib))
    print_table("Memory and disk", ("measure", "value"), memory_rows)
    hours = NATIONAL_RECORDS / rate(count, full) / 3600
    print(
        f"\nAt this full-harvest rate, {NATIONAL_RECORDS:,} records take {hours:.1f} h on this machine "
        f"(one process); the store would hold about {disk / count * NATIONAL_RECORDS / 1024:.1f} GiB."
    )


def _csv_museum(path: Path) -> Museum:
    return Museum.model_validate(
        {
            "id": museum_id_for(1),
            "name": {"ru": "Тестовый музей (CSV)"},
            "region": "KZ-35",
            "source": {"type": "csv", "url": path.as_uri(), "profile": "ru-accounting", "encoding": "auto"},
        }
    )


def bench_csv(count: int, folder: Path, workers: int) -> None:
    print(f"\nCSV export (Windows-1251, ';'): {count:,} rows")
    rows = [to_accounting_row(obj) for obj in fund(count, museum_index=1)]
    path = folder / "export.csv"
    with stopwatch() as writing:
        write_csv(path, rows)
    museum = _csv_museum(path)
    source = museum.source
    assert isinstance(source, CsvSource)

    def baseline() -> StageSeconds:
        return stage_seconds(
            read_export(
                museum.id,
                source,
                id_columns=load_profile(source.profile).id_column,
                checkpoint=start_checkpoint(museum.id, source),
            ), museum.region
        )

    stages = _best_of_two(baseline)
    first, first_db, _ = _full_harvest(museum, folder, "csv-1", count)
    first_db.dispose()
    second, db, _ = _full_harvest(museum, folder, "csv-2", count)
    full = min(first, second)
    with stopwatch() as again:
        print(f"  {Pipeline(db).harvest(museum, full=True).line()}")
    db.dispose()
    pooled = _pooled_row(museum, folder, "csv-pool", count, workers, stages.fetch)
    store_alone = store_only(museum, folder, "csv-store", count)

    stage_rows = _stage_rows(count, full, stages)
    stage_rows[0] = ("read + decode + split export (baseline)", *stage_rows[0][1:])
    print_table(
        f"CSV harvest of {count:,} rows ({path.stat().st_size / 1024 / 1024:.1f} MiB cp1251)",
        ("stage", "seconds", "records/s", "share of full harvest", "vs read"),
        [
            *stage_rows,
            *pooled,
            ("store + FTS5 index alone: stage, decide, apply (rows mapped beforehand)", store_alone,
             rate(count, store_alone), f"{store_alone / full:.0%}", ratio(store_alone, stages.fetch)),
            (
                "full re-harvest, nothing changed",
                again.wall,
                rate(count, again.wall),
                "-",
                ratio(again.wall, stages.fetch),
            ),
            ("writing the export (write_csv, for scale)", writing.wall, rate(count, writing.wall), "-", "-"),
        ],
    )
    print(f"  full harvest: best of two ({first:.1f} s, {second:.1f} s); stages: best of two passes")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="500 records: a smoke run in well under 30 s")
    parser.add_argument("--records", type=int, help="records per harvest (default 5000, quick 500)")
    parser.add_argument("--page-size", type=int, default=100, help="records per OAI-PMH page (default 100)")
    parser.add_argument("--no-heap", action="store_true", help="skip the tracemalloc pass (it repeats the harvest)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="also harvest with mapping in this many processes (default: the CPU count)")
    parser.add_argument("--max-load", type=float, default=1.5, help="wait for a 1-minute load under this")
    parser.add_argument("--wait", type=float, default=900, help="seconds to wait for that at most")
    args = parser.parse_args(argv)
    count = args.records or (500 if args.quick else 5000)
    print(f"bench_harvest: {machine_line()}")
    print(f"  {wait_for_quiet(args.max_load, args.wait)}")
    _warm_up()
    with tempfile.TemporaryDirectory(prefix="emuseum-bench-") as tmp:
        folder = Path(tmp)
        bench_oai(count, args.page_size, folder, heap=not (args.no_heap or args.quick), workers=args.workers)
        print(f"\n{machine_line()}")
        bench_csv(count, folder, args.workers)
    print(f"\nfinished: {machine_line()}")


if __name__ == "__main__":
    main()
