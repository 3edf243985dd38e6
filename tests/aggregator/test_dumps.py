"""Bulk dumps: every format read back from a real store (SQLite and PostgreSQL), the manifest, the CLI.

The store holds the API specs' five records across two museums (scripts,
BCE dates, a slash and Cyrillic in a local id) with one of them deleted, so
every dump must hold exactly the four active records and never the deleted
one.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import rdflib
import yaml
from lxml import etree

from aggregator.catalogue import Catalogue
from aggregator.dumps import CSV_COLUMNS, DumpError, export_dumps, read_manifest
from aggregator.dumps.build import build_dumps
from aggregator.store.database import Database
from aggregator.store.records import RecordStore
from config.settings import load_settings
from mappings.core import CoreRecord
from mappings.crm_out import CRM, object_uri
from mappings.lido_schema import validate_lido
from tests.aggregator.test_api import ATYRAU, CENTRAL, MUSEUMS, catalogue_records

LIDO = "{http://www.lido-schema.org}"
DELETED = f"{ATYRAU}:4"
FORMATS = ("lido", "jsonld", "nt", "csv")


def _config(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "museums.yaml").write_text(yaml.safe_dump({"museums": MUSEUMS}, allow_unicode=True), encoding="utf-8")
    return folder


def fill(catalogue: Catalogue, records: list[CoreRecord], deleted: str | None = DELETED) -> list[CoreRecord]:
    """Store the records (no index: dumps read the store), tombstone ``deleted``; returns the active ones."""
    with catalogue.db.session() as session:
        store = RecordStore(session)
        for museum in catalogue.settings.registry.museums:
            store.save_museum(museum)
        for record in records:
            store.save_core(record, f"hash-{record.id}", 0.9, store.core_row(record.id))
        session.commit()
        gone = next((r for r in records if r.id == deleted), None)
        if gone is not None:
            store.tombstone(gone.museum_id, gone.local_id, gone.id, "deleted at source", None)
            session.commit()
    return [r for r in records if r.id != deleted]


@pytest.fixture
def catalogue(any_db: Database, tmp_path: Path) -> Iterator[Catalogue]:
    """A catalogue over a fresh store (SQLite, and PostgreSQL when given) with four active records."""
    settings = load_settings(_config(tmp_path / "config"))
    settings.dumps_dir = tmp_path / "dumps"
    cat = Catalogue(settings, any_db)
    fill(cat, catalogue_records())
    yield cat


def export(catalogue: Catalogue, folder: Path, museum: str | None = None, **kw: object) -> dict[str, Path]:
    targets = {name: folder / f"dump.{name}.gz" for name in FORMATS}
    results = export_dumps(
        catalogue.db, targets, museum_id=museum, base_uri=catalogue.settings.base_uri,
        regions=catalogue.regions(), **kw,  # type: ignore[arg-type]
    )  # fmt: skip
    for result in results:
        data = result.path.read_bytes()
        assert result.bytes == len(data)
        assert result.sha256 == hashlib.sha256(data).hexdigest()
    return targets


def text_of(path: Path) -> str:
    return gzip.decompress(path.read_bytes()).decode("utf-8")


def active_ids(museum: str | None = None) -> set[str]:
    return {r.id for r in catalogue_records() if r.id != DELETED and (museum is None or r.museum_id == museum)}


# -- the formats, read back -----------------------------------------------------------------


def test_lido_dump_is_one_valid_wrap_with_every_active_record(catalogue: Catalogue, tmp_path: Path) -> None:
    path = export(catalogue, tmp_path)["lido"]
    document = etree.fromstring(gzip.decompress(path.read_bytes()))
    assert document.tag == f"{LIDO}lidoWrap"
    assert validate_lido(document) == []
    ids = [e.text for e in document.iter(f"{LIDO}lidoRecID")]
    assert sorted(ids) == sorted(active_ids())
    assert DELETED not in ids


def test_jsonld_dump_is_one_linked_art_document_per_line(catalogue: Catalogue, tmp_path: Path) -> None:
    lines = text_of(export(catalogue, tmp_path)["jsonld"]).splitlines()
    documents = [json.loads(line) for line in lines]
    base = catalogue.settings.base_uri
    expected = {object_uri(*rid.split(":", 1), base_uri=base) for rid in active_ids()}
    assert {d["id"] for d in documents} == expected
    assert all(d["type"] == "HumanMadeObject" for d in documents)


def test_ntriples_dump_parses_and_types_every_record_e22(catalogue: Catalogue, tmp_path: Path) -> None:
    graph = rdflib.Graph().parse(data=text_of(export(catalogue, tmp_path)["nt"]), format="nt")
    objects = set(graph.subjects(rdflib.RDF.type, CRM["E22_Human-Made_Object"]))
    base = catalogue.settings.base_uri
    assert objects == {rdflib.URIRef(object_uri(*rid.split(":", 1), base_uri=base)) for rid in active_ids()}


def test_csv_dump_has_a_header_and_one_row_per_active_record(catalogue: Catalogue, tmp_path: Path) -> None:
    text = text_of(export(catalogue, tmp_path)["csv"])
    assert not text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert {row["id"] for row in rows} == active_ids()
    chest = next(row for row in rows if row["id"] == f"{CENTRAL}:1")
    titles = (chest["title_kk"], chest["title_ru"], chest["title_en"])
    assert titles == ("Қазақ кебежесі", "Казахский сундук", "Kazakh chest")
    assert chest["region"] == "KZ-75" and chest["materials"] == "wood; silver"
    assert chest["earliest"] == "1850" and chest["image_url"] == "https://img.example/1.jpg"
    assert chest["rights"] == "http://creativecommons.org/licenses/by/4.0/"
    assert chest["catalogue_page"] == "https://catalogue.museums.kz/objects/kz-central-state-museum:1"
    golden = next(row for row in rows if row["id"] == f"{CENTRAL}:2")
    assert golden["earliest"].startswith("-")  # BCE kept as ISO


def test_museum_option_keeps_only_that_museums_records(catalogue: Catalogue, tmp_path: Path) -> None:
    targets = export(catalogue, tmp_path, museum=ATYRAU)
    rows = list(csv.DictReader(io.StringIO(text_of(targets["csv"]))))
    assert {row["id"] for row in rows} == active_ids(ATYRAU)
    assert len(text_of(targets["jsonld"]).splitlines()) == len(active_ids(ATYRAU))


def test_worker_processes_and_small_batches_give_the_same_bytes(sqlite_db: Database, tmp_path: Path) -> None:
    settings = load_settings(_config(tmp_path / "config"))
    catalogue = Catalogue(settings, sqlite_db)
    fill(catalogue, catalogue_records())
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    one = export(catalogue, tmp_path / "one", workers=1, batch_size=500)
    two = export(catalogue, tmp_path / "two", workers=2, batch_size=1)  # four batches over two processes
    for name in FORMATS:
        assert gzip.decompress(one[name].read_bytes()) == gzip.decompress(two[name].read_bytes()), name


def test_a_failed_or_empty_export_leaves_no_file_behind(catalogue: Catalogue, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(DumpError, match="no active records"):
        export(catalogue, out, museum="kz-csv-museum")
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "message"),
    [("dump.csv", "ending in .gz"), ("missing/dump.csv.gz", "does not exist")],
)
def test_bad_targets_are_refused_before_anything_is_read(
    catalogue: Catalogue, tmp_path: Path, name: str, message: str
) -> None:
    with pytest.raises(DumpError, match=message):
        export_dumps(catalogue.db, {"csv": tmp_path / name}, base_uri="https://x.kz/", regions={})


# -- the build and its manifest -----------------------------------------------------------------


def test_build_writes_every_format_and_a_true_manifest(catalogue: Catalogue) -> None:
    report = build_dumps(catalogue, per_museum=True)
    folder = catalogue.settings.dumps_dir
    manifest = read_manifest(folder)
    assert {(e.format, e.museum) for e in manifest.dumps} == {
        (f, m) for f in FORMATS for m in (None, CENTRAL, ATYRAU)
    }
    assert len(report.entries) == 12
    for entry in manifest.dumps:
        data = (folder / entry.file).read_bytes()
        assert entry.bytes == len(data) and entry.sha256 == hashlib.sha256(data).hexdigest()
        assert entry.records == len(active_ids(entry.museum))
        assert entry.created.endswith("Z")
        assert entry.state["active_records"] == len(active_ids(entry.museum))
        assert entry.state["deleted_records"] == (0 if entry.museum == CENTRAL else 1)
    whole_csv = next(e for e in manifest.dumps if e.format == "csv" and e.museum is None)
    rows = list(csv.DictReader(io.StringIO(gzip.decompress((folder / whole_csv.file).read_bytes()).decode())))
    assert len(rows) == whole_csv.records == 4


def test_a_rebuild_replaces_the_files_of_the_earlier_build(catalogue: Catalogue) -> None:
    folder = catalogue.settings.dumps_dir
    first = {e.file for e in build_dumps(catalogue).entries}
    (folder / ".emuseum-all-x.nt.gz.123.part").write_bytes(b"left by a killed build")
    time.sleep(1.1)  # file names carry the build's second
    second = build_dumps(catalogue)
    names = {p.name for p in folder.iterdir()}
    assert {e.file for e in second.entries} <= names
    assert not (first & names)
    assert not any(n.endswith(".part") for n in names)


def test_an_empty_catalogue_builds_nothing_and_keeps_published_dumps(any_db: Database, tmp_path: Path) -> None:
    settings = load_settings(_config(tmp_path / "config"))
    settings.dumps_dir = tmp_path / "dumps"
    catalogue = Catalogue(settings, any_db)
    assert build_dumps(catalogue).entries == []
    assert read_manifest(settings.dumps_dir).dumps == []


# -- the command line ------------------------------------------------------------------------------


def _emuseum(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aggregator", *args], env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    url = f"sqlite:///{tmp_path / 'cat.db'}"
    settings = load_settings(_config(tmp_path / "config"))
    from aggregator.store.database import open_database

    db = open_database(url)
    fill(Catalogue(settings, db), catalogue_records())
    db.dispose()
    return {**os.environ, "EMUSEUM_DATABASE_URL": url, "EMUSEUM_INDEX_URL": "sqlite",
            "EMUSEUM_CONFIG": str(tmp_path / "config"), "EMUSEUM_DUMPS_DIR": str(tmp_path / "dumps")}  # fmt: skip


def test_cli_exports_one_museum_and_builds_all_formats(cli_env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "atyrau.nt.gz"
    result = _emuseum(["export", "--format", "nt", "--museum", ATYRAU, str(out)], cli_env)
    assert result.returncode == 0, result.stderr
    assert f"{out}: {len(active_ids(ATYRAU))} records" in result.stdout
    assert "\x1b[" not in result.stdout  # no progress bar through a pipe
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".atyrau")] == []
    built = _emuseum(["dumps", "build", "--workers", "1"], cli_env)
    assert built.returncode == 0, built.stderr
    assert "4 file(s), 4 records" in built.stdout
    listed = _emuseum(["dumps", "list"], cli_env)
    assert listed.returncode == 0 and "linkedart.jsonl.gz" in listed.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "--format", "rdfxml", "{tmp}/x.gz"], "unknown format 'rdfxml'; use one of lido, jsonld, nt, csv"),
        (["export", "--format", "csv", "/proc/no-such-dir/x.csv.gz"], "does not exist"),
        (["export", "--format", "csv", "{tmp}/x.csv"], "ending in .gz"),
        (["export", "--format", "csv", "--museum", "kz-nowhere", "{tmp}/x.csv.gz"], "unknown museum id 'kz-nowhere'"),
    ],
)
def test_cli_mistakes_end_in_one_line(cli_env: dict[str, str], tmp_path: Path, args: list[str], message: str) -> None:
    result = _emuseum([a.replace("{tmp}", str(tmp_path)) for a in args], cli_env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], result.stderr


# -- the nightly job: schedules.yaml and the queue ------------------------------------------------------


def test_a_schedule_job_can_ask_for_the_dumps_after_its_pass(tmp_path: Path) -> None:
    from config.schedules import load_schedule

    path = tmp_path / "schedules.yaml"
    path.write_text(
        "jobs:\n  - {name: nightly, cron: '30 1 * * *', dumps: true}\n  - {name: weekly, cron: '0 3 * * 0'}\n"
    )
    nightly, weekly = load_schedule(path).jobs
    assert (nightly.dumps, nightly.dumps_per_museum, weekly.dumps) == (True, False, False)


def test_dumps_after_a_pass_are_built_and_a_failure_keeps_the_published_ones(catalogue: Catalogue) -> None:
    from aggregator.ops.scheduler import build_after_pass
    from aggregator.ops.service import Operations

    ops = Operations(catalogue)
    build_after_pass(ops, "nightly", per_museum=False, workers=1)
    published = read_manifest(catalogue.settings.dumps_dir)
    assert len(published.dumps) == 4
    good = catalogue.settings.dumps_dir
    catalogue.settings.dumps_dir = good / published.dumps[0].file / "sub"  # under a file: cannot be created
    build_after_pass(ops, "nightly", per_museum=False, workers=1)  # logged, not raised
    assert read_manifest(good) == published


@pytest.mark.postgres
def test_the_dumps_job_runs_on_the_queue_once_however_often_it_is_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aggregator.jobs.app import app, connector
    from aggregator.jobs.enqueue import enqueue_dumps
    from tests.conftest import _postgres_database

    databases = _postgres_database()
    db = next(databases)
    try:
        url = db.engine.url.render_as_string(hide_password=False)
        config = _config(tmp_path / "config")
        fill(Catalogue(load_settings(config), db), catalogue_records())
        monkeypatch.setenv("EMUSEUM_DATABASE_URL", url)
        monkeypatch.setenv("EMUSEUM_DUMPS_DIR", str(tmp_path / "dumps"))
        first, again = enqueue_dumps(url), enqueue_dumps(url)
        assert first.job_id is not None and again.job_id is None
        assert "already queued" in again.line()

        def work_off_the_queue() -> None:
            with app.replace_connector(connector(url, max_size=3)):
                context = {"config_dir": str(config)}
                app.run_worker(wait=False, additional_context=context, install_signal_handlers=False)

        # A thread of its own: after a browser spec, Playwright owns this thread's event loop.
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(work_off_the_queue).result()
        manifest = read_manifest(tmp_path / "dumps")
        assert {e.format for e in manifest.dumps} == set(FORMATS)
        assert all(e.records == 4 for e in manifest.dumps)
    finally:
        next(databases, None)
