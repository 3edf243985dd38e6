"""The search page and the object page, in a real headless Chromium and as plain HTML.

The browser tests drive Debian's /usr/bin/chromium through Playwright's Python
package (no downloaded browser); they skip, saying why, when either is missing.
"""

from __future__ import annotations

import struct
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.staticfiles import StaticFiles
from fastapi.testclient import TestClient

from aggregator.catalogue import Catalogue
from aggregator.web.api import create_app
from aggregator.web.server import ServerThread
from mappings.core import (
    Actor,
    CoreRecord,
    LangText,
    Links,
    Measurement,
    Media,
    MediaKind,
    Place,
    Production,
    Rights,
    SourceInfo,
    Term,
)
from tests.aggregator.test_api import CENTRAL, add_records, catalogue_records, open_catalogue
from tests.browser import settle_images
from tests.factories import make_record

HOSTILE_TITLE = '<script>document.title="owned"</script><img src=x onerror=alert(1)>'


# -- PNG in and out, so the test needs no imaging library ---------------------------------


def png_bytes(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A solid-colour RGB PNG (thumbnails served by the test server)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(row * height)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the pixel rows of an 8-bit RGB/RGBA PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height, channels = 8, b"", 0, 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride = zlib.decompress(idat), width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            up_left = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                predictor = left if pa <= pb and pa <= pc else up if pb <= pc else up_left
                line[i] = (line[i] + predictor) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, rows


def sampled_colours(data: bytes, samples: int = 60) -> set[bytes]:
    width, height, rows = png_pixels(data)
    channels = len(rows[0]) // width
    colours = set()
    for sy in range(samples):
        row = rows[sy * height // samples]
        for sx in range(samples):
            x = (sx * width // samples) * channels
            colours.add(row[x : x + 3])
    return colours


def test_png_reader_reads_back_what_png_writer_wrote() -> None:
    width, height, rows = png_pixels(png_bytes(4, 3, (10, 20, 30)))
    assert (width, height) == (4, 3)
    assert rows[2][:3] == bytes((10, 20, 30))
    assert sampled_colours(png_bytes(8, 8, (1, 2, 3)), samples=4) == {bytes((1, 2, 3))}


# -- the site: a catalogue, a server, thumbnails ------------------------------------------


@dataclass
class Site:
    catalogue: Catalogue
    url: str
    records: dict[str, CoreRecord]


def _with_thumbnail(record: CoreRecord, url: str) -> CoreRecord:
    """The record's images moved to the test server (the machine has no internet), 3D kept."""
    others = [m for m in record.media if m.kind is not MediaKind.IMAGE]
    return record.model_copy(update={"media": [Media(url=url, kind=MediaKind.IMAGE, label="photo"), *others]})


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("site")
    monkeypatch = pytest.MonkeyPatch()
    catalogue = open_catalogue(tmp, monkeypatch)
    monkeypatch.setenv("EMUSEUM_ALLOW_SOURCE_NETWORKS", "127.0.0.1/32")  # the test's image host
    monkeypatch.setenv("EMUSEUM_MEDIA_CACHE", str(tmp / "media-cache"))
    images = tmp / "images"
    images.mkdir()
    colours = [(196, 120, 40), (220, 180, 30), (60, 110, 160), (120, 60, 120), (40, 140, 90)]
    for n, colour in enumerate(colours):
        (images / f"{n}.png").write_bytes(png_bytes(96, 96, colour))
    app = create_app(catalogue)
    app.mount("/test-images", StaticFiles(directory=images), name="test-images")
    with ServerThread(app) as server:
        records = [
            _with_thumbnail(r, f"{server.url}test-images/{n}.png") if n in (0, 1, 2) else r
            for n, r in enumerate(catalogue_records())
        ]
        records.append(make_record("x", museum_id=CENTRAL, titles={"en": HOSTILE_TITLE}, object_type="note"))
        records.append(
            make_record("js", museum_id=CENTRAL, titles={"en": "Harmless"}).model_copy(
                update={"media": [Media(url="javascript:alert(1)", kind=MediaKind.IMAGE)]}
            )
        )
        add_records(catalogue, records)
        yield Site(catalogue, server.url, {r.id: r for r in records})
    catalogue.close()
    monkeypatch.undo()


# -- plain HTML (no browser) ------------------------------------------------------------------


@pytest.fixture
def client(site: Site) -> Iterator[TestClient]:
    with TestClient(create_app(site.catalogue)) as test_client:
        yield test_client


def test_search_page_escapes_museum_data(client: TestClient) -> None:
    html = client.get("/", params={"q": "script", "lang": "en"}).text
    assert "&lt;script&gt;document.title=" in html
    assert "<script>document.title" not in html
    assert "<img src=x onerror" not in html


def test_object_page_escapes_and_never_links_non_http_urls(client: TestClient) -> None:
    html = client.get(f"/objects/{CENTRAL}:js").text
    assert 'href="javascript:' not in html and 'src="javascript:' not in html
    html = client.get(f"/objects/{CENTRAL}:x?lang=en").text
    assert "&lt;script&gt;" in html and "<script>document" not in html


def test_bad_search_parameters_render_a_400_page_with_the_reason(client: TestClient) -> None:
    response = client.get("/", params={"from": "soon", "lang": "en"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "parameter &#39;from&#39; must be a whole year" in response.text


def test_unknown_object_renders_a_404_page(client: TestClient) -> None:
    response = client.get(f"/objects/{CENTRAL}:missing?lang=ru")
    assert response.status_code == 404
    assert "В каталоге нет предмета" in response.text


def full_record() -> CoreRecord:
    """A record with every field the object page can show."""
    return CoreRecord(
        id=f"{CENTRAL}:full",
        museum_id=CENTRAL,
        local_id="full",
        inventory_number="КП-777",
        repository="Hall 3",
        object_type=[Term(labels={"en": "saddle", "ru": "седло"})],
        classification=[Term(labels={"en": "horse equipment"})],
        titles=[LangText(value="Ер-тоқым", lang="kk", preferred=True), LangText(value="Saddle", lang="en")],
        descriptions=[LangText(value="Silver-mounted saddle", lang="en")],
        inscriptions=[LangText(value="Бақыт", lang="kk")],
        actors=[Actor(name="Master Ospan", role=Term(labels={"en": "maker", "kk": "шебер"}), kind="person")],
        production=Production(
            date_display="1880s",
            earliest="1880",
            latest="1889",
            places=[Place(name="Turkistan", uri="https://www.geonames.org/1516589", lat=43.3, lon=68.25)],
            culture=[Term(labels={"en": "Kazakh"})],
            period=[Term(labels={"en": "Late 19th century"})],
        ),
        materials=[Term(labels={"en": "leather"}), Term(labels={"en": "silver"})],
        techniques=[Term(labels={"en": "embossing"})],
        measurements=[Measurement(type="height", value=42.5, unit="cm"), Measurement(display="60 x 35 cm")],
        subjects=[Term(labels={"en": "horse riding"})],
        rights=Rights(label="CC BY-SA 4.0", holder="Central State Museum", credit_line="Gift of the Ospanov family"),
        media=[
            Media(url="https://media.example.kz/full.glb", kind=MediaKind.MODEL_3D, label="3D scan"),
            Media(url="https://tour.example.kz/hall3", kind=MediaKind.VIRTUAL_TOUR),
            Media(url="https://media.example.kz/full.mp4", kind=MediaKind.VIDEO),
        ],
        links=Links(object_page="https://csm.kz/objects/777", published_ids=["urn:kz:csm:777"]),
        source=SourceInfo(
            format="lido",
            oai_identifier="oai:csm.kz:777",
            datestamp="2024-03-01T10:00:00Z",
            harvested_at=datetime(2024, 3, 2, 8, 0, tzinfo=UTC),
            mapping_version="lido-in/3",
            schema_version="1.1",
        ),
    )


def test_object_page_shows_every_field_of_a_full_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    catalogue = open_catalogue(tmp_path, monkeypatch)
    add_records(catalogue, [full_record()])
    with TestClient(create_app(catalogue)) as client:
        response = client.get(f"/objects/{CENTRAL}:full", params={"lang": "en"})
    catalogue.close()
    assert response.status_code == 200
    html = response.text
    for expected in (
        "Ер-тоқым", "Saddle", "КП-777", "Hall 3", "Horse equipment", "Silver-mounted saddle",
        "Бақыт", "Master Ospan", "(maker)", "1880s", "Turkistan", "43.3", "Kazakh", "Late 19th century",
        "<li>Leather</li><li>Silver</li>", "Embossing", "height 42.5 cm", "60 × 35 cm", "Horse riding",
        "Attribution — ShareAlike 4.0 International (CC BY-SA 4.0)",
        'href="https://creativecommons.org/licenses/by-sa/4.0/"',
        "Rights holder: Central State Museum", "Gift of the Ospanov family",
        f'href="/media/file/0/{CENTRAL}:full"', 'href="https://media.example.kz/full.glb"', 'href="https://tour.example.kz/hall3"',
        'href="https://media.example.kz/full.mp4"', 'href="https://csm.kz/objects/777"', "urn:kz:csm:777",
        "oai:csm.kz:777", "2024-03-01T10:00:00Z", "lido-in/3",
        '<time datetime="2024-03-02T08:00:00+00:00">2024-03-02 08:00 UTC</time>',
        f'href="/api/objects/{CENTRAL}:full?format=lido"', f'href="/api/objects/{CENTRAL}:full?format=jsonld"',
        f'href="/api/objects/{CENTRAL}:full?format=turtle"',
    ):  # fmt: skip
        assert expected in html, expected
    assert '<h1 class="object-title">Saddle</h1>' in html  # the English title for an English reader


def test_facet_links_add_and_remove_one_filter(client: TestClient) -> None:
    html = client.get("/", params={"lang": "en", "region": "KZ-23"}).text
    assert 'href="/?region=KZ-23&amp;lang=en&amp;material=wood"' in html  # adds
    assert 'href="/?lang=en"' in html  # removes the active region filter


# -- in the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser_page(chromium, site: Site):  # type: ignore[no-untyped-def]
    """A page in the session's one Chromium (tests/conftest.py), dialogs recorded."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.mark.browser
def test_a_page_asks_the_server_for_nothing_it_does_not_have(browser_page, site: Site) -> None:  # type: ignore[no-untyped-def]
    """No request of the search page or an object page fails, the icon a browser asks for first included."""
    page = browser_page
    failed: list[str] = []
    page.on("response", lambda reply: failed.append(f"{reply.status} {reply.url}") if reply.status >= 400 else None)
    page.on("console", lambda line: failed.append(line.text) if line.type == "error" else None)  # e.g. the icon's 404
    page.goto(site.url + "?lang=kk")
    page.wait_for_load_state("networkidle")
    settle_images(page)
    page.locator("li.hit .hit-title").first.click()
    page.wait_for_load_state("networkidle")
    settle_images(page)
    assert failed == []


@pytest.mark.browser
def test_results_and_facets_render(browser_page, site: Site) -> None:  # type: ignore[no-untyped-def]
    page = browser_page
    page.goto(site.url + "?lang=en")
    assert page.inner_text(".results h2 .total") == "7"
    assert page.locator("li.hit").count() == 7
    region_facet = page.locator('section.facet[data-facet="region"]')
    assert "Atyrau Region" in region_facet.inner_text()
    assert "Almaty" in region_facet.inner_text()
    century_labels = page.locator('section.facet[data-facet="century"] .facet-label').all_inner_texts()
    assert "5th century BCE" in century_labels and "19th century" in century_labels
    assert page.locator('section.facet li[data-facet="has_3d"] .facet-label').inner_text() == "Has 3D model"
    thumbnails = page.locator("li.hit img")
    settle_images(page)
    widths = sorted(thumbnails.nth(i).evaluate("img => img.naturalWidth") for i in range(thumbnails.count()))
    # three photographs through the media proxy, and the placeholder for the javascript: "image"
    assert widths == [96, 96, 96, 240]
    assert page.title() != "owned" and page.dialogs == []  # the hostile title stayed text


@pytest.mark.browser
def test_a_facet_click_narrows_the_results_and_a_second_click_widens_them(browser_page, site: Site) -> None:  # type: ignore[no-untyped-def]
    page = browser_page
    page.goto(site.url + "?lang=en")
    page.locator('section.facet[data-facet="region"] a.facet-link[data-value="KZ-23"]').click()
    page.wait_for_url("**region=KZ-23**")
    assert page.inner_text(".results h2 .total") == "3"
    museums = page.locator("li.hit .meta.museum").all_inner_texts()
    assert len(museums) == 3 and all("Atyrau Regional Museum" in m for m in museums)
    assert "Atyrau Region" in page.inner_text(".active-filters")
    page.locator('section.facet[data-facet="material"] a.facet-link[data-value="wood"]').click()
    page.wait_for_url("**material=wood**")
    assert page.inner_text(".results h2 .total") == "1"
    page.locator('section.facet[data-facet="region"] a.facet-link[data-value="KZ-23"]').click()
    page.wait_for_function("() => !location.search.includes('region=')")
    assert page.inner_text(".results h2 .total") == "2"  # wood in any region
    page.goto(site.url + "?lang=en")
    page.locator('li[data-facet="has_3d"] a.facet-link').click()
    page.wait_for_url("**has_3d=true**")
    assert page.locator("li.hit .hit-title").all_inner_texts() == ["Golden Man"]


@pytest.mark.browser
def test_search_box_and_sort_form_work_without_javascript(browser_page, site: Site) -> None:  # type: ignore[no-untyped-def]
    page = browser_page
    page.goto(site.url + "?lang=en")
    page.fill("#q", "kebeje")
    page.click("form.search-form .search-row button")
    page.wait_for_url("**q=kebeje**")
    assert page.locator("li.hit .hit-title").all_inner_texts() == ["Kazakh chest"]
    page.goto(site.url + "?lang=en")
    page.select_option("select[name=sort]", "date")
    page.click("form.search-form button.secondary")
    page.wait_for_url("**sort=date**")
    assert page.locator("li.hit .hit-title").first.inner_text() == "Golden Man"


@pytest.mark.browser
def test_object_page_shows_the_fields_and_export_links(browser_page, site: Site) -> None:  # type: ignore[no-untyped-def]
    page = browser_page
    page.goto(site.url + "?lang=en&q=kebeje")
    page.locator("li.hit .hit-title").first.click()
    page.wait_for_url(f"**/objects/{CENTRAL}:1**")
    assert page.inner_text("h1.object-title") == "Kazakh chest"
    fields = page.inner_text("article.object")
    for expected in (
        "Қазақ кебежесі", "Казахский сундук", "KP-1", "Central State Museum", "Almaty",
        "second half of the 19th century", "Semey", "Unknown master", "maker", "Wood", "Silver",
        "CC BY 4.0", "Сундук для хранения посуды", "test/1", "lido",
    ):  # fmt: skip
        assert expected in fields, expected
    settle_images(page)
    assert page.locator(".gallery img").evaluate("img => img.naturalWidth") == 96
    exports = page.locator(".export-links a")
    assert exports.all_inner_texts() == ["LIDO XML", "Linked Art JSON-LD", "RDF Turtle", "Core JSON", "IIIF manifest"]
    lido = page.request.get(exports.first.evaluate("a => a.href"))
    assert lido.headers["content-type"].startswith("application/xml")
    assert b"lidoRecID" in lido.body()
    turtle = page.request.get(exports.nth(2).evaluate("a => a.href"))
    assert turtle.headers["content-type"].startswith("text/turtle")


@pytest.mark.browser
def test_language_switch_changes_the_interface_strings(browser_page, site: Site) -> None:  # type: ignore[no-untyped-def]
    page = browser_page
    page.goto(site.url + "?lang=en&region=KZ-75")
    assert page.inner_text("form.search-form .search-row button") == "Search"
    page.click('nav.languages a[hreflang="ru"]')
    page.wait_for_url("**lang=ru**")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.inner_text("form.search-form .search-row button") == "Найти"
    assert "Регион" in page.text_content('section.facet[data-facet="region"] h3')
    assert "region=KZ-75" in page.url  # the search is kept
    page.click('nav.languages a[hreflang="kk"]')
    page.wait_for_url("**lang=kk**")
    assert page.inner_text("form.search-form .search-row button") == "Іздеу"
    assert "Өңір" in page.text_content('section.facet[data-facet="region"] h3')
    assert "Алматы" in page.inner_text('section.facet[data-facet="region"]')


@pytest.mark.browser
def test_screenshot_of_the_search_page_is_a_real_rendering(browser_page, site: Site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = browser_page
    page.goto(site.url + "?lang=kk")
    page.wait_for_load_state("networkidle")
    shot = tmp_path / "search-page.png"
    page.screenshot(path=str(shot), full_page=True)
    data = shot.read_bytes()
    width, height, _ = png_pixels(data)
    assert width == 1280 and height >= 900
    assert len(data) > 20_000
    assert len(sampled_colours(data)) > 20, "the page rendered as (nearly) one colour"
    keep = Path(tempfile.gettempdir()) / "emuseum-search-page.png"
    keep.write_bytes(data)  # left in /tmp for a person to look at


@pytest.mark.parametrize(
    ("count", "lang", "word"),
    [(1, "ru", "результат"), (3, "ru", "результата"), (11, "ru", "результатов"), (31, "ru", "результат"),
     (112, "ru", "результатов"), (24, "ru", "результата"), (1, "en", "result"), (2, "en", "results"),
     (31, "kk", "нәтиже")],  # fmt: skip
)
def test_the_result_count_is_followed_by_the_noun_form_the_language_wants(count: int, lang: str, word: str) -> None:
    from aggregator.web.i18n import count_word

    assert count_word(count, lang) == word
