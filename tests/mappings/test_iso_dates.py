"""Specification of the one reader of ISO dates (mappings.iso_dates)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mappings.core import ISO_DATE
from mappings.iso_dates import (
    IsoDate,
    days_in_month,
    format_iso,
    is_leap_year,
    is_valid_date,
    normalise_iso,
    parse_iso,
    read_index_date,
    sort_key,
    year_of,
)

# --- the core record's shape ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("1890", IsoDate(1890)),
        ("1890-04", IsoDate(1890, 4)),
        ("1890-04-15", IsoDate(1890, 4, 15)),
        ("0000", IsoDate(0)),  # 1 BCE
        ("-0499", IsoDate(-499)),  # 500 BCE
        ("-12000-02", IsoDate(-12000, 2)),
    ],
)
def test_a_core_record_date_reads_as_year_month_day(text: str, date: IsoDate) -> None:
    assert parse_iso(text) == date
    assert date.iso() == text


@pytest.mark.parametrize("text", ["", "190", "1890-4", "1890/04", "+1890", "1890-04-15T10:00", "ca. 1890"])
def test_anything_but_the_core_shape_is_refused_with_the_value_named(text: str) -> None:
    with pytest.raises(ValueError, match="not an ISO date"):
        parse_iso(text)


def test_a_month_outside_the_year_is_refused() -> None:
    with pytest.raises(ValueError, match="month out of range"):
        parse_iso("1890-13")


def test_the_day_is_taken_as_written_and_only_clamped_when_a_calendar_day_is_asked_for() -> None:
    date = parse_iso("1890-02-30")
    assert date.day == 30
    assert date.first_day() == IsoDate(1890, 2, 28)
    assert date.last_day() == IsoDate(1890, 2, 28)


# --- partial dates: where they begin and end --------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("1890", "1890-01-01", "1890-12-31"),
        ("1890-04", "1890-04-01", "1890-04-30"),
        ("1900-02", "1900-02-01", "1900-02-28"),  # a century year that is not leap
        ("2000-02", "2000-02-01", "2000-02-29"),
        ("-0004-02", "-0004-02-01", "-0004-02-29"),  # 5 BCE was a leap year
    ],
)
def test_a_partial_date_covers_every_day_of_its_year_or_month(text: str, first: str, last: str) -> None:
    assert parse_iso(text).first_day().iso() == first
    assert parse_iso(text).last_day().iso() == last


def test_a_bare_year_sorts_with_its_first_day_by_start_and_after_its_last_day_by_end() -> None:
    year, day = parse_iso("1890"), parse_iso("1890-12-31")
    assert year.start_key() < day.start_key()
    assert year.end_key() >= day.end_key()
    assert sort_key("-0500") < sort_key("-0499") < sort_key("0000") < sort_key("0001")


# --- index dates as museums write them ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1505-3-7", "1505-03-07"),
        ("-500", "-0500"),
        ("+1505", "1505"),
        ("5", "0005"),
        ("1921-07-01T00:00:00Z", "1921-07-01"),
        (" ١٩٠٥ ", "1905"),  # Arabic-Indic digits
    ],
)
def test_an_index_date_is_cleaned_to_the_core_shape(text: str, expected: str) -> None:
    assert normalise_iso(text) == expected


@pytest.mark.parametrize("text", [None, "", "1505-13", "1505-02-30", "1900-02-29", "15.3.1505", "um 1505"])
def test_an_index_date_that_names_no_real_day_is_not_read(text: str | None) -> None:
    assert read_index_date(text) is None
    assert normalise_iso(text) is None


# --- the year alone ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year"),
    [("-0499-01-01", -499), ("1890-04", 1890), ("0000", 0), (None, None), ("", None), ("ca. 1890", None)],
)
def test_the_year_is_the_signed_number_a_date_starts_with(text: str | None, year: int | None) -> None:
    assert year_of(text) == year


# --- calendar rules -----------------------------------------------------------------------


def test_leap_years_follow_the_gregorian_rule_back_through_year_zero() -> None:
    assert [y for y in (-4, -1, 0, 4, 100, 400, 1900, 2000) if is_leap_year(y)] == [-4, 0, 4, 400, 2000]
    assert days_in_month(0, 2) == 29
    assert not is_valid_date(1900, 2, 29)
    assert not is_valid_date(1900, None, 1)  # a day needs a month


@given(
    st.integers(min_value=-20000, max_value=9999),
    st.one_of(st.none(), st.integers(min_value=1, max_value=12)),
    st.integers(min_value=1, max_value=31),
)
def test_formatting_and_reading_agree_for_every_valid_date(year: int, month: int | None, day: int) -> None:
    day_or_none = day if month is not None and day <= days_in_month(year, month) else None
    text = format_iso(year, month, day_or_none)
    assert ISO_DATE.match(text)
    assert parse_iso(text) == IsoDate(year, month, day_or_none)
    assert normalise_iso(text) == text
    assert year_of(text) == year
