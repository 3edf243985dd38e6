"""Each museum gets a stored quality summary; over-used titles are flagged on their records."""

from __future__ import annotations

from sqlalchemy import select

from aggregator.quality_summary import DUPLICATE_FIELD, load_summaries, summarise_museum, tier_of
from aggregator.store.models import RecordIssueRow
from aggregator.store.records import RecordStore, SavedCore
from config.registry import Museum
from mappings.quality import assess
from tests.factories import make_record

MUSEUM = Museum.model_validate(
    {"id": "kz-test-museum", "name": {"en": "T"}, "region": "KZ-75", "source": {"type": "csv", "url": "x.csv"}}
)


def _store(session, records) -> None:  # type: ignore[no-untyped-def]
    store = RecordStore(session)
    store.save_museum(MUSEUM)
    items = []
    for record in records:
        q = assess(record)
        items.append(SavedCore(record, "h", q.score, None, q.issues))
    store.save_cores(items)


def test_tiers_follow_the_score() -> None:
    assert [tier_of(s) for s in (95, 80, 65, 40, 10, None)] == ["A", "A", "B", "C", "0", "0"]


def test_summary_counts_tiers_findings_and_over_used_titles(any_db) -> None:  # type: ignore[no-untyped-def]
    records = [make_record(f"k{n}", titles={"ru": "Кебеже"}) for n in range(6)]
    records += [
        make_record(
            f"r{n}",
            titles={"kk": f"Сырға {n}", "en": f"Earring {n}"},
            materials=("silver",),
            earliest="1850",
            latest="1899",
            image=True,
            description="Күміс сырға",
        )
        for n in range(4)
    ]
    with any_db.session() as session:
        _store(session, records)
        summary = summarise_museum(session, MUSEUM.id)
        session.commit()
    assert summary.records == 10
    assert summary.duplicate_titles == [["Кебеже", 6]]
    assert sum(summary.tiers.values()) == 10
    assert summary.findings[DUPLICATE_FIELD] == 6
    assert summary.findings["media"] == 6, "the six chests have no image"
    with any_db.session() as session:
        flagged = session.scalars(select(RecordIssueRow.record_id).where(RecordIssueRow.field == DUPLICATE_FIELD)).all()
        assert sorted(flagged) == sorted(r.id for r in records[:6])
        assert load_summaries(session, MUSEUM.id)[0].duplicate_titles == [["Кебеже", 6]]


def test_recomputing_does_not_pile_up_duplicate_flags(any_db) -> None:  # type: ignore[no-untyped-def]
    with any_db.session() as session:
        _store(session, [make_record(f"k{n}", titles={"ru": "Кебеже"}) for n in range(5)])
        summarise_museum(session, MUSEUM.id)
        again = summarise_museum(session, MUSEUM.id)
        session.commit()
    assert again.findings[DUPLICATE_FIELD] == 5
