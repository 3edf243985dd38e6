"""Every real LIDO record, once mapped, comes out again as valid LIDO 1.1 and as parseable CIDOC-CRM."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from harvester.lido_file import lido_record_id, split_lido
from harvester.raw import RawRecord
from mappings.crm_out import DEFAULT_BASE_URI, object_uri, to_turtle
from mappings.formats import map_raw
from mappings.lido_out import to_lido
from mappings.lido_schema import validate_lido

REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "lido-real"
CRM = Namespace("http://www.cidoc-crm.org/cidoc-crm/")
PIECES = (
    [(p, n, part) for p in sorted(REAL.rglob("*.xml")) for n, part in enumerate(split_lido(p.read_bytes()))]
    if REAL.is_dir()
    else []
)

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason=f"real LIDO records not present at {REAL}")


def _mapped(part: bytes, fallback: str):  # type: ignore[no-untyped-def]
    try:
        local_id = lido_record_id(part)
    except ValueError:
        local_id = fallback
    return map_raw(RawRecord(museum_id="kz-test", local_id=local_id, format="lido", payload=part)).record


@pytest.mark.parametrize(("path", "n", "part"), PIECES, ids=[f"{p.name}#{n}" for p, n, _ in PIECES])
def test_lido_output_of_every_real_record_validates(path: Path, n: int, part: bytes) -> None:
    record = _mapped(part, f"{path.stem}-{n}")
    assert validate_lido(to_lido(record), "1.1") == []


@pytest.mark.parametrize(("path", "n", "part"), PIECES, ids=[f"{p.name}#{n}" for p, n, _ in PIECES])
def test_turtle_of_every_real_record_parses_with_the_object_typed_e22(path: Path, n: int, part: bytes) -> None:
    record = _mapped(part, f"{path.stem}-{n}")
    graph = Graph().parse(data=to_turtle(record), format="turtle")
    subject = URIRef(object_uri(record.museum_id, record.local_id, base_uri=DEFAULT_BASE_URI))
    assert (subject, RDF.type, CRM["E22_Human-Made_Object"]) in graph
    if record.production and (record.production.earliest or record.production.latest):
        production = graph.value(subject, CRM["P108i_was_produced_by"])
        assert (production, RDF.type, CRM["E12_Production"]) in graph
        assert (graph.value(production, CRM["P4_has_time-span"]), RDF.type, CRM["E52_Time-Span"]) in graph
