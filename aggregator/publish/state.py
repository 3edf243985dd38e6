"""The publisher's memory: each row's content hash, datestamp and deletion, kept in a small JSON file.

OAI-PMH harvesters ask for "what changed since my last visit", so a row's
datestamp must change exactly when its content changes and must survive a
restart of ``emuseum publish``; a row that disappears must stay listed as a
deleted record (``deletedRecord = persistent``).  A spreadsheet has none of
this, so the publisher keeps it beside the export (``<export>.oai-state.json``)
or in the folder given by ``--state``.  The file is replaced atomically
(written aside, then renamed), so a crash never leaves half a state.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = ["PublishState", "RowState", "StateError", "state_path_for"]

_VERSION = 1


class StateError(ValueError):
    """A state file that cannot be used (the message says which and what to do)."""


@dataclass(slots=True)
class RowState:
    hash: str  # sha256 of what the row publishes (its cells and the profile that maps them)
    stamp: str  # the OAI datestamp, UTC seconds: YYYY-MM-DDThh:mm:ssZ
    deleted: bool = False
    sets: list[str] = field(default_factory=list)  # kept so a deleted record stays in its sets


@dataclass(slots=True)
class PublishState:
    export: str
    records: dict[str, RowState] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path, export: str) -> PublishState:
        if not path.exists():
            return cls(export)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") != _VERSION:
                raise ValueError(f"version {data.get('version')!r}")
            records = {str(k): RowState(**v) for k, v in data["records"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise StateError(
                f"{path}: not a publish state file this version can read ({exc}); move it aside to start "
                "afresh (every record then gets a new datestamp)"
            ) from None
        return cls(str(data.get("export", export)), records)

    def save(self, path: Path) -> None:
        data = {"version": _VERSION, "export": self.export, "records": {k: asdict(v) for k, v in self.records.items()}}
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump(data, file, ensure_ascii=False, separators=(",", ":"))
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def state_path_for(export: Path, folder: Path | None) -> Path:
    """``<export>.oai-state.json`` beside the export, or in ``folder``."""
    name = f"{export.name}.oai-state.json"
    return (folder / name) if folder is not None else export.with_name(name)
