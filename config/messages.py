"""Pydantic's validation errors as one line a museum or an operator can act on.

Config files are lists of named entries (museums, schedule jobs, CSV column
rules); an error names the file, the entry as the file names it, and the field,
never a bare position like ``museums.3.source.url``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["describe_error"]


def describe_error(error: Any, data: Any, *, list_key: str, name_key: str, label: str, quote: bool = False) -> str:
    """``"<label> <name>, field <path>: <message>"`` for an error inside ``data[list_key][i]``."""
    loc = list(error.get("loc", ()))
    where = ""
    if len(loc) >= 2 and loc[0] == list_key and isinstance(loc[1], int):
        entries = data.get(list_key) if isinstance(data, dict) else None
        entry = entries[loc[1]] if isinstance(entries, list) and loc[1] < len(entries) else None
        name = entry.get(name_key) if isinstance(entry, dict) else None
        shown = (repr(name) if quote else str(name)) if name else f"#{loc[1] + 1}"
        where = f"{label} {shown}, "
        loc = loc[2:]
    field = ".".join(str(p) for p in loc if not str(p).startswith("function-")) or "(entry)"
    return f"{where}field {field}: {error.get('msg')}"
