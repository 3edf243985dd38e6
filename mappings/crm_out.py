"""Core record -> CIDOC-CRM 7.1, written as Linked Art JSON-LD and as RDF.

Linked Art is the CIDOC-CRM profile the museum world publishes in, so the
national catalogue speaks it: ``to_linked_art`` builds the document with the
``cromulent`` model (the Linked Art reference library, so property names and
ranges are checked against the profile while we build), and ``to_graph`` /
``to_turtle`` / ``to_ntriples`` read that same document back as RDF.

Three decisions shape the output:

* **No network, ever.**  The document names the Linked Art context by URL, as
  consumers expect, but rdflib would fetch that URL to parse it (FACTS.md
  §3.4).  ``to_graph`` swaps in the copy shipped in ``mappings/data``.
* **Stable URIs.**  The object lives at ``{base}object/{museum}/{local id}``.
  Actors, places and concepts keep their own URI when the source gave an
  http(s) one; otherwise they get ``{base}actor|place|concept/{hash}`` from
  the normalised name, so the same potter named by two museums is one node in
  the union graph.  Parts of the object's description (names, production,
  dimensions, ...) get fragment URIs under the object URI instead of blank
  nodes, so the same record always gives byte-identical N-Triples, which the
  store can compare and the web layer can cache.
* **Only what we mint is described.**  An external node (AAT, Wikidata, a
  museum thesaurus) gets a label and what the record itself states about it
  (a place's coordinates, a culture term's "culture" metatype); Names in each
  language are attached only to nodes under ``base_uri``.

Dates: ``CoreRecord`` keeps astronomical ISO years (``-0499`` is 500 BCE).  XSD
1.1 (the datatype version RDF 1.1 uses) numbers years the same way (``0000``
is 1 BCE), so the year is copied as is: ``-0499`` -> ``-0499-01-01T00:00:00Z``.
rdflib keeps such literals verbatim but cannot turn them into Python
``datetime`` values (it flags them ``ill_typed``); the warning it would log
for every BCE date is filtered, nothing else is.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import math
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import rdflib
from cromulent import model, vocab
from cromulent.model import LINKED_ART_CONTEXT_URI, CromulentError
from rdflib.plugins.parsers.jsonld import Parser as JsonLdParser
from rdflib.plugins.shared.jsonld.context import Context as JsonLdContext

from mappings.core import (
    Actor,
    CoreRecord,
    LangText,
    Measurement,
    Media,
    MediaKind,
    Place,
    Production,
    Rights,
    Term,
)
from mappings.iso_dates import parse_iso
from mappings.report import MappingError

__all__ = [
    "AAT",
    "CRM",
    "DEFAULT_BASE_URI",
    "DIG",
    "LA",
    "LINKED_ART_CONTEXT_URL",
    "actor_uri",
    "begin_of_the_begin",
    "concept_uri",
    "digital_object_uri",
    "end_of_the_end",
    "linked_art_context",
    "object_uri",
    "place_uri",
    "to_graph",
    "to_linked_art",
    "to_ntriples",
    "to_turtle",
]

DEFAULT_BASE_URI = "https://catalogue.museums.kz/"
LINKED_ART_CONTEXT_URL: str = LINKED_ART_CONTEXT_URI  # https://linked.art/ns/v1/linked-art.json

CRM = rdflib.Namespace("http://www.cidoc-crm.org/cidoc-crm/")
LA = rdflib.Namespace("https://linked.art/ns/terms/")
DIG = rdflib.Namespace("http://www.ics.forth.gr/isl/CRMdig/")
AAT = rdflib.Namespace("http://vocab.getty.edu/aat/")


def _aat_id(number: str) -> str:
    return f"{AAT}{number}"


# --- Getty AAT concepts ------------------------------------------------------
# Source of every id but one: cromulent 1.0.1's vocabulary data
# (cromulent/data/vocab_classes.json and vocab_instances.json), which encodes
# the Linked Art recommendations; the cromulent name is given for each, and
# tests/mappings/test_crm_out.py checks them against the installed package.
AAT_PRIMARY_NAME = _aat_id("300404670")  # vocab.PrimaryName "Primary Name"
AAT_ACCESSION_NUMBER = _aat_id("300312355")  # vocab.AccessionNumber
AAT_BRIEF_TEXT = _aat_id("300418049")  # instances["brief text"]: metatype of statements
AAT_DESCRIPTION = _aat_id("300435416")  # vocab.Description
AAT_INSCRIPTION = _aat_id("300435414")  # vocab.InscriptionStatement
AAT_DIMENSION_STATEMENT = _aat_id("300435430")  # vocab.DimensionStatement
AAT_RIGHTS_STATEMENT = _aat_id("300435434")  # vocab.RightsStatement "Copyright/License Statement"
AAT_CREDIT_STATEMENT = _aat_id("300026687")  # vocab.CreditStatement
AAT_WORK_TYPE = _aat_id("300435443")  # instances["work type"]: metatype of object types
AAT_DIGITAL_IMAGE = _aat_id("300215302")  # vocab.DigitalImage
AAT_DIGITAL_AUDIO = _aat_id("300312045")  # vocab.DigitalAudio
AAT_WEB_PAGE = _aat_id("300264578")  # vocab.WebPage
# Not in cromulent's data: "cultures (people)", the metatype Linked Art and
# Getty's own pipelines put on culture terms (seen in thegetty pipeline code
# and linkedart.js tests).
AAT_CULTURE = _aat_id("300055768")

_PREFIXES: dict[str, str] = {
    "crm": str(CRM),
    "la": str(LA),
    "dig": str(DIG),
    "rdfs": str(rdflib.RDFS),
    "xsd": str(rdflib.XSD),
    "aat": str(AAT),
}

#: Dimension types (lower-cased source value -> AAT id, label), cromulent
#: vocab.Height / Width / Depth / Diameter / Weight.
_DIMENSION_TYPES: dict[str, tuple[str, str]] = {
    "height": (_aat_id("300055644"), "Height"),
    "высота": (_aat_id("300055644"), "Height"),
    "width": (_aat_id("300055647"), "Width"),
    "ширина": (_aat_id("300055647"), "Width"),
    "depth": (_aat_id("300072633"), "Depth"),
    "глубина": (_aat_id("300072633"), "Depth"),
    "diameter": (_aat_id("300055624"), "Diameter"),
    "диаметр": (_aat_id("300055624"), "Diameter"),
    "weight": (_aat_id("300056240"), "Weight"),
    "вес": (_aat_id("300056240"), "Weight"),
    "масса": (_aat_id("300056240"), "Weight"),
}

#: Measurement units, cromulent instances "mm", "cm", "meters", "grams",
#: "kilograms", "inches".
_UNITS: dict[str, tuple[str, str]] = {
    "mm": (_aat_id("300379097"), "millimeters"),
    "мм": (_aat_id("300379097"), "millimeters"),
    "cm": (_aat_id("300379098"), "centimeters"),
    "см": (_aat_id("300379098"), "centimeters"),
    "m": (_aat_id("300379099"), "meters"),
    "м": (_aat_id("300379099"), "meters"),
    "g": (_aat_id("300379225"), "grams"),
    "г": (_aat_id("300379225"), "grams"),
    "kg": (_aat_id("300379226"), "kilograms"),
    "кг": (_aat_id("300379226"), "kilograms"),
    "in": (_aat_id("300379100"), "inches"),
    "inch": (_aat_id("300379100"), "inches"),
    "inches": (_aat_id("300379100"), "inches"),
}

#: Concepts the catalogue needs but for which no AAT id was verified: they
#: live under ``{base}vocab/`` so nobody mistakes them for Getty's.
_LOCAL_VOCAB: dict[str, str] = {
    "3d-model": "3D model",
    "video": "Video",
    "thumbnail": "Thumbnail",
    "virtual-tour": "Virtual tour",
}

_ORGANISATION_KINDS = frozenset({"organization", "organisation", "group", "institution", "corporation", "corporate"})
_PERSON_KINDS = frozenset({"person", "individual"})

#: Label picked to mint a concept URI when a term has several: Kazakhstani
#: catalogues are written in Russian and Kazakh first.
_KEY_LANGS = ("ru", "kk", "en", "und")

_HTTP_URI = re.compile(r"^https?://[^\s/?#]+(?:[/?#].*)?$", re.IGNORECASE | re.DOTALL)
_IRI_FORBIDDEN = frozenset('<>"{}|\\^`')
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,8}$")
_BCE_LEXICAL = re.compile(r"'(-\d{4,}|0000)-\d{2}-\d{2}T")

# --- public URI helpers ------------------------------------------------------


def object_uri(museum_id: str, local_id: str, *, base_uri: str = DEFAULT_BASE_URI) -> str:
    """The object's URI; the local id is percent-encoded whole ('/' included)."""
    return f"{_base(base_uri)}object/{museum_id}/{quote(local_id, safe='')}"


def actor_uri(actor: Actor, *, base_uri: str = DEFAULT_BASE_URI) -> str:
    """The actor's own http(s) URI, else one minted from the normalised name."""
    return _given_uri(actor.uri) or _minted(base_uri, "actor", actor.name)


def place_uri(place: Place, *, base_uri: str = DEFAULT_BASE_URI) -> str:
    """The place's own http(s) URI, else one minted from the normalised name."""
    return _given_uri(place.uri) or _minted(base_uri, "place", place.name)


def concept_uri(term: Term, *, base_uri: str = DEFAULT_BASE_URI) -> str | None:
    """The term's own http(s) URI, else one minted from its key label.

    None when the term has neither a usable label nor a URI to mint from.
    """
    return _term_uri(term, base_uri, "concept")


def digital_object_uri(url: str, *, base_uri: str = DEFAULT_BASE_URI) -> str:
    """A media file's node, minted from its URL so re-harvests keep it."""
    return f"{_base(base_uri)}digital/{hashlib.sha1(url.encode('utf-8')).hexdigest()[:16]}"


# --- dates --------------------------------------------------------------------


def begin_of_the_begin(iso: str) -> str:
    """First instant of an ISO date/month/year, as an xsd:dateTime lexical form."""
    day = parse_iso(iso).first_day()
    return f"{day.iso()}T00:00:00Z"


def end_of_the_end(iso: str) -> str:
    """Last second of an ISO date/month/year, as an xsd:dateTime lexical form."""
    day = parse_iso(iso).last_day()
    return f"{day.iso()}T23:59:59Z"


# --- Linked Art document ----------------------------------------------------


def to_linked_art(record: CoreRecord, *, base_uri: str = DEFAULT_BASE_URI) -> dict[str, Any]:
    """The record as a Linked Art ``HumanMadeObject`` document (JSON-LD, plain dict).

    Raises MappingError naming museum, record and field when a value cannot
    be expressed (cromulent refuses it).
    """
    _configure_factory()
    builder = _Builder(record, _base(base_uri))
    document = model.factory.toJSON(builder.build())
    return _plain(document)


def linked_art_context() -> dict[str, Any]:
    """A private copy of the bundled Linked Art context (the ``@context`` value)."""
    return copy.deepcopy(_context())


# --- RDF ----------------------------------------------------------------------


def to_graph(record: CoreRecord, *, base_uri: str = DEFAULT_BASE_URI) -> rdflib.Graph:
    """The record's Linked Art document as an rdflib graph, parsed offline.

    rdflib's JSON-LD parser reads the document against the bundled context.
    The context is loaded once per process and its type-scoped sub-contexts
    are reused (``_ReusableContext``), which halves the parse time; should a
    future rdflib move those internals, the plain documented path (the
    context dict substituted for the URL) is taken instead, same triples.
    """
    document = to_linked_art(record, base_uri=base_uri)
    _quiet_bce_literal_warnings()
    graph = rdflib.Graph()
    try:
        body = {key: value for key, value in document.items() if key != "@context"}
        JsonLdParser().parse(body, _parser_context(), graph)
    except (AttributeError, TypeError):
        graph = rdflib.Graph()
        graph.parse(data={**document, "@context": _context()}, format="json-ld")
    for prefix, namespace in _PREFIXES.items():
        graph.bind(prefix, namespace, replace=True)
    return graph


def to_turtle(record: CoreRecord, *, base_uri: str = DEFAULT_BASE_URI) -> str:
    """The record as Turtle with the crm/la/dig/rdfs/xsd/aat prefixes."""
    return to_graph(record, base_uri=base_uri).serialize(format="turtle")


def to_ntriples(record: CoreRecord, *, base_uri: str = DEFAULT_BASE_URI) -> str:
    """The record as N-Triples, lines sorted so equal records give equal text."""
    text = to_graph(record, base_uri=base_uri).serialize(format="nt")
    lines = sorted(line for line in text.splitlines() if line.strip())
    return "\n".join(lines) + "\n" if lines else ""


@cache
def _context() -> dict[str, Any]:
    # Shared and read-only: rdflib's context loader does not modify it.
    # A path next to this file rather than importlib.resources: the editable
    # install can expose ``mappings`` as a namespace package, which
    # resources.files() refuses.
    text = (Path(__file__).parent / "data" / "linked-art.json").read_text("utf-8")
    return json.loads(text)["@context"]


class _ReusableContext(JsonLdContext):
    """rdflib's JSON-LD context that remembers the scoped contexts it derives.

    Linked Art gives every class its own scoped context, and rdflib rebuilds
    it for every node of that class (about half of the parse time).  The
    derived context depends only on its parent and its source, both fixed
    here, and the parser only reads it, so one copy per (source, propagate)
    serves every record.
    """

    def _subcontext(self, source: Any, propagate: bool) -> JsonLdContext:
        derived: dict[tuple[int, bool], tuple[JsonLdContext, Any]]
        derived = self.__dict__.setdefault("_derived", {})
        key = (id(source), propagate)
        found = derived.get(key)
        if found is None:
            context = super()._subcontext(source, propagate)
            context.__class__ = _ReusableContext  # its own scoped contexts are kept too
            found = derived[key] = (context, source)  # holding source keeps id() unique
        return found[0]


@cache
def _parser_context() -> JsonLdContext:
    return _ReusableContext(source=_context())


class _BceDateTimeFilter(logging.Filter):
    """Drops rdflib's warning for BCE xsd:dateTime literals, which are valid XSD.

    Python's datetime stops at year 1; rdflib logs a traceback each time it
    fails to convert, yet keeps the lexical form intact.  Other conversion
    failures still get through.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if not str(record.msg).startswith("Failed to convert Literal lexical form"):
            return True
        error = record.exc_info[1] if record.exc_info else None
        return not (isinstance(error, ValueError) and _BCE_LEXICAL.search(str(error)))


_BCE_FILTER = _BceDateTimeFilter()


def _quiet_bce_literal_warnings() -> None:
    logger = logging.getLogger("rdflib.term")
    if _BCE_FILTER not in logger.filters:
        logger.addFilter(_BCE_FILTER)


# --- the builder -------------------------------------------------------------


def _configure_factory() -> None:
    """Set cromulent's module-wide factory the way this module needs it.

    cromulent has one global factory; re-asserting the few settings we rely
    on at each call keeps us right even if other code changed them.  The
    factory reads its context from cromulent's own file, never the network.
    """
    factory = model.factory
    factory.auto_assign_id = False  # we give every node an id ourselves
    factory.context_uri = LINKED_ART_CONTEXT_URL
    factory.id_type_label = True
    factory.multiple_instances_per_property = "drop"
    factory.validate_profile = True
    factory.validate_properties = True
    factory.validate_range = True
    factory.log_stream = None  # profile warnings must not reach stderr from a pure function


class _Builder:
    """Builds one record's cromulent object graph; caches shared nodes by URI."""

    def __init__(self, record: CoreRecord, base: str) -> None:
        self.record = record
        self.base = base
        self.uri = object_uri(record.museum_id, record.local_id, base_uri=base)
        self._nodes: dict[tuple[type, str], Any] = {}

    # -- entry point

    def build(self) -> Any:
        record = self.record
        label = record.title() or record.inventory_number or record.id
        obj = model.HumanMadeObject(ident=self.uri, label=label)
        with self._field("titles"):
            self._titles(obj, record.titles)
        with self._field("inventory_number"):
            self._inventory_number(obj)
        with self._field("links.published_ids"):
            self._published_ids(obj)
        with self._field("object_type, classification"):
            self._classifications(obj)
        with self._field("descriptions"):
            self._statements(obj, record.descriptions, "description", AAT_DESCRIPTION)
        with self._field("inscriptions"):
            self._statements(obj, record.inscriptions, "inscription", AAT_INSCRIPTION)
        with self._field("production"):
            self._production(obj)
        with self._field("materials"):
            for term in record.materials:
                material = self._concept(model.Material, term)
                if material is not None:
                    obj.made_of = material
        with self._field("measurements"):
            self._measurements(obj, record.measurements)
        with self._field("subjects"):
            self._subjects(obj, record.subjects)
        with self._field("repository"):
            if record.repository and record.repository.strip():
                holder = Actor(name=record.repository.strip(), kind="organization")
                obj.current_custodian = self._actor(holder)
        with self._field("rights"):
            if record.rights is not None:
                self._rights(obj, record.rights, "rights")
        for number, media in enumerate(record.media, 1):
            with self._field(f"media[{number - 1}]"):
                self._media(obj, media, number)
        with self._field("links.object_page"):
            self._object_page(obj)
        return obj

    @contextmanager
    def _field(self, name: str) -> Iterator[None]:
        try:
            yield
        except (CromulentError, ValueError, TypeError) as error:
            raise MappingError(
                self.record.museum_id,
                self.record.local_id,
                name,
                f"cannot express as CIDOC-CRM / Linked Art: {error}",
            ) from error

    def _fragment(self, name: str) -> str:
        return f"{self.uri}#{name}"

    # -- names and identifiers

    def _titles(self, obj: Any, titles: list[LangText]) -> None:
        kept = [t for t in titles if t.value.strip()]
        # Linked Art requires a primary name; CoreRecord.title() shows the
        # first title when none is marked preferred, so that one is primary.
        any_preferred = any(t.preferred for t in kept)
        for number, title in enumerate(kept, 1):
            name = model.Name(ident=self._fragment(f"title-{number}"), content=title.value)
            if title.preferred or (not any_preferred and number == 1):
                name.classified_as = self._aat(AAT_PRIMARY_NAME, "Primary Name")
            self._language(name, title.lang)
            obj.identified_by = name

    def _inventory_number(self, obj: Any) -> None:
        number = (self.record.inventory_number or "").strip()
        if number:
            identifier = model.Identifier(ident=self._fragment("inventory-number"), content=number)
            identifier.classified_as = self._aat(AAT_ACCESSION_NUMBER, "Accession Number")
            obj.identified_by = identifier

    def _published_ids(self, obj: Any) -> None:
        for number, published in enumerate(self.record.links.published_ids, 1):
            if not published.strip():
                continue
            identifier = model.Identifier(ident=self._fragment(f"published-id-{number}"), content=published.strip())
            obj.identified_by = identifier
            same = _given_uri(published)
            if same and same != self.uri:
                obj.equivalent = model.HumanMadeObject(ident=same)

    def _language(self, target: Any, lang: str | None) -> None:
        if not lang:
            return
        primary = re.split(r"[-_]", lang.strip(), maxsplit=1)[0].lower()
        if not _LANGUAGE_CODE.match(primary) or primary in ("und", "zxx", "mul"):
            return
        known = _cromulent_languages().get(primary)
        if known is not None:
            target.language = known
            return
        key = (model.Language, primary)
        if key not in self._nodes:
            language = model.Language(ident=f"{self.base}vocab/language/{primary}", label=primary)
            language.notation = primary
            self._nodes[key] = language
        target.language = self._nodes[key]

    # -- types

    def _aat(self, uri: str, label: str, cls: type = model.Type) -> Any:
        key = (cls, uri)
        if key not in self._nodes:
            node = cls(ident=uri, label=label)
            if uri in _STATEMENT_TYPES:
                node.classified_as = self._aat(AAT_BRIEF_TEXT, "Brief Text")
            self._nodes[key] = node
        return self._nodes[key]

    def _local_vocab(self, slug: str) -> Any:
        return self._aat(f"{self.base}vocab/{slug}", _LOCAL_VOCAB[slug])

    def _concept(self, cls: type, term: Term, segment: str = "concept") -> Any | None:
        uri = _term_uri(term, self.base, segment)
        if uri is None:
            return None
        key = (cls, uri)
        if key in self._nodes:
            return self._nodes[key]
        node = cls(ident=uri, label=_display_label(term) or uri)
        if uri.startswith(self.base):
            for lang, label in sorted(term.labels.items()):
                if not label.strip():
                    continue
                # keyed by language, so records with more or fewer labels agree on ids
                name = model.Name(ident=f"{uri}#name-{quote(lang.lower(), safe='')}", content=label.strip())
                self._language(name, lang)
                node.identified_by = name
        self._nodes[key] = node
        return node

    def _classifications(self, obj: Any) -> None:
        seen: set[str] = set()
        for term in self.record.object_type:
            node = self._concept(model.Type, term)
            if node is not None and node.id not in seen:
                seen.add(node.id)
                if not _has_class(node, AAT_WORK_TYPE):
                    node.classified_as = self._aat(AAT_WORK_TYPE, "Type of Work")
                obj.classified_as = node
        for term in self.record.classification:
            node = self._concept(model.Type, term)
            if node is not None and node.id not in seen:
                seen.add(node.id)
                obj.classified_as = node

    # -- statements

    def _statements(self, obj: Any, texts: list[LangText], slug: str, kind: str) -> None:
        label = _STATEMENT_TYPES[kind]
        for number, text in enumerate((t for t in texts if t.value.strip()), 1):
            statement = model.LinguisticObject(ident=self._fragment(f"{slug}-{number}"), content=text.value)
            statement.classified_as = self._aat(kind, label)
            self._language(statement, text.lang)
            obj.referred_to_by = statement

    def _statement(self, target: Any, slug: str, kind: str, content: str) -> None:
        statement = model.LinguisticObject(ident=self._fragment(slug), content=content)
        statement.classified_as = self._aat(kind, _STATEMENT_TYPES[kind])
        target.referred_to_by = statement

    # -- production

    def _production(self, obj: Any) -> None:
        production = self.record.production or Production()
        actors = [a for a in self.record.actors if a.name.strip()]
        techniques = self.record.techniques
        if not (actors or techniques or _has_content(production)):
            return
        event = model.Production(ident=self._fragment("production"))
        self._timespan(event, production)
        for place in production.places:
            if place.name.strip() or _given_uri(place.uri):
                event.took_place_at = self._place(place)
        for term in production.culture:
            culture = self._concept(model.Type, term)
            if culture is not None:
                if not _has_class(culture, AAT_CULTURE):
                    culture.classified_as = self._aat(AAT_CULTURE, "Culture")
                event.classified_as = culture
        for term in production.period:
            period = self._concept(model.Period, term, "period")
            if period is not None:
                event.during = period
        for term in techniques:
            technique = self._concept(model.Type, term)
            if technique is not None:
                event.technique = technique
        for number, actor in enumerate(actors, 1):
            node = self._actor(actor)
            role = self._concept(model.Type, actor.role) if actor.role else None
            if role is None:
                event.carried_out_by = node
                continue
            # Linked Art: a role is a part of the production, classified by it.
            part = model.Production(ident=self._fragment(f"production-part-{number}"))
            part.classified_as = role
            part.carried_out_by = node
            event.part = part
        obj.produced_by = event

    def _timespan(self, event: Any, production: Production) -> None:
        display = (production.date_display or "").strip()
        if not (production.earliest or production.latest or display):
            return
        span = model.TimeSpan(ident=self._fragment("production-timespan"))
        if production.earliest:
            span.begin_of_the_begin = begin_of_the_begin(production.earliest)
        if production.latest:
            span.end_of_the_end = end_of_the_end(production.latest)
        if display:
            span.identified_by = model.Name(ident=self._fragment("production-date"), content=display)
        event.timespan = span

    def _actor(self, actor: Actor) -> Any:
        uri = actor_uri(actor, base_uri=self.base)
        kind = (actor.kind or "").strip().lower()
        if kind in _PERSON_KINDS:
            cls: type = model.Person
        elif kind in _ORGANISATION_KINDS:
            cls = model.Group
        else:
            cls = model.Actor  # the source does not say; E39 claims no more than it knows
        key = (model.Actor, uri)  # one node per URI whatever the kind
        if key not in self._nodes:
            node = cls(ident=uri, label=actor.name.strip())
            if uri.startswith(self.base):
                node.identified_by = model.Name(ident=f"{uri}#name", content=actor.name.strip())
            self._nodes[key] = node
        return self._nodes[key]

    def _place(self, place: Place) -> Any:
        uri = place_uri(place, base_uri=self.base)
        key = (model.Place, uri)
        if key in self._nodes:
            return self._nodes[key]
        node = model.Place(ident=uri, label=place.name.strip() or uri)
        if uri.startswith(self.base) and place.name.strip():
            node.identified_by = model.Name(ident=f"{uri}#name", content=place.name.strip())
        wkt = _wkt_point(place.lat, place.lon)
        if wkt:
            node.defined_by = wkt
        self._nodes[key] = node
        return node

    # -- physical description

    def _measurements(self, obj: Any, measurements: list[Measurement]) -> None:
        statements: list[str] = []
        for number, measurement in enumerate(measurements, 1):
            display = (measurement.display or "").strip()
            if display and display not in statements:
                statements.append(display)
            value = measurement.value
            if value is None or not math.isfinite(value):
                continue
            dimension = model.Dimension(ident=self._fragment(f"dimension-{number}"), value=value)
            kind = (measurement.type or "").strip()
            if kind:
                known = _DIMENSION_TYPES.get(kind.lower())
                if known:
                    dimension.classified_as = self._aat(*known)
                else:
                    dimension.classified_as = self._concept(model.Type, Term(labels={"und": kind}))
            unit = (measurement.unit or "").strip()
            if unit:
                known_unit = _UNITS.get(unit.lower().rstrip("."))
                if known_unit:
                    dimension.unit = self._aat(*known_unit, cls=model.MeasurementUnit)
                else:
                    dimension.unit = self._concept(model.MeasurementUnit, Term(labels={"und": unit}))
            obj.dimension = dimension
        for number, display in enumerate(statements, 1):
            self._statement(obj, f"dimension-statement-{number}", AAT_DIMENSION_STATEMENT, display)

    def _subjects(self, obj: Any, subjects: list[Term]) -> None:
        nodes = [n for n in (self._concept(model.Type, t) for t in subjects) if n is not None]
        if not nodes:
            return
        visual = model.VisualItem(ident=self._fragment("visual-content"))
        for node in nodes:
            visual.about = node
        obj.shows = visual

    # -- rights, media, pages

    def _rights(self, target: Any, rights: Rights, slug: str) -> None:
        licence: Any | None = None
        if _text(rights.uri):
            # A licence URI is used as is; free text in the uri field is minted.
            labels = {"und": rights.label.strip()} if _text(rights.label) else {}
            licence = self._concept(model.Type, Term(labels=labels, uri=rights.uri))
        holder = self._actor(Actor(name=rights.holder.strip())) if _text(rights.holder) else None
        if licence is not None or holder is not None:
            right = model.Right(ident=self._fragment(slug))
            if licence is not None:
                right.classified_as = licence
            if holder is not None:
                right.possessed_by = holder
            target.subject_to = right
        if _text(rights.label):
            self._statement(target, f"{slug}-statement", AAT_RIGHTS_STATEMENT, rights.label.strip())
        if _text(rights.credit_line):
            self._statement(target, f"{slug}-credit-line", AAT_CREDIT_STATEMENT, rights.credit_line.strip())

    def _digital_object(self, url: str, mime: str | None, label: str | None) -> Any:
        node = model.DigitalObject(ident=digital_object_uri(url, base_uri=self.base), label=(label or "").strip())
        node.access_point = model.DigitalObject(ident=url)
        if mime and mime.strip():
            node.format = mime.strip()
        return node

    def _media(self, obj: Any, media: Media, number: int) -> None:
        url = _given_uri(media.url)
        if url is None:
            return  # nothing a client could fetch; the quality report flags it
        digital = self._digital_object(url, media.mime, media.label)
        kind = media.kind
        mime = (media.mime or "").lower()
        if kind is MediaKind.IMAGE:
            digital.classified_as = self._aat(AAT_DIGITAL_IMAGE, "Digital Image")
        elif kind is MediaKind.MODEL_3D:
            digital.classified_as = self._local_vocab("3d-model")
        elif kind is MediaKind.VIDEO:
            digital.classified_as = self._local_vocab("video")
        elif kind is MediaKind.AUDIO:
            digital.classified_as = self._aat(AAT_DIGITAL_AUDIO, "Digital Audio")
        elif kind is MediaKind.VIRTUAL_TOUR:
            digital.classified_as = self._aat(AAT_WEB_PAGE, "Web Page")
            digital.classified_as = self._local_vocab("virtual-tour")
        if media.thumbnail:
            digital.classified_as = self._local_vocab("thumbnail")
        if media.rights is not None:
            self._rights(digital, media.rights, f"media-{number}-rights")
        shows_object = kind in (MediaKind.IMAGE, MediaKind.MODEL_3D, MediaKind.VIDEO) or (
            kind is MediaKind.OTHER and mime.startswith(("image/", "video/", "model/"))
        )
        if shows_object:
            visual = model.VisualItem(ident=self._fragment(f"representation-{number}"))
            visual.digitally_shown_by = digital
            obj.representation = visual
        else:
            # Audio guides, virtual tours, documents: about the object, not images of it.
            text = model.LinguisticObject(ident=self._fragment(f"subject-of-{number}"))
            text.digitally_carried_by = digital
            obj.subject_of = text

    def _object_page(self, obj: Any) -> None:
        page = self.record.links.object_page
        if not page or not page.strip():
            return
        url = _given_uri(page)
        if url is None:
            return
        digital = self._digital_object(url, "text/html", None)
        digital.classified_as = self._aat(AAT_WEB_PAGE, "Web Page")
        text = model.LinguisticObject(ident=self._fragment("object-page"))
        text.digitally_carried_by = digital
        obj.subject_of = text


#: Statement types (AAT id -> label); each is itself classified "brief text".
_STATEMENT_TYPES: dict[str, str] = {
    AAT_DESCRIPTION: "Description",
    AAT_INSCRIPTION: "Inscription",
    AAT_DIMENSION_STATEMENT: "Dimension Statement",
    AAT_RIGHTS_STATEMENT: "Copyright/License Statement",
    AAT_CREDIT_STATEMENT: "Credit Statement",
}


# --- small pure helpers ---------------------------------------------------------


@cache
def _cromulent_languages() -> dict[str, Any]:
    """ISO 639-1 code -> cromulent's AAT Language instance (en, ru, de, ...)."""
    languages: dict[str, Any] = {}
    for instance in vocab.instances.values():
        code = getattr(instance, "notation", "")
        if isinstance(instance, model.Language) and isinstance(code, str) and code:
            languages.setdefault(code.lower(), instance)
    return languages


def _base(base_uri: str) -> str:
    if not _HTTP_URI.match(base_uri):
        raise ValueError(f"base_uri must be an http(s) URI: {base_uri!r}")
    return base_uri if base_uri.endswith("/") else base_uri + "/"


def _given_uri(value: str | None) -> str | None:
    """An http(s) URI fit for RDF, or None: spaces and the like are %-escaped."""
    if not value:
        return None
    value = value.strip()
    if not _HTTP_URI.match(value):
        return None
    return "".join(quote(char) if char in _IRI_FORBIDDEN or ord(char) < 0x21 else char for char in value)


def _normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _minted(base_uri: str, segment: str, name: str) -> str:
    digest = hashlib.sha1(_normalised(name).encode("utf-8")).hexdigest()[:16]
    return f"{_base(base_uri)}{segment}/{digest}"


def _key_label(term: Term) -> str | None:
    for lang in _KEY_LANGS:
        label = term.labels.get(lang, "")
        if label.strip():
            return label
    for _, label in sorted(term.labels.items()):
        if label.strip():
            return label
    return None


def _term_uri(term: Term, base_uri: str, segment: str) -> str | None:
    given = _given_uri(term.uri)
    if given:
        return given
    key = _key_label(term) or (term.uri or "").strip()
    return _minted(base_uri, segment, key) if key else None


def _display_label(term: Term) -> str:
    return term.label("kk", "ru", "en").strip()


def _has_content(production: Production) -> bool:
    return bool(
        production.earliest
        or production.latest
        or _text(production.date_display)
        or production.places
        or production.culture
        or production.period
    )


def _has_class(node: Any, uri: str) -> bool:
    return any(getattr(c, "id", None) == uri for c in getattr(node, "classified_as", []) or [])


def _text(value: str | None) -> bool:
    return bool(value and value.strip())


def _wkt_point(lat: float | None, lon: float | None) -> str | None:
    """WKT POINT (longitude first), or None when a coordinate is missing or impossible."""
    if lat is None or lon is None:
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return None
    return f"POINT({lon!r} {lat!r})"


def _plain(value: Any) -> Any:
    """cromulent returns OrderedDicts; callers get plain dicts and lists."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
