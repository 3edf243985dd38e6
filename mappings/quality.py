"""A 0-100 quality score per core record and the findings behind it.

In the spirit of Europeana's metadata and content tiers: a researcher can
find, understand and reuse an object only if it has a title, a type, a date,
an image and a clear rights statement.  The findings tell a museum what to
add first; the score lets the ministry compare and track funds over time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mappings.core import CoreRecord, MediaKind
from mappings.report import Issue

__all__ = ["QualityReport", "WEIGHTS", "assess"]

#: What each aspect is worth; the weights add up to 100.
WEIGHTS: dict[str, int] = {
    "title": 15,
    "object_type": 10,
    "description": 10,
    "date": 10,
    "agent_or_place": 10,
    "materials": 10,
    "image": 15,
    "rights": 10,
    "inventory_number": 5,
    "multilingual": 5,
}


@dataclass(slots=True)
class QualityReport:
    score: float
    issues: list[Issue] = field(default_factory=list)


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def assess(record: CoreRecord) -> QualityReport:
    points = 0.0
    issues: list[Issue] = []

    def missing(field_name: str, message: str) -> None:
        issues.append(Issue(field_name, message, "info"))

    titles = [t for t in record.titles if t.value.strip()]
    if titles:
        points += WEIGHTS["title"]
    else:
        missing("titles", "no title: researchers cannot tell what the object is")
    if record.object_type:
        points += WEIGHTS["object_type"]
    else:
        missing("object_type", "no object type")
    title_texts = {_norm(t.value) for t in titles}
    descriptions = [d for d in record.descriptions if d.value.strip()]
    if descriptions and any(_norm(d.value) not in title_texts for d in descriptions):
        points += WEIGHTS["description"]
    elif descriptions:
        issues.append(Issue("descriptions", "description only repeats the title"))
    else:
        missing("descriptions", "no description")
    production = record.production
    if production and (production.earliest or production.latest or production.date_display):
        points += WEIGHTS["date"]
        if production.date_display and not (production.earliest or production.latest):
            issues.append(
                Issue(
                    "production.date",
                    f"date {production.date_display!r} could not be read as a year range",
                )
            )
    else:
        missing("production.date", "no date of production")
    if record.actors or (production and production.places):
        points += WEIGHTS["agent_or_place"]
    else:
        missing("actors", "no maker and no place of production")
    if record.materials or record.techniques:
        points += WEIGHTS["materials"]
    else:
        missing("materials", "no materials or techniques")
    if any(m.kind in (MediaKind.IMAGE, MediaKind.MODEL_3D) for m in record.media):
        points += WEIGHTS["image"]
    else:
        missing("media", "no image or 3D model")
    rights = [record.rights] + [m.rights for m in record.media]
    if any(r and r.uri for r in rights):
        points += WEIGHTS["rights"]
    elif any(r and (r.label or r.holder) for r in rights):
        points += WEIGHTS["rights"] / 2
        issues.append(
            Issue(
                "rights",
                "rights given only as text; add a Creative Commons or RightsStatements.org URI",
            )
        )
    else:
        missing("rights", "no rights statement")
    if record.inventory_number:
        points += WEIGHTS["inventory_number"]
    else:
        missing("inventory_number", "no inventory number")
    if len({t.lang for t in titles if t.lang and t.lang != "und"}) >= 2:
        points += WEIGHTS["multilingual"]
    return QualityReport(score=round(points, 1), issues=issues)
