"""Re-mapping stored raw records after a mapping or vocabulary change, without asking the museums.

The store keeps every raw record verbatim, so a better mapping reaches the
whole catalogue by running the same mapping step a harvest runs over what is
stored.  Each batch commits with its index rows; a record the new mapping
cannot map keeps its stored core record and is reported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aggregator.mapping_step import Mapped, MappingStep, Unmappable
from aggregator.quality_summary import summarise_museum
from aggregator.store.database import Database
from aggregator.store.records import RecordStore

__all__ = ["RemapSummary", "changed_fields", "remap"]


@dataclass(slots=True)
class RemapSummary:
    examined: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    changed_fields: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    museums: set[str] = field(default_factory=set)  # museums whose records were examined


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """Top-level core fields that differ (the source block only by its mapping version)."""
    keys = (set(before) | set(after)) - {"source"}
    changed = [k for k in sorted(keys) if before.get(k) != after.get(k)]
    if before.get("source", {}).get("mapping_version") != after.get("source", {}).get("mapping_version"):
        changed.append("source.mapping_version")
    return changed


def remap(db: Database, step: MappingStep, museum_id: str | None = None) -> RemapSummary:
    """Map every live stored raw record again (of one museum, or all); commit per batch."""
    summary = RemapSummary()
    with db.session() as reader:
        for batch in RecordStore(reader).iter_raw(museum_id):
            with db.session() as session:
                records = RecordStore(session)
                cores = records.core_rows([row.record_id for row in batch])
                changed: list[Mapped] = []
                for row in batch:
                    summary.examined += 1
                    summary.museums.add(row.museum_id)
                    core = cores.get(row.record_id)
                    outcome = step.map(row.to_raw(), core)
                    if isinstance(outcome, Unmappable):
                        summary.failed += 1
                        summary.failures.append(outcome.reason)
                        continue
                    after = outcome.saved.record.model_dump(mode="json", exclude_none=True)
                    if core is not None and core.document == after:
                        summary.unchanged += 1
                        continue
                    summary.changed += 1
                    summary.changed_fields.update(changed_fields(core.document if core else {}, after))
                    changed.append(outcome)
                step.save(session, changed)
                session.commit()
    with db.session() as session:
        for museum in sorted(summary.museums):
            summarise_museum(session, museum)
        session.commit()
    return summary
