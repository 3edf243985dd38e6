"""The circuit breaker holds runs that look like a broken export, and lets ordinary nights through."""

from __future__ import annotations

import pytest

from aggregator.breaker import RunChanges, hold_reasons
from config.breaker import BreakerLimits, BreakerOverrides

DEFAULTS = BreakerLimits()


def changes(**values: object) -> RunChanges:
    base: dict[str, object] = {
        "active_before": 1000,
        "brought": 1000,
        "unmappable": 0,
        "deletions": 0,
        "complete_listing": False,
        "listed": 0,
    }
    return RunChanges(**{**base, **values})  # type: ignore[arg-type]


def test_an_ordinary_night_is_not_held() -> None:
    assert hold_reasons(changes(brought=40, deletions=3, unmappable=1), DEFAULTS) == []


def test_deleting_more_than_a_tenth_of_the_fund_is_held_with_the_numbers() -> None:
    (reason,) = hold_reasons(changes(deletions=420), DEFAULTS)
    assert reason == "it would delete 420 of 1000 active records (42%, more than the 10% allowed)"


def test_a_small_museum_losing_a_few_records_is_not_an_emergency() -> None:
    assert hold_reasons(changes(active_before=30, deletions=19), DEFAULTS) == []
    assert hold_reasons(changes(active_before=30, deletions=20), DEFAULTS) != []


def test_a_complete_listing_that_shrank_by_more_than_a_tenth_is_held() -> None:
    (reason,) = hold_reasons(changes(complete_listing=True, listed=850), DEFAULTS)
    assert "complete listing has 850 records where 1000 were active (it shrank by 15%" in reason
    assert hold_reasons(changes(complete_listing=True, listed=950), DEFAULTS) == []


def test_an_empty_listing_is_held() -> None:
    reasons = hold_reasons(changes(complete_listing=True, listed=0, deletions=1000), DEFAULTS)
    assert len(reasons) == 2


def test_many_records_failing_to_map_is_held_but_one_odd_record_is_not() -> None:
    (reason,) = hold_reasons(changes(brought=100, unmappable=6), DEFAULTS)
    assert reason == "6 of the 100 records it brought could not be mapped (6%, more than the 5% allowed)"
    assert hold_reasons(changes(brought=10, unmappable=1), DEFAULTS) == []


def test_a_first_harvest_can_only_be_held_for_unmappable_records() -> None:
    assert hold_reasons(changes(active_before=0, complete_listing=True, listed=500), DEFAULTS) == []


@pytest.mark.parametrize(
    ("registry", "museum", "expected"),
    [
        (None, None, 0.10),
        (BreakerOverrides(max_deleted_share=0.3), None, 0.3),
        (BreakerOverrides(max_deleted_share=0.3), BreakerOverrides(max_deleted_share=0.5), 0.5),
        (None, BreakerOverrides(min_deleted=5), 0.10),
    ],
)
def test_a_museums_limits_win_over_the_registrys_which_win_over_the_defaults(
    registry: BreakerOverrides | None, museum: BreakerOverrides | None, expected: float
) -> None:
    assert BreakerLimits().merged(registry).merged(museum).max_deleted_share == expected


def test_every_reason_reads_back_and_is_said_in_kazakh_and_russian() -> None:
    from aggregator.breaker import parse_hold_reasons
    from aggregator.ops.words import held_reason_words

    changes = RunChanges(active_before=98, brought=60, unmappable=10, deletions=49, complete_listing=True, listed=49)
    stored = "; ".join(hold_reasons(changes, BreakerLimits()))
    assert [code for code, _ in parse_hold_reasons(stored) or []] == ["deleted", "shrank", "unmappable"]
    in_russian = held_reason_words(stored, "ru")
    assert in_russian.startswith("Сбор удалил бы 49 из 98 активных записей (50%, больше допустимых 10%)")
    assert "10 из 60 полученных записей не удалось преобразовать" in held_reason_words(stored, "ru")
    assert held_reason_words(stored, "kk").startswith("98 белсенді жазбаның 49 жазбасын жояр еді")
    assert held_reason_words(stored, "en") == stored[:1].upper() + stored[1:]
    assert held_reason_words("held by an operator's note", "ru") == "held by an operator's note"  # unknown: as it is
