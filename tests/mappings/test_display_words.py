"""Dates, measurements and licences read in the reader's language; the museum's own words are the fallback."""

from __future__ import annotations

import pytest

from mappings.core import Measurement
from mappings.date_display import century_name, date_label
from mappings.display_terms import licence_from, licence_name, measurement_label


@pytest.mark.parametrize(
    ("earliest", "latest", "en", "ru", "kk"),
    [
        ("1800", "1899", "19th century", "XIX век", "XIX ғасыр"),
        ("1801", "1900", "19th century", "XIX век", "XIX ғасыр"),
        ("1850", "1899", "second half of the 19th century", "вторая половина XIX века", "XIX ғасырдың екінші жартысы"),
        ("1866", "1899", "late 19th century", "конец XIX века", "XIX ғасырдың соңы"),
        ("1800", "1999", "19th–20th centuries", "XIX–XX века", "XIX–XX ғасырлар"),
        ("-0499", "-0400", "5th century BCE", "V век до н. э.", "б.з.д. V ғасыр"),
        ("-1999", "-1000", "2nd millennium BCE", "II тысячелетие до н. э.", "б.з.д. II мыңжылдық"),
        ("1945", "1945", "1945", "1945 г.", "1945 ж."),
        ("1920", "1929", "1920s", "1920-е годы", "1920-жылдар"),
        ("1905", "1910", "1905–1910", "1905–1910 гг.", "1905–1910 жж."),
        ("-0099", "0100", "100 BCE – 100 CE", "100 г. до н. э. – 100 г. н. э.", "б.з.д. 100 ж. – б.з. 100 ж."),
    ],
)
def test_a_date_span_reads_in_each_language(earliest: str, latest: str, en: str, ru: str, kk: str) -> None:
    assert [date_label(earliest, latest, lang) for lang in ("en", "ru", "kk")] == [en, ru, kk]


def test_a_full_date_stays_iso_and_no_date_is_none() -> None:
    assert date_label("1905-03-12", "1905-03-12", "ru") == "1905-03-12"
    assert date_label(None, "1900", "en") == "1900"
    assert date_label(None, None, "en") is None


def test_index_centuries_are_named_as_dates_are() -> None:
    assert century_name(19, "en") == "19th century" and century_name(-5, "kk") == "б.з.д. V ғасыр"


def test_measurements_get_localised_words_units_and_decimal_marks() -> None:
    height = Measurement(type="height", value=42.5, unit="cm")
    assert [measurement_label(height, lang) for lang in ("en", "ru", "kk")] == [
        "height 42.5 cm",
        "высота 42,5 см",
        "биіктігі 42,5 см",
    ]
    coin = Measurement(display="диам. 22 мм; 3,45 г")
    assert measurement_label(coin, "en") == "diameter 22 mm; 3.45 g"
    assert measurement_label(Measurement(display="197 х 86 х 18 см"), "en") == "197 × 86 × 18 cm"


def test_free_text_measurements_are_shown_as_written() -> None:
    assert measurement_label(Measurement(display="about 3 feet"), "ru") == "about 3 feet"
    assert measurement_label(Measurement(), "en") is None


def test_creative_commons_licences_are_recognised_in_any_form_and_named_with_their_link() -> None:
    for uri in (
        "http://creativecommons.org/licenses/by-sa/4.0/",
        "https://creativecommons.org/licenses/by-sa/4.0/deed.ru",
        "https://creativecommons.org/licenses/by-sa/4.0/legalcode",
    ):
        licence = licence_from(uri)
        assert licence is not None and licence.url == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert licence_from(None, "CC BY-NC 4.0") == licence_from("https://creativecommons.org/licenses/by-nc/4.0/")
    licence = licence_from("https://creativecommons.org/licenses/by/4.0/")
    assert licence is not None
    assert licence_name(licence, "en") == "Attribution 4.0 International (CC BY 4.0)"
    assert licence_name(licence, "ru") == "Атрибуция 4.0 Всемирная (CC BY 4.0)"
    zero = licence_from("https://creativecommons.org/publicdomain/zero/1.0/")
    assert zero is not None and licence_name(zero, "kk").startswith("CC0 1.0")
    assert licence_from("http://rightsstatements.org/vocab/InC/1.0/") is None
