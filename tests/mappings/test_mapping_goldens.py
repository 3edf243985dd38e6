"""The sped-up mappings give exactly what the mappings gave before (see ``mapping_goldens``)."""

from __future__ import annotations

import json

import pytest

from harvester.raw import RawRecord
from tests.mappings.mapping_goldens import GOLDEN_FILE, REAL_LIDO, generated_raws, outcome, real_raws, record_key


def _golden(part: str) -> dict[str, str]:
    data: dict[str, dict[str, str]] = json.loads(GOLDEN_FILE.read_text())
    return data[part]


def _differences(raws: list[RawRecord], golden: dict[str, str]) -> list[str]:
    now = {record_key(raw, n): outcome(raw) for n, raw in enumerate(raws)}
    changed = sorted(key for key in now.keys() & golden.keys() if now[key] != golden[key])
    missing = sorted(golden.keys() - now.keys())
    extra = sorted(now.keys() - golden.keys())
    return (
        [f"changed: {k}" for k in changed]
        + [f"no longer mapped: {k}" for k in missing]
        + [f"no golden: {k}" for k in extra]
    )


def test_generated_samples_map_as_before() -> None:
    """Demo museums and bench_mapping's fund, as LIDO, oai_dc and CSV rows: every output unchanged."""
    golden = _golden("generated")
    assert len(golden) > 1000
    differences = _differences(generated_raws(), golden)
    assert not differences, f"{len(differences)} outputs differ, first: {differences[:10]}"


def test_real_lido_records_map_as_before() -> None:
    """Every record of every real LIDO file: every output unchanged."""
    raws = real_raws()
    if not raws:
        pytest.skip(f"real LIDO samples are not on this machine ({REAL_LIDO.resolve()})")
    differences = _differences(raws, _golden("real"))
    assert not differences, f"{len(differences)} outputs differ: {differences[:10]}"
