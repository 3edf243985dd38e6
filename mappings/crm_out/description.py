"""What the object is made of, measures, shows, and what is written about it.

Descriptions, inscriptions and the museum's own dimension texts are
statements (LinguisticObjects classified by their AAT statement type);
numeric dimensions become Dimension nodes with an AAT type and unit where one
is known and a minted concept otherwise.  Subjects are what the object's
visual content is about.
"""

from __future__ import annotations

import math
from typing import Any

from mappings.core import LangText, Measurement, Term
from mappings.crm_out.aat import AAT_DIMENSION_STATEMENT, DIMENSION_TYPES, STATEMENT_TYPES, UNITS
from mappings.crm_out.nodes import Nodes, named_term

__all__ = ["add_dimensions", "add_materials", "add_statements", "add_subjects"]


def add_statements(nodes: Nodes, obj: Any, texts: list[LangText], slug: str, kind: str) -> None:
    """Each non-empty text as a statement of AAT type ``kind``, numbered ``{slug}-1``, ``{slug}-2``, ..."""
    label = STATEMENT_TYPES[kind]
    for number, text in enumerate((t for t in texts if t.value.strip()), 1):
        statement = nodes.model.LinguisticObject(ident=nodes.fragment(f"{slug}-{number}"), content=text.value)
        statement.classified_as = nodes.aat(kind, label)
        nodes.language(statement, text.lang)
        obj.referred_to_by = statement


def add_materials(nodes: Nodes, obj: Any, materials: list[Term]) -> None:
    for term in materials:
        material = nodes.concept(nodes.model.Material, term)
        if material is not None:
            obj.made_of = material


def add_dimensions(nodes: Nodes, obj: Any, measurements: list[Measurement]) -> None:
    statements: list[str] = []
    for number, measurement in enumerate(measurements, 1):
        display = (measurement.display or "").strip()
        if display and display not in statements:
            statements.append(display)
        value = measurement.value
        if value is None or not math.isfinite(value):
            continue
        dimension = nodes.model.Dimension(ident=nodes.fragment(f"dimension-{number}"), value=value)
        kind = (measurement.type or "").strip()
        if kind:
            known = DIMENSION_TYPES.get(kind.lower())
            if known:
                dimension.classified_as = nodes.aat(*known)
            else:
                dimension.classified_as = nodes.concept(nodes.model.Type, named_term(kind, None))
        unit = (measurement.unit or "").strip()
        if unit:
            known_unit = UNITS.get(unit.lower().rstrip("."))
            if known_unit:
                dimension.unit = nodes.aat(*known_unit, cls=nodes.model.MeasurementUnit)
            else:
                dimension.unit = nodes.concept(nodes.model.MeasurementUnit, named_term(unit, None))
        obj.dimension = dimension
    for number, display in enumerate(statements, 1):
        nodes.statement(obj, f"dimension-statement-{number}", AAT_DIMENSION_STATEMENT, display)


def add_subjects(nodes: Nodes, obj: Any, subjects: list[Term]) -> None:
    shown = [n for n in (nodes.concept(nodes.model.Type, t) for t in subjects) if n is not None]
    if not shown:
        return
    visual = nodes.model.VisualItem(ident=nodes.fragment("visual-content"))
    for node in shown:
        visual.about = node
    obj.shows = visual
