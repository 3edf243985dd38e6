"""For researchers: every label in the chosen language, concepts across languages, images that load,
IIIF and 3D, a page that works on a phone and for everyone (issue 10).

One app per module on 127.0.0.1 with a media host of its own (the demo's), so
images and the 3D model are real; the browser checks run in the session's one
Chromium at 1366 and 390 px in kk, ru and en, save their screenshots under
var/screenshots/ and run axe-core (installed by `make assets`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from aggregator.catalogue import Catalogue
from aggregator.web.api import create_app
from aggregator.web.server import ServerThread
from demo.media_server import MediaServer
from mappings.core import (
    Actor,
    CoreRecord,
    Event,
    LangText,
    Measurement,
    Media,
    MediaKind,
    Place,
    Production,
    Rights,
    Term,
)
from mappings.event_types import event_type
from mappings.lido_out import to_lido
from mappings.lido_schema import validate_lido
from mappings.vocabulary import enrich
from tests.aggregator.test_api import CENTRAL, add_records, open_catalogue
from tests.browser import settle_images
from tests.conftest import missing_service
from tests.factories import make_record

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
AXE = ROOT / "var" / "vendor" / "axe-core" / "axe.min.js"
LANGS = ("kk", "ru", "en")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")


@dataclass
class Site:
    catalogue: Catalogue
    url: str
    media: str


def _records(media: str) -> list[CoreRecord]:
    """Kebeje written three ways, earrings in two cases, Russian-only terms, an image each, one 3D model."""

    def record(local_id: str, title: dict[str, str], **fields: Any) -> CoreRecord:
        base = make_record(local_id, museum_id=CENTRAL, titles=title)
        image = Media(url=f"{media}{CENTRAL}/media/{CENTRAL}/{local_id}.jpg", kind=MediaKind.IMAGE, label="photo")
        return enrich(base.model_copy(update={"media": [image], **fields}))

    xix = Production(date_display="XIX в.", earliest="1800", latest="1899", places=[Place(name="Алматы")])
    records = [
        record(
            "kebeje-ru",
            {"ru": "Кебеже", "kk": "Кебеже"},
            object_type=[Term(labels={"ru": "Кебеже (ларь для продуктов)"})],
            materials=[Term(labels={"ru": "дерево"})],
            techniques=[Term(labels={"en": "carving"}), Term(labels={"ru": "роспись"})],
            production=xix,
            measurements=[Measurement(display="выс. 60 см")],
            rights=Rights(uri="http://creativecommons.org/licenses/by/4.0/"),
            events=[
                Event(
                    type=event_type("finding").term([("ru", "находка в кургане")]),
                    name="Семиреченская экспедиция",
                    actors=[Actor(name="Акишев Кемаль", role=Term(labels={"ru": "руководитель раскопок"}))],
                    date_display="1957 г.",
                    earliest="1957",
                    latest="1957",
                    places=[Place(name="Бесшатыр", part_of=Place(name="Алматы"))],
                    descriptions=[LangText(value="Курган 6, восточная пола", lang="ru")],
                ),
                Event(type=event_type("acquisition").term(), date_display="1960", earliest="1960", latest="1960"),
                Event(date_display="1975"),
            ],
            provenance={
                "titles": ["Наименование"],
                "events[0].places": ["Место находки", "Памятник"],
                "events[0]": ["Раскопки"],
            },
        ),
        record("kebeje-en", {"en": "Kebeje"}, object_type=[Term(labels={"en": "Kebeje (food chest)"})], production=xix),
        record("kebeje-old", {"en": "Old kebeje"}, object_type=[Term(labels={"en": "kebeje chest"})]),
        record("earrings-1", {"en": "Earrings"}, object_type=[Term(labels={"en": "Earrings"})],
               materials=[Term(labels={"ru": "серебро"})]),  # fmt: skip
        record("earrings-2", {"en": "Pair of earrings"}, object_type=[Term(labels={"en": "earrings"})],
               materials=[Term(labels={"en": "Silver"})]),  # fmt: skip
    ]
    yurt = record("yurt", {"kk": "Киіз үй", "en": "Yurt"}, object_type=[Term(labels={"kk": "Киіз үй бөлігі"})])
    model = Media(url=f"{media}{CENTRAL}/media/{CENTRAL}/yurt.glb", kind=MediaKind.MODEL_3D, label="3D scan")
    records.append(yurt.model_copy(update={"media": [*yurt.media, model]}))
    down = record("down", {"en": "Bowl"}, object_type=[Term(labels={"ru": "сосуд"})])
    records.append(down.model_copy(update={"media": [Media(url="http://127.0.0.1:9/gone.jpg", kind=MediaKind.IMAGE)]}))
    for n in range(24):  # enough hits for a pager with gaps at two per page
        records.append(enrich(make_record(f"vessel-{n:02d}", museum_id=CENTRAL, titles={"en": f"Vessel {n}"},
                                          object_type="сосуд")))  # fmt: skip
    return records


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("researchers")
    monkeypatch = pytest.MonkeyPatch()
    catalogue = open_catalogue(tmp, monkeypatch)
    monkeypatch.setenv("EMUSEUM_ALLOW_SOURCE_NETWORKS", "127.0.0.1/32")
    monkeypatch.setenv("EMUSEUM_MEDIA_CACHE", str(tmp / "media-cache"))
    with MediaServer() as media, ServerThread(create_app(catalogue)) as server:
        add_records(catalogue, _records(media.url))
        yield Site(catalogue, server.url, media.url)
    catalogue.close()
    monkeypatch.undo()


@pytest.fixture(scope="module")
def client(site: Site) -> Iterator[TestClient]:
    with TestClient(create_app(site.catalogue)) as test_client:
        yield test_client


# -- concepts ------------------------------------------------------------------------------------


def test_a_facet_counts_concepts_not_spellings(client: TestClient) -> None:
    body = client.get("/api/search", params={"facet": "object_type", "lang": "en", "size": 0}).json()
    counts = {v["value"]: (v["label"], v["count"]) for v in body["facets"]["object_type"]}
    assert counts["kebeje"] == ("Kebeje (food chest)", 3)
    assert counts["earrings"] == ("Earrings", 2)
    assert counts["vessel"] == ("Vessel", 25)
    ru = client.get("/api/search", params={"facet": "material", "lang": "ru", "size": 0}).json()
    assert {v["value"]: v["label"] for v in ru["facets"]["material"]} == {"silver": "Серебро", "wood": "Дерево"}


def test_a_filter_may_name_a_concept_in_any_language(client: TestClient) -> None:
    def ids(**params: str) -> set[str]:
        return {h["id"] for h in client.get("/api/search", params=params).json()["hits"]}

    assert ids(material="серебро") == ids(material="Silver") == ids(material="silver") == {
        f"{CENTRAL}:earrings-1",
        f"{CENTRAL}:earrings-2",
    }


def test_hits_carry_concept_ids_labels_dates_and_proxied_thumbnails(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "кебеже", "lang": "en"}).json()["hits"]
    (hit,) = [h for h in hits if h["id"] == f"{CENTRAL}:kebeje-ru"]
    assert hit["object_type"] == [{"id": "kebeje", "label": "Kebeje (food chest)"}]
    assert (hit["date"], hit["date_source"]) == ("19th century", "XIX в.")
    assert hit["thumbnail"] == f"/media/thumb/0/{CENTRAL}:kebeje-ru"
    assert hit["iiif_manifest"] == f"/iiif/{CENTRAL}:kebeje-ru/manifest"


def test_the_core_record_keeps_the_museums_words_beside_the_concept(client: TestClient) -> None:
    response = client.get(f"/api/objects/{CENTRAL}:kebeje-ru")
    (object_type,) = response.json()["object_type"]
    assert object_type["concept"] == "kebeje" and object_type["labels"]["en"] == "kebeje (food chest)"
    assert object_type["source_labels"] == {"ru": "Кебеже (ларь для продуктов)"}
    assert f"</iiif/{CENTRAL}:kebeje-ru/manifest>" in response.headers["link"]


def test_lido_out_carries_concept_ids_uris_and_the_museums_words_and_stays_valid() -> None:
    record = enrich(make_record("c", object_type="монета"))
    document = to_lido(record)
    assert validate_lido(document) == []
    root = etree.fromstring(document)
    ns = {"lido": "http://www.lido-schema.org"}
    work_type = root.find(".//lido:objectWorkType", ns)
    assert work_type is not None
    assert [e.text for e in work_type.findall("lido:conceptID", ns)] == ["http://vocab.getty.edu/aat/300037222", "coin"]
    assert "монета" in [e.text for e in work_type.findall("lido:term", ns)]


def test_the_object_page_names_concepts_dates_units_and_licences_in_the_readers_language(client: TestClient) -> None:
    html = client.get(f"/objects/{CENTRAL}:kebeje-ru", params={"lang": "en"}).text
    for expected in (
        "<li>Kebeje (food chest)", "<li>Wood", "<li>Carving</li>", "<li>Painting", "19th century",
        "as catalogued: XIX в.", "height 60 cm", "Almaty", 'href="https://creativecommons.org/licenses/by/4.0/"',
        "Attribution 4.0 International (CC BY 4.0)",
    ):  # fmt: skip
        assert expected in html, expected
    kk = client.get(f"/objects/{CENTRAL}:kebeje-ru", params={"lang": "kk"}).text
    assert "XIX ғасыр" in kk and "биіктігі 60 см" in kk and "<li>Ағаш" in kk


def test_the_object_page_tells_the_objects_history_in_the_readers_language(client: TestClient) -> None:
    html = client.get(f"/objects/{CENTRAL}:kebeje-ru", params={"lang": "en"}).text
    history = html[html.index('<section class="history"') : html.index("</section>", html.index('class="history"'))]
    for expected in (
        "History of the object", "Finding <span class=\"source-term\">(находка в кургане)</span>",
        "Семиреченская экспедиция", "Акишев Кемаль", "(руководитель раскопок)", "1957",
        "Бесшатыр", '<span class="within">, Almaty</span>', "Курган 6, восточная пола",
        "Acquisition", "1960", "Event (type not given)", "1975",
    ):  # fmt: skip
        assert expected in history, expected
    kk = client.get(f"/objects/{CENTRAL}:kebeje-ru", params={"lang": "kk"}).text
    assert "Заттың тарихы" in kk and "Табылуы" in kk and "Иеленуі" in kk
    ru = client.get(f"/objects/{CENTRAL}:kebeje-ru", params={"lang": "ru"}).text
    assert "История предмета" in ru and "Находка" in ru and "Приобретение" in ru and "1957 г." in ru


def test_the_object_page_shows_where_each_value_came_from(client: TestClient) -> None:
    html = client.get(f"/objects/{CENTRAL}:kebeje-ru", params={"lang": "ru"}).text
    table = html[html.index('<details class="value-sources">') : html.index("</details>", html.index("value-sources"))]
    assert "Откуда взято каждое значение" in table
    titles = '<td><code>titles</code></td><td>Кебеже [ru]; Кебеже [kk]</td><td><code class="source-path">Наименование'
    assert titles in table
    assert '<code class="source-path">Место находки</code><br><code class="source-path">Памятник</code>' in table
    # The event's other fields show the event's own source; a field without one says so.
    assert "<code>events[0].actors</code>" in table and table.count("Раскопки") >= 2
    assert "создано при преобразовании" in table
    api = client.get(f"/api/objects/{CENTRAL}:kebeje-ru").json()
    assert api["provenance"]["events[0].places"] == ["Место находки", "Памятник"]
    assert api["events"][0]["type"]["concept"] == "finding"
    assert api["events"][0]["places"][0]["part_of"]["name"] == "Алматы"


# -- pages -----------------------------------------------------------------------------------------


def test_the_pager_shows_gaps_and_back_to_search_keeps_the_query(client: TestClient) -> None:
    html = client.get("/", params={"q": "vessel", "size": "2", "page": "6", "lang": "ru"}).text
    assert html.count('class="gap"') == 2 and "…" in html
    link = re.search(r'href="(/objects/[^"]+)" class="hit-title"', html)
    assert link is not None
    target = link.group(1).replace("&amp;", "&")
    assert "back=q%3Dvessel%26size%3D2%26page%3D6" in target
    page = client.get(target).text
    assert 'href="/?q=vessel&amp;size=2&amp;page=6&amp;lang=ru" class="back-link"' in page


def test_docs_work_offline(client: TestClient) -> None:
    html = client.get("/docs").text
    assert "cdn" not in html.lower() and "/static-offline-docs/swagger-ui-bundle.js" in html
    assert client.get("/static-offline-docs/swagger-ui-bundle.js").status_code == 200


def test_media_are_served_with_cache_headers_and_a_placeholder_when_the_source_is_down(client: TestClient) -> None:
    first = client.get(f"/media/thumb/0/{CENTRAL}:kebeje-ru")
    assert first.status_code == 200 and first.headers["content-type"] == "image/jpeg"
    assert "max-age" in first.headers["cache-control"] and first.headers["etag"]
    again = client.get(f"/media/thumb/0/{CENTRAL}:kebeje-ru", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    down = client.get(f"/media/thumb/0/{CENTRAL}:down", params={"lang": "ru"})
    assert down.status_code == 200 and down.headers["content-type"] == "image/svg+xml"
    assert "Изображение недоступно" in down.text and down.headers["cache-control"] == "public, max-age=60"
    assert client.get(f"/media/thumb/7/{CENTRAL}:down").status_code == 404  # only media a record names
    assert client.get("/media/thumb/0/http://127.0.0.1:22/").status_code == 404


def test_a_iiif_manifest_follows_the_presentation_3_structure(client: TestClient) -> None:
    response = client.get(f"/iiif/{CENTRAL}:yurt/manifest")
    assert response.status_code == 200 and "iiif.io/api/presentation/3" in response.headers["content-type"]
    manifest = response.json()
    assert manifest["@context"] == "http://iiif.io/api/presentation/3/context.json"
    assert manifest["type"] == "Manifest" and manifest["id"].endswith(f"/iiif/{CENTRAL}:yurt/manifest")
    assert manifest["label"] == {"kk": ["Киіз үй"], "en": ["Yurt"]}
    (canvas,) = manifest["items"]  # the model is no canvas; the one image is
    assert canvas["type"] == "Canvas" and (canvas["width"], canvas["height"]) == (640, 480)
    (page,) = canvas["items"]
    (annotation,) = page["items"]
    assert page["type"] == "AnnotationPage" and annotation["type"] == "Annotation"
    assert annotation["motivation"] == "painting" and annotation["target"] == canvas["id"]
    body = annotation["body"]
    assert body["type"] == "Image" and body["format"] == "image/jpeg" and (body["width"], body["height"]) == (640, 480)
    assert client.get(body["id"].split("/", 3)[3].join(["/", ""])).status_code == 200
    assert client.get(f"/iiif/{CENTRAL}:vessel-01/manifest").status_code == 404  # no images, no manifest


# -- in the browser: screenshots and accessibility --------------------------------------------------

PAGES = {
    "home": "/?lang={lang}",
    "results": "/?q=kebeje&lang={lang}",
    "object-image": f"/objects/{CENTRAL}:kebeje-ru?lang={{lang}}",
    "object-3d": f"/objects/{CENTRAL}:yurt?lang={{lang}}",
}


@pytest.fixture(scope="module")
def browser_context(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context()
    yield context
    context.close()


def _open(context: Any, url: str, width: int) -> Any:
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url)
    settle_images(page)
    page.wait_for_load_state("networkidle")
    return page


@pytest.mark.browser
@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(PAGES))
def test_pages_fit_the_screen_show_every_image_and_name_concepts_in_the_language(
    browser_context: Any, site: Site, name: str, lang: str, width: int
) -> None:
    page = _open(browser_context, site.url.rstrip("/") + PAGES[name].format(lang=lang), width)
    try:
        if name == "object-3d":
            page.wait_for_function("() => document.querySelector('model-viewer')?.loaded === true", timeout=40_000)
            # A still model: the viewer stops redrawing, so the capture need not wait for a moving frame.
            page.evaluate(
                "() => { const mv = document.querySelector('model-viewer');"
                " mv.removeAttribute('auto-rotate'); mv.interactionPrompt = 'none'; }"
            )
        # Capturing a page with a live WebGL canvas costs ~15-45 s in the software renderer, so the 3D page is
        # captured twice (English wide, Kazakh on a phone) and only checked in the other four cases.
        if name != "object-3d" or (lang, width) in (("en", 1366), ("kk", 390)):
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            # animations off: otherwise the capture waits for the 3D viewer's render loop to settle
            page.screenshot(
                path=str(SCREENSHOTS / f"{name}-{lang}-{width}.png"),
                full_page=True,
                animations="disabled",
                timeout=90_000,
            )
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
        broken = page.evaluate("() => [...document.images].filter(img => img.naturalWidth === 0).map(img => img.src)")
        assert broken == []
        if lang == "en":
            concepts = page.evaluate(
                """() => [...document.querySelectorAll(
                    '.facet[data-facet=object_type] .facet-label, .facet[data-facet=material] .facet-label,'
                    + '.facet[data-facet=technique] .facet-label, .hit .types, .concepts li')]
                   .map(el => { const c = el.cloneNode(true);
                                c.querySelectorAll('.source-term').forEach(s => s.remove());
                                return c.textContent.trim(); })"""
            )
            assert concepts and not [c for c in concepts if CYRILLIC.search(c)]
        if name == "results" and width == 390:
            facets_open = page.evaluate("() => document.querySelector('details.facets-panel').open")
            results_top = page.evaluate("() => document.querySelector('#results').getBoundingClientRect().top")
            assert not facets_open and results_top < 600  # results first; facets folded away
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ["home", "results", "object-image"])
def test_pages_have_no_serious_or_critical_accessibility_violations(
    browser_context: Any, site: Site, name: str, lang: str
) -> None:
    if not AXE.exists():
        missing_service(f"{AXE} is missing (make assets installs axe-core from the npm registry)")
    page = _open(browser_context, site.url.rstrip("/") + PAGES[name].format(lang=lang), 1366)
    try:
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']},"
            " resultTypes: ['violations']})"
        )
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == []
    finally:
        page.close()
