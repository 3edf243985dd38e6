"""Parsing XML that strangers send us, without letting it reach out or blow up.

Museum exports arrive from systems we do not control, so the parser must never
fetch a DTD or entity over the network, never expand entities (billion laughs),
and refuse pathologically deep or huge trees.  Real OAI-PMH feeds also carry
characters XML 1.0 forbids (control characters U+0000-U+001F other than tab,
line feed and carriage return; established harvesters strip them too); one
such byte should cost a record a warning, not its whole content, so a failed
parse is retried once with those characters removed.

Readers that want one code path for every spelling of a name (the oai_dc
reader: Dublin Core with or without its namespaces) reduce the parsed copy to
local names (``strip_namespaces``).  The LIDO reader does not: renaming every
element cost more than reading the record, so it matches local names as it
goes (``mappings.lido_in.elements``).
"""

from __future__ import annotations

import re
import threading
from typing import cast

from lxml import etree

__all__ = [
    "NOT_XML_CHAR",
    "XS_LANGUAGE",
    "XmlPayloadError",
    "local_name",
    "parse_xml",
    "strip_namespaces",
]

#: Characters XML 1.0 cannot hold at all (a museum's text sometimes has them).
NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: The lexical form of xs:language, which xml:lang must have.
XS_LANGUAGE = re.compile(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*")

# XML 1.0 forbids C0 controls except TAB, LF, CR.  Also covers the character
# references exporters write for them (&#11;), which libxml2 refuses as well.
_ILLEGAL_CHARS = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_ILLEGAL_CHAR_REFS = re.compile(rb"&#(?:x0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F])|0*(?:[0-8]|1[124-9]|2[0-9]|3[01]));")

_local = threading.local()


class XmlPayloadError(ValueError):
    """The payload is not well-formed XML even after removing forbidden characters."""


def _parser() -> etree.XMLParser:
    """One hardened parser per thread: lxml parsers must not be shared across threads."""
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        _local.parser = parser
    return parser


def parse_xml(payload: bytes) -> tuple[etree._Element, bool]:
    """Parse untrusted bytes; returns the root and whether forbidden characters were dropped."""
    if not payload or not payload.strip():
        raise XmlPayloadError("empty payload")
    try:
        return etree.fromstring(payload, _parser()), False
    except etree.XMLSyntaxError as first:
        cleaned = _ILLEGAL_CHAR_REFS.sub(b"", _ILLEGAL_CHARS.sub(b"", payload))
        if cleaned == payload:
            raise XmlPayloadError(f"not well-formed XML: {first}") from first
        try:
            return etree.fromstring(cleaned, _parser()), True
        except etree.XMLSyntaxError as second:
            raise XmlPayloadError(f"not well-formed XML: {second}") from second


def local_name(tag: object) -> str:
    """The tag without its ``{namespace}``; '' for comments, PIs and entities."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


#: Qualified name -> local name; a fund repeats the same few hundred names.
_LOCAL_NAMES: dict[str, str] = {}


def _local_name_of(qualified: str) -> str:
    local = _LOCAL_NAMES.get(qualified)
    if local is None:
        local = qualified[qualified.index("}") + 1 :]
        if len(_LOCAL_NAMES) < 65536:
            _LOCAL_NAMES[qualified] = local
    return local


def strip_namespaces(root: etree._Element) -> etree._Element:
    """Rename every element and attribute of ``root`` (in place) to its local name.

    ``xml:lang`` becomes ``lang``, ``lido:type`` becomes ``type`` and
    ``rdf:about`` becomes ``about``; when two attributes collapse onto one
    name the namespaced one wins, because that is the one the schema defines.
    Attributes are only touched through ``keys()`` (a plain list), and the
    ``attrib`` proxy is made only for the few elements with a namespaced one.
    """
    known = _LOCAL_NAMES
    for el in root.iter():
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if tag[0] == "{":
            el.tag = known.get(tag) or _local_name_of(tag)
        # lxml-stubs type attribute names as str | bytes; parsed documents give str.
        for key in cast("list[str]", el.keys()):
            if key[0] == "{":
                attrib = el.attrib
                found = attrib.pop(key)
                attrib[_local_name_of(key)] = found
    etree.cleanup_namespaces(root)
    return root
