"""Per-museum quality summaries, in the spirit of Europeana's metadata tiers.

A record's own score comes from ``mappings.quality``; what only shows across
a whole fund (the same title on dozens of records, the share of records with
no image) is computed here, after each harvest and re-mapping, and kept in the
store so the ministry can follow each museum over time.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from aggregator.store.models import CoreRow, MuseumQuality, RecordIssueRow
from aggregator.store.records import now

__all__ = ["DUPLICATE_FIELD", "QualitySummary", "load_summaries", "summarise_museum", "tier_of"]

#: A title counts as over-used when this many records of one museum share it ...
DUPLICATE_MIN = 5
#: ... and they are more than this share of the museum's records.
DUPLICATE_SHARE = 0.02
DUPLICATE_FIELD = "titles.duplicate"
TIERS = ("A", "B", "C", "0")


def tier_of(score: float | None) -> str:
    """A: ready for research and reuse; B: findable; C: minimal; 0: below the minimum."""
    if score is None:
        return "0"
    if score >= 80:
        return "A"
    if score >= 60:
        return "B"
    if score >= 40:
        return "C"
    return "0"


@dataclass(slots=True)
class QualitySummary:
    museum_id: str
    records: int
    mean_score: float | None
    tiers: dict[str, int]
    findings: dict[str, int]
    duplicate_titles: list[list[Any]]
    computed_at: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def summarise_museum(session: Session, museum_id: str) -> QualitySummary:
    """Recompute and store the summary; flag records whose title the fund over-uses."""
    scores = session.scalars(select(CoreRow.quality).where(CoreRow.museum_id == museum_id)).all()
    records = len(scores)
    known = [s for s in scores if s is not None]
    tiers = Counter(tier_of(s) for s in scores)
    threshold = max(DUPLICATE_MIN, int(records * DUPLICATE_SHARE) + 1)
    duplicates = session.execute(
        select(CoreRow.title, func.count())
        .where(CoreRow.museum_id == museum_id, CoreRow.title != "")
        .group_by(CoreRow.title)
        .having(func.count() >= threshold)
        .order_by(func.count().desc(), CoreRow.title)
        .limit(20)
    ).all()
    session.execute(
        delete(RecordIssueRow).where(RecordIssueRow.museum_id == museum_id, RecordIssueRow.field == DUPLICATE_FIELD)
    )
    for title, count in duplicates:
        ids = session.scalars(select(CoreRow.id).where(CoreRow.museum_id == museum_id, CoreRow.title == title)).all()
        message = f"the title {title!r} is shared by {count} records of this museum; add what tells them apart"
        session.execute(
            insert(RecordIssueRow),
            [
                {
                    "record_id": i,
                    "museum_id": museum_id,
                    "severity": "warning",
                    "field": DUPLICATE_FIELD,
                    "message": message,
                }
                for i in ids
            ],
        )
    findings = dict(
        session.execute(
            select(RecordIssueRow.field, func.count(func.distinct(RecordIssueRow.record_id)))
            .where(RecordIssueRow.museum_id == museum_id)
            .group_by(RecordIssueRow.field)
            .order_by(RecordIssueRow.field)
        ).all()
    )
    summary = QualitySummary(
        museum_id=museum_id,
        records=records,
        mean_score=round(sum(known) / len(known), 1) if known else None,
        tiers={t: tiers.get(t, 0) for t in TIERS},
        findings=findings,
        duplicate_titles=[[title, count] for title, count in duplicates],
    )
    row = session.get(MuseumQuality, museum_id) or MuseumQuality(museum_id=museum_id)
    row.computed_at = now()
    row.records = summary.records
    row.mean_score = summary.mean_score
    row.tiers = summary.tiers
    row.findings = summary.findings
    row.duplicate_titles = summary.duplicate_titles
    session.add(row)
    summary.computed_at = row.computed_at.isoformat()
    return summary


def load_summaries(session: Session, museum_id: str | None = None) -> list[QualitySummary]:
    stmt = select(MuseumQuality).order_by(MuseumQuality.museum_id)
    if museum_id:
        stmt = stmt.where(MuseumQuality.museum_id == museum_id)
    return [
        QualitySummary(
            museum_id=row.museum_id,
            records=row.records,
            mean_score=row.mean_score,
            tiers=row.tiers,
            findings=row.findings,
            duplicate_titles=row.duplicate_titles,
            computed_at=row.computed_at.isoformat() if row.computed_at else None,
        )
        for row in session.scalars(stmt)
    ]
