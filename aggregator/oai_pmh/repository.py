"""OAI-PMH 2.0 request handling, shared by every data provider we run (verbs, arguments, errors, tokens).

Harvesters re-harvest what we publish the same way we harvest the museums,
so a provider keeps the promises our harvester relies on from others
(FACTS §4): second-granularity UTC datestamps, persistent deletions
(``<header status="deleted">``), idempotent stateless resumption tokens with
``completeListSize`` and ``cursor``, an empty token closing a split list, and
the protocol's error codes instead of HTTP errors.  What is listed comes
from a ``DataSource`` (``feed``): the catalogue's store behind ``/oai`` (one
set per museum), a museum's spreadsheet behind ``emuseum publish``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from lxml import etree
from pydantic import ValidationError

from aggregator.oai_pmh.feed import DataSource, FeedItem, FeedView, FeedWindow
from aggregator.oai_pmh.oai_dc import OAI_DC_NS, OAI_DC_SCHEMA
from aggregator.oai_pmh.token import BadToken, ListPosition
from mappings.core import CoreRecord
from mappings.lido_out import LIDO_NS
from mappings.xml_safety import NOT_XML_CHAR

__all__ = [
    "GRANULARITY",
    "MAX_POST_BYTES",
    "METADATA_FORMATS",
    "OAI_NS",
    "OaiError",
    "OaiRepository",
]

log = logging.getLogger("emuseum.oai")

OAI_NS: Final = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA: Final = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
_OAI_ID_NS: Final = "http://www.openarchives.org/OAI/2.0/oai-identifier"
_OAI_ID_SCHEMA: Final = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
_XSI_NS: Final = "http://www.w3.org/2001/XMLSchema-instance"
GRANULARITY: Final = "YYYY-MM-DDThh:mm:ssZ"
#: prefix -> (schema, namespace)
METADATA_FORMATS: Final[dict[str, tuple[str, str]]] = {
    "lido": ("http://www.lido-schema.org/schema/v1.1/lido-v1.1.xsd", LIDO_NS),
    "oai_dc": (OAI_DC_SCHEMA, OAI_DC_NS),
}
_LIST_VERBS: Final = ("ListIdentifiers", "ListRecords")
#: verb -> (required arguments, optional arguments); resumptionToken is handled apart.
MAX_POST_BYTES = 16 * 1024

_ARGUMENTS: Final[dict[str, tuple[frozenset[str], frozenset[str]]]] = {
    "Identify": (frozenset(), frozenset()),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"})),
    "ListSets": (frozenset(), frozenset({"resumptionToken"})),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset()),
    "ListIdentifiers": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set"})),
    "ListRecords": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set"})),
}
_BARE_REQUEST_CODES: Final = frozenset({"badVerb", "badArgument"})
_DAY: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECOND: Final = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def _oai(name: str) -> str:
    return f"{{{OAI_NS}}}{name}"


class OaiError(Exception):
    """One OAI-PMH error condition: ``code`` is from the protocol's fixed list."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class _OaiErrors(Exception):
    def __init__(self, errors: list[OaiError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class _Window:
    """from/until as given (for the token) and as bounds: from inclusive, until exclusive."""

    from_: str | None
    until: str | None
    lower: datetime | None
    upper: datetime | None

    def bounds(self, set_spec: str | None) -> FeedWindow:
        return FeedWindow(self.lower, self.upper, set_spec)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _datestamp(moment: datetime) -> str:
    return _utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_bound(name: str, value: str) -> tuple[datetime, str]:
    """A from/until value as a UTC moment and its granularity (day or second)."""
    try:
        if _DAY.match(value):
            return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC), "day"
        if _SECOND.match(value):
            return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC), "second"
    except ValueError:
        pass
    raise OaiError(
        "badArgument",
        f"'{name}' must be a UTC date YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ; got {value[:40]!r}",
    )


def _window(from_: str | None, until: str | None) -> _Window:
    lower = upper = None
    granularities = set()
    if from_ is not None:
        lower, granularity = _parse_bound("from", from_)
        granularities.add(granularity)
    if until is not None:
        start, granularity = _parse_bound("until", until)
        granularities.add(granularity)
        # until is inclusive at its own granularity: everything before the next day / second.
        upper = start + (timedelta(days=1) if granularity == "day" else timedelta(seconds=1))
    if len(granularities) > 1:
        raise OaiError("badArgument", "'from' and 'until' must have the same granularity")
    if lower is not None and upper is not None and lower >= upper:
        raise OaiError("badArgument", f"'from' ({from_}) is later than 'until' ({until})")
    return _Window(from_, until, lower, upper)


class OaiRepository:
    """Answers OAI-PMH requests over a data source; one instance serves many requests (thread-safe)."""

    def __init__(self, source: DataSource, *, page_size: int = 100) -> None:
        if page_size < 1:
            raise ValueError(f"page_size must be positive, not {page_size}")
        self.source = source
        self.identity = source.identity
        self.page_size = page_size

    # -- identifiers -----------------------------------------------------------
    @property
    def identifier_prefix(self) -> str:
        return f"oai:{self.identity.namespace}:"

    def oai_identifier(self, record_id: str) -> str:
        return self.identifier_prefix + record_id

    def record_id_of(self, identifier: str) -> str | None:
        if identifier.startswith(self.identifier_prefix):
            return identifier[len(self.identifier_prefix) :] or None
        return None

    # -- the request -----------------------------------------------------------
    def respond(self, params: Sequence[tuple[str, str]], base_url: str) -> bytes:
        """The complete OAI-PMH response document for one request's parameters."""
        root = etree.Element(_oai("OAI-PMH"), nsmap={None: OAI_NS, "xsi": _XSI_NS})  # type: ignore[dict-item]  # lxml-stubs omit the default namespace key
        root.set(f"{{{_XSI_NS}}}schemaLocation", f"{OAI_NS} {OAI_SCHEMA}")
        etree.SubElement(root, _oai("responseDate")).text = _datestamp(datetime.now(UTC))
        request = etree.SubElement(root, _oai("request"))
        request.text = base_url
        try:
            verb, args = self._check(params)
            for name, value in [("verb", verb), *sorted(args.items())]:
                request.set(name, value)
            root.append(self._answer(verb, args, base_url))
        except (_OaiErrors, OaiError) as failure:
            errors = failure.errors if isinstance(failure, _OaiErrors) else [failure]
            if any(e.code in _BARE_REQUEST_CODES for e in errors):
                request.attrib.clear()  # the protocol wants no attributes echoed for these
            for error in errors:
                element = etree.SubElement(root, _oai("error"), code=error.code)
                element.text = error.message
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    def _check(self, params: Sequence[tuple[str, str]]) -> tuple[str, dict[str, str]]:
        verbs = [v for n, v in params if n == "verb"]
        if len(verbs) != 1:
            message = "the verb is missing" if not verbs else "the verb is repeated"
            raise _OaiErrors([OaiError("badVerb", message)])
        verb = verbs[0]
        if verb not in _ARGUMENTS:
            raise _OaiErrors([OaiError("badVerb", f"{verb[:40]!r} is not an OAI-PMH verb")])
        required, optional = _ARGUMENTS[verb]
        allowed = required | optional | ({"resumptionToken"} if verb in _LIST_VERBS else set())
        args: dict[str, str] = {}
        errors: list[OaiError] = []
        for name, value in params:
            if name == "verb":
                continue
            if name not in allowed:
                errors.append(OaiError("badArgument", f"{verb} does not take {name[:40]!r}"))
            elif name in args:
                errors.append(OaiError("badArgument", f"argument {name!r} is repeated"))
            elif not value.strip():
                errors.append(OaiError("badArgument", f"argument {name!r} is empty"))
            elif NOT_XML_CHAR.search(value):  # refused rather than echoed into the response
                errors.append(OaiError("badArgument", f"argument {name!r} holds characters XML cannot carry"))
            else:
                args[name] = value
        if "resumptionToken" in args and verb in _LIST_VERBS:
            if len(args) > 1:
                errors.append(OaiError("badArgument", "resumptionToken is exclusive: send it with the verb only"))
        else:
            errors += [
                OaiError("badArgument", f"{verb} needs the argument {name!r}") for name in sorted(required - set(args))
            ]
        if errors:
            raise _OaiErrors(errors)
        return verb, args

    def _answer(self, verb: str, args: dict[str, str], base_url: str) -> etree._Element:
        with self.source.feed() as feed:
            if verb == "Identify":
                return self._identify(feed, base_url)
            if verb == "ListMetadataFormats":
                return self._list_metadata_formats(feed, args.get("identifier"))
            if verb == "ListSets":
                return self._list_sets(args.get("resumptionToken"))
            if verb == "GetRecord":
                return self._get_record(feed, args["identifier"], args["metadataPrefix"])
            return self._list(feed, verb, args)

    # -- verbs -------------------------------------------------------------------
    def _identify(self, feed: FeedView, base_url: str) -> etree._Element:
        identify = etree.Element(_oai("Identify"))
        earliest = feed.earliest()
        for name, value in (
            ("repositoryName", self.identity.name),
            ("baseURL", base_url),
            ("protocolVersion", "2.0"),
            ("adminEmail", self.identity.admin_email),
            ("earliestDatestamp", _datestamp(earliest or datetime.now(UTC))),
            ("deletedRecord", "persistent"),
            ("granularity", GRANULARITY),
        ):
            etree.SubElement(identify, _oai(name)).text = value
        description = etree.SubElement(identify, _oai("description"))
        oai_id = etree.SubElement(description, f"{{{_OAI_ID_NS}}}oai-identifier", nsmap={None: _OAI_ID_NS})  # type: ignore[dict-item]  # lxml-stubs omit the default namespace key
        oai_id.set(f"{{{_XSI_NS}}}schemaLocation", f"{_OAI_ID_NS} {_OAI_ID_SCHEMA}")
        for name, value in (
            ("scheme", "oai"),
            ("repositoryIdentifier", self.identity.namespace),
            ("delimiter", ":"),
            ("sampleIdentifier", self.oai_identifier(self.identity.sample_record_id)),
        ):
            etree.SubElement(oai_id, f"{{{_OAI_ID_NS}}}{name}").text = value
        return identify

    def _list_metadata_formats(self, feed: FeedView, identifier: str | None) -> etree._Element:
        if identifier is not None:
            item = self._lookup(feed, identifier)
            if item.deleted:
                raise OaiError("noMetadataFormats", f"{identifier} was deleted; it has no metadata")
        formats = etree.Element(_oai("ListMetadataFormats"))
        for prefix, (schema, namespace) in METADATA_FORMATS.items():
            entry = etree.SubElement(formats, _oai("metadataFormat"))
            etree.SubElement(entry, _oai("metadataPrefix")).text = prefix
            etree.SubElement(entry, _oai("schema")).text = schema
            etree.SubElement(entry, _oai("metadataNamespace")).text = namespace
        return formats

    def _list_sets(self, token: str | None) -> etree._Element:
        if token is not None:
            raise OaiError("badResumptionToken", "ListSets is never split; this token was not issued here")
        entries = self.source.sets()
        if not entries:
            raise OaiError("noSetHierarchy", "this repository has no sets")
        sets = etree.Element(_oai("ListSets"))
        for item in entries:
            entry = etree.SubElement(sets, _oai("set"))
            etree.SubElement(entry, _oai("setSpec")).text = item.spec
            names = item.names
            etree.SubElement(entry, _oai("setName")).text = names.get("en") or next(iter(names.values()), item.spec)
            description = etree.SubElement(entry, _oai("setDescription"))
            dc = etree.SubElement(
                description,
                f"{{{OAI_DC_NS}}}dc",
                nsmap={"oai_dc": OAI_DC_NS, "dc": "http://purl.org/dc/elements/1.1/", "xsi": _XSI_NS},
            )
            dc.set(f"{{{_XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {OAI_DC_SCHEMA}")
            for lang, name in names.items():
                title = etree.SubElement(dc, "{http://purl.org/dc/elements/1.1/}title")
                title.text = name
                if lang != "und":
                    title.set("{http://www.w3.org/XML/1998/namespace}lang", lang)
            if item.coverage:
                etree.SubElement(dc, "{http://purl.org/dc/elements/1.1/}coverage").text = item.coverage
        return sets

    def _get_record(self, feed: FeedView, identifier: str, prefix: str) -> etree._Element:
        errors = []
        if prefix not in METADATA_FORMATS:
            errors.append(self._format_error(prefix))
        try:
            item = self._lookup(feed, identifier, with_document=True)
        except OaiError as error:
            errors.append(error)
        if errors:
            raise _OaiErrors(errors)
        element = etree.Element(_oai("GetRecord"))
        self._append_record(element, item, prefix)
        return element

    def _list(self, feed: FeedView, verb: str, args: dict[str, str]) -> etree._Element:
        token = args.get("resumptionToken")
        after: tuple[datetime, str] | None = None
        cursor = 0
        if token is not None:
            try:
                position = ListPosition.decode(token)
                window = _window(position.from_, position.until)
            except (BadToken, OaiError) as exc:
                raise OaiError("badResumptionToken", f"{exc}; start the list again without a token") from None
            prefix, set_spec = position.metadata_prefix, position.set_spec
            if prefix not in METADATA_FORMATS:
                raise OaiError("badResumptionToken", "the token names an unknown metadata format")
            after, cursor = (position.last_stamp, position.last_id), position.cursor
        else:
            prefix, set_spec = args["metadataPrefix"], args.get("set")
            errors = []
            if prefix not in METADATA_FORMATS:
                errors.append(self._format_error(prefix))
            try:
                window = _window(args.get("from"), args.get("until"))
            except OaiError as error:
                errors.append(error)
            if errors:
                raise _OaiErrors(errors)
        with_documents = verb == "ListRecords"
        items = feed.items(window.bounds(set_spec), after, self.page_size + 1, with_documents=with_documents)
        if not items:
            raise OaiError("noRecordsMatch", "no records match these from/until/set arguments")
        complete = feed.count(window.bounds(set_spec))
        page, more = items[: self.page_size], len(items) > self.page_size
        element = etree.Element(_oai(verb))
        for item in page:
            if with_documents:
                self._append_record(element, item, prefix)
            else:
                element.append(self._header(item))
        if more or cursor > 0:
            resumption = etree.SubElement(element, _oai("resumptionToken"))
            resumption.set("completeListSize", str(max(complete, cursor + len(page))))
            resumption.set("cursor", str(cursor))
            if more:
                last = page[-1]
                resumption.text = ListPosition(
                    metadata_prefix=prefix,
                    from_=window.from_,
                    until=window.until,
                    set_spec=set_spec,
                    last_stamp=last.stamp,
                    last_id=last.record_id,
                    cursor=cursor + len(page),
                ).encode()
        return element

    # -- the store -----------------------------------------------------------------
    def _lookup(self, feed: FeedView, identifier: str, *, with_document: bool = False) -> FeedItem:
        record_id = self.record_id_of(identifier)
        item = feed.lookup(record_id, with_document=with_document) if record_id is not None else None
        if item is not None:
            return item
        raise OaiError(
            "idDoesNotExist",
            f"{identifier[:200]!r} is not in this repository (identifiers look like "
            f"{self.identifier_prefix}<museum id>:<local id>)",
        )

    # -- output ----------------------------------------------------------------------
    @staticmethod
    def _format_error(prefix: str) -> OaiError:
        return OaiError(
            "cannotDisseminateFormat",
            f"metadataPrefix {prefix[:40]!r} is not offered; use {' or '.join(METADATA_FORMATS)}",
        )

    def _header(self, item: FeedItem) -> etree._Element:
        header = etree.Element(_oai("header"))
        if item.deleted:
            header.set("status", "deleted")
        etree.SubElement(header, _oai("identifier")).text = self.oai_identifier(item.record_id)
        etree.SubElement(header, _oai("datestamp")).text = _datestamp(item.stamp)
        for spec in item.set_specs:
            etree.SubElement(header, _oai("setSpec")).text = spec
        return header

    def _append_record(self, parent: etree._Element, item: FeedItem, prefix: str) -> None:
        metadata_element = None
        if not item.deleted:
            try:
                record = CoreRecord.model_validate(item.document or {})
            except ValidationError as exc:
                # Leaving it out keeps the page valid for partners; the log names the record.
                log.warning("record=%s not served over OAI-PMH: %s", item.record_id, exc.errors()[:1])
                return
            metadata_element = self.source.metadata(record, prefix)
        element = etree.SubElement(parent, _oai("record"))
        element.append(self._header(item))
        if metadata_element is not None:
            etree.SubElement(element, _oai("metadata")).append(metadata_element)
