"""Specification of CSV profiles: which cell of a museum's export lands in which core field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harvester.raw import RawRecord
from mappings.core import Measurement, MediaKind
from mappings.csv_profiles import (
    MAPPING_VERSION,
    CsvProfile,
    ProfileError,
    available_profiles,
    licence_uri,
    load_profile,
    map_csv_row,
    parse_measurements,
)
from mappings.dates import parse_date
from mappings.report import MappingError


def csv_raw(
    row: dict[str, str], profile: str = "ru-accounting", museum: str = "kz-museum"
) -> RawRecord:
    local_id = row.get("Инв. №") or row.get("id") or row.get("inventory_number") or "x"
    payload = json.dumps(row, ensure_ascii=False).encode("utf-8")
    return RawRecord(museum, local_id, f"csv:{profile}", payload)


KEBEJE = {
    "Инв. №": "КП-1234/56",
    "Наименование": "Кебеже",
    "Наименование (каз.)": "Кебеже (сандық)",
    "Наименование (англ.)": "Kebezhe chest",
    "Тип предмета": "сундук",
    "Коллекция": "Этнография",
    "Материал": "дерево; металл",
    "Техника": "резьба",
    "Датировка": "XIX в.",
    "Размеры": "45 x 60 x 38 см",
    "Автор": "неизвестный мастер",
    "Место создания": "Семиречье",
    "Описание": "Сундук для хранения продуктов.\nУкрашен резьбой.",
    "Изображение": "kp1234.jpg",
    "3D-модель": "https://3d.example.kz/models/kp1234.glb",
    "Права": "https://creativecommons.org/licenses/by/4.0/",
}


# --------------------------------------------------------------------------- shipped profiles


def test_shipped_profiles_are_generic_and_ru_accounting() -> None:
    assert {"generic", "ru-accounting"} <= set(available_profiles())
    assert load_profile("generic").id_column == ["id", "inventory_number"]
    assert load_profile("ru-accounting").id_column[0] == "Инв. №"


def test_ru_accounting_profile_reads_every_header_the_demo_generator_writes() -> None:
    known = load_profile("ru-accounting").known_headers()
    for header in KEBEJE:
        assert header.casefold() in known, header


# --------------------------------------------------------------------------- ru-accounting row


def test_ru_accounting_row_gives_identity_titles_and_terms() -> None:
    record = map_csv_row(csv_raw(KEBEJE)).record

    assert record.id == "kz-museum:КП-1234/56"
    assert record.local_id == "КП-1234/56"
    assert record.inventory_number == "КП-1234/56"
    assert [(t.value, t.lang, t.preferred) for t in record.titles] == [
        ("Кебеже", "ru", True),
        ("Кебеже (сандық)", "kk", False),
        ("Kebezhe chest", "en", False),
    ]
    assert [t.labels for t in record.object_type] == [{"ru": "сундук"}]
    assert [t.labels for t in record.classification] == [{"ru": "Этнография"}]
    assert [t.labels for t in record.materials] == [{"ru": "дерево"}, {"ru": "металл"}]
    assert [t.labels for t in record.techniques] == [{"ru": "резьба"}]
    assert record.descriptions[0].value == "Сундук для хранения продуктов.\nУкрашен резьбой."
    assert record.descriptions[0].lang == "ru"


def test_ru_accounting_row_gives_actor_with_default_role_and_place() -> None:
    record = map_csv_row(csv_raw(KEBEJE)).record

    assert [a.name for a in record.actors] == ["неизвестный мастер"]
    assert record.actors[0].role is not None
    assert record.actors[0].role.labels["ru"] == "автор"
    assert record.production is not None
    assert [p.name for p in record.production.places] == ["Семиречье"]


def test_ru_accounting_dimensions_become_display_plus_height_width_depth() -> None:
    record = map_csv_row(csv_raw(KEBEJE)).record

    assert record.measurements == [
        Measurement(display="45 x 60 x 38 см"),
        Measurement(type="height", value=45.0, unit="cm"),
        Measurement(type="width", value=60.0, unit="cm"),
        Measurement(type="depth", value=38.0, unit="cm"),
    ]


def test_ru_accounting_bare_image_name_is_resolved_by_template_and_3d_url_kept() -> None:
    record = map_csv_row(csv_raw(KEBEJE)).record

    image, model = record.media
    assert image.kind is MediaKind.IMAGE
    assert image.url == "https://media.emuseum.kz/kz-museum/kp1234.jpg"
    assert image.mime == "image/jpeg"
    assert model.kind is MediaKind.MODEL_3D
    assert model.url == "https://3d.example.kz/models/kp1234.glb"
    assert model.mime == "model/gltf-binary"
    assert record.has_image and record.has_3d


def test_ru_accounting_licence_url_becomes_rights_uri() -> None:
    record = map_csv_row(csv_raw(KEBEJE)).record

    assert record.rights is not None
    assert record.rights.uri == "https://creativecommons.org/licenses/by/4.0/"


def test_display_date_is_kept_and_its_range_is_what_the_date_parser_reads() -> None:
    result = map_csv_row(csv_raw(KEBEJE))
    production = result.record.production
    assert production is not None
    assert production.date_display == "XIX в."

    expected = parse_date("XIX в.")
    if expected is None:
        assert any("XIX в." in issue.message for issue in result.issues)
        assert production.earliest is None and production.latest is None
    else:
        assert (production.earliest, production.latest) == (expected.earliest, expected.latest)


def test_year_date_gives_earliest_and_latest() -> None:
    production = map_csv_row(csv_raw({**KEBEJE, "Датировка": "1885"})).record.production
    assert production is not None
    assert (production.earliest, production.latest) == ("1885", "1885")


def test_source_info_names_format_and_mapping_version() -> None:
    record = map_csv_row(csv_raw(KEBEJE)).record

    assert record.source.format == "csv:ru-accounting"
    assert record.source.mapping_version == MAPPING_VERSION == "csv-in/2"


def test_short_licence_name_keeps_its_label_and_gains_the_creative_commons_uri() -> None:
    rights = map_csv_row(csv_raw({**KEBEJE, "Права": "CC BY-SA 4.0"})).record.rights

    assert rights is not None
    assert rights.label == "CC BY-SA 4.0"
    assert rights.uri == "https://creativecommons.org/licenses/by-sa/4.0/"


@pytest.mark.parametrize(
    ("text", "uri"),
    [
        ("CC BY", "https://creativecommons.org/licenses/by/4.0/"),
        ("cc-by-nc-nd 3.0", "https://creativecommons.org/licenses/by-nc-nd/3.0/"),
        ("Creative Commons BY NC SA 4.0", "https://creativecommons.org/licenses/by-nc-sa/4.0/"),
        ("CC0", "https://creativecommons.org/publicdomain/zero/1.0/"),
        ("Общественное достояние", "https://creativecommons.org/publicdomain/mark/1.0/"),
        ("CC BY-SA-ND", None),
        ("Все права защищены", None),
    ],
)
def test_licence_uri_reads_only_unambiguous_licence_names(text: str, uri: str | None) -> None:
    assert licence_uri(text) == uri


def test_local_path_in_image_column_uses_only_the_file_name() -> None:
    row = {**KEBEJE, "Изображение": "C:\\Фото\\Кебеже 1.jpg"}
    result = map_csv_row(csv_raw(row))

    assert result.record.media[0].url == (
        "https://media.emuseum.kz/kz-museum/%D0%9A%D0%B5%D0%B1%D0%B5%D0%B6%D0%B5%201.jpg"
    )
    assert any("local path" in issue.message for issue in result.issues)


def test_headers_match_regardless_of_case_and_spaces() -> None:
    row = {"  инв. №": "КП-1", "НАИМЕНОВАНИЕ ": "Домбра", "Тип  предмета": "инструмент"}
    record = map_csv_row(csv_raw(row)).record

    assert record.inventory_number == "КП-1"
    assert record.title() == "Домбра"
    assert record.object_type[0].labels == {"ru": "инструмент"}


def test_unknown_columns_are_listed_as_unmapped() -> None:
    row = {**KEBEJE, "Примечание": "реставрирован", "Хранитель": ""}
    result = map_csv_row(csv_raw(row))

    assert result.unmapped == ["Примечание", "Хранитель"]


def test_materials_split_on_commas_but_not_inside_brackets() -> None:
    row = {**KEBEJE, "Материал": "дерево (береза, сосна), кожа; металл"}
    record = map_csv_row(csv_raw(row)).record

    assert [t.labels["ru"] for t in record.materials] == [
        "дерево (береза, сосна)",
        "кожа",
        "металл",
    ]


def test_several_authors_each_get_the_default_role() -> None:
    row = {**KEBEJE, "Автор": "Кастеев А.; Хлудов Н."}
    record = map_csv_row(csv_raw(row)).record

    assert [a.name for a in record.actors] == ["Кастеев А.", "Хлудов Н."]
    assert all(a.role is not None and a.role.labels["ru"] == "автор" for a in record.actors)


def test_row_with_object_type_but_no_title_is_accepted() -> None:
    row = {"Инв. №": "КП-2", "Тип предмета": "монета"}
    record = map_csv_row(csv_raw(row)).record

    assert record.titles == []
    assert record.object_type[0].labels == {"ru": "монета"}


def test_row_without_title_and_object_type_is_an_error_naming_museum_record_and_field() -> None:
    row = {"Инв. №": "КП-3", "Наименование": "  ", "Материал": "бронза"}
    with pytest.raises(MappingError) as caught:
        map_csv_row(csv_raw(row))

    error = caught.value
    assert (error.museum_id, error.local_id, error.field) == ("kz-museum", "КП-3", "titles")
    assert "«Наименование»" in error.message and "«Тип предмета»" in error.message


def test_unreadable_dimensions_are_kept_as_display_with_an_info_issue() -> None:
    result = map_csv_row(csv_raw({**KEBEJE, "Размеры": "по описи"}))

    assert result.record.measurements == [Measurement(display="по описи")]
    assert any(i.severity == "info" and i.field.startswith("measurements") for i in result.issues)


def test_payload_that_is_not_json_is_an_error_on_the_payload_field() -> None:
    raw = RawRecord("kz-museum", "КП-4", "csv:ru-accounting", b"\xff not json")
    with pytest.raises(MappingError) as caught:
        map_csv_row(raw)
    assert caught.value.field == "payload"


def test_unknown_profile_in_format_is_an_error_on_the_format_field() -> None:
    raw = csv_raw(KEBEJE, profile="no-such-profile")
    with pytest.raises(MappingError) as caught:
        map_csv_row(raw)
    assert caught.value.field == "format"
    assert "no-such-profile" in caught.value.message


# --------------------------------------------------------------------------- generic profile

GENERIC_ROW = {
    "id": "obj-7",
    "inventory_number": "KP 7",
    "title": "Dombra",
    "title_kk": "Домбыра",
    "title_ru": "Домбра",
    "title_en": "",
    "description": "Two-stringed lute.",
    "object_type": "musical instrument",
    "materials": "wood, gut",
    "date": "about 1900",
    "date_from": "1890",
    "date_to": "1910",
    "creator": "Unknown maker; Workshop of Z.",
    "creator_role": "maker; workshop",
    "place": "Almaty",
    "dimensions": "h 98 cm; w 20 cm",
    "image_url": "https://img.example.kz/obj-7.jpg; https://img.example.kz/obj-7-back.png",
    "model_3d_url": "https://3d.example.kz/obj-7.glb",
    "tour_url": "https://tour.example.kz/hall-2",
    "rights": "In copyright",
    "object_page": "https://museum.example.kz/objects/7",
}


def test_generic_profile_maps_image_3d_and_virtual_tour_urls() -> None:
    record = map_csv_row(csv_raw(GENERIC_ROW, profile="generic")).record

    assert [(m.kind, m.url) for m in record.media] == [
        (MediaKind.IMAGE, "https://img.example.kz/obj-7.jpg"),
        (MediaKind.IMAGE, "https://img.example.kz/obj-7-back.png"),
        (MediaKind.MODEL_3D, "https://3d.example.kz/obj-7.glb"),
        (MediaKind.VIRTUAL_TOUR, "https://tour.example.kz/hall-2"),
    ]
    assert record.links.object_page == "https://museum.example.kz/objects/7"


def test_generic_profile_prefers_first_non_empty_title_and_tags_unknown_language() -> None:
    record = map_csv_row(csv_raw(GENERIC_ROW, profile="generic")).record

    assert [(t.value, t.lang, t.preferred) for t in record.titles] == [
        ("Dombra", "und", True),
        ("Домбыра", "kk", False),
        ("Домбра", "ru", False),
    ]
    assert record.title("kk") == "Домбыра"


def test_generic_profile_explicit_date_columns_override_the_parsed_display_date() -> None:
    production = map_csv_row(csv_raw(GENERIC_ROW, profile="generic")).record.production

    assert production is not None
    assert production.date_display == "about 1900"
    assert (production.earliest, production.latest) == ("1890", "1910")


def test_generic_profile_pairs_creator_roles_with_creators() -> None:
    record = map_csv_row(csv_raw(GENERIC_ROW, profile="generic")).record

    pairs = [(a.name, a.role.labels if a.role else None) for a in record.actors]
    assert pairs == [
        ("Unknown maker", {"und": "maker"}),
        ("Workshop of Z.", {"und": "workshop"}),
    ]


def test_generic_profile_reads_labelled_dimensions_and_rights_label() -> None:
    record = map_csv_row(csv_raw(GENERIC_ROW, profile="generic")).record

    assert record.measurements[1:] == [
        Measurement(type="height", value=98.0, unit="cm"),
        Measurement(type="width", value=20.0, unit="cm"),
    ]
    assert record.rights is not None and record.rights.label == "In copyright"
    assert record.rights.uri is None


def test_generic_id_falls_back_to_inventory_number() -> None:
    profile = load_profile("generic")
    assert profile.id_for({"id": " ", "inventory_number": " KP 9 "}) == "KP 9"
    assert profile.id_for({"ID": "a-1", "inventory_number": "KP 9"}) == "a-1"
    assert profile.id_for({"title": "x"}) is None


def test_media_value_that_is_not_a_url_without_template_is_dropped_with_a_warning() -> None:
    row = {**GENERIC_ROW, "image_url": "obj-7.jpg", "model_3d_url": "", "tour_url": ""}
    result = map_csv_row(csv_raw(row, profile="generic"))

    assert result.record.media == []
    assert any(i.field.startswith("media") and "obj-7.jpg" in i.message for i in result.issues)


def test_explicit_profile_argument_wins_over_the_raw_format() -> None:
    raw = csv_raw(GENERIC_ROW, profile="something-else")
    record = map_csv_row(raw, load_profile("generic")).record
    assert record.title() == "Dombra"


# --------------------------------------------------------------------------- profile files


def test_profile_loads_from_a_path_with_aliases_templates_and_roles(tmp_path: Path) -> None:
    path = tmp_path / "museum-x.yaml"
    path.write_text(
        """
name: museum-x
lang: kk
id_column: Нөмір
columns:
  - {column: [Атауы, Название], field: titles}
  - {column: Сурет, field: media, kind: image, template: "https://x.kz/img/{value}"}
  - {column: Шебер, field: actors, role: шебер}
  - {column: Нөмір, field: links.object_page, template: "https://x.kz/o/{value}"}
""",
        encoding="utf-8",
    )
    profile = load_profile(str(path))
    assert isinstance(profile, CsvProfile)

    row = {"Нөмір": "12/3", "Название": "Киіз үй", "Сурет": "12.png", "Шебер": "Ахмет"}
    record = map_csv_row(csv_raw(row, profile=str(path)), profile).record
    assert record.titles[0].value == "Киіз үй" and record.titles[0].lang == "kk"
    assert record.media[0].url == "https://x.kz/img/12.png"
    assert record.actors[0].role is not None and record.actors[0].role.labels == {"kk": "шебер"}
    assert record.links.object_page == "https://x.kz/o/12%2F3"


def test_profile_with_an_unknown_field_is_rejected_naming_file_rule_and_field(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "name: bad\nid_column: id\ncolumns:\n  - {column: colour, field: colours}\n",
        encoding="utf-8",
    )
    with pytest.raises(ProfileError) as caught:
        load_profile(str(path))
    message = str(caught.value)
    assert str(path) in message and "'colour'" in message and "field field" in message


def test_template_without_value_placeholder_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "name: bad\nid_column: id\ncolumns:\n"
        "  - {column: img, field: media, template: 'https://x.kz/'}\n",
        encoding="utf-8",
    )
    with pytest.raises(ProfileError, match=r"\{value\}"):
        load_profile(str(path))


def test_unknown_profile_name_lists_the_shipped_ones() -> None:
    with pytest.raises(ProfileError, match="generic"):
        load_profile("nonexistent")


# --------------------------------------------------------------------------- measurements


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("32 x 20 см", [("height", 32.0, "cm"), ("width", 20.0, "cm")]),
        ("32х20 см", [("height", 32.0, "cm"), ("width", 20.0, "cm")]),
        ("Размеры: 12,5 × 8 мм", [("height", 12.5, "mm"), ("width", 8.0, "mm")]),
        ("h 12 cm", [("height", 12.0, "cm")]),
        ("выс. 30 см; диам. 12 см", [("height", 30.0, "cm"), ("diameter", 12.0, "cm")]),
        ("Д. 15 см, вес 1,2 кг", [("diameter", 15.0, "cm"), ("weight", 1.2, "kg")]),
        ("350 г", [("weight", 350.0, "g")]),
        ("45 x 60 x 38", [("height", 45.0, None), ("width", 60.0, None), ("depth", 38.0, None)]),
        ("по описи", []),
        ("1 x 2 x 3 x 4 см", []),
    ],
)
def test_parse_measurements_reads_the_easy_cases_and_nothing_else(
    text: str, expected: list[tuple[str, float, str | None]]
) -> None:
    assert [(m.type, m.value, m.unit) for m in parse_measurements(text)] == expected


def test_parse_measurements_follows_the_profile_axis_order() -> None:
    found = parse_measurements("20 x 30 cm", axes=["width", "height"])
    assert [(m.type, m.value) for m in found] == [("width", 20.0), ("height", 30.0)]


# --------------------------------------------------------------------------- events and provenance

ARCHAEOLOGY = {
    "Инв. №": "КП-101",
    "Наименование": "Бляшка",
    "Датировка": "V-IV вв. до н.э.",
    "Место находки": "Бесшатыр, курган 6",
    "Памятник": "Бесшатыр",
    "Экспедиция": "Семиреченская археологическая экспедиция",
    "Год раскопок": "1957",
    "Руководитель раскопок": "Акишев, К. А.",
    "Источник поступления": "Институт истории, археологии и этнографии",
    "Дата поступления": "0",
}


def test_find_excavation_and_acquisition_columns_become_events_of_their_types() -> None:
    record = map_csv_row(csv_raw(ARCHAEOLOGY)).record
    assert [e.type.concept for e in record.events if e.type] == ["finding", "excavation", "acquisition"]
    find, excavation, acquisition = record.events
    assert [p.name for p in find.places] == ["Бесшатыр, курган 6"]
    assert excavation.name == "Семиреченская археологическая экспедиция"
    assert (excavation.date_display, excavation.earliest, excavation.latest) == ("1957", "1957", "1957")
    assert [(a.name, a.role.labels["ru"] if a.role else None) for a in excavation.actors] == [
        ("Акишев, К. А.", "руководитель раскопок")
    ]
    # "0" in a date column is the accounting system's "unknown", not 1 BCE.
    assert acquisition.date_display is None and acquisition.earliest is None
    assert [a.name for a in acquisition.actors] == ["Институт истории, археологии и этнографии"]
    assert record.production is not None and record.production.earliest == "-0499"


def test_each_value_names_the_column_it_came_from() -> None:
    record = map_csv_row(csv_raw(ARCHAEOLOGY)).record
    assert record.provenance["inventory_number"] == ["Инв. №"]
    assert record.provenance["titles"] == ["Наименование"]
    assert record.provenance["production.date_display"] == ["Датировка"]
    assert record.provenance["production.earliest"] == ["Датировка"]
    assert record.provenance["events[1].name"] == ["Экспедиция"]
    assert record.provenance["events[1].earliest"] == ["Год раскопок"]
    assert record.provenance["events[2].actors"] == ["Источник поступления"]
    assert "events[2].date_display" not in record.provenance


def test_an_explicit_date_column_is_the_source_of_the_bound_it_sets() -> None:
    row = {"id": "g-1", "title": "Icon", "date": "XIX век", "date_from": "1850"}
    record = map_csv_row(csv_raw(row, profile="generic")).record
    assert record.production is not None and record.production.earliest == "1850"
    assert record.provenance["production.earliest"] == ["date_from"]
    assert record.provenance["production.latest"] == ["date"]


def test_rows_of_one_export_share_the_header_matching_and_each_row_gets_its_own_values() -> None:
    """The rule-to-column matching is worked out once per header row; values never leak between rows."""
    first = map_csv_row(csv_raw({**KEBEJE, "Наименование": "Кебеже", "Прочее": "x"})).record
    second = map_csv_row(csv_raw({**KEBEJE, "Инв. №": "КП-9", "Наименование": "Саба", "Прочее": "y"}))
    assert [t.value for t in first.titles if t.lang == "ru"] == ["Кебеже"]
    assert [t.value for t in second.record.titles if t.lang == "ru"] == ["Саба"]
    assert second.record.inventory_number == "КП-9"
    assert second.unmapped == ["Прочее"]


def test_of_two_headers_with_one_key_the_one_with_a_value_counts_in_every_row() -> None:
    """«Наименование» and «наименование » fold to one key: the matching cannot be reused across rows."""
    base = {k: v for k, v in KEBEJE.items() if k != "Наименование"}
    rows = [
        {**base, "Наименование": "", "наименование ": "Саба"},
        {**base, "Наименование": "Кебеже", "наименование ": ""},
        {**base, "Наименование": "", "наименование ": "Торсық"},
    ]
    titles = [[t.value for t in map_csv_row(csv_raw(row)).record.titles if t.lang == "ru"] for row in rows]
    assert titles == [["Саба"], ["Кебеже"], ["Торсық"]]
