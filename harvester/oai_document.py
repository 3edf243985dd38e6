"""One OAI-PMH response, parsed once: repaired bytes, the tree, errors, token, list size.

Nothing a server sent goes into an exception message here beyond what an
operator needs to act (the kind of answer, its size, the parser's position):
a hostile endpoint must not be able to write into our reports.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from harvester.endpoint_info import OAI_NS
from harvester.errors import excerpt
from harvester.http import TransientFailure
from harvester.xml_parser import hardened_parser
from harvester.xml_repair import RepairedXml, repair_xml_bytes

__all__ = ["Document", "RecordSpan", "oai_name", "read_document", "salvaged_record_elements"]

_ROOT_START = re.compile(r"<(?:([A-Za-z_][\w.-]*):)?OAI-PMH\b([^>]*)>")
_NS_DECLARATION = re.compile(r"""\sxmlns(?::[A-Za-z_][\w.-]*)?\s*=\s*("[^"]*"|'[^']*')""")


def oai_name(name: str) -> str:
    """The Clark name of an element in the OAI-PMH namespace."""
    return f"{{{OAI_NS}}}{name}"


_q = oai_name


@dataclass(slots=True)
class RecordSpan:
    start: int
    end: int
    identifier: str | None


@dataclass(slots=True)
class Document:
    """One OAI-PMH response, parsed once."""

    root: etree._Element
    oai_prefix: str  # "oai:" or "" as the envelope writes OAI element names
    repaired: RepairedXml
    salvage_reason: str | None = None  # set when the page was not well-formed as a whole
    _spans: list[RecordSpan] | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        """The repaired text (made on demand: only repairs and salvage need it)."""
        return self.repaired.text

    def errors(self) -> list[tuple[str, str]]:
        return [(e.get("code") or "oaiError", (e.text or "").strip()) for e in self.root.iter(_q("error"))]

    def response_date(self) -> str | None:
        value = self.root.findtext(_q("responseDate"))
        return value.strip() if value else None

    def spans(self) -> list[RecordSpan]:
        """Where each ``<record>`` sits in the text: for salvage and for naming repairs."""
        if self._spans is None:
            p = re.escape(self.oai_prefix)
            records = re.compile(rf"<{p}record(?:\s[^>]*)?>.*?</{p}record\s*>", re.S)
            ident = re.compile(rf"<{p}identifier(?:\s[^>]*)?>(.*?)</{p}identifier\s*>", re.S)
            self._spans = []
            for match in records.finditer(self.text):
                found = ident.search(match.group(0))
                name = html.unescape(found.group(1)).strip() if found else None
                self._spans.append(RecordSpan(match.start(), match.end(), name))
        return self._spans

    def resumption_token(self) -> str | None:
        """The token for the next page; absent or empty means the list is complete."""
        if self.salvage_reason is not None:
            # The recovered tree may have swallowed the token into a broken record.
            p = re.escape(self.oai_prefix)
            tokens = re.findall(
                rf"<{p}resumptionToken(?:\s[^>]*)?(?:/>|>(.*?)</{p}resumptionToken\s*>)",
                self.text,
                re.S,
            )
            values = [html.unescape(t).strip() for t in tokens]
        else:
            holder = self.root.find(_q("ListRecords"))
            elements = (holder if holder is not None else self.root).iter(_q("resumptionToken"))
            values = [(e.text or "").strip() for e in elements]
        return next((v for v in values if v), None)

    def complete_list_size(self) -> int | None:
        """The ``completeListSize`` the page's resumptionToken promises, when it gives a number."""
        if self.salvage_reason is not None:
            p = re.escape(self.oai_prefix)
            match = re.search(rf"<{p}resumptionToken\s[^>]*completeListSize\s*=\s*[\"'](\d{{1,12}})[\"']", self.text)
            value = match.group(1) if match else None
        else:
            holder = self.root.find(_q("ListRecords"))
            element = next((holder if holder is not None else self.root).iter(_q("resumptionToken")), None)
            value = element.get("completeListSize") if element is not None else None
        value = (value or "").strip()
        return int(value) if value.isdigit() and len(value) <= 12 else None

    def repair_notes(self) -> list[str]:
        notes: list[str] = []
        if self.repaired.encoding_note:
            notes.append(self.repaired.encoding_note)
        counts: dict[tuple[str, str], int] = {}
        for fix in self.repaired.fixes:
            owner = next(
                (s.identifier or "a record" for s in self.spans() if s.start <= fix.position < s.end),
                "the response envelope",
            )
            counts[(owner, fix.description)] = counts.get((owner, fix.description), 0) + 1
        for (owner, description), count in counts.items():
            notes.append(f"{owner}: {description}" + (f" (x{count})" if count > 1 else ""))
        if self.salvage_reason:
            notes.append(f"page not well-formed ({excerpt(self.salvage_reason)}); records read one by one")
        return notes


def read_document(content: bytes) -> Document:
    """Repair, then parse; raise TransientFailure for anything that is not an OAI-PMH answer.

    HTML error pages and truncated bodies are *not* empty harvests (sickle#58):
    they are failures worth retrying, and in the end a SourceUnavailable.
    """
    if not content or content.isspace():
        raise TransientFailure("empty response body")
    repaired = repair_xml_bytes(content)
    start = _ROOT_START.search(repaired.head(65536))
    if start is None:
        head = repaired.head(4096).lstrip()[:200].lower()
        kind = "an HTML page" if "<html" in head or "<!doctype html" in head else "not OAI-PMH XML"
        raise TransientFailure(f"the answer is {kind} ({len(content)} bytes), not an OAI-PMH response")
    oai_prefix = f"{start.group(1)}:" if start.group(1) else ""
    data = repaired.utf8()
    try:
        root = etree.fromstring(data, parser=hardened_parser())
        salvage_reason = None
    except etree.XMLSyntaxError as exc:
        closing = re.compile(rf"</{re.escape(oai_prefix)}OAI-PMH\s*>\s*$")
        line, column = exc.position
        if not closing.search(repaired.text[-4096:]):
            raise TransientFailure(
                f"truncated or broken response (not well-formed XML at line {line}, column {column})"
            ) from exc
        root = etree.fromstring(data, parser=hardened_parser(recover=True))
        if root is None:
            raise TransientFailure(f"unreadable response (bad XML at line {line}, column {column})") from exc
        salvage_reason = str(exc)
    if root.tag != _q("OAI-PMH"):
        raise TransientFailure(f"the answer is not an OAI-PMH document (root element {excerpt(str(root.tag), 60)})")
    return Document(root, oai_prefix, repaired, salvage_reason)


def salvaged_record_elements(
    document: Document,
) -> Iterator[etree._Element | tuple[RecordSpan, str]]:
    """Each record parsed on its own; a record that still fails comes back as (span, reason)."""
    start = _ROOT_START.search(document.text)
    declarations = "".join(m.group(0) for m in _NS_DECLARATION.finditer(start.group(2))) if start else ""
    for span in document.spans():
        chunk = document.text[span.start : span.end]
        try:
            wrapper = etree.fromstring(f"<salvage{declarations}>{chunk}</salvage>".encode(), parser=hardened_parser())
        except etree.XMLSyntaxError as exc:
            yield span, f"not well-formed XML: {excerpt(str(exc))[1:-1]}"
            continue
        yield from wrapper.iter(_q("record"))


