"""``emuseum map``: how a museum's own file would look in the catalogue, before any harvest.

Museums use it to check an export; it reports every finding with the record
and field, and never writes to the store.  ``explain_file`` says, for every
value of every record, which source elements (or columns) gave it and which
were not used at all: plain data for the CLI's ``--explain`` and the web
check form.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aggregator.explain import explain
from config.registry import CsvSource
from config.source_policy import SourcePolicy
from harvester.csv_export import read_export
from harvester.errors import HarvestError
from harvester.lido_file import read_lido_file
from harvester.raw import RawRecord
from mappings.core import CoreRecord
from mappings.crm_out import to_linked_art, to_turtle
from mappings.csv_profiles import ProfileError, load_profile
from mappings.formats import map_raw
from mappings.lido_out import to_lido_wrap
from mappings.report import MappingError, MappingResult

__all__ = ["OUTPUTS", "NothingMapped", "explain_file", "explain_raw", "preview_file", "read_export_file"]

OUTPUTS = ("json", "lido", "jsonld", "turtle")


def _raw_records(path: Path, fmt: str, museum_id: str) -> tuple[list[RawRecord], list[str]]:
    problems: list[str] = []
    if fmt == "lido":
        try:
            file = read_lido_file(museum_id, path.read_bytes(), name=path.name)
        except HarvestError as exc:
            raise ValueError(exc.message) from None
        return file.records, file.notes
    if fmt == "oai_dc":
        return [
            RawRecord(museum_id=museum_id, local_id=path.stem, format="oai_dc", payload=path.read_bytes())
        ], problems
    if fmt.startswith("csv:"):
        return read_export_file(path, fmt.split(":", 1)[1], museum_id)
    raise ValueError(f"unknown format {fmt!r}; use lido, oai_dc or csv:PROFILE (e.g. csv:generic)")


def read_export_file(
    path: Path, profile_name: str, museum_id: str, *, sheet: str | None = None
) -> tuple[list[RawRecord], list[str]]:
    """The raw records of a spreadsheet export (CSV, or .xlsx by its extension) and the rows set aside.

    Raises ValueError with one line for a profile or an export that cannot be read.
    """
    kind = "xlsx" if path.suffix.lower() in (".xlsx", ".xlsm") else "csv"
    source = CsvSource(type=kind, url=str(path.resolve()), profile=profile_name, sheet=sheet)
    try:
        profile = load_profile(source.profile)
    except ProfileError as exc:
        raise ValueError(f"CSV profile {source.profile!r}: {exc}") from None
    records: list[RawRecord] = []
    problems: list[str] = []
    try:
        # The operator named this file: reading it is allowed whatever EMUSEUM_FILE_SOURCES_DIR says.
        policy = SourcePolicy.from_env().with_file_sources_dir(path.resolve().parent)
        for page in read_export(museum_id, source, id_columns=profile.id_column, policy=policy):
            records.extend(page.records)
            problems.extend(f"{museum_id}: {q.reason}" for q in page.quarantined)
    except HarvestError as exc:
        raise ValueError(exc.message) from None
    return records, problems


class NothingMapped(ValueError):
    """No record of the file could be mapped; ``problems`` says why, record by record."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.problems = problems
        reason = "it holds no record" if not problems else f"{len(problems)} finding(s) above"
        super().__init__(f"no record of {path.name} could be mapped ({reason})")


def _mapped(path: Path, fmt: str, museum_id: str) -> tuple[list[MappingResult], list[str]]:
    """Every record of the file mapped, and the findings; NothingMapped when none maps."""
    raws, problems = _raw_records(path, fmt, museum_id)
    results: list[MappingResult] = []
    for raw in raws:
        try:
            result = map_raw(raw)
        except MappingError as exc:
            problems.append(f"error: {exc}")
            continue
        results.append(result)
        problems.extend(f"warning: record {raw.local_id}: {issue}" for issue in result.issues)
        if result.unmapped:
            problems.append(
                f"info: record {raw.local_id}: not carried into the core record: {', '.join(result.unmapped)}"
            )
    if not results:
        raise NothingMapped(path, problems)
    return results, problems


def explain_raw(raw: RawRecord) -> dict[str, Any]:
    """One harvested record explained: its fields with their values and source paths, the
    source paths not used, the warnings (MappingError when it cannot be mapped at all)."""
    return explain(map_raw(raw))


def explain_file(path: Path, fmt: str, museum_id: str = "preview") -> dict[str, Any]:
    """Every record of a museum's file explained (see ``aggregator.explain.explain``).

    Returns ``{"records": [...], "problems": [...]}``: plain dicts and strings.
    Raises ValueError for a file or format that cannot be read, NothingMapped
    (a ValueError) when no record maps.
    """
    results, problems = _mapped(path, fmt, museum_id)
    # Each record's explanation carries its own warnings and unused paths.
    general = [p for p in problems if not p.startswith(("warning: record ", "info: record "))]
    return {"records": [explain(result) for result in results], "problems": general}


def preview_file(path: Path, fmt: str, to: str, museum_id: str = "preview") -> tuple[str, list[str]]:
    """Return the rendered output and the findings (one line each, naming record and field).

    Raises NothingMapped when no record of the file maps: an empty preview
    would look like success.
    """
    if to not in OUTPUTS:
        raise ValueError(f"unknown output {to!r}; use one of {', '.join(OUTPUTS)}")
    results, problems = _mapped(path, fmt, museum_id)
    records: list[CoreRecord] = [result.record for result in results]
    if to == "json":
        out = json.dumps(
            [r.model_dump(mode="json", exclude_none=True) for r in records],
            ensure_ascii=False,
            indent=2,
        )
    elif to == "lido":
        out = to_lido_wrap(records).decode("utf-8")
    elif to == "jsonld":
        out = json.dumps([to_linked_art(r) for r in records], ensure_ascii=False, indent=2)
    else:
        out = "\n".join(to_turtle(r) for r in records)
    return out, problems
