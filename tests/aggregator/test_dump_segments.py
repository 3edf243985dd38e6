"""Rebuilding dumps copies what did not change: byte for byte what rendering everything again would write.

The store holds 300 records of two museums (two hundred and a hundred), enough
for many segments.  Every rebuild spec compares the copying build with a
fresh export of the same store into another folder, so copying can never
publish anything a full rendering would not.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from aggregator.catalogue import Catalogue
from aggregator.dumps import export_dumps, read_manifest
from aggregator.dumps.build import build_dumps
from aggregator.dumps.segments import SEGMENT_MAX, cut_segments, index_path
from aggregator.store.database import Database
from aggregator.store.records import RecordStore
from aggregator.store.stored_document import StoredDocument
from config.settings import load_settings
from mappings.core import CoreRecord
from tests.aggregator.test_api import ATYRAU, CENTRAL
from tests.aggregator.test_dumps import _config, _emuseum, fill
from tests.factories import make_record

FORMATS = ("lido", "jsonld", "nt", "csv")


def records(count: int = 300) -> list[CoreRecord]:
    made = []
    for n in range(count):
        museum = CENTRAL if n % 3 else ATYRAU
        made.append(
            make_record(
                f"{n:04d}",
                museum_id=museum,
                titles={"kk": f"Кебеже {n}", "ru": f"Сундук {n}", "en": f"Chest {n}"},
                materials=("wood",),
                earliest=str(1800 + n % 100),
                image=n % 2 == 0,
            )  # fmt: skip
        )
    return made


@pytest.fixture
def catalogue(sqlite_db: Database, tmp_path: Path) -> Iterator[Catalogue]:
    settings = load_settings(_config(tmp_path / "config"))
    settings.dumps_dir = tmp_path / "dumps"
    cat = Catalogue(settings, sqlite_db)
    fill(cat, records(), deleted=None)
    yield cat


def published(catalogue: Catalogue) -> dict[tuple[str, str | None], bytes]:
    folder = catalogue.settings.dumps_dir
    return {(e.format, e.museum): (folder / e.file).read_bytes() for e in read_manifest(folder).dumps}


def fresh(catalogue: Catalogue, folder: Path, museum: str | None = None) -> dict[str, bytes]:
    """Every format rendered from scratch: no earlier dump to copy from."""
    folder.mkdir(exist_ok=True)
    targets = {name: folder / f"fresh.{name}.gz" for name in FORMATS}
    export_dumps(catalogue.db, targets, museum_id=museum, base_uri=catalogue.settings.base_uri,
                 regions=catalogue.regions())  # fmt: skip
    return {name: path.read_bytes() for name, path in targets.items()}


def rebuild(catalogue: Catalogue, **kw: object) -> object:
    time.sleep(1.05)  # file names carry the build's second
    return build_dumps(catalogue, **kw)  # type: ignore[arg-type]


def change(catalogue: Catalogue, record: CoreRecord) -> None:
    with catalogue.db.session() as session:
        store = RecordStore(session)
        store.save_core(record, f"hash-{record.id}-2", 0.9, store.core_row(record.id))
        session.commit()


def test_an_unchanged_catalogue_is_copied_whole_and_gives_the_same_bytes(catalogue: Catalogue) -> None:
    first = build_dumps(catalogue)
    before = published(catalogue)
    second = rebuild(catalogue)
    assert (first.rendered, first.copied) == (4 * 300, 0)
    assert (second.rendered, second.copied) == (0, 4 * 300)  # type: ignore[attr-defined]
    assert published(catalogue) == before


def test_a_rebuild_renders_only_the_segments_that_changed(catalogue: Catalogue, tmp_path: Path) -> None:
    build_dumps(catalogue)
    made = records()
    renamed = made[7].model_copy(
        update={"titles": [t.model_copy(update={"value": "Жаңа атау"}) for t in made[7].titles]}
    )
    change(catalogue, renamed)
    change(catalogue, make_record("0100a", museum_id=CENTRAL, titles={"en": "A new arrival"}))
    with catalogue.db.session() as session:
        gone = made[200]
        RecordStore(session).tombstone(gone.museum_id, gone.local_id, gone.id, "deleted at source", None)
        session.commit()

    report = rebuild(catalogue)

    rendered, copied = report.rendered, report.copied  # type: ignore[attr-defined]
    assert rendered + copied == 4 * 300  # 300 - 1 deleted + 1 new
    assert 0 < rendered <= 4 * 3 * SEGMENT_MAX and copied > rendered  # three segments touched, the rest copied
    now = published(catalogue)
    expected = fresh(catalogue, tmp_path / "fresh")
    for name in FORMATS:
        assert now[(name, None)] == expected[name], name
    csv = gzip.decompress(now[("csv", None)]).decode()
    assert "Жаңа атау" in csv and "A new arrival" in csv and made[200].id not in csv


def test_museum_dumps_copy_their_segments_from_the_catalogues_just_built(catalogue: Catalogue, tmp_path: Path) -> None:
    report = build_dumps(catalogue, per_museum=True)
    assert report.rendered == 4 * 300  # each record rendered once, not once more for its museum's files
    assert report.copied == 4 * 300
    now = published(catalogue)
    for museum in (CENTRAL, ATYRAU):
        expected = fresh(catalogue, tmp_path / museum, museum)
        for name in FORMATS:
            assert now[(name, museum)] == expected[name], (museum, name)


def test_a_new_base_uri_renders_everything_again(catalogue: Catalogue) -> None:
    build_dumps(catalogue, formats=["jsonld"])
    catalogue.settings.base_uri = "https://collections.example.kz/"
    report = rebuild(catalogue, formats=["jsonld"])
    assert (report.rendered, report.copied) == (300, 0)  # type: ignore[attr-defined]
    assert b"collections.example.kz" in gzip.decompress(published(catalogue)[("jsonld", None)])


def test_an_earlier_dump_that_no_longer_matches_its_index_is_not_copied_from(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    first = build_dumps(catalogue, formats=["nt"])
    path = catalogue.settings.dumps_dir / first.entries[0].file
    path.write_bytes(path.read_bytes()[:-100])  # cut short (a copy gone wrong, a full disk)
    report = rebuild(catalogue, formats=["nt"])
    assert (report.rendered, report.copied) == (300, 0)  # type: ignore[attr-defined]
    assert published(catalogue)[("nt", None)] == fresh(catalogue, tmp_path / "fresh")["nt"]


def test_a_dump_published_before_indexes_existed_is_rendered_again_without_a_warning(
    catalogue: Catalogue, caplog: pytest.LogCaptureFixture
) -> None:
    first = build_dumps(catalogue, formats=["csv"])
    index_path(catalogue.settings.dumps_dir / first.entries[0].file).unlink()  # as an older release left it
    with caplog.at_level("WARNING", logger="emuseum.dumps"):
        report = rebuild(catalogue, formats=["csv"])
    assert (report.rendered, report.copied) == (300, 0)  # type: ignore[attr-defined]
    assert not [r for r in caplog.records if "segment index" in r.getMessage()]


def test_indexes_go_with_their_dumps(catalogue: Catalogue) -> None:
    folder = catalogue.settings.dumps_dir
    first = build_dumps(catalogue, formats=["csv"])
    second = rebuild(catalogue, formats=["csv"])
    names = {p.name for p in folder.iterdir()}
    assert index_path(folder / second.entries[0].file).name in names  # type: ignore[attr-defined]
    assert index_path(folder / first.entries[0].file).name not in names
    assert hashlib.sha256((folder / second.entries[0].file).read_bytes()).hexdigest() == (  # type: ignore[attr-defined]
        second.entries[0].sha256  # type: ignore[attr-defined]
    )


def test_segment_ends_follow_the_ids_so_an_insertion_changes_one_segment() -> None:
    documents = [StoredDocument(f"{CENTRAL}:{n:05d}", CENTRAL, f'{{"n":{n}}}') for n in range(2000)]
    before = [s.key for s in cut_segments([documents], "fingerprint")]
    inserted = [*documents[:1000], StoredDocument(f"{CENTRAL}:01000a", CENTRAL, "{}"), *documents[1000:]]
    after = [s.key for s in cut_segments([inserted[:700], inserted[700:]], "fingerprint")]  # batches do not matter
    assert len(before) > 20 and len(after) == len(before)
    assert len(set(before) - set(after)) == 1
    assert all(len(s.documents) <= SEGMENT_MAX for s in cut_segments([documents], "fingerprint"))


def test_a_segment_never_spans_two_museums() -> None:
    documents = [StoredDocument(f"m{n // 3}:{n}", f"m{n // 3}", "{}") for n in range(30)]
    segments = list(cut_segments([documents], "fingerprint"))
    assert all(len({d.museum_id for d in s.documents}) == 1 for s in segments)
    assert sum(s.records for s in segments) == 30


def test_cli_export_copies_from_the_published_dump(catalogue: Catalogue, tmp_path: Path) -> None:
    build_dumps(catalogue, formats=["nt"])
    env = {"EMUSEUM_DATABASE_URL": catalogue.db.engine.url.render_as_string(hide_password=False),
           "EMUSEUM_INDEX_URL": "sqlite", "EMUSEUM_CONFIG": str(tmp_path / "config"),
           "EMUSEUM_DUMPS_DIR": str(catalogue.settings.dumps_dir)}  # fmt: skip
    out = tmp_path / "atyrau.nt.gz"
    result = _emuseum(["export", "--format", "nt", "--museum", ATYRAU, str(out)], {**os.environ, **env})
    assert result.returncode == 0, result.stderr
    assert f"{out}: 100 records (100 copied from the published dump)" in result.stdout
    assert out.read_bytes() == fresh(catalogue, tmp_path / "fresh", ATYRAU)["nt"]


def test_a_copied_dump_reads_whole_with_the_gzip_tool(catalogue: Catalogue) -> None:
    build_dumps(catalogue, formats=["nt"])
    rebuild(catalogue, formats=["nt"])
    folder = catalogue.settings.dumps_dir
    path = folder / read_manifest(folder).dumps[0].file
    text = subprocess.run(["gzip", "-dc", str(path)], capture_output=True, check=True).stdout
    assert text == gzip.decompress(path.read_bytes())
    assert text.count(b"E22_Human-Made_Object> .\n") == 300


def test_a_dump_worker_loads_the_renderers_and_no_database_code() -> None:
    """Each build spawns its workers afresh; SQLAlchemy and the store's models doubled their start-up."""
    probe = (
        "import sys, pickle; from aggregator.dumps.formats import render_segments; "
        "from aggregator.store.stored_document import StoredDocument; "
        "pickle.loads(pickle.dumps(StoredDocument('m:1', 'm', '{}'))); "
        "print(sorted(m for m in ('sqlalchemy', 'alembic', 'aggregator.store.models') if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    assert loaded.stdout.strip() == "[]"

