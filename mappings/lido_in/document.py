"""From payload bytes to the one ``lido`` element to read, and what the schema says of it.

Exports arrive as a bare ``lido``, a ``lidoWrap`` of many, the element inside
an OAI-PMH ``<metadata>`` wrapper, or without the LIDO namespace at all.  The
payload is validated against the official schema first (its verdict becomes a
warning, never a refusal); the tree keeps its namespaces, and every lookup in
the reader is by local name (``elements``).  Stand-ins our own LIDO output
writes for required elements are dropped, so reading our output back does not
turn them into data.
"""

from __future__ import annotations

from mappings.lido_in.elements import Element, all_paths, attr, children, inline_text, local, wildcard
from mappings.lido_out import SUBSTITUTE_MARK
from mappings.lido_schema import LIDO_NS, detect_version, validate_lido
from mappings.report import Issue
from mappings.xml_safety import parse_xml

__all__ = ["ParsedPayload", "find_lido_elements", "local_id_of", "parse_payload", "schema_findings", "schema_version"]

#: (the parsed root, stand-ins removed, whether forbidden characters were removed,
#: the root's xsi:schemaLocation, the schema's findings).
ParsedPayload = tuple[Element, bool, str, list[Issue]]

# Elements only LIDO 1.1 has: their presence dates a record without a schemaLocation.
_V11_ONLY = frozenset(
    {
        "applicationProfile",
        "Concept",
        "objectMaterialsTechWrap",
        "displayRepository",
        "eventObjectMeasurements",
        "objectDescriptionRights",
        "displayRelatedWork",
        "collection",
        "sourceActorInRole",
        "vitalPlaceActor",
        "objectName",
    }
)
_V11_SELECTORS = tuple(wildcard(name) for name in sorted(_V11_ONLY))
#: Our stand-ins carry this attribute; few payloads have it at all, so the search is skipped
#: when its name is not in the bytes (every encoding but UTF-16/32 spells it in ASCII).
_MARK_ATTRIBUTE = "encodinganalog"


def schema_findings(root: Element) -> list[Issue]:
    """The official schema's verdict on the record, as a warning: a museum learns what to fix,
    and the record is still mapped as far as it can be."""
    lido_tags = (f"{{{LIDO_NS}}}lido", f"{{{LIDO_NS}}}lidoWrap")
    target = root if root.tag in lido_tags else next(root.iter(lido_tags[0]), None)
    if target is None:
        return [Issue("payload", f"not in the LIDO namespace {LIDO_NS}; schema validation skipped", "info")]
    version = detect_version(target)
    messages = validate_lido(target, version)
    if not messages:
        return []
    shown = "; ".join(messages[:3]) + (f" (and {len(messages) - 3} more)" if len(messages) > 3 else "")
    return [Issue("schema", f"not valid against LIDO {version}: {shown}")]


def parse_payload(payload: bytes, *, validate: bool = False) -> ParsedPayload:
    """Parse (raising XmlPayloadError), validate if asked, and drop our stand-ins."""
    root, cleaned = parse_xml(payload)
    schema_location = " ".join(
        str(value) for key, value in root.attrib.items() if str(key).rsplit("}", 1)[-1] == "schemaLocation"
    )
    findings = schema_findings(root) if validate else []
    for stand_in in _stand_ins(root, payload):
        parent = stand_in.getparent()
        if parent is not None:
            parent.remove(stand_in)
    return root, cleaned, schema_location, findings


def _stand_ins(root: Element, payload: bytes) -> list[Element]:
    """Elements whose ``encodinganalog`` (any namespace) is our stand-in mark, in document order."""
    wide = payload[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in payload[:4]
    if not wide and _MARK_ATTRIBUTE.encode() not in payload:
        return []
    carrying = root.xpath(f"//*[@*[local-name()='{_MARK_ATTRIBUTE}']]")
    assert isinstance(carrying, list)
    return [el for el in carrying if isinstance(el, Element) and attr(el, _MARK_ATTRIBUTE) == SUBSTITUTE_MARK]


def find_lido_elements(root: Element) -> list[Element]:
    """Top-level ``lido`` elements under any wrapper (lidoWrap, OAI metadata, envelopes)."""
    if local(root.tag) == "lido":
        return [root]
    found: list[Element] = []
    selector = wildcard("lido")
    for el in root.iter(selector):
        if next(el.iterancestors(selector), None) is None:
            found.append(el)
    return found


def local_id_of(lido: Element) -> str | None:
    """The record's own id: lidoRecID, else administrativeMetadata/recordWrap/recordID."""
    for rec_id in children(lido, "lidoRecID"):
        if inline_text(rec_id):
            return inline_text(rec_id)
    for rec_id in all_paths(lido, "administrativeMetadata", "recordWrap", "recordID"):
        if inline_text(rec_id):
            return inline_text(rec_id)
    return None


def schema_version(lido: Element, schema_location: str) -> str:
    """"1.0" or "1.1": by the schemaLocation if it says, else by elements only 1.1 has."""
    location = " ".join([schema_location, attr(lido, "schemaLocation") or ""])
    if "v1.1" in location:
        return "1.1"
    if "v1.0" in location:
        return "1.0"
    return "1.1" if next(lido.iter(*_V11_SELECTORS), None) is not None else "1.0"
