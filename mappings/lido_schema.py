"""Offline validation of LIDO documents against the official XML Schemas.

Partners re-harvesting our LIDO validate it against the official schema, so we
check every document we publish before they do.  The schemas travel with the
package (``mappings/schemas/lido/``, CC BY 4.0, see NOTICE.md) with relative
``schemaLocation`` references; the parser refuses the network and a resolver
refuses any non-local URL, so validation never depends on w3.org or
lido-schema.org being reachable (the harvester hosts may have no internet).

XML Schema cannot see the Schematron rules embedded in v1.1 (e.g. "a concept
holds either skos:Concept or conceptID/term"); those are not checked here.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Final

from lxml import etree

__all__ = [
    "LIDO_NS",
    "SKOS_NS",
    "SUPPORTED_VERSIONS",
    "LidoSchemaError",
    "detect_version",
    "lido_1_1_only_elements",
    "validate_lido",
]

LIDO_NS: Final = "http://www.lido-schema.org"
SKOS_NS: Final = "http://www.w3.org/2004/02/skos/core#"
_XS_NS: Final = "http://www.w3.org/2001/XMLSchema"

SUPPORTED_VERSIONS: Final = ("1.0", "1.1")
_SCHEMA_FILES: Final = {"1.0": "lido-v1.0.xsd", "1.1": "lido-v1.1.xsd"}


class LidoSchemaError(Exception):
    """The packaged schema could not be compiled, or tried to reach the network."""


class _OfflineResolver(etree.Resolver):
    """Refuses every non-file URL, so a schema edit that re-introduces an absolute
    ``schemaLocation`` fails loudly instead of silently fetching from the web."""

    # lxml calls resolve(system_url, public_id, context); lxml-stubs leave out the context.
    def resolve(  # type: ignore[override]
        self, system_url: str | None, public_id: str | None, context: object
    ) -> None:
        url = system_url or ""
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme in {"http", "https", "ftp"}:
            raise LidoSchemaError(f"LIDO schema import points to the network: {url}")
        return None  # let libxml2 load the local file


def _offline_parser() -> etree.XMLParser:
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    parser.resolvers.add(_OfflineResolver())
    return parser


@dataclass(slots=True)
class _CompiledSchema:
    schema: etree.XMLSchema
    lock: threading.Lock  # an XMLSchema keeps its error log on itself: one validation at a time


_compiled: dict[str, _CompiledSchema] = {}
_compile_lock = threading.Lock()


def _schema_dir() -> Traversable:
    """The packaged schema folder.

    importlib.resources is the way that also works from a wheel or zip; an
    editable install made before ``mappings`` had an ``__init__.py`` turns it into
    a namespace package that importlib.resources cannot read on Python 3.11, so
    the folder next to this module is the fallback.
    """
    try:
        folder = resources.files("mappings") / "schemas" / "lido"
    except (NotADirectoryError, TypeError, ModuleNotFoundError):
        return Path(__file__).resolve().parent / "schemas" / "lido"
    return folder


def _schema(version: str) -> _CompiledSchema:
    """Compile the schema for ``version`` once per process (lazy, thread-safe)."""
    if version not in _SCHEMA_FILES:
        raise ValueError(f"unknown LIDO version {version!r}; supported: {SUPPORTED_VERSIONS}")
    cached = _compiled.get(version)
    if cached is not None:
        return cached
    with _compile_lock:
        cached = _compiled.get(version)
        if cached is None:
            source = _schema_dir() / _SCHEMA_FILES[version]
            # as_file gives a real path, so the relative imports resolve next to it.
            with resources.as_file(source) as path:
                try:
                    document = etree.parse(str(path), _offline_parser())
                    compiled = etree.XMLSchema(document)
                except (etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
                    raise LidoSchemaError(f"LIDO {version} schema does not compile: {exc}") from exc
            cached = _CompiledSchema(compiled, threading.Lock())
            _compiled[version] = cached
    return cached


def _document_parser() -> etree.XMLParser:
    # Documents come from museums: no DTD loading, no entity expansion, no network.
    return etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False, huge_tree=False)


def validate_lido(xml: bytes | etree._Element, version: str = "1.1") -> list[str]:
    """Schema errors of a LIDO document (root ``lido:lidoWrap`` or ``lido:lido``).

    An empty list means valid.  Each message starts with ``line N:`` so a museum
    can find the spot in the file it sent; an element built in memory (no source
    lines) is serialised first so that the lines refer to that serialisation.
    """
    compiled = _schema(version)
    if isinstance(xml, bytes | bytearray):
        try:
            target: etree._Element = etree.fromstring(bytes(xml), _document_parser())
        except etree.XMLSyntaxError as exc:
            line = exc.lineno if exc.lineno is not None else 0
            return [f"line {line}: not well-formed XML: {exc.msg}"]
    elif isinstance(xml, etree._Element):
        target = xml
        if target.sourceline is None:
            target = etree.fromstring(etree.tostring(target), _document_parser())
    else:
        raise TypeError(f"validate_lido takes bytes or an lxml element, not {type(xml).__name__}")
    with compiled.lock:
        valid = compiled.schema.validate(target)
        errors = list(compiled.schema.error_log)  # type: ignore[call-overload]  # lxml-stubs: _ErrorLog is opaque
    if valid:
        return []
    return [f"line {error.line}: {error.message}" for error in errors]


_only_in_1_1: frozenset[str] | None = None


def lido_1_1_only_elements() -> frozenset[str]:
    """Local names of elements declared in the v1.1 schema but not in v1.0.

    Read from the packaged XSDs rather than typed in, so the list cannot drift
    from the schemas we validate against.
    """
    global _only_in_1_1
    if _only_in_1_1 is None:
        names: dict[str, set[str]] = {}
        for version, filename in _SCHEMA_FILES.items():
            source = _schema_dir() / filename
            tree = etree.fromstring(source.read_bytes(), _offline_parser())
            names[version] = {
                str(el.get("name")) for el in tree.iter(f"{{{_XS_NS}}}element") if el.get("name") is not None
            }
        _only_in_1_1 = frozenset(names["1.1"] - names["1.0"])
    return _only_in_1_1


def detect_version(element: etree._Element) -> str:
    """``"1.1"`` when the document uses anything only v1.1 allows, else ``"1.0"``.

    v1.1 is backwards compatible, so "1.0" means "valid under both is likely";
    the markers are the elements new in 1.1 and embedded ``skos:Concept``.
    The search runs inside lxml (``iter`` with the marker tags), a sixth of the
    cost of visiting every element from Python: it runs once per harvested record.
    """
    return "1.1" if next(element.iter(*_version_markers()), None) is not None else "1.0"


@cache
def _version_markers() -> tuple[str, ...]:
    only_1_1 = sorted(lido_1_1_only_elements())
    return (*(f"{{{LIDO_NS}}}{local}" for local in only_1_1), f"{{{SKOS_NS}}}Concept")
