"""From payload bytes to the one ``lido`` element to read, and what the schema says of it.

Exports arrive as a bare ``lido``, a ``lidoWrap`` of many, the element inside
an OAI-PMH ``<metadata>`` wrapper, or without the LIDO namespace at all.  The
payload is validated against the official schema first (its verdict becomes a
warning, never a refusal), then reduced to local names so every lookup in the
reader is by plain element name.  Stand-ins our own LIDO output writes for
required elements are dropped, so reading our output back does not turn them
into data.
"""

from __future__ import annotations

from mappings.lido_in.elements import Element, all_paths, children, inline_text
from mappings.lido_out import SUBSTITUTE_MARK
from mappings.lido_schema import LIDO_NS, detect_version, validate_lido
from mappings.report import Issue
from mappings.xml_safety import parse_xml, strip_namespaces_marking

__all__ = ["ParsedPayload", "find_lido_elements", "local_id_of", "parse_payload", "schema_findings", "schema_version"]

#: (namespace-stripped root, whether forbidden characters were removed,
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
    """Parse (raising XmlPayloadError), validate if asked, strip namespaces and our stand-ins."""
    root, cleaned = parse_xml(payload)
    schema_location = " ".join(
        str(value) for key, value in root.attrib.items() if str(key).rsplit("}", 1)[-1] == "schemaLocation"
    )
    findings = schema_findings(root) if validate else []
    for stand_in in strip_namespaces_marking(root, "encodinganalog", SUBSTITUTE_MARK):
        parent = stand_in.getparent()
        if parent is not None:
            parent.remove(stand_in)
    return root, cleaned, schema_location, findings


def find_lido_elements(root: Element) -> list[Element]:
    """Top-level ``lido`` elements under any wrapper (lidoWrap, OAI metadata, envelopes)."""
    if root.tag == "lido":
        return [root]
    found: list[Element] = []
    for el in root.iter("lido"):
        if not any(a.tag == "lido" for a in el.iterancestors()):
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
    location = " ".join([schema_location, lido.get("schemaLocation") or ""])
    if "v1.1" in location:
        return "1.1"
    if "v1.0" in location:
        return "1.0"
    return "1.1" if any(el.tag in _V11_ONLY for el in lido.iter() if isinstance(el.tag, str)) else "1.0"
