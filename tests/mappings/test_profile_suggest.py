"""`emuseum profile suggest`: a profile proposed from a header row in Kazakh, Russian or English."""

from __future__ import annotations

import json

import pytest
import yaml

from harvester.raw import RawRecord
from mappings.csv_profiles import CsvProfile, map_csv_row
from mappings.csv_profiles.suggest import suggest_profile


def test_kazakh_russian_and_english_headers_are_recognised() -> None:
    headers = ["Түгендеу нөмірі", "Атауы", "Наименование (рус.)", "Title_en", "Материалы", "Датасы", "Сурет",
               "Хранитель"]  # fmt: skip
    suggestion = suggest_profile(headers, "kz-aul")
    assert suggestion.profile.id_column == ["Түгендеу нөмірі"]
    assert suggestion.matched == {
        "Түгендеу нөмірі": "inventory_number",
        "Атауы": "titles",
        "Наименование (рус.)": "titles (ru)",
        "Title_en": "titles (en)",
        "Материалы": "materials",
        "Датасы": "production.date_display",
        "Сурет": "media",
    }
    assert suggestion.unmatched == ["Хранитель"]
    assert suggestion.profile.lang == "kk"


def test_the_suggestion_is_a_profile_that_maps_the_export() -> None:
    headers = ["Инв. №", "Наименование", "Атауы (каз.)", "Тип предмета", "Материал", "Датировка", "Размеры"]
    text = suggest_profile(headers, "kz-museum").to_yaml()
    assert "# not mapped" not in text
    profile = CsvProfile.model_validate(yaml.safe_load(text))
    cells = ["КП-7", "Кебеже", "Кебеже", "сундук", "дерево; металл", "XIX век", "50x40x30"]
    row = dict(zip(headers, cells, strict=True))
    raw = RawRecord("kz-museum", "КП-7", "csv:kz-museum", json.dumps(row, ensure_ascii=False).encode())
    record = map_csv_row(raw, profile).record
    assert {t.lang: t.value for t in record.titles} == {"ru": "Кебеже", "kk": "Кебеже"}
    assert [m.label("ru") for m in record.materials] == ["дерево", "металл"]
    assert record.production is not None and record.production.earliest == "1800"
    assert [m.type for m in record.measurements if m.type] == ["height", "width", "depth"]


def test_an_export_without_an_id_column_is_told_so() -> None:
    with pytest.raises(ValueError, match="no column looks like an inventory number"):
        suggest_profile(["Наименование", "Материал"], "x")
