"""The embedded union index answers researchers' searches across scripts and languages."""

from __future__ import annotations

import pytest

from aggregator.index.documents import build_document
from aggregator.index.query import QueryError, SearchQuery
from aggregator.index.sqlite_fts import SqliteFtsIndex
from tests.factories import make_record


@pytest.fixture
def index(sqlite_db):  # type: ignore[no-untyped-def]
    records = [
        (
            make_record(
                "1",
                titles={"kk": "Қазақ кебежесі", "ru": "Казахский сундук", "en": "Kazakh chest"},
                object_type="chest",
                materials=("wood", "silver"),
                earliest="1850",
                latest="1899",
                image=True,
            ),
            "KZ-75",
        ),
        (
            make_record(
                "2",
                titles={"ru": "Икона Богоматери", "en": "Icon of the Virgin"},
                object_type="icon",
                materials=("wood",),
                earliest="1700",
                latest="1799",
            ),
            "KZ-75",
        ),
        (
            make_record(
                "3",
                titles={"kk": "Алтын адам", "en": "Golden Man"},
                object_type="costume",
                materials=("gold",),
                earliest="-0499",
                latest="-0300",
                model=True,
            ),
            "KZ-19",
        ),
        (
            make_record(
                "4",
                titles={"ru": "Ёлочная игрушка", "en": "Christmas tree toy"},
                object_type="toy",
                materials=("glass",),
                earliest="1950",
                latest="1960",
                image=True,
            ),
            "KZ-71",
        ),
        (
            make_record(
                "5",
                titles={"kk": "Шымкент қаласының суреті", "en": "View of Shymkent"},
                object_type="photograph",
                earliest="1910",
                latest="1910",
            ),
            "KZ-79",
        ),
        (
            make_record(
                "6",
                titles={"ru": "Иконы и складни"},
                object_type="icon",
                materials=("bronze",),
                earliest="1800",
                latest="1850",
            ),
            "KZ-75",
        ),
    ]
    with sqlite_db.session() as session:
        SqliteFtsIndex(session).upsert([build_document(r, region) for r, region in records])
        session.commit()
    session = sqlite_db.session()
    yield SqliteFtsIndex(session)
    session.close()


def ids(result) -> set[str]:  # type: ignore[no-untyped-def]
    return {h.id.split(":", 1)[1] for h in result.hits}


def test_hits_carry_title_type_and_date_for_the_result_list(index) -> None:  # type: ignore[no-untyped-def]
    hit = index.search(SearchQuery(text="golden")).hits[0]
    assert (hit.title, hit.object_type, hit.region, hit.has_3d) == ("Алтын адам", ["costume"], "KZ-19", True)


def test_kazakh_latin_query_finds_cyrillic_record(index) -> None:  # type: ignore[no-untyped-def]
    assert ids(index.search(SearchQuery(text="Altyn adam"))) == {"3"}
    assert ids(index.search(SearchQuery(text="Şymkent"))) == {"5"}
    assert ids(index.search(SearchQuery(text="Shymkent"))) == {"5"}


def test_cyrillic_query_finds_the_same_record_as_latin(index) -> None:  # type: ignore[no-untyped-def]
    assert ids(index.search(SearchQuery(text="алтын"))) == ids(
        index.search(SearchQuery(text="altyn"))
    )


def test_russian_yo_and_ye_are_the_same_letter(index) -> None:  # type: ignore[no-untyped-def]
    assert ids(index.search(SearchQuery(text="елочная"))) == {"4"}
    assert ids(index.search(SearchQuery(text="ЁЛОЧНАЯ"))) == {"4"}


def test_russian_word_forms_find_each_other(index) -> None:  # type: ignore[no-untyped-def]
    assert ids(index.search(SearchQuery(text="икона"))) == {"2", "6"}


def test_every_query_word_must_match(index) -> None:  # type: ignore[no-untyped-def]
    assert ids(index.search(SearchQuery(text="kazakh chest"))) == {"1"}
    assert index.search(SearchQuery(text="kazakh icon")).total == 0


def test_query_of_only_punctuation_finds_nothing_instead_of_failing(index) -> None:  # type: ignore[no-untyped-def]
    assert index.search(SearchQuery(text='"*()')).total == 0


def test_facet_counts_follow_the_result_set(index) -> None:  # type: ignore[no-untyped-def]
    result = index.search(SearchQuery(facets=["region", "material", "has_image"]))
    regions = {f.value: f.count for f in result.facets["region"]}
    assert regions == {"KZ-75": 3, "KZ-19": 1, "KZ-71": 1, "KZ-79": 1}
    materials = {f.value: f.count for f in result.facets["material"]}
    assert materials["wood"] == 2
    filtered = index.search(SearchQuery(filters={"region": ["KZ-75"]}, facets=["material"]))
    assert filtered.total == 3
    assert {f.value: f.count for f in filtered.facets["material"]} == {
        "wood": 2,
        "silver": 1,
        "bronze": 1,
    }


def test_filters_combine_and_booleans_work(index) -> None:  # type: ignore[no-untyped-def]
    assert ids(index.search(SearchQuery(filters={"has_3d": ["true"]}))) == {"3"}
    assert ids(index.search(SearchQuery(filters={"has_image": ["true"], "region": ["KZ-75"]}))) == {
        "1"
    }
    assert ids(index.search(SearchQuery(filters={"object_type": ["icon", "toy"]}))) == {
        "2",
        "4",
        "6",
    }


def test_date_range_matches_overlapping_periods_including_bce(index) -> None:  # type: ignore[no-untyped-def]
    assert ids(index.search(SearchQuery(date_from=-450, date_to=-400))) == {"3"}
    assert ids(index.search(SearchQuery(date_from=1840, date_to=1860))) == {"1", "6"}
    assert ids(index.search(SearchQuery(date_to=0))) == {"3"}


def test_century_facet_names_bce_centuries_negatively(index) -> None:  # type: ignore[no-untyped-def]
    result = index.search(SearchQuery(text="golden", facets=["century"]))
    assert {f.value for f in result.facets["century"]} == {"-5", "-4"}


def test_sorting_and_paging(index) -> None:  # type: ignore[no-untyped-def]
    by_date = index.search(SearchQuery(sort="date", size=2))
    assert [h.id.split(":")[1] for h in by_date.hits] == ["3", "2"]
    page2 = index.search(SearchQuery(sort="date", size=2, page=2))
    assert [h.id.split(":")[1] for h in page2.hits] == ["6", "1"]
    assert page2.total == 6


def test_deleted_records_disappear_from_search_and_facets(index) -> None:  # type: ignore[no-untyped-def]
    index.delete(["kz-test-museum:3"])
    assert index.search(SearchQuery(text="golden")).total == 0
    regions = index.search(SearchQuery(facets=["region"])).facets["region"]
    assert "KZ-19" not in {f.value for f in regions}


def test_reindexing_a_record_replaces_it(index, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    changed = make_record("1", titles={"en": "Painted chest"}, object_type="chest")
    index.upsert([build_document(changed, "KZ-75")])
    assert index.search(SearchQuery(text="kebeje")).total == 0
    assert ids(index.search(SearchQuery(text="painted"))) == {"1"}
    assert index.count() == 6


def test_unknown_filter_and_deep_paging_are_refused_with_a_reason() -> None:
    with pytest.raises(ValueError, match="unknown filter"):
        SearchQuery(filters={"colour": ["red"]})
    with pytest.raises(QueryError, match="narrow"):
        SearchQuery(page=1000, size=100).check_window()
