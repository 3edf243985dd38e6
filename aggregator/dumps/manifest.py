"""The dumps folder's manifest: which files are published, what each holds, and its checksum.

The manifest is the only list the web layer trusts: ``GET /api/dumps/{file}``
serves a name only when the manifest names it, so nothing else in the folder
(a half-written ``.part`` file, an older build, a path with ``..``) can ever be
downloaded.  It is replaced atomically after the files it names are in place,
so it never points at a file that is not complete.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final

__all__ = ["MANIFEST_NAME", "DumpEntry", "Manifest", "dump_file", "read_manifest", "write_manifest"]

MANIFEST_NAME: Final = "manifest.json"


@dataclass(frozen=True, slots=True)
class DumpEntry:
    file: str
    format: str
    museum: str | None  # None: the whole catalogue
    records: int
    bytes: int
    sha256: str
    created: str  # ISO 8601, UTC
    media_type: str  # of the content inside the gzip
    description: str
    state: dict[str, Any] = field(default_factory=dict)  # the catalogue state the dump was read from

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Manifest:
    generated: str | None = None
    dumps: list[DumpEntry] = field(default_factory=list)

    def get(self, name: str) -> DumpEntry | None:
        return next((entry for entry in self.dumps if entry.file == name), None)

    def to_json(self) -> dict[str, Any]:
        return {"generated": self.generated, "dumps": [entry.to_json() for entry in self.dumps]}


def read_manifest(folder: Path) -> Manifest:
    """The folder's manifest; an empty one when there is none yet (or it cannot be read)."""
    try:
        data = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
        return Manifest(data.get("generated"), [DumpEntry(**entry) for entry in data.get("dumps", [])])
    except (OSError, ValueError, TypeError):
        return Manifest()


def write_manifest(folder: Path, manifest: Manifest) -> Path:
    """Write the manifest under a temporary name and rename it into place."""
    target = folder / MANIFEST_NAME
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=folder, prefix=f".{MANIFEST_NAME}.", suffix=".part", delete=False
    ) as handle:
        json.dump(manifest.to_json(), handle, ensure_ascii=False, indent=2)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(handle.name, 0o644)
    os.replace(handle.name, target)
    return target


def dump_file(folder: Path, name: str) -> tuple[DumpEntry, Path] | None:
    """The entry and path of a published dump; None for any name the manifest does not list or a missing file."""
    entry = read_manifest(folder).get(name)
    if entry is None or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = folder / entry.file
    return (entry, path) if path.is_file() else None
