"""Bulk dumps of the catalogue (LIDO, Linked Art JSON Lines, N-Triples, CSV), as Europeana and DPLA offer them.

Researchers who study the whole catalogue should not page through the API or
OAI-PMH for days: ``emuseum export`` writes one format to one gzip file, and
the nightly build (``emuseum dumps build``, a ``dumps: true`` schedule job,
the ``emuseum.dumps`` queue task) writes every format into the dumps folder
with a manifest that ``GET /api/dumps`` and the "Download the catalogue"
page publish.  ``formats`` renders batches (in worker processes), ``writer``
streams the store into files, ``manifest`` says what is published, and
``build`` puts them together.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aggregator.dumps.formats import CSV_COLUMNS, FORMATS, DumpFormat
    from aggregator.dumps.manifest import DumpEntry, Manifest, dump_file, read_manifest
    from aggregator.dumps.writer import DumpError, DumpResult, export_dumps

__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "DumpEntry",
    "DumpError",
    "DumpFormat",
    "DumpResult",
    "Manifest",
    "dump_file",
    "export_dumps",
    "read_manifest",
]

#: Where each public name lives.  Loaded on first use, not with the package: a dump worker
#: process imports ``formats`` (and so this package) and should not pay for the writer's
#: store and SQLAlchemy imports, which it never uses.
_HOMES = {
    "CSV_COLUMNS": "formats", "FORMATS": "formats", "DumpFormat": "formats",
    "DumpEntry": "manifest", "Manifest": "manifest", "dump_file": "manifest", "read_manifest": "manifest",
    "DumpError": "writer", "DumpResult": "writer", "export_dumps": "writer",
}  # fmt: skip


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
