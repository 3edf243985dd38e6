"""LIDO 1.1 out, as a property: any core record the model allows gives a document the schema accepts.

Its own module (not test_lido_out.py) because it is one of the suite's longest
specs: the parallel test run hands out whole modules, so it gets a worker of its own.
"""

from __future__ import annotations

from hypothesis import given

from mappings.core import CoreRecord
from mappings.lido_out import to_lido
from mappings.lido_schema import validate_lido
from tests.mappings.core_strategies import core_records
from tests.mappings.test_lido_out import HYPOTHESIS


@HYPOTHESIS
@given(core_records())
def test_any_core_record_gives_schema_valid_lido_1_1(record: CoreRecord) -> None:
    assert validate_lido(to_lido(record)) == []
