"""The data the benchmarks run on: generated Kazakh museum funds, and a peer serving them.

Built on ``demo.samples`` so the benchmarks meet the same
vocabulary skew, languages and dates the demo and the tests do.  The OAI-PMH
peer runs in a child process: a museum's server is another machine in real
life, and serving it from a thread of the harvesting process would charge the
server's XML work to the harvester and make both fight over one GIL.
"""

from __future__ import annotations

import multiprocessing
import resource
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing.connection import Connection

from config.registry import Museum
from demo.oai_endpoint import EndpointRecord, OaiEndpoint
from demo.samples import SampleObject, generate_museum_objects, to_lido, to_oai_dc

__all__ = [
    "BENCH_REGIONS",
    "PeerStats",
    "endpoint_records",
    "fund",
    "museum_id_for",
    "oai_museum",
    "served_fund",
]

#: Regions the multi-museum funds cycle through, so region and museum facets have spread.
BENCH_REGIONS: tuple[str, ...] = ("KZ-75", "KZ-61", "KZ-35", "KZ-71", "KZ-10", "KZ-63", "KZ-15", "KZ-43")
_DATESTAMP = datetime(2024, 6, 1, tzinfo=UTC)  # long before any run: incremental runs find nothing new


def museum_id_for(index: int) -> str:
    return f"bench-museum-{index + 1:02d}"


def fund(count: int, *, museum_index: int = 0, seed: int = 7) -> list[SampleObject]:
    """``count`` live objects of one museum (the generator's 5 % deletions are switched off).

    Deletions are off so that "records" in a rate means records stored; the
    deletion path has its own tests and costs no mapping.
    """
    museum_id = museum_id_for(museum_index)
    region = BENCH_REGIONS[museum_index % len(BENCH_REGIONS)]
    objects = generate_museum_objects(
        museum_id, count, seed=seed, region=region, base_url=f"https://media.museums.kz/{museum_id}/"
    )
    for obj in objects:
        obj.deleted = False
        obj.datestamp = _DATESTAMP
    return objects


def endpoint_records(objects: list[SampleObject], museum_name: str) -> list[EndpointRecord]:
    return [
        EndpointRecord(
            identifier=f"oai:{obj.museum_id}.museums.kz:{obj.local_id}",
            datestamp=obj.datestamp,
            metadata={"lido": to_lido(obj, museum_name), "oai_dc": to_oai_dc(obj)},
        )
        for obj in objects
    ]


def oai_museum(url: str, *, museum_index: int = 0) -> Museum:
    return Museum.model_validate(
        {
            "id": museum_id_for(museum_index),
            "name": {"en": f"Benchmark museum {museum_index + 1}"},
            "region": BENCH_REGIONS[museum_index % len(BENCH_REGIONS)],
            "source": {"type": "oai-pmh", "url": url, "timeout": 120, "max_retries": 2},
        }
    )


@dataclass(slots=True)
class PeerStats:
    """What the peer process reports once stopped: CPU seconds spent serving, and its peak RSS."""

    cpu_seconds: float = 0.0
    rss_peak_mib: float = 0.0


def _serve(count: int, page_size: int, seed: int, conn: Connection) -> None:
    objects = fund(count, seed=seed)
    records = endpoint_records(objects, "Benchmark museum 1")
    with OaiEndpoint(records, name="Benchmark museum 1", formats=["lido", "oai_dc"], batch_size=page_size) as peer:
        ready = resource.getrusage(resource.RUSAGE_SELF)
        conn.send(peer.url)
        conn.recv()  # blocks until the parent says stop
    usage = resource.getrusage(resource.RUSAGE_SELF)
    serving = usage.ru_utime + usage.ru_stime - ready.ru_utime - ready.ru_stime
    conn.send((serving, usage.ru_maxrss / 1024))
    conn.close()


@contextmanager
def served_fund(count: int, *, page_size: int, seed: int = 7) -> Iterator[tuple[str, PeerStats]]:
    """An OAI-PMH peer on 127.0.0.1 in a child process serving ``fund(count)`` as LIDO and oai_dc.

    Fork, not spawn: the child needs the parent's imports and nothing else,
    and the parent has started no threads yet when the benchmarks call this.
    """
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe()
    process = context.Process(target=_serve, args=(count, page_size, seed, child), daemon=True)
    process.start()
    stats = PeerStats()
    try:
        if not parent.poll(600):
            raise RuntimeError("the benchmark OAI-PMH peer did not start within 10 minutes")
        url = parent.recv()
        yield url, stats
    finally:
        if process.is_alive():
            parent.send("stop")
            if parent.poll(30):
                stats.cpu_seconds, stats.rss_peak_mib = parent.recv()
        process.join(timeout=30)
        if process.is_alive():
            process.terminate()
            process.join(timeout=5)
