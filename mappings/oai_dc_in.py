"""Simple Dublin Core (oai_dc) records to core records.

oai_dc is the format every OAI-PMH repository must offer, so small museums
whose software knows nothing of LIDO still reach the national catalogue
through it.  Its fifteen elements are untyped strings; the mapping therefore
reads each value's shape: a URL ending in ``.jpg`` is an image, one ending
in ``.glb`` a 3D model, any other web address the object's page, a string of
numbers with ``cm`` a dimension, and the rest what the element says.
Refined ``dcterms`` elements (``medium``, ``spatial``, ``temporal``) are
read when a repository adds them to the record.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import TypeVar, cast

from lxml import etree
from pydantic import ValidationError

from harvester.raw import RawRecord
from mappings.core import (
    ISO_DATE,
    Actor,
    CoreRecord,
    LangText,
    Links,
    Measurement,
    Media,
    MediaKind,
    Place,
    Production,
    Rights,
    SourceInfo,
    Term,
    record_id,
)
from mappings.dates import parse_date
from mappings.lido_media import (
    is_http_url,
    media_kind,
    normalise_mime,
    normalise_rights_uri,
    url_extension,
)
from mappings.lido_terms import is_placeholder, normalise_lang
from mappings.report import Issue, MappingError, MappingResult
from mappings.xml_safety import XmlPayloadError, parse_xml, strip_namespaces

__all__ = ["MAPPING_VERSION", "map_oai_dc"]

MAPPING_VERSION = "oai_dc-in/2"

_DC_ROOTS = ("dc", "qualifieddc")
_DIMENSION = re.compile(
    r"\d\s*(?:[.,]\d+)?\s*(?:cm|mm|m|g|kg|in|см|мм|м|г|кг)\b|\d\s*[x×х]\s*\d",
    re.IGNORECASE,
)
_MIME_LIKE = re.compile(r"^[a-z]+/[a-z0-9.+-]+$", re.IGNORECASE)
_DCMI_TYPES = {
    "collection",
    "dataset",
    "event",
    "image",
    "interactiveresource",
    "movingimage",
    "physicalobject",
    "service",
    "software",
    "sound",
    "stillimage",
    "text",
}
_MAPPED = {
    "title",
    "description",
    "abstract",
    "type",
    "subject",
    "creator",
    "contributor",
    "date",
    "created",
    "format",
    "medium",
    "extent",
    "rights",
    "license",
    "accessRights",
    "identifier",
    "coverage",
    "spatial",
    "temporal",
    "publisher",
}


_Item = TypeVar("_Item")


def _text(el: etree._Element) -> str:
    # lxml-stubs type itertext as str | bytes; lxml gives str for parsed documents.
    return " ".join(unicodedata.normalize("NFC", "".join(cast("Iterator[str]", el.itertext()))).split())


def _term(value: str, lang: str) -> Term:
    if is_http_url(value):
        return Term(uri=value)
    return Term(labels={lang: value})


def _dedupe(items: list[_Item]) -> list[_Item]:
    out: list[_Item] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def map_oai_dc(raw: RawRecord) -> MappingResult:
    """Map one ``oai_dc:dc`` record (or the OAI ``<metadata>`` holding it) to a core record."""

    def fail(field_name: str, message: str) -> MappingError:
        return MappingError(raw.museum_id, raw.local_id, field_name, message)

    try:
        root, cleaned = parse_xml(raw.payload)
    except XmlPayloadError as exc:
        raise fail("payload", str(exc)) from exc
    root = strip_namespaces(root)
    dc = root if root.tag in _DC_ROOTS else next((el for el in root.iter(*_DC_ROOTS)), None)
    if dc is None:
        raise fail("dc", f"no oai_dc:dc element (root element is {root.tag!r})")

    issues: list[Issue] = []
    if cleaned:
        issues.append(Issue("payload", "characters XML forbids were removed before parsing"))

    def warn(field_name: str, message: str) -> None:
        issues.append(Issue(field_name, message))

    values: dict[str, list[tuple[str, str]]] = {}
    unmapped: list[str] = []
    for el in dc:
        if not isinstance(el.tag, str):
            continue
        text = _text(el)
        if not text or is_placeholder(text):
            continue
        raw_lang = el.get("lang")
        lang = normalise_lang(raw_lang) or "und"
        if lang == "und" and raw_lang and raw_lang.strip().casefold() != "und":
            warn(f"dc:{el.tag}/@xml:lang", f"{raw_lang.strip()!r} is not an ISO 639 code")
        values.setdefault(el.tag, []).append((text, lang))
        if el.tag not in _MAPPED and f"dc:{el.tag}" not in unmapped:
            unmapped.append(f"dc:{el.tag}")

    def get(*names: str) -> list[tuple[str, str]]:
        return [v for name in names for v in values.get(name, [])]

    titles = _dedupe([LangText(value=v, lang=lang, preferred=i == 0) for i, (v, lang) in enumerate(get("title"))])
    descriptions = _dedupe([LangText(value=v, lang=lang) for v, lang in get("description", "abstract")])
    # DCMI Type terms (PhysicalObject, Image, ...) say what kind of resource the
    # record describes, not what the object is: they only stand in as the object
    # type when the record names nothing more specific, else they classify it.
    object_type, dcmi_types = [], []
    for value, lang in get("type"):
        key = value.replace(" ", "").casefold()
        if key in _DCMI_TYPES:
            dcmi_types.append(Term(labels={lang: value}, uri=f"http://purl.org/dc/dcmitype/{value.replace(' ', '')}"))
        else:
            object_type.append(_term(value, lang))
    if not object_type:
        object_type, dcmi_types = dcmi_types, []
    subjects = _dedupe([_term(v, lang) for v, lang in get("subject")])
    actors = [Actor(name=v, role=Term(labels={"en": "creator"})) for v, _ in get("creator")]
    actors += [Actor(name=v, role=Term(labels={"en": "contributor"})) for v, _ in get("contributor")]

    materials: list[Term] = []
    measurements: list[Measurement] = []
    for value, lang in get("format", "medium", "extent"):
        if _MIME_LIKE.match(value):
            if "dc:format (MIME type)" not in unmapped:
                unmapped.append("dc:format (MIME type)")
        elif _DIMENSION.search(value):
            measurements.append(Measurement(display=value))
        else:
            materials += [
                Term(labels={lang: part.strip()})
                for part in re.split(r"[;,]", value)
                if part.strip() and not is_placeholder(part.strip())
            ]

    rights = _rights(get("rights", "license", "accessRights"), warn)

    inventory = None
    media: list[Media] = []
    object_page = None
    published: list[str] = []
    for value, _ in get("identifier"):
        if is_http_url(value):
            extension = url_extension(value)
            mime, _ok = normalise_mime(extension) if extension else (None, True)
            kind = media_kind(value, mime if mime != "text/html" else None, [], None)
            if kind in (MediaKind.IMAGE, MediaKind.MODEL_3D, MediaKind.VIDEO, MediaKind.AUDIO):
                media.append(Media(url=value, kind=kind, mime=mime, rights=None))
            elif object_page is None:
                object_page = value
            else:
                published.append(value)
        elif re.match(r"^(?:urn|info|oai|doi):", value, re.IGNORECASE):
            published.append(value)
        elif inventory is None:
            inventory = value

    production = _production(get("date", "created"), get("coverage", "spatial"), get("temporal"), warn)
    publisher = get("publisher")

    if not (titles or object_type or descriptions or inventory):
        raise fail("dc:title", "record has no title, no type, no description and no identifier")
    if not titles:
        warn("dc:title", "no title")

    try:
        record = CoreRecord(
            id=record_id(raw.museum_id, raw.local_id),
            museum_id=raw.museum_id,
            local_id=raw.local_id,
            inventory_number=inventory,
            repository=publisher[0][0] if publisher else None,
            object_type=_dedupe(object_type),
            classification=_dedupe(dcmi_types),
            titles=titles,
            descriptions=descriptions,
            actors=_dedupe(actors),
            production=production,
            materials=_dedupe(materials),
            measurements=_dedupe(measurements),
            subjects=subjects,
            rights=rights,
            media=_dedupe(media),
            links=Links(published_ids=_dedupe(published), object_page=object_page),
            source=SourceInfo(
                format=raw.format,
                oai_identifier=raw.oai_identifier,
                datestamp=raw.datestamp,
                harvested_at=raw.harvested_at,
                mapping_version=MAPPING_VERSION,
                schema_version="2.0",
            ),
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "record"
        raise fail(where, first.get("msg", str(exc))) from exc
    return MappingResult(record=record, issues=issues, unmapped=unmapped)


def _rights(values: list[tuple[str, str]], warn: Callable[[str, str], None]) -> Rights | None:
    uri = label = None
    for value, _ in values:
        if is_http_url(value):
            checked = normalise_rights_uri(value)
            if checked.problem:
                warn("dc:rights", checked.problem)
            uri = uri or checked.uri
        else:
            label = label or value
    if uri is None and label is None:
        return None
    return Rights(uri=uri, label=label)


def _production(
    dates: list[tuple[str, str]],
    coverage: list[tuple[str, str]],
    temporal: list[tuple[str, str]],
    warn: Callable[[str, str], None],
) -> Production | None:
    display = earliest = latest = None
    places: list[Place] = []
    for value, _ in dates:
        parsed = parse_date(value)
        if parsed is None:
            warn("dc:date", f"{value!r} is not a date this mapping can read")
            display = display or value
            continue
        display = value
        earliest = parsed.earliest if parsed.earliest and ISO_DATE.match(parsed.earliest) else None
        latest = parsed.latest if parsed.latest and ISO_DATE.match(parsed.latest) else None
        break
    for value, _ in coverage:
        # dc:coverage is spatial or temporal; a value with digits that reads as a date is time
        parsed = parse_date(value) if re.search(r"\d", value) else None
        if parsed is not None and (parsed.earliest or parsed.latest):
            if display is None:
                display, earliest, latest = value, parsed.earliest, parsed.latest
            continue
        places.append(Place(name=value))
    period = [Term(labels={lang: v}) for v, lang in temporal]
    if not (display or earliest or latest or places or period):
        return None
    return Production(
        date_display=display,
        earliest=earliest if earliest and ISO_DATE.match(earliest) else None,
        latest=latest if latest and ISO_DATE.match(latest) else None,
        places=_dedupe(places),
        period=_dedupe(period),
    )
