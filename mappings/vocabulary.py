"""Cross-language reconciliation of the terms museums use most.

Museums catalogue in one language: a CSV from an accounting system says
«серебро», a LIDO export says "silver", a village museum writes «күміс».
Giving each matched term its labels in all three languages lets a search in
any language find all of them and lets facets count one value, not three.
Only labels are added; what the museum sent is never replaced.
"""

from __future__ import annotations

from functools import cache

from mappings.core import CoreRecord, Term
from mappings.data_files import load_yaml, version_of
from mappings.text import fold

__all__ = ["VOCABULARY_VERSION", "enrich", "reconcile"]

_FILE = "vocabulary/terms.yaml"
_FIELDS = {"materials": "materials", "techniques": "techniques", "object_type": "objects"}
_DATA = load_yaml(_FILE)

#: The version key of terms.yaml, bumped whenever it changes, so stored records are re-mapped.
VOCABULARY_VERSION = version_of(_DATA, _FILE)


@cache
def _tables() -> dict[str, dict[str, dict[str, str]]]:
    tables: dict[str, dict[str, dict[str, str]]] = {}
    for section, entries in _DATA.items():
        if section == "version":
            continue
        table: dict[str, dict[str, str]] = {}
        for entry in entries:
            for label in entry.values():
                table.setdefault(fold(label), entry)
        tables[section] = table
    return tables


def reconcile(term: Term, section: str) -> Term:
    """The term with the missing kk/ru/en labels added when one of its labels is known."""
    table = _tables()[section]
    for label in term.labels.values():
        entry = table.get(fold(label))
        if entry is not None:
            missing = {lang: value for lang, value in entry.items() if lang not in term.labels}
            if not missing:
                return term
            return term.model_copy(update={"labels": {**term.labels, **missing}})
    return term


def enrich(record: CoreRecord) -> CoreRecord:
    updates = {field: [reconcile(t, section) for t in getattr(record, field)] for field, section in _FIELDS.items()}
    return record.model_copy(update=updates)
