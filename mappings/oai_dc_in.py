"""Simple Dublin Core (oai_dc) records to core records.

oai_dc is the format every OAI-PMH repository must offer, so small museums
whose software knows nothing of LIDO still reach the national catalogue
through it.  Its fifteen elements are untyped strings; the mapping therefore
reads each value's shape: a URL ending in ``.jpg`` is an image, one ending
in ``.glb`` a 3D model, any other web address the object's page, a string of
numbers with ``cm`` a dimension, and the rest what the element says.
Refined ``dcterms`` elements (``medium``, ``spatial``, ``temporal``) are
read when a repository adds them to the record.  Each value keeps the element
it came from (``dc:title``, ``dc:date[2]`` when an element repeats) in the
record's provenance.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple, TypeVar, cast

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

#: oai_dc-in/3: field-level provenance (``CoreRecord.provenance``).
MAPPING_VERSION = "oai_dc-in/3"

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


#: The fifteen elements of simple Dublin Core; the others are DCMI terms (dcterms:).
_DC_ELEMENTS = frozenset(
    {
        "title",
        "creator",
        "subject",
        "description",
        "publisher",
        "contributor",
        "date",
        "type",
        "format",
        "identifier",
        "source",
        "language",
        "relation",
        "coverage",
        "rights",
    }
)

_Item = TypeVar("_Item")
#: Core field path -> the elements (``dc:title``, ``dc:date[2]``) its value came from.
_Sources = dict[str, list[str]]


class _Value(NamedTuple):
    text: str
    lang: str
    path: str  # dc:title, dcterms:medium, dc:date[2]


def _note(sources: _Sources, field_path: str, values: Iterable[_Value]) -> None:
    for value in values:
        bucket = sources.setdefault(field_path, [])
        if value.path not in bucket:
            bucket.append(value.path)


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

    values: dict[str, list[_Value]] = {}
    unmapped: list[str] = []
    elements = [el for el in dc if isinstance(el.tag, str)]
    repeated = Counter(el.tag for el in elements)
    seen: Counter[str] = Counter()
    for el in elements:
        seen[el.tag] += 1
        text = _text(el)
        if not text or is_placeholder(text):
            continue
        raw_lang = el.get("lang")
        lang = normalise_lang(raw_lang) or "und"
        if lang == "und" and raw_lang and raw_lang.strip().casefold() != "und":
            warn(f"dc:{el.tag}/@xml:lang", f"{raw_lang.strip()!r} is not an ISO 639 code")
        name = ("dc:" if el.tag in _DC_ELEMENTS else "dcterms:") + el.tag
        values.setdefault(el.tag, []).append(
            _Value(text, lang, f"{name}[{seen[el.tag]}]" if repeated[el.tag] > 1 else name)
        )
        if el.tag not in _MAPPED and f"dc:{el.tag}" not in unmapped:
            unmapped.append(f"dc:{el.tag}")

    def get(*names: str) -> list[_Value]:
        return [v for name in names for v in values.get(name, [])]

    sources: _Sources = {}
    _note(sources, "titles", get("title"))
    _note(sources, "descriptions", get("description", "abstract"))
    _note(sources, "subjects", get("subject"))
    _note(sources, "actors", get("creator", "contributor"))
    titles = _dedupe([LangText(value=v, lang=lang, preferred=i == 0) for i, (v, lang, _) in enumerate(get("title"))])
    descriptions = _dedupe([LangText(value=v, lang=lang) for v, lang, _ in get("description", "abstract")])
    # DCMI Type terms (PhysicalObject, Image, ...) say what kind of resource the
    # record describes, not what the object is: they only stand in as the object
    # type when the record names nothing more specific, else they classify it.
    object_type: list[Term] = []
    dcmi_types: list[Term] = []
    typed: list[_Value] = []
    dcmi_values: list[_Value] = []
    for item in get("type"):
        value, lang, _ = item
        key = value.replace(" ", "").casefold()
        if key in _DCMI_TYPES:
            dcmi_types.append(Term(labels={lang: value}, uri=f"http://purl.org/dc/dcmitype/{value.replace(' ', '')}"))
            dcmi_values.append(item)
        else:
            object_type.append(_term(value, lang))
            typed.append(item)
    if not object_type:
        object_type, dcmi_types, typed, dcmi_values = dcmi_types, [], dcmi_values, []
    _note(sources, "object_type", typed)
    _note(sources, "classification", dcmi_values)
    subjects = _dedupe([_term(v, lang) for v, lang, _ in get("subject")])
    actors = [Actor(name=v.text, role=Term(labels={"en": "creator"})) for v in get("creator")]
    actors += [Actor(name=v.text, role=Term(labels={"en": "contributor"})) for v in get("contributor")]

    materials: list[Term] = []
    measurements: list[Measurement] = []
    for item in get("format", "medium", "extent"):
        value, lang, _ = item
        if _MIME_LIKE.match(value):
            if "dc:format (MIME type)" not in unmapped:
                unmapped.append("dc:format (MIME type)")
        elif _DIMENSION.search(value):
            measurements.append(Measurement(display=value))
            _note(sources, "measurements", [item])
        else:
            parts = [
                Term(labels={lang: part.strip()})
                for part in re.split(r"[;,]", value)
                if part.strip() and not is_placeholder(part.strip())
            ]
            materials += parts
            if parts:
                _note(sources, "materials", [item])

    rights_values = get("rights", "license", "accessRights")
    rights = _rights(rights_values, warn)
    if rights is not None:
        _note(sources, "rights", rights_values)

    inventory = None
    media: list[Media] = []
    object_page = None
    published: list[str] = []
    for item in get("identifier"):
        value = item.text
        if is_http_url(value):
            extension = url_extension(value)
            mime, _ok = normalise_mime(extension) if extension else (None, True)
            kind = media_kind(value, mime if mime != "text/html" else None, [], None)
            if kind in (MediaKind.IMAGE, MediaKind.MODEL_3D, MediaKind.VIDEO, MediaKind.AUDIO):
                media.append(Media(url=value, kind=kind, mime=mime, rights=None))
                _note(sources, "media", [item])
            elif object_page is None:
                object_page = value
                _note(sources, "links.object_page", [item])
            else:
                published.append(value)
                _note(sources, "links.published_ids", [item])
        elif re.match(r"^(?:urn|info|oai|doi):", value, re.IGNORECASE):
            published.append(value)
            _note(sources, "links.published_ids", [item])
        elif inventory is None:
            inventory = value
            _note(sources, "inventory_number", [item])

    production = _production(get("date", "created"), get("coverage", "spatial"), get("temporal"), warn, sources)
    publisher = get("publisher")
    _note(sources, "repository", publisher[:1])

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
            provenance=sources,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "record"
        raise fail(where, first.get("msg", str(exc))) from exc
    return MappingResult(record=record, issues=issues, unmapped=unmapped)


def _rights(values: list[_Value], warn: Callable[[str, str], None]) -> Rights | None:
    uri = label = None
    for value, _, _ in values:
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
    dates: list[_Value],
    coverage: list[_Value],
    temporal: list[_Value],
    warn: Callable[[str, str], None],
    sources: _Sources,
) -> Production | None:
    display = earliest = latest = None
    dated_by: list[_Value] = []
    places: list[Place] = []
    for item in dates:
        value = item.text
        parsed = parse_date(value)
        if parsed is None:
            warn("dc:date", f"{value!r} is not a date this mapping can read")
            if display is None:
                display, dated_by = value, [item]
            continue
        display = value
        dated_by = [item]
        earliest = parsed.earliest if parsed.earliest and ISO_DATE.match(parsed.earliest) else None
        latest = parsed.latest if parsed.latest and ISO_DATE.match(parsed.latest) else None
        break
    for item in coverage:
        value = item.text
        # dc:coverage is spatial or temporal; a value with digits that reads as a date is time
        parsed = parse_date(value) if re.search(r"\d", value) else None
        if parsed is not None and (parsed.earliest or parsed.latest):
            if display is None:
                display, earliest, latest = value, parsed.earliest, parsed.latest
                dated_by = [item]
            continue
        places.append(Place(name=value))
        _note(sources, "production.places", [item])
    period = [Term(labels={lang: v}) for v, lang, _ in temporal]
    _note(sources, "production.period", temporal)
    _note(sources, "production.date_display", dated_by if display else [])
    _note(sources, "production.earliest", dated_by if earliest and ISO_DATE.match(earliest) else [])
    _note(sources, "production.latest", dated_by if latest and ISO_DATE.match(latest) else [])
    if not (display or earliest or latest or places or period):
        return None
    return Production(
        date_display=display,
        earliest=earliest if earliest and ISO_DATE.match(earliest) else None,
        latest=latest if latest and ISO_DATE.match(latest) else None,
        places=_dedupe(places),
        period=_dedupe(period),
    )
