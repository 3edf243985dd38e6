"""The bulk dumps on the web: the API lists and serves them, only by the manifest's names; the page in kk/ru/en."""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from aggregator.catalogue import Catalogue
from aggregator.dumps import read_manifest
from aggregator.dumps.build import build_dumps
from aggregator.web.api import create_app
from aggregator.web.server import ServerThread
from tests.aggregator.test_api import ATYRAU, CENTRAL, catalogue_records, open_catalogue
from tests.aggregator.test_dumps import fill

LANGS = ("kk", "ru", "en")
TITLES = {"kk": "Каталогты толықтай жүктеп алу", "ru": "Скачать каталог целиком", "en": "Download the catalogue"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Catalogue, TestClient]]:
    """A catalogue with four active records and its dumps (whole and per museum), built once for the module."""
    tmp = tmp_path_factory.mktemp("dumps-web")
    monkeypatch = pytest.MonkeyPatch()
    catalogue = open_catalogue(tmp, monkeypatch)
    fill(catalogue, catalogue_records())
    build_dumps(catalogue, per_museum=True)
    with TestClient(create_app(catalogue)) as client:
        yield catalogue, client
    catalogue.close()
    monkeypatch.undo()


def test_the_dumps_folder_defaults_to_beside_the_sqlite_store(site: tuple[Catalogue, TestClient]) -> None:
    catalogue, _ = site
    database = Path(catalogue.settings.database_url.removeprefix("sqlite:///"))
    assert catalogue.settings.dumps_dir == database.parent / "dumps"


def test_api_lists_every_dump_whole_catalogue_first(site: tuple[Catalogue, TestClient]) -> None:
    catalogue, client = site
    response = client.get("/api/dumps")
    assert response.status_code == 200
    listing = response.json()
    assert listing["count"] == 12
    dumps = listing["dumps"]
    assert [d["format"] for d in dumps[:4]] == ["lido", "jsonld", "nt", "csv"]
    assert all(d["museum"] is None for d in dumps[:4])
    assert {d["museum"] for d in dumps[4:]} == {CENTRAL, ATYRAU}
    whole_nt = dumps[2]
    assert whole_nt["records"] == 4
    assert whole_nt["url"] == f"/api/dumps/{whole_nt['file']}"
    assert whole_nt["media_type"] == "application/gzip"
    assert set(whole_nt) >= {"file", "format", "museum", "records", "bytes", "created", "sha256", "url"}
    manifest = read_manifest(catalogue.settings.dumps_dir)
    assert {d["file"] for d in dumps} == {e.file for e in manifest.dumps}


def test_a_listed_dump_downloads_byte_identical(site: tuple[Catalogue, TestClient]) -> None:
    catalogue, client = site
    for listed in client.get("/api/dumps").json()["dumps"][:4]:
        response = client.get(listed["url"])
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/gzip"
        assert int(response.headers["content-length"]) == listed["bytes"]
        assert response.content == (catalogue.settings.dumps_dir / listed["file"]).read_bytes()
        assert hashlib.sha256(response.content).hexdigest() == listed["sha256"]
        assert gzip.decompress(response.content)


@pytest.mark.parametrize(
    "name",
    ["nope.nt.gz", "manifest.json", ".build.lock", "..%2Femuseum.db", "%2E%2E%2Femuseum.db", "..",
     "..%2F..%2Fetc%2Fpasswd"],  # fmt: skip
)
def test_names_not_in_the_manifest_are_404_and_say_where_the_list_is(
    site: tuple[Catalogue, TestClient], name: str
) -> None:
    _, client = site
    response = client.get(f"/api/dumps/{name}")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("lang", LANGS)
def test_a_person_following_a_stale_link_gets_a_page_in_their_language(
    site: tuple[Catalogue, TestClient], lang: str
) -> None:
    _, client = site
    response = client.get(f"/api/dumps/emuseum-all-old.nt.gz?lang={lang}", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    word = {"kk": "Мұндай файл жоқ", "ru": "Такого файла нет", "en": "There is no such file"}[lang]
    assert word in response.text and f'<html lang="{lang}">' in response.text


def test_without_a_build_the_list_is_empty_and_the_page_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue = open_catalogue(tmp_path, monkeypatch)
    try:
        with TestClient(create_app(catalogue)) as client:
            assert client.get("/api/dumps").json() == {"count": 0, "dumps": []}
            page = client.get("/dumps?lang=ru")
            assert page.status_code == 200 and "Файлы для скачивания ещё не подготовлены." in page.text
    finally:
        catalogue.close()


@pytest.mark.parametrize("lang", LANGS)
def test_the_page_lists_the_dumps_in_the_readers_language(site: tuple[Catalogue, TestClient], lang: str) -> None:
    _, client = site
    page = client.get(f"/dumps?lang={lang}")
    assert page.status_code == 200
    html = page.text
    assert f'<html lang="{lang}">' in html and f"<h1>{TITLES[lang]}</h1>" in html
    for listed in client.get("/api/dumps").json()["dumps"]:
        assert f'href="{listed["url"]}"' in html
        assert listed["sha256"] in html
    assert {"kk": "Музейлер бойынша", "ru": "По музеям", "en": "By museum"}[lang] in html
    assert {"kk": "Жазбалар", "ru": "Записей", "en": "Records"}[lang] in html
    home = client.get(f"/?lang={lang}").text  # every page's footer links the downloads
    assert f'href="/dumps?lang={lang}"' in home


# -- in the browser, on a phone -------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(site: tuple[Catalogue, TestClient]) -> Iterator[str]:
    with ServerThread(create_app(site[0])) as running:
        yield running.url.rstrip("/")


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_the_page_fits_a_390_px_phone(chromium: Any, server: str, lang: str) -> None:
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.set_viewport_size({"width": 390, "height": 900})
        page.goto(f"{server}/dumps?lang={lang}")
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
        links = page.locator(".dump-head a")
        assert links.count() == 12
        with page.expect_download() as download:
            links.first.click()
        assert download.value.suggested_filename.endswith(".lido.xml.gz")
    finally:
        context.close()
