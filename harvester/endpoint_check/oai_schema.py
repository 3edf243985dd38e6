"""Validating OAI-PMH responses against the official OAI-PMH 2.0 schema, offline.

The schema file (OAI-PMH.xsd, Van de Sompel / Warner, 2002-2008) is not
committed: ``devtools/install_assets.sh`` (``make assets``) takes it from a
package on PyPI (the cubicweb-oaipmh 1.0.1 source distribution ships a copy
in its tests), checks its SHA-256 and puts it in ``harvester/schemas/``.
Without it the check says so and relies on the rules written out in
``protocol`` (responseDate, datestamps, error codes, Identify's fields).

The schema lets ``<metadata>``, ``<about>`` and ``<description>`` hold any
element of another namespace with ``processContents="strict"``, so a LIDO
record would fail for want of the LIDO schema.  The envelope is what this
module checks; it compiles the schema with those wildcards made ``lax``, and
the records themselves are checked against their own schema elsewhere.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Final

from lxml import etree

__all__ = ["SCHEMA_PATH", "envelope_errors", "schema_available"]

SCHEMA_PATH: Final = Path(__file__).resolve().parent.parent / "schemas" / "OAI-PMH.xsd"
_XS: Final = "{http://www.w3.org/2001/XMLSchema}"
_lock = threading.Lock()
_compiled: etree.XMLSchema | None = None


def schema_available() -> bool:
    return SCHEMA_PATH.is_file()


def _schema() -> etree.XMLSchema:
    global _compiled
    with _lock:
        if _compiled is None:
            parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
            tree = etree.fromstring(SCHEMA_PATH.read_bytes(), parser)
            for wildcard in tree.iter(f"{_XS}any"):
                wildcard.set("processContents", "lax")
            _compiled = etree.XMLSchema(tree)
        return _compiled


def envelope_errors(root: etree._Element, limit: int = 3) -> list[str]:
    """Schema errors of one response (``line N: ...``), at most ``limit``; [] when valid or no schema."""
    if not schema_available():
        return []
    schema = _schema()
    with _lock:  # an XMLSchema object keeps one error log: one validation at a time
        valid = schema.validate(root)
        errors = list(schema.error_log)  # type: ignore[call-overload]  # lxml-stubs: _ErrorLog is opaque
    if valid:
        return []
    return [f"line {e.line}: {e.message}" for e in errors[:limit]]
