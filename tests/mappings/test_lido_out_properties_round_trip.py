"""LIDO 1.1 out and back in, as a property: a generated record survives core -> LIDO -> core.

Its own module (not test_lido_out.py) because it is one of the suite's longest
specs: the parallel test run hands out whole modules, so it gets a worker of its own.
"""

from __future__ import annotations

from hypothesis import assume, given

from mappings.core import CoreRecord
from tests.mappings.core_strategies import core_records
from tests.mappings.test_lido_out import HYPOTHESIS, _comparable, _round_trip


@HYPOTHESIS
@given(core_records(round_trippable=True))
def test_round_trip_keeps_every_field_of_generated_records(record: CoreRecord) -> None:
    # A record with no title, type, description or inventory number is refused on the way in,
    # so it never exists in the store to be written out.
    assume(record.titles or record.object_type or record.descriptions or record.inventory_number)
    assert _comparable(_round_trip(record)) == _comparable(record)
