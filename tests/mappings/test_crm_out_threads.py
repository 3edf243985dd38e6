"""Specification: Linked Art output can be built from several threads at once.

The web app serves exports from a pool of threads, and cromulent keeps its
settings on one module-wide factory.  mappings.crm_out writes those settings
once and afterwards only reads them, so concurrent calls never see each
other's objects or a half-written configuration.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from cromulent import model

from mappings import crm_out
from mappings.core import CoreRecord
from tests.mappings.test_crm_out import full_record, minimal_record

THREADS = 8


@pytest.fixture
def frequent_thread_switches() -> Iterator[None]:
    """Make the interpreter switch threads far more often than usual, so races show."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def distinct_records() -> list[CoreRecord]:
    makers = ["Жұмабай Ахметов", "Әбілхан Қастеев", "Saka workshop", "Мастер Иванов"]
    records = [full_record(f"T-{n}", maker=makers[n % len(makers)]) for n in range(8)]
    return records + [minimal_record(f"M-{n}") for n in range(4)]


def test_records_built_on_many_threads_at_once_each_get_exactly_their_sequential_output(
    frequent_thread_switches: None,
) -> None:
    records = distinct_records()
    expected = {r.local_id: (crm_out.to_linked_art(r), crm_out.to_ntriples(r), crm_out.to_turtle(r)) for r in records}
    start = threading.Barrier(THREADS)

    def build_all(offset: int) -> list[tuple[str, dict[str, Any], str, str]]:
        order = records[offset:] + records[:offset]  # each thread in its own order
        start.wait()
        return [(r.local_id, crm_out.to_linked_art(r), crm_out.to_ntriples(r), crm_out.to_turtle(r)) for r in order]

    with ThreadPoolExecutor(THREADS) as pool:
        results = [built for batch in pool.map(build_all, range(THREADS)) for built in batch]

    assert len(results) == THREADS * len(records)
    for local_id, document, ntriples, turtle in results:
        assert document == expected[local_id][0], local_id
        assert ntriples == expected[local_id][1], local_id
        assert turtle == expected[local_id][2], local_id


def test_building_only_reads_cromulents_shared_settings_once_they_are_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    crm_out.to_linked_art(full_record())  # the first call of the process may set them up
    writes: list[str] = []
    factory_class = type(model.factory)

    class Watched(factory_class):
        def __setattr__(self, name: str, value: object) -> None:
            writes.append(name)
            super().__setattr__(name, value)

    monkeypatch.setattr(model.factory, "__class__", Watched)
    crm_out.to_linked_art(full_record("W-1"))
    crm_out.to_linked_art(minimal_record("W-2"))
    assert writes == []


def test_a_shared_setting_changed_by_other_code_is_reported_not_silently_overwritten(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    crm_out.to_linked_art(full_record())
    monkeypatch.setattr(model.factory, "auto_assign_id", True)
    with pytest.raises(RuntimeError, match="auto_assign_id"):
        crm_out.to_linked_art(full_record())


def test_the_first_documents_of_a_fresh_process_may_be_built_on_many_threads_at_once() -> None:
    """In a new interpreter the set-up itself races (and the shared nodes' kept texts): every
    thread must still get the right document and Turtle."""
    script = textwrap.dedent(
        f"""
        import json, sys, threading
        from concurrent.futures import ThreadPoolExecutor
        from cromulent import model
        from mappings import crm_out
        from tests.mappings.test_crm_out import full_record

        model.factory.auto_assign_id = True  # cromulent's own default, which ours replaces
        sys.setswitchinterval(1e-6)
        start = threading.Barrier({THREADS})

        def build(n):
            start.wait()
            record = full_record(f"F-{{n % 3}}")
            return json.dumps(crm_out.to_linked_art(record), sort_keys=True), crm_out.to_turtle(record)

        with ThreadPoolExecutor({THREADS}) as pool:
            built = list(pool.map(build, range({THREADS})))
        records = [full_record(f"F-{{n % 3}}") for n in range({THREADS})]
        expected = [(json.dumps(crm_out.to_linked_art(r), sort_keys=True), crm_out.to_turtle(r)) for r in records]
        print("same" if built == expected else "different")
        """
    )
    repository = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=repository, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "same"
