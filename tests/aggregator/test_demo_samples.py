"""Specification of the demo's sample funds: realistic, deterministic, valid in every format."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from config.regions import REGIONS
from config.registry import Museum
from demo.samples import (
    ACCOUNTING_HEADERS,
    SAMPLE_MUSEUMS,
    SampleObject,
    generate_museum_objects,
    to_accounting_row,
    to_lido,
    to_oai_dc,
    write_csv,
)
from demo.samples.templates import TEMPLATES_FILE, TemplateFileError, load_templates
from harvester.raw import csv_header_key
from mappings.core import ISO_DATE
from mappings.csv_profiles import load_profile
from mappings.dates import parse_date
from mappings.lido_schema import validate_lido

LIDO = "http://www.lido-schema.org"
NS = {"lido": LIDO, "dc": "http://purl.org/dc/elements/1.1/"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BASE_URL = "http://127.0.0.1:8765"

# The sample CSV must be exactly what the 'ru-accounting' profile reads.
EXPECTED_HEADERS = list(ACCOUNTING_HEADERS)


def test_sample_csv_headers_are_the_ones_the_ru_accounting_profile_reads() -> None:
    profile = load_profile("ru-accounting")
    assert {csv_header_key(h) for h in EXPECTED_HEADERS} <= set(profile.known_headers()), "no column goes unread"
    assert profile.id_columns_in(EXPECTED_HEADERS) == ["Инв. №"]


KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def fund(museum_id: str = "csm-almaty", count: int = 500, seed: int = 7) -> list[SampleObject]:
    region = next((m["region"] for m in SAMPLE_MUSEUMS if m["id"] == museum_id), "KZ-75")
    return generate_museum_objects(museum_id, count, seed=seed, region=region, base_url=BASE_URL)


@pytest.fixture(scope="module")
def big_fund() -> list[SampleObject]:
    return [o for m in SAMPLE_MUSEUMS for o in fund(m["id"], 1000, seed=11)]


# --------------------------------------------------------------------------- determinism


def test_same_seed_gives_the_same_objects_and_the_same_bytes() -> None:
    first, second = fund(seed=3, count=300), fund(seed=3, count=300)

    assert first == second
    assert [to_lido(o, "Museum") for o in first] == [to_lido(o, "Museum") for o in second]
    assert [to_oai_dc(o) for o in first] == [to_oai_dc(o) for o in second]


def test_another_seed_or_museum_gives_another_fund() -> None:
    base = fund(seed=3, count=100)

    assert [o.titles for o in fund(seed=4, count=100)] != [o.titles for o in base]
    assert [o.titles for o in fund("otrar-reserve", seed=3, count=100)] != [o.titles for o in base]


def test_ten_thousand_objects_have_ten_thousand_ids() -> None:
    objects = fund(count=10_000, seed=1)  # how fast: benchmarks, not tests

    assert len(objects) == 10_000
    assert len({o.local_id for o in objects}) == 10_000


def test_an_unknown_region_is_refused_with_museum_and_region_named() -> None:
    with pytest.raises(ValueError, match=r"my-museum.*KZ-ALA"):
        generate_museum_objects("my-museum", 5, seed=1, region="KZ-ALA", base_url=BASE_URL)


# --------------------------------------------------------------------------- realism


def test_media_and_deletion_shares_stay_within_realistic_bounds(
    big_fund: list[SampleObject],
) -> None:
    total = len(big_fund)
    images = sum(o.image_url is not None for o in big_fund) / total
    models = sum(o.model_url is not None for o in big_fund) / total
    tours = sum(o.tour_url is not None for o in big_fund) / total
    deleted = sum(o.deleted for o in big_fund) / total

    assert 0.35 <= images <= 0.45
    assert 0.07 <= models <= 0.13
    assert 0.005 <= tours <= 0.06
    assert 0.03 <= deleted <= 0.07
    assert all(o.image_url for o in big_fund if o.model_url), "3D models come with a photo"
    assert all(o.model_url.endswith(".glb") for o in big_fund if o.model_url)
    assert all(o.image_url.startswith(BASE_URL + "/") for o in big_fund if o.image_url)


def test_bce_dates_are_present_and_iso_astronomical(big_fund: list[SampleObject]) -> None:
    bce = [o for o in big_fund if o.earliest.startswith("-")]

    assert len(bce) > len(big_fund) * 0.05
    for obj in big_fund:
        assert ISO_DATE.match(obj.earliest) and ISO_DATE.match(obj.latest), obj
        assert int(obj.earliest) <= int(obj.latest), obj
    assert all(re.fullmatch(r"-\d{4}", o.earliest) for o in bce)
    saka = [o for o in big_fund if re.fullmatch(r"V[-–]IV вв\. до н\.э\.", o.date_labels["ru"])]
    assert saka, "the Issyk finds are dated to the 5th-4th century BCE"
    assert {(o.earliest, o.latest) for o in saka} == {("-0499", "-0300")}
    bronze_age = min(int(o.earliest) for o in bce)
    assert bronze_age <= -1399, "the fund reaches back to the Bronze Age"


def test_russian_datings_read_back_to_the_bounds_the_lido_export_carries(
    big_fund: list[SampleObject],
) -> None:
    """The CSV path gives only «Датировка»; the catalogue's parser must land where LIDO does."""
    checked: set[tuple[str, str, str]] = set()
    for obj in big_fund:
        key = (obj.date_labels["ru"], obj.earliest, obj.latest)
        if key in checked:
            continue
        checked.add(key)
        parsed = parse_date(obj.date_labels["ru"])
        assert parsed is not None, key
        assert (parsed.earliest, parsed.latest) == (obj.earliest, obj.latest), key


def test_dates_are_displayed_in_kazakh_russian_and_english_traditions(
    big_fund: list[SampleObject],
) -> None:
    displays = {o.date_display for o in big_fund}

    assert any(d.endswith(" ғ.") for d in displays)
    assert any(d.endswith(" в.") for d in displays)
    assert any(d.startswith("б.з.д. ") for d in displays)
    assert any(d.endswith("до н.э.") for d in displays)
    assert any(d.startswith("ca. ") for d in displays)
    assert any(re.fullmatch(r"\d{4}[-–]\d{4}", d) for d in displays)
    assert all(o.date_display in o.date_labels.values() for o in big_fund)


def test_objects_come_from_all_twenty_regions(big_fund: list[SampleObject]) -> None:
    assert {o.region for o in big_fund} == set(REGIONS)


def test_a_regional_museum_leans_towards_its_own_region() -> None:
    otrar = fund("otrar-reserve", 2000)
    local = sum(o.region == "KZ-61" for o in otrar) / len(otrar)

    assert local > 0.3
    assert any(o.place == "Отырар" and o.collection["en"] == "Archaeology" for o in otrar)


def test_titles_repeat_with_qualifiers_as_in_a_real_fund(big_fund: list[SampleObject]) -> None:
    titles = Counter(o.titles["kk"] for o in big_fund)
    kebeje = {t for t in titles if "кебеже" in t.lower()}

    assert len(titles) < 200
    assert titles.most_common(1)[0][1] >= 20
    assert len(kebeje) >= 3 and "Кебеже" in kebeje


def test_kazakh_titles_are_cyrillic_and_use_the_kazakh_letters(
    big_fund: list[SampleObject],
) -> None:
    kazakh = [o.titles["kk"] for o in big_fund]

    assert all(not re.search(r"[A-Za-z]", t) for t in kazakh)
    with_kazakh_letters = sum(bool(KAZAKH_LETTERS & set(t)) for t in kazakh)
    assert with_kazakh_letters / len(kazakh) > 0.4
    assert all(set(o.titles) >= {"kk", "ru", "en"} for o in big_fund)


def test_materials_span_the_traditional_crafts(big_fund: list[SampleObject]) -> None:
    materials = {m["ru"] for o in big_fund for m in o.materials}

    expected = {"дерево", "серебро", "золото", "кожа", "войлок", "керамика", "камень", "кость"}
    assert expected <= materials
    assert all(set(m) == {"kk", "ru", "en"} for o in big_fund for m in o.materials)


def test_artists_are_real_and_works_fall_within_their_lifetimes(
    big_fund: list[SampleObject],
) -> None:
    paintings = [o for o in big_fund if o.collection["en"] == "Painting"]
    kasteev = [o for o in paintings if o.creator == "Әбілхан Қастеев"]

    assert paintings and all(o.creator for o in paintings)
    assert kasteev
    assert all(1904 < int(o.earliest) and int(o.latest) <= 1973 for o in kasteev)


def test_sample_museums_are_registry_entries_once_a_source_is_added() -> None:
    assert 3 <= len(SAMPLE_MUSEUMS) <= 4
    for entry in SAMPLE_MUSEUMS:
        museum = Museum.model_validate({**entry, "source": {"type": "oai-pmh", "url": BASE_URL}})
        assert set(museum.name) == {"kk", "ru", "en"}
    assert {m["region"] for m in SAMPLE_MUSEUMS} >= {"KZ-75", "KZ-61"}


# --------------------------------------------------------------------------- LIDO


def test_lido_of_two_hundred_objects_validates_against_the_official_schema() -> None:
    objects = [o for m in SAMPLE_MUSEUMS for o in fund(m["id"], 50, seed=5)]
    assert len(objects) == 200

    for obj in objects:
        document = to_lido(obj, "Қазақстан Республикасының Ұлттық музейі")
        assert validate_lido(document, version="1.0") == [], obj.local_id


def test_lido_carries_ids_titles_dates_place_and_media() -> None:
    obj = next(o for o in fund(count=200) if o.image_url and o.model_url and o.creator)
    root = etree.fromstring(to_lido(obj, "Central State Museum"))

    assert root.tag == f"{{{LIDO}}}lido"
    assert root.findtext("lido:lidoRecID", namespaces=NS) == f"csm-almaty/{obj.local_id}"
    titles = root.findall(".//lido:titleSet/lido:appellationValue", NS)
    assert {t.get(XML_LANG): t.text for t in titles} == obj.titles
    assert root.findtext(".//lido:workID", namespaces=NS) == obj.inventory_number
    assert root.findtext(".//lido:earliestDate", namespaces=NS) == obj.earliest
    assert root.findtext(".//lido:latestDate", namespaces=NS) == obj.latest
    assert root.findtext(".//lido:displayDate", namespaces=NS) == obj.date_display
    assert root.findtext(".//lido:partOfPlace/lido:placeID", namespaces=NS) == obj.region
    assert obj.creator in root.xpath(".//lido:nameActorSet/lido:appellationValue/text()", namespaces=NS)
    links = {link.text: link.get(f"{{{LIDO}}}formatResource") for link in root.iterfind(".//lido:linkResource", NS)}
    assert links[obj.image_url] == "image/jpeg"
    assert links[obj.model_url] == "model/gltf-binary"


# --------------------------------------------------------------------------- oai_dc


def test_oai_dc_is_well_formed_with_titles_in_kazakh_russian_and_english() -> None:
    for obj in fund(count=100):
        root = etree.fromstring(to_oai_dc(obj))

        assert root.tag == "{http://www.openarchives.org/OAI/2.0/oai_dc/}dc"
        titles = {t.get(XML_LANG): t.text for t in root.iterfind("dc:title", NS)}
        assert titles == obj.titles
        identifiers = root.xpath("dc:identifier/text()", namespaces=NS)
        assert obj.inventory_number in identifiers
        if obj.image_url:
            assert obj.image_url in identifiers
        for element in ("type", "subject", "date", "format", "rights", "coverage"):
            assert root.find(f"dc:{element}", NS) is not None, (obj.local_id, element)
        assert (root.find("dc:creator", NS) is not None) == (obj.creator is not None)


# --------------------------------------------------------------------------- CSV


def test_accounting_rows_have_the_exact_headers_and_russian_values() -> None:
    objects = fund(count=200)
    rows = [to_accounting_row(o) for o in objects]

    assert all(list(row) == EXPECTED_HEADERS for row in rows)
    for obj, row in zip(objects, rows, strict=True):
        assert row["Инв. №"] == obj.inventory_number
        assert row["Наименование (каз.)"] == obj.titles["kk"]
        assert row["Датировка"] == obj.date_labels["ru"]
        assert row["Место создания"] == obj.place_labels["ru"]
        assert row["Изображение"] == (obj.image_url or "")
    assert len({row["Инв. №"] for row in rows}) == len(rows), "the inventory number is the id"


def test_csv_written_in_cp1251_reads_back_with_the_exact_headers(tmp_path: Path) -> None:
    objects = [o for o in fund(count=300) if not o.deleted]
    rows = [to_accounting_row(o) for o in objects]
    path = tmp_path / "export.csv"

    write_csv(path, rows)

    text = path.read_bytes().decode("cp1251")  # strict: every byte is Windows-1251
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=";")
    assert reader.fieldnames == EXPECTED_HEADERS
    back = list(reader)
    assert len(back) == len(rows)
    assert [r["Инв. №"] for r in back] == [r["Инв. №"] for r in rows]
    assert [r["Наименование"] for r in back] == [r["Наименование"] for r in rows]
    assert "?" not in "".join(r["Наименование (каз.)"] for r in back)


def test_kazakh_letters_fall_back_to_russian_look_alikes_in_cp1251_but_survive_utf8(
    tmp_path: Path,
) -> None:
    row = {"Наименование (каз.)": "Қошқар мүйіз өрнекті сырмақ", "Размеры": "30 × 40 см"}

    write_csv(tmp_path / "a.csv", [row])
    write_csv(tmp_path / "b.csv", [row], encoding="utf-8", delimiter=",")

    cp1251 = (tmp_path / "a.csv").read_bytes().decode("cp1251").splitlines()
    assert cp1251[1] == "Кошкар муйіз орнекті сырмак;30 х 40 см"  # «х» is Cyrillic here
    utf8 = (tmp_path / "b.csv").read_text(encoding="utf-8").splitlines()
    assert utf8 == ["Наименование (каз.),Размеры", "Қошқар мүйіз өрнекті сырмақ,30 × 40 см"]


def test_an_empty_export_still_has_the_accounting_header_line(tmp_path: Path) -> None:
    write_csv(tmp_path / "empty.csv", [])

    lines = (tmp_path / "empty.csv").read_bytes().decode("cp1251").splitlines()
    assert lines == [";".join(EXPECTED_HEADERS)]


# --------------------------------------------------------------------------- the templates file


def test_the_shipped_templates_file_loads_with_unique_keys_and_hashable_specs() -> None:
    templates = load_templates()

    assert len({t.key for t in templates}) == len(templates) >= 20
    assert all(t.variants and all(len(v.title) == 3 for v in t.variants) for t in templates)
    # the datings are cached by their spec, so every spec must be a tuple all the way down
    assert all(hash(spec) is not None for t in templates for spec in t.periods)
    ethnographic = [t.periods for t in templates if t.collection == "ethnography"]
    assert len(set(ethnographic)) < len(ethnographic), "the shared ethnography dates alias reads as one value"


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        ("[[wood], [wood, iron]]", "[[wood], [wood, irn]]", r"kebeje\.materials: unknown \['irn'\]"),
        ("    weight: 3.0\n", "    weigth: 3.0\n", r"kebeje: unknown keys \['weigth'\]"),
        ("dims: [hwd, [45, 80]", "dims: [hdw, [45, 80]", r"kebeje\.dims: unknown kind 'hdw'"),
        ("      - kk: Аяқты кебеже\n", "      - kz: Аяқты кебеже\n", r"kebeje\.variants\[4\]: unknown keys \['kz'\]"),
    ],
)
def test_a_mistake_in_the_templates_file_fails_on_load_naming_template_and_field(
    tmp_path: Path, before: str, after: str, message: str
) -> None:
    text = TEMPLATES_FILE.read_text(encoding="utf-8")
    assert text.count(before) >= 1
    broken = tmp_path / "templates.yaml"
    broken.write_text(text.replace(before, after, 1), encoding="utf-8")

    with pytest.raises(TemplateFileError, match=message):
        load_templates(broken)
