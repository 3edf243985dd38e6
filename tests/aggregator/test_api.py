"""The researchers' API answers searches, serves records in four formats and refuses bad input with 4xx."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
import rdflib
import yaml
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from aggregator.catalogue import Catalogue
from aggregator.index.documents import build_document
from aggregator.index.fts import SqliteFtsIndex
from aggregator.store.records import RecordStore
from aggregator.web.api import create_app
from mappings.core import Actor, CoreRecord, Place, Production, Rights, Term
from tests.factories import make_record

CENTRAL = "kz-central-state-museum"
ATYRAU = "kz-atyrau-museum"
CSV_MUSEUM = "kz-csv-museum"

MUSEUMS = [
    {
        "id": CENTRAL,
        "name": {
            "kk": "Қазақстан Республикасының Орталық мемлекеттік музейі",
            "ru": "Центральный государственный музей",
            "en": "Central State Museum",
        },
        "region": "KZ-75",
        "city": "Almaty",
        "source": {"type": "oai-pmh", "url": "http://127.0.0.1:9/oai"},
    },
    {
        "id": ATYRAU,
        "name": {
            "kk": "Атырау облыстық тарихи-өлкетану музейі",
            "ru": "Атырауский областной музей",
            "en": "Atyrau Regional Museum",
        },
        "region": "KZ-23",
        "source": {"type": "oai-pmh", "url": "http://127.0.0.1:9/oai"},
    },
]


def catalogue_records() -> list[CoreRecord]:
    """Five objects across two museums: scripts, BCE dates, media, a slash in a local id."""
    chest = make_record(
        "1",
        museum_id=CENTRAL,
        titles={"kk": "Қазақ кебежесі", "ru": "Казахский сундук", "en": "Kazakh chest"},
        object_type="chest",
        materials=("wood", "silver"),
        earliest="1850",
        latest="1899",
        image=True,
        description="Сундук для хранения посуды",
    )
    chest = chest.model_copy(
        update={
            "actors": [Actor(name="Unknown master", role=Term(labels={"en": "maker", "ru": "мастер"}))],
            "production": Production(
                date_display="second half of the 19th century",
                earliest="1850",
                latest="1899",
                places=[Place(name="Semey", lat=50.41, lon=80.25)],
            ),
            "rights": Rights(uri="http://creativecommons.org/licenses/by/4.0/", label="CC BY 4.0", holder="CSM"),
        }
    )
    golden = make_record(
        "2",
        museum_id=CENTRAL,
        titles={"kk": "Алтын адам", "en": "Golden Man"},
        object_type="costume",
        materials=("gold",),
        earliest="-0499",
        latest="-0300",
        model=True,
        image=True,
    )
    icon = make_record(
        "3",
        museum_id=ATYRAU,
        titles={"ru": "Икона Богоматери", "en": "Icon of the Virgin"},
        object_type="icon",
        materials=("wood",),
        earliest="1700",
        latest="1799",
    )
    toy = make_record(
        "4",
        museum_id=ATYRAU,
        titles={"ru": "Ёлочная игрушка", "en": "Christmas tree toy"},
        object_type="toy",
        materials=("glass",),
        earliest="1950",
        latest="1960",
    )
    slashed = make_record("КП 12/3", museum_id=ATYRAU, titles={"ru": "Кувшин", "en": "Jug"}, object_type="vessel")
    return [chest, golden, icon, toy, slashed]


def open_catalogue(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    museums: list[dict] | None = None,
    token: str | None = None,
    cors: str | None = None,
) -> Catalogue:
    """A catalogue in tmp_path: museums.yaml written, the database a fresh SQLite file."""
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "museums.yaml").write_text(
        yaml.safe_dump({"museums": museums or MUSEUMS}, allow_unicode=True), encoding="utf-8"
    )
    monkeypatch.setenv("EMUSEUM_DATABASE_URL", f"sqlite:///{tmp_path / 'emuseum.db'}")
    monkeypatch.delenv("EMUSEUM_INDEX_URL", raising=False)
    monkeypatch.delenv("EMUSEUM_CONFIG", raising=False)
    monkeypatch.delenv("EMUSEUM_BASE_URI", raising=False)
    for name, value in (("EMUSEUM_API_TOKEN", token), ("EMUSEUM_CORS_ORIGINS", cors)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    return Catalogue.open(config)


def add_records(catalogue: Catalogue, records: list[CoreRecord]) -> None:
    """Store and index records in one transaction, as the pipeline does."""
    regions = {m.id: m.region for m in catalogue.settings.registry.museums}
    with catalogue.db.session() as session:
        store = RecordStore(session)
        for museum in catalogue.settings.registry.museums:
            store.save_museum(museum)
        documents = []
        for record in records:
            store.save_core(record, f"hash-{record.id}", 0.9, store.core_row(record.id))
            documents.append(build_document(record, regions[record.museum_id], 0.9))
        SqliteFtsIndex(session).upsert(documents)
        session.commit()


def delete_record(catalogue: Catalogue, record: CoreRecord) -> None:
    with catalogue.db.session() as session:
        RecordStore(session).tombstone(record.museum_id, record.local_id, record.id, "deleted at source", None)
        SqliteFtsIndex(session).delete([record.id])
        session.commit()


@pytest.fixture
def catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Catalogue]:
    cat = open_catalogue(tmp_path, monkeypatch, cors="https://research.example.kz")
    add_records(cat, catalogue_records())
    yield cat
    cat.close()


@pytest.fixture
def client(catalogue: Catalogue) -> Iterator[TestClient]:
    with TestClient(create_app(catalogue)) as test_client:
        yield test_client


def error_of(response) -> dict:  # type: ignore[no-untyped-def]
    body = response.json()
    assert "error" in body, body
    assert body["error"]["status"] == response.status_code
    assert body["error"]["message"]
    return body["error"]


# -- search ------------------------------------------------------------------------


def test_search_without_parameters_lists_every_record(client: TestClient) -> None:
    body = client.get("/api/search").json()
    assert body["total"] == 5
    assert {h["id"] for h in body["hits"]} == {r.id for r in catalogue_records()}
    assert body["page"] == 1 and body["pages"] == 1


def test_search_finds_kazakh_cyrillic_title_by_latin_spelling(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "kebeje"}).json()
    assert [h["id"] for h in body["hits"]] == [f"{CENTRAL}:1"]


def test_hit_titles_and_labels_follow_the_lang_parameter(client: TestClient) -> None:
    by_lang = {
        lang: client.get("/api/search", params={"q": "сундук", "lang": lang}).json()["hits"][0]
        for lang in ("kk", "ru", "en")
    }
    assert by_lang["kk"]["title"] == "Қазақ кебежесі"
    assert by_lang["ru"]["title"] == "Казахский сундук"
    assert by_lang["en"]["title"] == "Kazakh chest"
    assert by_lang["ru"]["region_label"] == "Алматы"
    assert by_lang["en"]["museum"] == "Central State Museum"
    assert by_lang["ru"]["museum"] == "Центральный государственный музей"
    assert by_lang["en"]["url"] == f"/objects/{CENTRAL}:1"
    assert by_lang["en"]["api_url"] == f"/api/objects/{CENTRAL}:1"


def test_filters_narrow_values_of_one_filter_are_alternatives_and_filters_combine(client: TestClient) -> None:
    region = client.get("/api/search", params={"region": "KZ-23"}).json()
    assert region["total"] == 3
    either = client.get("/api/search?material=gold&material=glass").json()
    assert {h["id"] for h in either["hits"]} == {f"{CENTRAL}:2", f"{ATYRAU}:4"}
    both = client.get("/api/search?material=wood&region=KZ-23").json()
    assert [h["id"] for h in both["hits"]] == [f"{ATYRAU}:3"]
    with_3d = client.get("/api/search?has_3d=true").json()
    assert [h["id"] for h in with_3d["hits"]] == [f"{CENTRAL}:2"]


def test_facets_are_counted_and_labelled_in_the_readers_language(client: TestClient) -> None:
    body = client.get("/api/search?facet=region&facet=century&facet=museum&facet=has_image&lang=en").json()
    regions = {v["value"]: v for v in body["facets"]["region"]}
    assert regions["KZ-23"]["count"] == 3 and regions["KZ-23"]["label"] == "Atyrau Region"
    centuries = {v["value"]: v["label"] for v in body["facets"]["century"]}
    assert centuries["-5"] == "5th century BCE"
    assert centuries["19"] == "19th century"
    assert {v["value"]: v["label"] for v in body["facets"]["museum"]}[ATYRAU] == "Atyrau Regional Museum"
    ru = client.get("/api/search?facet=century&facet=region&lang=ru&region=KZ-75").json()
    assert {v["value"]: v["label"] for v in ru["facets"]["century"]}["-5"] == "V век до н. э."
    assert [v for v in ru["facets"]["region"] if v["value"] == "KZ-75"][0]["selected"] is True


def test_year_range_uses_negative_years_for_bce(client: TestClient) -> None:
    bce = client.get("/api/search", params={"to": "-1"}).json()
    assert [h["id"] for h in bce["hits"]] == [f"{CENTRAL}:2"]
    modern = client.get("/api/search", params={"from": "1900", "to": "2000"}).json()
    assert [h["id"] for h in modern["hits"]] == [f"{ATYRAU}:4"]


def test_sort_by_date_and_paging(client: TestClient) -> None:
    dated = client.get("/api/search", params={"sort": "date", "size": "2"}).json()
    assert [h["id"] for h in dated["hits"]] == [f"{CENTRAL}:2", f"{ATYRAU}:3"]
    assert dated["pages"] == 3
    second = client.get("/api/search", params={"sort": "date", "size": "2", "page": "2"}).json()
    assert [h["id"] for h in second["hits"]] == [f"{CENTRAL}:1", f"{ATYRAU}:4"]
    counts_only = client.get("/api/search", params={"size": "0", "facet": "region"}).json()
    assert counts_only["hits"] == [] and counts_only["total"] == 5


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("colour=red", "colour"),
        ("from=abc", "from"),
        ("to=1850.5", "to"),
        ("from=1900&to=1800", "from"),
        ("from=99999999", "from"),
        ("size=101", "size"),
        ("size=-1", "size"),
        ("page=0", "page"),
        ("page=1000&size=100", "page"),
        ("page=99999999999999999999", "page"),
        ("sort=random", "sort"),
        ("lang=de", "lang"),
        ("facet=colour", "facet"),
        ("has_image=maybe", "has_image"),
        ("region=", "region"),
        ("q=a&q=b", "q"),
        ("q=" + "x" * 600, "q"),
    ],
)
def test_bad_search_parameters_get_a_400_naming_the_parameter(client: TestClient, query: str, parameter: str) -> None:
    response = client.get("/api/search?" + query)
    assert response.status_code == 400
    error = error_of(response)
    assert error["parameter"] == parameter
    assert error["code"] in ("bad_parameter", "unknown_parameter")


def test_page_beyond_the_result_window_says_how_to_fix_it(client: TestClient) -> None:
    error = error_of(client.get("/api/search?page=101&size=100"))
    assert "narrow the search" in error["message"]


_NAMES = st.sampled_from(
    ["q", "facet", "from", "to", "sort", "page", "size", "lang", "region", "has_3d", "century", "zz", ""]
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(_NAMES, st.text(max_size=30)), max_size=6))
def test_random_search_parameters_never_cause_a_server_error(client: TestClient, pairs: list[tuple[str, str]]) -> None:
    response = client.get("/api/search?" + urlencode(pairs))
    assert response.status_code in (200, 400), response.text
    if response.status_code == 400:
        error_of(response)


@pytest.mark.parametrize(
    "raw",
    [
        "%ff%fe=%00",
        "&&&==&",
        "q=%",
        "q=%E0%A4%A",
        "from=--5",
        "size=1e3",
        "q=%22%2A%22%20OR%20NEAR(",
        "page=+1",
        "to=%20",
    ],  # fmt: skip
)
def test_junk_query_strings_never_cause_a_server_error(client: TestClient, raw: str) -> None:
    response = client.get("/api/search?" + raw)
    assert response.status_code in (200, 400), response.text


# -- objects -----------------------------------------------------------------------


def test_object_is_core_json_by_default(client: TestClient) -> None:
    response = client.get(f"/api/objects/{CENTRAL}:1")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert CoreRecord.model_validate(body).title("en") == "Kazakh chest"
    assert 'rel="alternate"' in response.headers["link"]
    assert "Accept" in response.headers["vary"]


def test_object_formats_by_parameter_and_by_accept_header(client: TestClient) -> None:
    lido = client.get(f"/api/objects/{CENTRAL}:1", params={"format": "lido"})
    assert lido.headers["content-type"].startswith("application/xml")
    root = etree.fromstring(lido.content)
    assert root.tag == "{http://www.lido-schema.org}lido"
    assert root.findtext("{http://www.lido-schema.org}lidoRecID") == f"{CENTRAL}:1"

    by_accept = client.get(f"/api/objects/{CENTRAL}:1", headers={"Accept": "application/xml"})
    assert by_accept.content == lido.content

    jsonld = client.get(f"/api/objects/{CENTRAL}:1", headers={"Accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    document = jsonld.json()
    assert document["type"] == "HumanMadeObject" and "@context" in document

    turtle = client.get(f"/api/objects/{CENTRAL}:1", headers={"Accept": "text/html;q=0.9, text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    assert len(graph) > 5
    assert client.get(f"/api/objects/{CENTRAL}:1?format=ttl").text == turtle.text


def test_format_parameter_wins_over_accept_and_wildcards_get_json(client: TestClient) -> None:
    response = client.get(f"/api/objects/{CENTRAL}:1?format=jsonld", headers={"Accept": "text/turtle"})
    assert response.headers["content-type"].startswith("application/ld+json")
    browser = client.get(f"/api/objects/{CENTRAL}:1", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.headers["content-type"].startswith("application/json")


def test_object_ids_with_slashes_and_cyrillic_are_reachable(client: TestClient) -> None:
    record_id = f"{ATYRAU}:КП 12/3"
    response = client.get("/api/objects/" + quote(record_id, safe=":"))
    assert response.status_code == 200
    assert response.json()["id"] == record_id


def test_unknown_object_is_a_404_with_a_json_message(client: TestClient) -> None:
    response = client.get(f"/api/objects/{CENTRAL}:nope")
    assert response.status_code == 404
    assert "nope" in error_of(response)["message"]


def test_unknown_format_is_400_and_unacceptable_accept_is_406(client: TestClient) -> None:
    assert error_of(client.get(f"/api/objects/{CENTRAL}:1?format=pdf"))["parameter"] == "format"
    response = client.get(f"/api/objects/{CENTRAL}:1", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "application/ld+json" in error_of(response)["message"]
    assert client.get(f"/api/objects/{CENTRAL}:1?colour=red").status_code == 400


# -- museums and statistics ------------------------------------------------------------


def test_museums_lists_registry_with_counts_and_region_totals(client: TestClient, catalogue: Catalogue) -> None:
    delete_record(catalogue, catalogue_records()[3])
    body = client.get("/api/museums?lang=ru").json()
    museums = {m["id"]: m for m in body["museums"]}
    assert museums[CENTRAL]["active"] == 2 and museums[CENTRAL]["deleted"] == 0
    assert museums[ATYRAU]["active"] == 2 and museums[ATYRAU]["deleted"] == 1
    assert museums[ATYRAU]["name"] == "Атырауский областной музей"
    assert museums[ATYRAU]["region_label"] == "Атырауская область"
    regions = {r["code"]: r for r in body["regions"]}
    assert regions["KZ-23"] == {"code": "KZ-23", "label": "Атырауская область", "museums": 1, "active": 2, "deleted": 1}
    assert body["totals"] == {"museums": 2, "active": 4, "deleted": 1, "quarantined": 0}
    assert error_of(client.get("/api/museums?lang=xx"))["parameter"] == "lang"


def test_stats_counts_records_museums_regions_and_media(client: TestClient) -> None:
    body = client.get("/api/stats?lang=en").json()
    assert body["records"] == 5
    assert body["museums"] == 2 and body["museums_with_records"] == 2
    assert body["regions"] == 2
    assert body["with_image"] == 2 and body["with_3d"] == 1
    assert body["by_region"][0] == {"code": "KZ-23", "label": "Atyrau Region", "records": 3}


# -- harvesting over the API ---------------------------------------------------------


def test_harvest_is_refused_with_503_when_no_token_is_configured(client: TestClient) -> None:
    response = client.post(f"/api/harvest/{CENTRAL}", headers={"Authorization": "Bearer anything"})
    assert response.status_code == 503
    assert "EMUSEUM_API_TOKEN" in error_of(response)["message"]


@pytest.fixture
def csv_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Catalogue]:
    export = tmp_path / "export.csv"
    export.write_text(
        "id,title_ru,title_en,object_type,materials,date_from,date_to\n"
        "A-1,Камча,Whip,whip,leather,1880,1890\n"
        "A-2,Домбра,Dombra,instrument,wood,1920,1930\n",
        encoding="utf-8",
    )
    museum = {
        "id": CSV_MUSEUM,
        "name": {"en": "CSV Museum"},
        "region": "KZ-71",
        "source": {"type": "csv", "url": export.as_uri(), "profile": "generic"},
    }
    cat = open_catalogue(tmp_path, monkeypatch, museums=[museum], token="s3cret-token")
    yield cat
    cat.close()


def test_harvest_needs_the_bearer_token(csv_catalogue: Catalogue) -> None:
    with TestClient(create_app(csv_catalogue)) as client:
        missing = client.post(f"/api/harvest/{CSV_MUSEUM}")
        assert missing.status_code == 401
        assert missing.headers["www-authenticate"] == "Bearer"
        wrong = client.post(f"/api/harvest/{CSV_MUSEUM}", headers={"Authorization": "Bearer guess"})
        assert wrong.status_code == 403
        basic = client.post(f"/api/harvest/{CSV_MUSEUM}", headers={"Authorization": "Basic czNjcmV0"})
        assert basic.status_code == 401
        unknown = client.post("/api/harvest/kz-nowhere", headers={"Authorization": "Bearer s3cret-token"})
        assert unknown.status_code == 404
        assert client.get("/api/search").json()["total"] == 0


def test_harvest_runs_in_the_background_and_its_summary_appears_in_museums(csv_catalogue: Catalogue) -> None:
    app = create_app(csv_catalogue)
    with TestClient(app) as client:
        response = client.post(f"/api/harvest/{CSV_MUSEUM}", headers={"Authorization": "Bearer s3cret-token"})
        assert response.status_code == 202
        assert response.json()["state"] in ("running", "finished")
        assert response.headers["location"] == "/api/museums"
        assert app.state.harvest_jobs.wait(CSV_MUSEUM, timeout=60)
        museum = client.get("/api/museums").json()["museums"][0]
        assert museum["api_harvest"]["state"] == "finished", museum["api_harvest"]
        assert museum["api_harvest"]["summary"]["new"] == 2
        assert museum["last_run"]["status"] == "succeeded"
        assert museum["active"] == 2
        hits = client.get("/api/search", params={"q": "домбра", "lang": "en"}).json()["hits"]
        assert [h["title"] for h in hits] == ["Dombra"]


# -- CORS and the API description --------------------------------------------------------


def test_cors_allows_the_configured_origin_only(client: TestClient) -> None:
    allowed = client.get("/api/stats", headers={"Origin": "https://research.example.kz"})
    assert allowed.headers["access-control-allow-origin"] == "https://research.example.kz"
    other = client.get("/api/stats", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    preflight = client.options(
        "/api/harvest/x",
        headers={
            "Origin": "https://research.example.kz",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization",
        },
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]


def test_openapi_describes_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["info"]["title"] == "National Museum Catalogue of Kazakhstan"
    assert spec["info"]["version"]
    assert {"search", "objects", "museums", "harvest"} <= {t["name"] for t in spec["tags"]}
    search_params = {p["name"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert {"q", "facet", "from", "to", "region", "material", "has_3d", "lang"} <= search_params
    assert "/api/harvest/{museum_id}" in spec["paths"]


def test_unknown_api_path_is_a_json_404(client: TestClient) -> None:
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert json.loads(response.text)["error"]["code"] == "not_found"


def test_a_search_engine_that_is_down_gives_503_with_a_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cat = open_catalogue(tmp_path, monkeypatch)
    monkeypatch.setenv("EMUSEUM_INDEX_URL", f"opensearch+http://127.0.0.1:{port}/emuseum?attempts=1&timeout=2")
    down = Catalogue.open(cat.settings.config_dir)
    cat.close()
    with TestClient(create_app(down)) as client:
        response = client.get("/api/search", params={"q": "kebeje"})
    down.close()
    assert response.status_code == 503
    assert error_of(response)["code"] == "index_unavailable"


def test_public_museum_status_never_names_the_catalogues_own_store_or_index() -> None:
    from aggregator.web.public_errors import public_run

    run = {
        "id": 7,
        "status": "failed",
        "error": "the store postgresql+psycopg://emuseum@db.internal:5432/emuseum failed (connection refused); ...",
        "notes": [
            "search index not updated (opensearch http://search.internal:9200 alias 'emuseum': refused)",
            "3 records repaired\x0bwith control characters",
        ],
        "endpoint": {"granularity": "YYYY-MM-DD"},
    }

    shown = public_run(
        run,
        database_url="postgresql+psycopg://emuseum:secret@db.internal:5432/emuseum",
        index_url="opensearch+http://search.internal:9200/emuseum",
    )

    assert shown is not None
    text = str(shown)
    assert "db.internal" not in text and "search.internal" not in text and "secret" not in text
    assert shown["error"].startswith("an internal failure of the catalogue")
    assert shown["notes"] == ["3 records repaired with control characters"]
