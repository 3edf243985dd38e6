"""What the mappings made of every generated sample before they were sped up, as digests.

The single-pass LIDO reader and the prepared CSV profiles must not change a
single output, so ``test_mapping_goldens`` maps the same payloads again and
compares each result (record, warnings, unmapped paths, or the refusal) with
the digest recorded from the mapping as it was.  Digests rather than the JSON
itself: the real LIDO records must not be copied into the repository, not even
as their mapped form, and 2,000 generated records as JSON would be megabytes.

Regenerate (only when an output change is intended, on the commit before it):
``.venv/bin/python -m devtools.mapping_goldens``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from benchmarks.bench_mapping import REAL_LIDO, real_lido_records
from benchmarks.sample_fund import fund
from demo.samples import SAMPLE_MUSEUMS, generate_museum_objects, to_accounting_row, to_lido, to_oai_dc
from demo.samples.objects import SampleObject
from harvester.raw import RawRecord
from mappings.formats import map_raw
from mappings.report import MappingError

__all__ = ["GOLDEN_FILE", "REAL_LIDO", "generated_raws", "outcome", "real_raws", "record_key"]

GOLDEN_FILE = Path(__file__).resolve().parent / "data" / "mapping_goldens.json"

_PER_DEMO_MUSEUM = 60
_BENCH_RECORDS = 300


def _formats(objects: list[SampleObject], museum_name: str) -> list[RawRecord]:
    raws: list[RawRecord] = []
    for o in objects:
        raws.append(RawRecord(o.museum_id, o.local_id, "lido", to_lido(o, museum_name)))
        raws.append(RawRecord(o.museum_id, o.local_id, "oai_dc", to_oai_dc(o)))
        row = json.dumps(to_accounting_row(o), ensure_ascii=False).encode()
        raws.append(RawRecord(o.museum_id, o.inventory_number, "csv:ru-accounting", row))
    return raws


def generated_raws() -> list[RawRecord]:
    """The demo's sample museums and bench_mapping's fund, each object as LIDO, oai_dc and a CSV row."""
    raws: list[RawRecord] = []
    for museum in SAMPLE_MUSEUMS:
        objects = generate_museum_objects(
            museum["id"],
            _PER_DEMO_MUSEUM,
            seed=1,
            region=museum["region"],
            base_url=f"http://127.0.0.1:8765/media/{museum['id']}/",
        )
        raws += _formats(objects, museum["name"]["kk"])
    raws += _formats(fund(_BENCH_RECORDS, museum_index=2, seed=21), "Benchmark museum")
    return raws


def real_raws() -> list[RawRecord]:
    """Every record of every real LIDO file (empty when the shared folder is absent)."""
    return real_lido_records() if REAL_LIDO.is_dir() else []


def record_key(raw: RawRecord, number: int) -> str:
    return f"{number:05d} {raw.format} {raw.museum_id}/{raw.local_id}"


def outcome(raw: RawRecord) -> str:
    """The digest of everything map_raw says about ``raw``: its result or its refusal."""
    try:
        result = map_raw(raw)
    except MappingError as exc:
        shown: object = {"refused": [exc.museum_id, exc.local_id, exc.field, str(exc)]}
    else:
        shown = {
            "record": result.record.model_dump(mode="json"),
            "issues": [[i.field, i.message, i.severity] for i in result.issues],
            "unmapped": result.unmapped,
        }
    text = json.dumps(shown, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:32]
