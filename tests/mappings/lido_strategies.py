"""Hypothesis strategies for well-formed but arbitrary LIDO records.

A record is built from a random subset of the element paths real exporters
use, filled with random text (Cyrillic, Kazakh, CJK, punctuation, numbers
that look like dates), random ``lang``/``type``/``pref`` attributes, with or
without the LIDO namespace.  Whatever comes out must map or be refused with a
``MappingError``: never crash the harvest.
"""

from __future__ import annotations

from hypothesis import strategies as st
from lxml import etree

__all__ = ["lido_documents"]

LIDO_NS = "http://www.lido-schema.org"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
GML_NS = "http://www.opengis.net/gml"

DM = "descriptiveMetadata"
ID = (DM, "objectIdentificationWrap")
EV = (DM, "eventWrap", "eventSet", "event")
RS = ("administrativeMetadata", "resourceWrap", "resourceSet")

PATHS: list[tuple[str, ...]] = [
    ("lidoRecID",),
    ("objectPublishedID",),
    ("category", "term"),
    (DM, "objectClassificationWrap", "objectWorkTypeWrap", "objectWorkType", "term"),
    (DM, "objectClassificationWrap", "objectWorkTypeWrap", "objectWorkType", "conceptID"),
    (DM, "objectClassificationWrap", "classificationWrap", "classification", "term"),
    (*ID, "titleWrap", "titleSet", "appellationValue"),
    (*ID, "inscriptionsWrap", "inscriptions", "inscriptionTranscription"),
    (*ID, "repositoryWrap", "repositorySet", "workID"),
    (*ID, "repositoryWrap", "repositorySet", "repositoryName", "legalBodyName", "appellationValue"),
    (*ID, "objectDescriptionWrap", "objectDescriptionSet", "descriptiveNoteValue"),
    (*ID, "objectMeasurementsWrap", "objectMeasurementsSet", "displayObjectMeasurements"),
    (
        *ID,
        "objectMeasurementsWrap",
        "objectMeasurementsSet",
        "objectMeasurements",
        "measurementsSet",
        "measurementValue",
    ),
    (
        *ID,
        "objectMeasurementsWrap",
        "objectMeasurementsSet",
        "objectMeasurements",
        "measurementsSet",
        "measurementUnit",
    ),
    (*ID, "objectMaterialsTechWrap", "objectMaterialsTechSet", "displayMaterialsTech"),
    (*EV, "eventType", "term"),
    (*EV, "eventType", "conceptID"),
    (*EV, "eventActor", "actorInRole", "actor", "nameActorSet", "appellationValue"),
    (*EV, "eventActor", "actorInRole", "actor", "actorID"),
    (*EV, "eventActor", "actorInRole", "roleActor", "term"),
    (*EV, "eventActor", "displayActorInRole"),
    (*EV, "eventDate", "displayDate"),
    (*EV, "eventDate", "date", "earliestDate"),
    (*EV, "eventDate", "date", "latestDate"),
    (*EV, "eventPlace", "place", "namePlaceSet", "appellationValue"),
    (*EV, "eventPlace", "place", "placeID"),
    (*EV, "eventPlace", "displayPlace"),
    (*EV, "culture", "term"),
    (*EV, "periodName", "term"),
    (*EV, "eventMaterialsTech", "materialsTech", "termMaterialsTech", "term"),
    (*EV, "eventMaterialsTech", "displayMaterialsTech"),
    (DM, "objectRelationWrap", "subjectWrap", "subjectSet", "subject", "subjectConcept", "term"),
    (DM, "objectRelationWrap", "subjectWrap", "subjectSet", "displaySubject"),
    (DM, "objectRelationWrap", "relatedWorksWrap", "relatedWorkSet", "displayRelatedWork"),
    ("administrativeMetadata", "rightsWorkWrap", "rightsWorkSet", "rightsType", "conceptID"),
    ("administrativeMetadata", "rightsWorkWrap", "rightsWorkSet", "creditLine"),
    ("administrativeMetadata", "recordWrap", "recordID"),
    ("administrativeMetadata", "recordWrap", "recordInfoSet", "recordInfoLink"),
    (*RS, "resourceRepresentation", "linkResource"),
    (*RS, "resourceType", "term"),
    (*RS, "resourceDescription"),
    (*RS, "rightsResource", "rightsType", "conceptID"),
]

# XML 1.0 allows no C0 controls except tab/newline and no surrogates.
_TEXT_CHARS = st.characters(
    blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"
) | st.sampled_from(list("\t\n"))
_INTERESTING = st.sampled_from(
    [
        "",
        " ",
        "?",
        "-",
        "1600",
        "-0500",
        "1482-13-45",
        "um 1600",
        "1762/1775",
        "2024-02-30",
        "http://terminology.lido-schema.org/lido00007",
        "Herstellung",
        "изготовление",
        "жасалған",
        "http://creativecommons.org/licenses/by/4.0/",
        "https://creativecommons.org/invalid",
        "http://example.org/model.glb",
        "http://example.org/a.jpg",
        "I11.jpg",
        "Қазақстан",
        "51.5 10.2",
        "abc def",
        "1,5",
        "9" * 30,
        "<br/>",
    ]
)
TEXT = st.one_of(st.text(_TEXT_CHARS, max_size=40), _INTERESTING)
ATTRIBUTE = st.sampled_from(
    [
        "",
        "de",
        "deu",
        "EN",
        "kk",
        "ru",
        "deutsch",
        "x!",
        "kk-Latn",
        "und",
        "preferred",
        "alternate",
        "http://terminology.lido-schema.org/lido00169",
        "material",
        "Technik",
        "image_thumb",
        "http://terminology.lido-schema.org/lido00451",
        "person",
        "corporation",
        "jpg",
        "image/jpeg",
        "text/html",
        "multi-dimensional",
        "Inventarnummer",
        "current",
    ]
)


def _tag(name: str, namespaced: bool) -> str:
    return f"{{{LIDO_NS}}}{name}" if namespaced else name


@st.composite
def lido_documents(draw: st.DrawFn) -> bytes:
    namespaced = draw(st.booleans())
    wrapped = draw(st.booleans())
    root = etree.Element(_tag("lido", namespaced), nsmap={"lido": LIDO_NS} if namespaced else None)
    chosen = draw(st.lists(st.sampled_from(PATHS), max_size=25))
    for path in chosen:
        parent = root
        reuse = draw(st.booleans())
        for name in path:
            existing = [c for c in parent if c.tag == _tag(name, namespaced)]
            parent = (
                existing[-1]
                if existing and reuse
                else etree.SubElement(parent, _tag(name, namespaced))
            )
        parent.text = draw(TEXT)
        for attribute in draw(
            st.lists(st.sampled_from(["lang", "type", "pref", "fmt"]), max_size=3)
        ):
            value = draw(ATTRIBUTE)
            if attribute == "lang":
                parent.set(XML_LANG if namespaced else "lang", value)
            elif attribute == "fmt":
                parent.set(_attr("formatResource", namespaced), value)
            else:
                parent.set(_attr(attribute, namespaced), value)
    if draw(st.booleans()):
        concept_parent = etree.SubElement(
            etree.SubElement(
                etree.SubElement(root, _tag(DM, namespaced)),
                _tag("objectClassificationWrap", namespaced),
            ),
            _tag("objectWorkTypeWrap", namespaced),
        )
        concept = etree.SubElement(
            etree.SubElement(concept_parent, _tag("objectWorkType", namespaced)),
            f"{{{SKOS_NS}}}Concept",
        )
        concept.set(f"{{{RDF_NS}}}about", draw(TEXT))
        label = etree.SubElement(concept, f"{{{SKOS_NS}}}prefLabel")
        label.text = draw(TEXT)
        label.set(XML_LANG, draw(ATTRIBUTE))
    if draw(st.booleans()):
        place = etree.SubElement(
            etree.SubElement(
                etree.SubElement(root, _tag(DM, namespaced)), _tag("eventWrap", namespaced)
            ),
            _tag("eventSet", namespaced),
        )
        pos = etree.SubElement(
            etree.SubElement(
                etree.SubElement(
                    etree.SubElement(
                        etree.SubElement(place, _tag("event", namespaced)),
                        _tag("eventPlace", namespaced),
                    ),
                    _tag("place", namespaced),
                ),
                _tag("gml", namespaced),
            ),
            f"{{{GML_NS}}}Point",
        )
        etree.SubElement(pos, f"{{{GML_NS}}}pos").text = draw(TEXT)
    if wrapped:
        wrap = etree.Element(
            _tag("lidoWrap", namespaced), nsmap={"lido": LIDO_NS} if namespaced else None
        )
        wrap.append(root)
        root = wrap
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True)


def _attr(name: str, namespaced: bool) -> str:
    return f"{{{LIDO_NS}}}{name}" if namespaced else name
