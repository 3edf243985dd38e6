"""LIDO 1.0 / 1.1 records to core records.

One reader serves both versions (same namespace, 1.1 is a superset), both
roots (``lidoWrap`` and a bare ``lido``), the element inside an OAI-PMH
``<metadata>`` wrapper, and exports that dropped the namespace altogether:
the parsed copy is reduced to local names first (see ``xml_safety``), so
every lookup below is by plain element name.

A record is only refused (``MappingError``) when nothing catalogue-worthy can
be made of it; everything else becomes a record plus warnings that name the
LIDO field, and the list of source paths the core record cannot hold, so a
museum can see what the national catalogue does not show and why.

LIDO repeats ``descriptiveMetadata`` / ``administrativeMetadata`` once per
language.  Those blocks are read separately and merged: lists of terms that
line up one to one become one term with a label per language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

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
    Place,
    Production,
    Rights,
    SourceInfo,
    Term,
    record_id,
)
from mappings.dates import parse_date
from mappings.iso_dates import normalise_iso, sort_key
from mappings.lido_media import (
    is_http_url,
    media_kind,
    normalise_mime,
    normalise_rights_uri,
)
from mappings.lido_schema import LIDO_NS, detect_version, validate_lido
from mappings.lido_terms import (
    EventKind,
    MaterialsTechKind,
    actor_kind,
    canonical_measurement_type,
    canonical_unit,
    event_kind,
    is_current_repository,
    is_former_repository,
    is_inventory_number_type,
    is_placeholder,
    is_thumbnail_representation,
    materials_tech_kind,
    normalise_lang,
    pref_is_preferred,
)
from mappings.report import Issue, MappingError, MappingResult
from mappings.xml_safety import XmlPayloadError, parse_xml, strip_namespaces

__all__ = ["MAPPING_VERSION", "map_lido", "schema_findings"]

MAPPING_VERSION = "lido-in/3"

_Element = etree._Element

# --------------------------------------------------------------------------- text helpers

_HTML_BREAK = re.compile(r"<\s*br\s*/?\s*>|</\s*p\s*>", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?\s*(?:p|b|i|u|em|strong|span|sup|sub|small)(?:\s[^<>]{0,80})?>", re.I)
_URI = re.compile(r"^(?:https?://\S+|urn:\S+|info:\S+)$", re.IGNORECASE)
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def _raw_text(el: _Element) -> str:
    return unicodedata.normalize("NFC", "".join(el.itertext()))


def _inline(el: _Element | None) -> str:
    """Element text on one line: line breaks and HTML breaks folded to single spaces."""
    if el is None:
        return ""
    text = _HTML_TAG.sub("", _HTML_BREAK.sub(" ", _raw_text(el)))
    return " ".join(text.split())


def _block(el: _Element | None) -> str:
    """Element text keeping its line structure (descriptions, measurements, inscriptions)."""
    if el is None:
        return ""
    text = _HTML_TAG.sub("", _HTML_BREAK.sub("\n", _raw_text(el)))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _kids(el: _Element | None, name: str) -> list[_Element]:
    if el is None:
        return []
    return [c for c in el if c.tag == name]


def _all(el: _Element | None, *names: str) -> list[_Element]:
    """Every element reached by following ``names`` child by child (all branches)."""
    current = [] if el is None else [el]
    for name in names:
        current = [c for parent in current for c in parent if c.tag == name]
    return current


def _one(el: _Element | None, *names: str) -> _Element | None:
    found = _all(el, *names)
    return found[0] if found else None


def _uri(values: Iterable[str]) -> str | None:
    for value in values:
        if _URI.match(value):
            return value
    return None


def _dedupe(items: Iterable) -> list:
    out: list = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


# --------------------------------------------------------------------------- dates


def _normalise_iso(value: str) -> str | None:
    """mappings.dates.normalise_iso, held to the core record's ISO_DATE shape."""
    result = normalise_iso(value)
    return result if result and ISO_DATE.match(result) else None


# --------------------------------------------------------------------------- reader state


@dataclass
class _Event:
    element: _Element
    kind: EventKind
    type_label: str
    actors: list[Actor] = field(default_factory=list)
    date_display: str | None = None
    earliest_raw: str | None = None
    latest_raw: str | None = None
    places: list[Place] = field(default_factory=list)
    culture: list[Term] = field(default_factory=list)
    period: list[Term] = field(default_factory=list)
    materials: list[Term] = field(default_factory=list)
    techniques: list[Term] = field(default_factory=list)

    @property
    def has_dates(self) -> bool:
        return bool(self.date_display or self.earliest_raw or self.latest_raw)


@dataclass
class _Block:
    """What one descriptiveMetadata block (one language) says."""

    lang: str
    titles: list[LangText] = field(default_factory=list)
    object_type: list[Term] = field(default_factory=list)
    classification: list[Term] = field(default_factory=list)
    descriptions: list[LangText] = field(default_factory=list)
    inscriptions: list[LangText] = field(default_factory=list)
    inventory_number: str | None = None
    repository: str | None = None
    measurements: list[Measurement] = field(default_factory=list)
    materials: list[Term] = field(default_factory=list)
    techniques: list[Term] = field(default_factory=list)
    events: list[_Event] = field(default_factory=list)
    subjects: list[Term] = field(default_factory=list)


class _Reader:
    """Reads one namespace-stripped ``lido`` element; collects warnings on the way."""

    def __init__(self, lido: _Element) -> None:
        self.lido = lido
        self.issues: list[Issue] = []
        self.unmapped: list[str] = []
        self.used_events: set[int] = set()
        self.material_events: set[int] = set()

    def warn(self, field_name: str, message: str) -> None:
        issue = Issue(field_name, message)
        if issue not in self.issues:
            self.issues.append(issue)

    # ----------------------------------------------------------------- language

    def lang(self, el: _Element, default: str) -> str:
        raw = el.get("lang")
        lang = normalise_lang(raw)
        if lang is None:
            return default
        if lang == "und" and raw and raw.strip().casefold() != "und":
            self.warn(f"{el.tag}/@xml:lang", f"{raw.strip()!r} is not an ISO 639 code; read as 'und'")
        return lang

    # ----------------------------------------------------------------- concepts

    def concept(self, el: _Element | None, default_lang: str, field_name: str) -> Term | None:
        """conceptID/term and embedded skos:Concept of one concept element, as a Term."""
        if el is None:
            return None
        uris: list[str] = []
        candidates: list[tuple[bool, bool, str, str]] = []  # (added, not preferred, lang, label)
        for child in el:
            tag = child.tag
            if tag == "conceptID":
                value = _inline(child)
                if value:
                    uris.append(value)
            elif tag == "term":
                value = _inline(child)
                if not value:
                    continue
                if is_placeholder(value):
                    self.warn(field_name, f"placeholder term {value!r} ignored")
                    continue
                added = (child.get("addedSearchTerm") or "").strip().casefold() == "yes"
                preferred = pref_is_preferred(child.get("pref"))
                candidates.append((added, not preferred, self.lang(child, default_lang), value))
            elif tag == "Concept":
                about = (child.get("about") or "").strip()
                if about:
                    uris.append(about)
                for label in child:
                    if label.tag == "prefLabel":
                        value = _inline(label)
                        if value:
                            candidates.append((False, False, self.lang(label, default_lang), value))
        if not candidates and not list(el) and _inline(el):
            # LIDO 1.0 text-only elements (measurementType, unit) and sloppy concepts
            candidates.append((False, False, self.lang(el, default_lang), _inline(el)))
        labels: dict[str, str] = {}
        has_primary = any(not added for added, _, _, _ in candidates)
        for added, _, lang, value in sorted(candidates, key=lambda c: (c[0], c[1])):
            if added and has_primary:
                continue
            if _URI.match(value) and uris:
                continue  # a label that only repeats the URI says nothing
            labels.setdefault(lang, value)
        uri = _uri(uris)
        if not labels and uri is None:
            return None
        return Term(labels=labels, uri=uri)

    def concepts(self, elements: Iterable[_Element], lang: str, field_name: str) -> list[Term]:
        terms = (self.concept(el, lang, field_name) for el in elements)
        return _dedupe(t for t in terms if t is not None)

    def appellation(self, owner: _Element | None, lang: str) -> str | None:
        """The name of an appellation set: in the block's language, else preferred, else first."""
        values = [v for v in _kids(owner, "appellationValue") if _inline(v)]
        if not values:
            return None
        for value in values:
            if normalise_lang(value.get("lang")) == lang:
                return _inline(value)
        for value in values:
            if pref_is_preferred(value.get("pref")):
                return _inline(value)
        return _inline(values[0])

    def legal_body_name(self, legal_body: _Element | None, lang: str) -> str | None:
        return self.appellation(_one(legal_body, "legalBodyName"), lang)

    # ----------------------------------------------------------------- descriptive

    def block(self, dm: _Element) -> _Block:
        lang = self.lang(dm, "und")
        block = _Block(lang=lang)
        classification = _one(dm, "objectClassificationWrap")
        block.object_type = self.concepts(
            _all(classification, "objectWorkTypeWrap", "objectWorkType"), lang, "objectWorkType"
        )
        block.classification = self.concepts(
            _all(classification, "classificationWrap", "classification"), lang, "classification"
        )
        ident = _one(dm, "objectIdentificationWrap")
        block.titles = self.titles(ident, lang)
        block.inscriptions = self.inscriptions(ident, lang)
        block.inventory_number, block.repository = self.repository(ident, lang)
        for note in _all(ident, "objectDescriptionWrap", "objectDescriptionSet", "descriptiveNoteValue"):
            text = _block(note)
            if text:
                block.descriptions.append(LangText(value=text, lang=self.lang(note, lang)))
        block.descriptions = _dedupe(block.descriptions)
        block.measurements = self.measurements(ident, lang)
        for mt_set in _all(ident, "objectMaterialsTechWrap", "objectMaterialsTechSet"):
            materials, techniques = self.materials_tech(mt_set, lang)
            block.materials += materials
            block.techniques += techniques
        for index, event in enumerate(_all(dm, "eventWrap", "eventSet", "event")):
            block.events.append(self.event(event, lang, index))
        block.subjects = self.subjects(dm, lang)
        return block

    def titles(self, ident: _Element | None, lang: str) -> list[LangText]:
        titles: list[LangText] = []
        for value in _all(ident, "titleWrap", "titleSet", "appellationValue"):
            text = _inline(value)
            if not text or is_placeholder(text):
                continue
            if len(text) > 1000:
                self.warn("titleSet/appellationValue", f"title of {len(text)} characters")
            title = LangText(
                value=text,
                lang=self.lang(value, lang),
                preferred=pref_is_preferred(value.get("pref")),
            )
            same = next((t for t in titles if (t.value, t.lang) == (title.value, title.lang)), None)
            if same is None:
                titles.append(title)
            elif title.preferred and not same.preferred:
                titles[titles.index(same)] = title
        return titles

    def inscriptions(self, ident: _Element | None, lang: str) -> list[LangText]:
        texts: list[LangText] = []
        for inscription in _all(ident, "inscriptionsWrap", "inscriptions"):
            parts = _kids(inscription, "inscriptionTranscription") + _all(
                inscription, "inscriptionDescription", "descriptiveNoteValue"
            )
            for part in parts:
                text = _block(part)
                if text:
                    texts.append(LangText(value=text, lang=self.lang(part, lang)))
        return _dedupe(texts)

    def repository(self, ident: _Element | None, lang: str) -> tuple[str | None, str | None]:
        sets = _all(ident, "repositoryWrap", "repositorySet")
        if not sets:
            return None, None
        current = [s for s in sets if is_current_repository(s.get("type"))]
        untyped = [s for s in sets if not s.get("type")]
        not_former = [s for s in sets if not is_former_repository(s.get("type"))]
        ordered = _dedupe(current + untyped + not_former + sets)
        inventory = None
        for candidates in (ordered[:1], ordered):
            work_ids = [w for s in candidates for w in _kids(s, "workID") if _inline(w)]
            typed = [w for w in work_ids if is_inventory_number_type(w.get("type"))]
            plain = [w for w in work_ids if not is_http_url(_inline(w))]
            chosen = (typed or plain or work_ids)[:1]
            if chosen:
                inventory = _inline(chosen[0])
                break
        name = None
        for repo_set in ordered:
            name = self.legal_body_name(_one(repo_set, "repositoryName"), lang)
            if name:
                break
        return inventory, name

    def measurements(self, ident: _Element | None, lang: str) -> list[Measurement]:
        out: list[Measurement] = []
        for m_set in _all(ident, "objectMeasurementsWrap", "objectMeasurementsSet"):
            displays = [text for d in _kids(m_set, "displayObjectMeasurements") if (text := _block(d))]
            structured = [
                m for ms in _all(m_set, "objectMeasurements", "measurementsSet") if (m := self.measurement(ms, lang))
            ]
            if len(displays) == 1 and len(structured) == 1 and structured[0].display is None:
                # One set saying the same thing twice: the text and the numbers belong together.
                out.append(structured[0].model_copy(update={"display": displays[0]}))
                continue
            out += [Measurement(display=text) for text in displays] + structured
        return _dedupe(out)

    def measurement(self, ms: _Element, lang: str) -> Measurement | None:
        def labels(name: str) -> list[str]:
            terms = self.concepts(_kids(ms, name), lang, f"measurementsSet/{name}")
            ordered: list[str] = []
            for term in terms:
                for key in ("en", *term.labels):
                    if key in term.labels and term.labels[key] not in ordered:
                        ordered.append(term.labels[key])
            return ordered

        raw_value = _inline(_one(ms, "measurementValue"))
        type_ = canonical_measurement_type(labels("measurementType"))
        if not raw_value:
            self.warn("measurementsSet/measurementValue", f"empty value for {type_ or 'measurement'}")
            return None
        value: float | None = None
        if _NUMBER.match(raw_value):
            value = float(raw_value.replace(",", "."))
        else:
            self.warn("measurementsSet/measurementValue", f"{raw_value!r} is not a number")
        return Measurement(
            type=type_,
            unit=canonical_unit(labels("measurementUnit")),
            value=value,
            display=None if value is not None else raw_value,
        )

    def materials_tech(self, owner: _Element, lang: str) -> tuple[list[Term], list[Term]]:
        """termMaterialsTech split by @type; displayMaterialsTech when there are no terms."""
        materials: list[Term] = []
        techniques: list[Term] = []
        typed_terms = 0
        for term_el in _all(owner, "materialsTech", "termMaterialsTech"):
            kind = materials_tech_kind(term_el.get("type"))
            term = self.concept(term_el, lang, "termMaterialsTech")
            if term is None:
                continue
            typed_terms += 1
            if kind is not MaterialsTechKind.IGNORED:
                (techniques if kind is MaterialsTechKind.TECHNIQUE else materials).append(term)
        if not typed_terms:
            for display in _kids(owner, "displayMaterialsTech"):
                display_lang = self.lang(display, lang)
                for part in re.split(r"[;,]", _inline(display)):
                    part = part.strip()
                    if part and not is_placeholder(part):
                        materials.append(Term(labels={display_lang: part}))
        return _dedupe(materials), _dedupe(techniques)

    def event(self, event: _Element, lang: str, index: int) -> _Event:
        type_el = _one(event, "eventType")
        uris = [_inline(c) for c in _kids(type_el, "conceptID")]
        uris += [(c.get("about") or "").strip() for c in _kids(type_el, "Concept")]
        labels = [_inline(t) for t in _kids(type_el, "term")]
        labels += [_inline(p) for c in _kids(type_el, "Concept") for p in _kids(c, "prefLabel")]
        if type_el is not None and not labels and not list(type_el):
            labels.append(_inline(type_el))
        uris = [u for u in uris if u]
        labels = [x for x in labels if x]
        parsed = _Event(
            element=event,
            kind=event_kind(uris, labels),
            type_label=labels[0] if labels else (uris[0] if uris else "untyped"),
        )
        parsed.actors = self.event_actors(event, lang)
        displays = [d for d in _all(event, "eventDate", "displayDate") if _inline(d)]
        by_preference = (
            [d for d in displays if not d.get("lang")]
            + [d for d in displays if normalise_lang(d.get("lang")) == lang]
            + displays
        )
        display = by_preference[0] if by_preference else None
        parsed.date_display = _inline(display) or None
        parsed.earliest_raw = _inline(_one(event, "eventDate", "date", "earliestDate")) or None
        parsed.latest_raw = _inline(_one(event, "eventDate", "date", "latestDate")) or None
        parsed.places = self.places(_kids(event, "eventPlace"), lang)
        parsed.culture = self.concepts(_kids(event, "culture"), lang, "event/culture")
        parsed.period = self.concepts(_kids(event, "periodName"), lang, "event/periodName")
        for mt in _kids(event, "eventMaterialsTech"):
            materials, techniques = self.materials_tech(mt, lang)
            parsed.materials += materials
            parsed.techniques += techniques
        parsed.materials = _dedupe(parsed.materials)
        parsed.techniques = _dedupe(parsed.techniques)
        return parsed

    def event_actors(self, event: _Element, lang: str) -> list[Actor]:
        actors: list[Actor] = []
        for event_actor in _kids(event, "eventActor"):
            in_roles = _kids(event_actor, "actorInRole")
            for in_role in in_roles:
                actor_el = _one(in_role, "actor")
                name = self.actor_name(actor_el)
                if not name:
                    continue
                ids = [_inline(i) for i in _kids(actor_el, "actorID")]
                preferred_ids = [_inline(i) for i in _kids(actor_el, "actorID") if pref_is_preferred(i.get("pref"))]
                actors.append(
                    Actor(
                        name=name,
                        role=self.concept(_one(in_role, "roleActor"), lang, "actorInRole/roleActor"),
                        uri=_uri(preferred_ids) or _uri(ids),
                        kind=actor_kind(actor_el.get("type") if actor_el is not None else None),
                    )
                )
            if not in_roles:
                display = _inline(_one(event_actor, "displayActorInRole"))
                if display and not is_placeholder(display):
                    actors.append(Actor(name=display))
        return actors

    def actor_name(self, actor_el: _Element | None) -> str | None:
        values = [v for v in _all(actor_el, "nameActorSet", "appellationValue") if _inline(v)]
        values = [v for v in values if not is_placeholder(_inline(v))]
        if not values:
            return None
        preferred = [v for v in values if pref_is_preferred(v.get("pref"))]
        unmarked = [v for v in values if not v.get("pref")]
        return _inline((preferred or unmarked or values)[0])

    def places(self, event_places: list[_Element], lang: str) -> list[Place]:
        places: list[Place] = []
        for event_place in event_places:
            place_els = _kids(event_place, "place")
            for place_el in place_els:
                place = self.place(place_el, lang, _inline(_one(event_place, "displayPlace")))
                if place is not None:
                    places.append(place)
            if not place_els:
                display = _inline(_one(event_place, "displayPlace"))
                if display:
                    places.append(Place(name=display))
        return _dedupe(places)

    def place(self, place_el: _Element, lang: str, display: str) -> Place | None:
        name = None
        for name_set in _kids(place_el, "namePlaceSet"):
            name = self.appellation(name_set, lang)
            if name:
                break
        name = name or display
        if not name:
            return None
        uri = _uri(_inline(p) for p in _kids(place_el, "placeID"))
        lat = lon = None
        pos = _one(place_el, "gml", "Point", "pos")
        if pos is not None and _inline(pos):
            parts = _inline(pos).replace(",", " ").split()
            try:
                lat, lon = float(parts[0]), float(parts[1])
            except (IndexError, ValueError):
                self.warn("place/gml/Point/pos", f"{_inline(pos)!r} is not 'latitude longitude'")
            else:
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    self.warn("place/gml/Point/pos", f"{_inline(pos)!r} is outside the globe")
                    lat = lon = None
        return Place(name=name, uri=uri, lat=lat, lon=lon)

    def subjects(self, dm: _Element, lang: str) -> list[Term]:
        terms: list[Term] = []
        for subject_set in _all(dm, "objectRelationWrap", "subjectWrap", "subjectSet"):
            found: list[Term] = []
            for subject in _kids(subject_set, "subject"):
                found += self.concepts(_kids(subject, "subjectConcept"), lang, "subjectConcept")
                for subject_place in _kids(subject, "subjectPlace"):
                    display = _inline(_one(subject_place, "displayPlace"))
                    place_els = _kids(subject_place, "place")
                    for place in (self.place(p, lang, display) for p in place_els):
                        if place is not None:
                            found.append(Term(labels={lang: place.name}, uri=place.uri))
                    if not place_els and display:
                        found.append(Term(labels={lang: display}))
                for subject_actor in _kids(subject, "subjectActor"):
                    actor_el = _one(subject_actor, "actor")
                    name = self.actor_name(actor_el) or _inline(_one(subject_actor, "displayActor"))
                    if name:
                        uri = _uri(_inline(i) for i in _kids(actor_el, "actorID"))
                        found.append(Term(labels={lang: name}, uri=uri))
            if not found:
                display = _inline(_one(subject_set, "displaySubject"))
                if display and not is_placeholder(display):
                    found.append(Term(labels={self.lang(subject_set, lang): display}))
            terms += found
        return _dedupe(terms)

    # ----------------------------------------------------------------- administrative

    def rights(self, rights_els: list[_Element], lang: str, field_name: str) -> Rights | None:
        """One Rights from rightsWorkSet / rightsResource elements: first value of each kind."""
        uri = label = holder = credit = None
        for rights_el in rights_els:
            for rights_type in _kids(rights_el, "rightsType"):
                term = self.concept(rights_type, lang, f"{field_name}/rightsType")
                found_uri = None
                candidates = [_inline(c) for c in _kids(rights_type, "conceptID")]
                candidates += [(c.get("about") or "").strip() for c in _kids(rights_type, "Concept")]
                for candidate in candidates:
                    if not candidate:
                        continue
                    checked = normalise_rights_uri(candidate)
                    if checked.problem:
                        self.warn(f"{field_name}/rightsType/conceptID", checked.problem)
                    if checked.uri:
                        found_uri = checked.uri
                        break
                term_label = term.label("en", lang) if term and term.labels else None
                if found_uri and uri is None:
                    uri, label = found_uri, term_label or label
                elif label is None and term_label:
                    label = term_label
            for holder_el in _kids(rights_el, "rightsHolder"):
                holder = holder or self.legal_body_name(holder_el, lang)
            for credit_el in _kids(rights_el, "creditLine"):
                credit = credit or _block(credit_el) or None
        if not any((uri, label, holder, credit)):
            return None
        return Rights(uri=uri, label=label, holder=holder, credit_line=credit)

    def media(self, admin_blocks: list[tuple[_Element, str]]) -> tuple[list[Media], list[str]]:
        """Media from every resourceRepresentation; also returns text/html pages found there."""
        media: list[Media] = []
        pages: list[str] = []
        all_thumbs: dict[str, bool] = {}
        for admin, lang in admin_blocks:
            for index, resource in enumerate(_all(admin, "resourceWrap", "resourceSet"), start=1):
                self.resource(resource, index, lang, media, pages, all_thumbs)
        return (
            [m.model_copy(update={"thumbnail": all_thumbs[m.url]}) for m in media],
            pages,
        )

    def resource(
        self,
        resource: _Element,
        index: int,
        lang: str,
        media: list[Media],
        pages: list[str],
        all_thumbs: dict[str, bool],
    ) -> None:
        representations = _kids(resource, "resourceRepresentation")
        links = [(r, link) for r in representations for link in _kids(r, "linkResource")]
        if not links:
            self.warn(
                "resourceSet/resourceRepresentation/linkResource",
                f"resourceSet {index} has no link",
            )
            return
        hints = [
            label
            for term in self.concepts(_kids(resource, "resourceType"), lang, "resourceType")
            for label in [*term.labels.values(), term.uri or ""]
        ]
        descriptions = [_inline(d) for d in _kids(resource, "resourceDescription") if _inline(d)]
        rights = self.rights(_kids(resource, "rightsResource"), lang, "rightsResource")
        for representation, link in links:
            url = _inline(link)
            if not url:
                self.warn("linkResource", f"empty link in resourceSet {index} skipped")
                continue
            if not is_http_url(url):
                self.warn("linkResource", f"{url!r} in resourceSet {index} is not an http(s) URL; skipped")
                continue
            mime, recognised = normalise_mime(link.get("formatResource"))
            if not recognised:
                self.warn(
                    "linkResource/@formatResource",
                    f"{link.get('formatResource')!r} is not a MIME type ({url})",
                )
            rep_type = representation.get("type")
            kind = media_kind(url, mime, hints + descriptions, rep_type)
            if mime == "text/html" and kind.value == "other":
                pages.append(url)
                continue
            thumbnail = is_thumbnail_representation(rep_type)
            if url in all_thumbs:
                all_thumbs[url] = all_thumbs[url] and thumbnail
                continue
            all_thumbs[url] = thumbnail
            media.append(
                Media(
                    url=url,
                    kind=kind,
                    mime=mime,
                    label=descriptions[0] if descriptions else None,
                    rights=rights,
                    thumbnail=thumbnail,
                )
            )


# --------------------------------------------------------------------------- merging blocks


def _compatible(a: Term, b: Term) -> bool:
    if a.uri and b.uri and a.uri != b.uri:
        return False
    return all(a.labels[k] == b.labels[k] for k in a.labels.keys() & b.labels.keys())


def _merge_terms(a: list[Term], b: list[Term]) -> list[Term]:
    """Parallel lists from per-language blocks become one term per position with all labels."""
    if a and len(a) == len(b) and all(_compatible(x, y) for x, y in zip(a, b, strict=True)):
        return [Term(labels={**y.labels, **x.labels}, uri=x.uri or y.uri) for x, y in zip(a, b, strict=True)]
    return _dedupe([*a, *b])


def _merge_actors(actors: Iterable[Actor]) -> list[Actor]:
    merged: list[Actor] = []
    for actor in actors:
        same = next(
            (m for m in merged if m.name == actor.name and (m.uri == actor.uri or not m.uri or not actor.uri)),
            None,
        )
        if same is None:
            merged.append(actor)
            continue
        role = same.role
        if role is None:
            role = actor.role
        elif actor.role is not None and _compatible(role, actor.role):
            role = Term(labels={**actor.role.labels, **role.labels}, uri=role.uri or actor.role.uri)
        merged[merged.index(same)] = same.model_copy(
            update={"role": role, "uri": same.uri or actor.uri, "kind": same.kind or actor.kind}
        )
    return merged


_MAKING = (EventKind.PRODUCTION, EventKind.CREATION, EventKind.CREATION_LIKE)


def _production_event(events: list[_Event]) -> _Event | None:
    for kind in _MAKING:
        for event in events:
            if event.kind is kind:
                return event
    dated = [e for e in events if e.kind is EventKind.UNSPECIFIED and e.has_dates]
    return dated[0] if len(dated) == 1 else None


# --------------------------------------------------------------------------- unmapped paths

_CONSUMED = {
    ("lidoRecID",),
    ("objectPublishedID",),
    ("category",),
    ("descriptiveMetadata", "objectClassificationWrap", "objectWorkTypeWrap", "objectWorkType"),
    ("descriptiveMetadata", "objectClassificationWrap", "classificationWrap", "classification"),
    (
        "descriptiveMetadata",
        "objectIdentificationWrap",
        "titleWrap",
        "titleSet",
        "appellationValue",
    ),
    (
        "descriptiveMetadata",
        "objectIdentificationWrap",
        "inscriptionsWrap",
        "inscriptions",
        "inscriptionTranscription",
    ),
    (
        "descriptiveMetadata",
        "objectIdentificationWrap",
        "inscriptionsWrap",
        "inscriptions",
        "inscriptionDescription",
        "descriptiveNoteValue",
    ),
    (
        "descriptiveMetadata",
        "objectIdentificationWrap",
        "repositoryWrap",
        "repositorySet",
        "repositoryName",
        "legalBodyName",
    ),
    (
        "descriptiveMetadata",
        "objectIdentificationWrap",
        "repositoryWrap",
        "repositorySet",
        "workID",
    ),
    (
        "descriptiveMetadata",
        "objectIdentificationWrap",
        "objectDescriptionWrap",
        "objectDescriptionSet",
        "descriptiveNoteValue",
    ),
    (
        "descriptiveMetadata",
        "objectIdentificationWrap",
        "objectMeasurementsWrap",
        "objectMeasurementsSet",
        "displayObjectMeasurements",
    ),
    (
        "descriptiveMetadata",
        "objectIdentificationWrap",
        "objectMeasurementsWrap",
        "objectMeasurementsSet",
        "objectMeasurements",
        "measurementsSet",
    ),
    (
        "descriptiveMetadata",
        "objectIdentificationWrap",
        "objectMaterialsTechWrap",
        "objectMaterialsTechSet",
        "materialsTech",
        "termMaterialsTech",
    ),
    (
        "descriptiveMetadata",
        "objectIdentificationWrap",
        "objectMaterialsTechWrap",
        "objectMaterialsTechSet",
        "displayMaterialsTech",
    ),
    ("descriptiveMetadata", "eventWrap", "eventSet", "displayEvent"),
    ("descriptiveMetadata", "objectRelationWrap", "subjectWrap", "subjectSet", "displaySubject"),
    (
        "descriptiveMetadata",
        "objectRelationWrap",
        "subjectWrap",
        "subjectSet",
        "subject",
        "subjectConcept",
    ),
    (
        "descriptiveMetadata",
        "objectRelationWrap",
        "subjectWrap",
        "subjectSet",
        "subject",
        "subjectPlace",
    ),
    (
        "descriptiveMetadata",
        "objectRelationWrap",
        "subjectWrap",
        "subjectSet",
        "subject",
        "subjectActor",
    ),
    ("administrativeMetadata", "rightsWorkWrap", "rightsWorkSet", "rightsType"),
    ("administrativeMetadata", "rightsWorkWrap", "rightsWorkSet", "rightsHolder"),
    ("administrativeMetadata", "rightsWorkWrap", "rightsWorkSet", "creditLine"),
    ("administrativeMetadata", "recordWrap", "recordID"),
    ("administrativeMetadata", "recordWrap", "recordType"),
    ("administrativeMetadata", "recordWrap", "recordInfoSet", "recordInfoLink"),
    ("administrativeMetadata", "recordWrap", "recordInfoSet", "recordInfoID"),
    ("administrativeMetadata", "recordWrap", "recordInfoSet", "recordMetadataDate"),
    ("administrativeMetadata", "resourceWrap", "resourceSet", "resourceID"),
    (
        "administrativeMetadata",
        "resourceWrap",
        "resourceSet",
        "resourceRepresentation",
        "linkResource",
    ),
    ("administrativeMetadata", "resourceWrap", "resourceSet", "resourceType"),
    ("administrativeMetadata", "resourceWrap", "resourceSet", "resourceDescription"),
    ("administrativeMetadata", "resourceWrap", "resourceSet", "rightsResource"),
}
_EVENT = ("descriptiveMetadata", "eventWrap", "eventSet", "event")
_EVENT_CONSUMED = {
    ("eventType",),
    ("eventActor", "displayActorInRole"),
    ("eventActor", "actorInRole", "actor", "nameActorSet"),
    ("eventActor", "actorInRole", "actor", "actorID"),
    ("eventActor", "actorInRole", "roleActor"),
    ("eventDate", "displayDate"),
    ("eventDate", "date"),
    ("eventPlace", "displayPlace"),
    ("eventPlace", "place", "namePlaceSet"),
    ("eventPlace", "place", "placeID"),
    ("eventPlace", "place", "gml"),
    ("culture",),
    ("periodName",),
    ("eventMaterialsTech", "displayMaterialsTech"),
    ("eventMaterialsTech", "materialsTech", "termMaterialsTech"),
}
_MATERIALS_ONLY = {
    ("eventType",),
    ("eventMaterialsTech", "displayMaterialsTech"),
    ("eventMaterialsTech", "materialsTech", "termMaterialsTech"),
}


def _prefixes(paths: set[tuple[str, ...]]) -> set[tuple[str, ...]]:
    return {p[:i] for p in paths for i in range(1, len(p))}


_CONTAINERS = _prefixes(_CONSUMED) | _prefixes({_EVENT + ("x",)})
_EVENT_CONTAINERS = _prefixes(_EVENT_CONSUMED)
_MATERIALS_CONTAINERS = _prefixes(_MATERIALS_ONLY)


def _has_content(el: _Element) -> bool:
    return any(
        isinstance(node.tag, str) and ((node.text or "").strip() or any(v.strip() for v in node.attrib.values()))
        for node in el.iter()
    )


def _lido_path(parts: tuple[str, ...]) -> str:
    return "/".join(f"lido:{p}" for p in parts)


def _unmapped(lido: _Element, events: dict[int, tuple[EventKind, str, str]]) -> list[str]:
    """Distinct source paths with content that the core record does not hold.

    ``events`` maps an event element's id() to how it was used: "all" (the
    production and making events), "materials" (events read for materials
    only) or absent (not read: reported with its type, e.g. Erwerb).
    """
    found: list[str] = []

    def report(path: str) -> None:
        if path not in found:
            found.append(path)

    def walk(el: _Element, path: tuple[str, ...], consumed: set, containers: set, base: tuple) -> None:
        for child in el:
            if not isinstance(child.tag, str):
                continue
            rel = path + (child.tag,)
            if rel in consumed:
                continue
            if base == () and rel == _EVENT:
                use = events.get(id(child))
                if use is None or use[1] == "none":
                    if _has_content(child):
                        label = use[2] if use else "untyped"
                        report(f"{_lido_path(_EVENT)}[eventType={label!r}]")
                    continue
                inner_consumed = _EVENT_CONSUMED if use[1] == "all" else _MATERIALS_ONLY
                inner_containers = _EVENT_CONTAINERS if use[1] == "all" else _MATERIALS_CONTAINERS
                walk(child, (), inner_consumed, inner_containers, _EVENT)
                continue
            if rel in containers:
                walk(child, rel, consumed, containers, base)
                continue
            if _has_content(child):
                report(_lido_path(base + rel))

    walk(lido, (), _CONSUMED, _CONTAINERS, ())
    return found


# --------------------------------------------------------------------------- entry points


def _find_lido_elements(root: _Element) -> list[_Element]:
    """Top-level ``lido`` elements under any wrapper (lidoWrap, OAI metadata, envelopes)."""
    if root.tag == "lido":
        return [root]
    found: list[_Element] = []
    for el in root.iter("lido"):
        if not any(a.tag == "lido" for a in el.iterancestors()):
            found.append(el)
    return found


#: Our own LIDO output marks stand-ins for required elements (an object with no
#: type, a record with no title) so that reading it back does not turn them into data.
SUBSTITUTE_MARK = "emuseum:substitute"


def schema_findings(root: _Element) -> list[Issue]:
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


def _stripped(payload: bytes, *, validate: bool = False) -> tuple[_Element, bool, str, list[Issue]]:
    root, cleaned = parse_xml(payload)
    schema_location = " ".join(v for k, v in root.attrib.items() if k.rsplit("}", 1)[-1] == "schemaLocation")
    findings = schema_findings(root) if validate else []
    root = strip_namespaces(root)
    for stand_in in [el for el in root.iter() if el.get("encodinganalog") == SUBSTITUTE_MARK]:
        parent = stand_in.getparent()
        if parent is not None:
            parent.remove(stand_in)
    return root, cleaned, schema_location, findings


def _local_id_of(lido: _Element) -> str | None:
    for rec_id in _kids(lido, "lidoRecID"):
        if _inline(rec_id):
            return _inline(rec_id)
    for rec_id in _all(lido, "administrativeMetadata", "recordWrap", "recordID"):
        if _inline(rec_id):
            return _inline(rec_id)
    return None


_V11_ONLY = (
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
)


def _schema_version(lido: _Element, schema_location: str) -> str:
    location = " ".join([schema_location, lido.get("schemaLocation") or ""])
    if "v1.1" in location:
        return "1.1"
    if "v1.0" in location:
        return "1.0"
    names = set(_V11_ONLY)
    return "1.1" if any(el.tag in names for el in lido.iter() if isinstance(el.tag, str)) else "1.0"


def map_lido(raw: RawRecord) -> MappingResult:
    """Map one LIDO record (bare lido, lidoWrap, or OAI ``<metadata>`` content) to a core record."""

    def fail(field_name: str, message: str) -> MappingError:
        return MappingError(raw.museum_id, raw.local_id, field_name, message)

    try:
        root, cleaned, schema_location, findings = _stripped(raw.payload, validate=True)
    except XmlPayloadError as exc:
        raise fail("payload", str(exc)) from exc
    lidos = _find_lido_elements(root)
    if not lidos:
        raise fail("lido", f"no lido element (root element is {root.tag!r})")
    lido = lidos[0]
    pre_issues: list[Issue] = list(findings)
    if cleaned:
        pre_issues.append(Issue("payload", "characters XML forbids were removed before parsing"))
    if len(lidos) > 1:
        matching = [el for el in lidos if _local_id_of(el) == raw.local_id]
        lido = matching[0] if matching else lidos[0]
        pre_issues.append(
            Issue(
                "lidoWrap",
                f"payload holds {len(lidos)} lido records; mapped {_local_id_of(lido)!r}",
            )
        )
    reader = _Reader(lido)
    reader.issues.extend(pre_issues)
    return _build(raw, reader, _schema_version(lido, schema_location), fail)


def _build(
    raw: RawRecord, reader: _Reader, schema_version: str, fail: Callable[[str, str], MappingError]
) -> MappingResult:
    lido = reader.lido
    blocks = [reader.block(dm) for dm in _kids(lido, "descriptiveMetadata")]
    if not blocks:
        reader.warn("descriptiveMetadata", "missing")
    first_lang = blocks[0].lang if blocks else "und"

    titles: list[LangText] = []
    descriptions: list[LangText] = []
    inscriptions: list[LangText] = []
    measurements: list[Measurement] = []
    object_type: list[Term] = []
    classification: list[Term] = []
    subjects: list[Term] = []
    materials: list[Term] = []
    techniques: list[Term] = []
    actors: list[Actor] = []
    production: Production | None = None
    inventory = repository = None
    event_use: dict[int, tuple[EventKind, str, str]] = {}

    for block in blocks:
        titles = _dedupe([*titles, *block.titles])
        descriptions = _dedupe([*descriptions, *block.descriptions])
        inscriptions = _dedupe([*inscriptions, *block.inscriptions])
        measurements = _dedupe([*measurements, *block.measurements])
        object_type = _merge_terms(object_type, block.object_type)
        classification = _merge_terms(classification, block.classification)
        subjects = _merge_terms(subjects, block.subjects)
        inventory = inventory or block.inventory_number
        repository = repository or block.repository

        chosen = _production_event(block.events)
        block_materials = list(block.materials)
        block_techniques = list(block.techniques)
        for event in block.events:
            making = event is chosen or event.kind in _MAKING
            for_materials = making or event.kind is EventKind.UNSPECIFIED
            use = "all" if making else ("materials" if for_materials else "none")
            event_use[id(event.element)] = (event.kind, use, event.type_label)
            if making:
                actors += event.actors
            if for_materials:
                block_materials += event.materials
                block_techniques += event.techniques
        materials = _merge_terms(materials, _dedupe(block_materials))
        techniques = _merge_terms(techniques, _dedupe(block_techniques))
        if chosen is not None:
            production = _merge_production(production, _production(reader, chosen))

    category = reader.concepts(_kids(lido, "category"), first_lang, "category")
    classification = _dedupe([*classification, *category])

    if not titles:
        reader.warn("titleSet/appellationValue", "no title")
    if not object_type:
        reader.warn("objectWorkType", "no object type")
    if not (titles or object_type or descriptions or inventory):
        raise fail(
            "titleSet/appellationValue",
            "record has no title, no object type, no description and no inventory number",
        )

    admin_blocks = [(a, reader.lang(a, first_lang)) for a in _kids(lido, "administrativeMetadata")]
    rights = None
    for admin, lang in admin_blocks:
        rights = rights or reader.rights(_all(admin, "rightsWorkWrap", "rightsWorkSet"), lang, "rightsWorkSet")
    media, pages = reader.media(admin_blocks)
    info_links = [
        _inline(link)
        for admin, _ in admin_blocks
        for link in _all(admin, "recordWrap", "recordInfoSet", "recordInfoLink")
    ]
    object_page = next((u for u in [*info_links, *pages] if is_http_url(u)), None)
    published = _dedupe(_inline(p) for p in _kids(lido, "objectPublishedID") if _inline(p))

    try:
        record = CoreRecord(
            id=record_id(raw.museum_id, raw.local_id),
            museum_id=raw.museum_id,
            local_id=raw.local_id,
            inventory_number=inventory,
            repository=repository,
            object_type=object_type,
            classification=classification,
            titles=titles,
            descriptions=descriptions,
            inscriptions=inscriptions,
            actors=_merge_actors(actors),
            production=production,
            materials=materials,
            techniques=techniques,
            measurements=measurements,
            subjects=subjects,
            rights=rights,
            media=media,
            links=Links(published_ids=published, object_page=object_page),
            source=SourceInfo(
                format=raw.format,
                oai_identifier=raw.oai_identifier,
                datestamp=raw.datestamp,
                harvested_at=raw.harvested_at,
                mapping_version=MAPPING_VERSION,
                schema_version=schema_version,
            ),
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "record"
        raise fail(where, first.get("msg", str(exc))) from exc
    return MappingResult(record=record, issues=reader.issues, unmapped=_unmapped(lido, event_use))


def _production(reader: _Reader, event: _Event) -> Production:
    earliest = latest = None
    for raw_value, name in ((event.earliest_raw, "earliestDate"), (event.latest_raw, "latestDate")):
        if raw_value is None:
            continue
        value = _normalise_iso(raw_value)
        if value is None:
            reader.warn(f"eventDate/date/{name}", f"{raw_value!r} is not an ISO 8601 date")
        if name == "earliestDate":
            earliest = value
        else:
            latest = value
    if earliest is None and latest is None and event.date_display:
        parsed = parse_date(event.date_display)
        if parsed is not None:
            earliest = parsed.earliest if parsed.earliest and ISO_DATE.match(parsed.earliest) else None
            latest = parsed.latest if parsed.latest and ISO_DATE.match(parsed.latest) else None
    if earliest and latest and sort_key(earliest) > sort_key(latest):
        reader.warn("eventDate/date", f"earliestDate {earliest} is after latestDate {latest}; swapped")
        earliest, latest = latest, earliest
    return Production(
        date_display=event.date_display,
        earliest=earliest,
        latest=latest,
        places=event.places,
        culture=event.culture,
        period=event.period,
    )


def _merge_production(first: Production | None, other: Production) -> Production:
    if first is None:
        return other
    return Production(
        date_display=first.date_display or other.date_display,
        earliest=first.earliest or other.earliest,
        latest=first.latest or other.latest,
        places=first.places or other.places,
        culture=_merge_terms(first.culture, other.culture),
        period=_merge_terms(first.period, other.period),
    )
