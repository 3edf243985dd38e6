"""The real LIDO records of ../shared/data/lido-real, mapped: a corpus several output specs compare over.

Read by path, never copied into the repository; specs skip with a reason when the folder is absent.
"""

from __future__ import annotations

from pathlib import Path

from harvester.lido_file import lido_record_id, split_lido
from harvester.raw import RawRecord
from mappings.core import CoreRecord
from mappings.formats import map_raw

__all__ = ["REAL", "real_records"]

REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "lido-real"


def real_records() -> list[CoreRecord]:
    """Every record of every real LIDO file, mapped as a museum's harvest would map it."""
    records = []
    for path in sorted(REAL.rglob("*.xml")) if REAL.is_dir() else []:
        for n, part in enumerate(split_lido(path.read_bytes())):
            try:
                local_id = lido_record_id(part)
            except ValueError:
                local_id = f"{path.stem}-{n}"
            records.append(map_raw(RawRecord("kz-test", local_id, "lido", part)).record)
    return records
