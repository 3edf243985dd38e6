"""The light Linked Art builder writes exactly the document cromulent writes.

``to_linked_art`` builds on ``mappings.crm_out.light`` nodes;
``reference_linked_art`` builds the same record with cromulent, which checks
every property against the Linked Art profile.  For generated funds (the
demo's and the benchmark's), every real LIDO record and hand-made edge cases
the two documents must be equal, key order included (compared as JSON text),
and what cromulent cannot express must fail the same way in both.
"""

from __future__ import annotations

import json

import pytest
import rdflib
from rdflib.compare import isomorphic

from benchmarks.sample_fund import fund
from demo.samples import generate_museum_objects, to_lido
from harvester.raw import RawRecord
from mappings import crm_out
from mappings.core import (
    Actor,
    CoreRecord,
    Event,
    LangText,
    Measurement,
    Media,
    MediaKind,
    Place,
    Production,
    Rights,
    Term,
)
from mappings.crm_out.document import reference_linked_art, to_linked_art
from mappings.event_types import event_type
from mappings.formats import map_raw
from mappings.report import MappingError
from tests.mappings.real_lido import REAL, real_records
from tests.mappings.test_crm_out import full_record, minimal_record

OTHER_BASE = "https://data.example.kz/lod"


def _text(document: dict[str, object]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1)


def _assert_same(record: CoreRecord, base_uri: str | None = None) -> None:
    """Equal documents, or the same MappingError (museum, record, field) from both."""
    options = {"base_uri": base_uri} if base_uri else {}
    try:
        reference = reference_linked_art(record, **options)
    except MappingError as refused:
        with pytest.raises(MappingError) as caught:
            to_linked_art(record, **options)
        assert (caught.value.museum_id, caught.value.local_id, caught.value.field) == (
            refused.museum_id,
            refused.local_id,
            refused.field,
        )
        return
    assert _text(to_linked_art(record, **options)) == _text(reference), record.local_id


@pytest.mark.skipif(not REAL.is_dir(), reason=f"real LIDO records not present at {REAL}")
def test_every_real_record_gives_cromulents_document() -> None:
    records = real_records()
    assert records
    for record in records:
        _assert_same(record)


def test_the_demo_fund_gives_cromulents_documents() -> None:
    objects = generate_museum_objects("kz-light", 60, seed=5, region="KZ-75", base_url="https://m.example/")
    for o in objects:
        _assert_same(map_raw(RawRecord("kz-light", o.local_id, "lido", to_lido(o, "Light museum"))).record)


def test_the_benchmark_fund_gives_cromulents_documents() -> None:
    objects = fund(150, museum_index=2, seed=21)
    for o in objects:
        record = map_raw(RawRecord(o.museum_id, o.local_id, "lido", to_lido(o, "Benchmark museum"))).record
        _assert_same(record)
        _assert_same(record, OTHER_BASE)


def _every_event(techniques: bool = False) -> list[Event]:
    """One event of each Linked Art role, the single-use ones twice, plus an unknown and a local type.

    cromulent refuses a technique on some activities (a Transformation), so
    with ``techniques`` (techniques and makers on every event) the record
    fails, alike in both builders.
    """
    keys = ["finding", "excavation", "acquisition", "provenance", "transfer_of_custody", "use", "exhibition"]
    keys += ["exhibition", "restoration", "part_addition", "part_removal", "transformation", "destruction"]
    keys += ["loss", "move", "publication", "event"]
    refusing = {"transformation", "destruction"}  # cromulent refuses their techniques and role-less actors
    events = [
        Event(
            type=event_type(key).term([("ru", f"событие {key}")]),
            name=f"{key} «name»" if n % 2 else None,
            earliest="1901-02" if n % 3 else None,
            latest="1902" if n % 3 else None,
            date_display="около 1901" if n % 4 else None,
            places=[Place(name="Түркістан", part_of=Place(name="Түркістан облысы", lat=43.3, lon=68.25))],
            actors=[
                Actor(name="Сатпаев", role=Term(labels={"ru": "участник"}), kind="person"),
                *([Actor(name="Сатпаев", kind="person")] if techniques or key not in refusing else []),
                Actor(name="   "),
            ],
            culture=[Term(labels={"ru": "казахская"}), Term(uri="http://vocab.getty.edu/aat/300018802")],
            period=[Term(labels={"en": "XX century"})],
            techniques=[Term(labels={"ru": "литьё"})] if techniques or key not in refusing else [],
            descriptions=[LangText(value="  описание  ", lang="ru"), LangText(value=" ")],
        )
        for n, key in enumerate(keys)
    ]
    events.append(Event(type=Term(labels={"ru": "местное"}, concept="local:thing")))
    events.append(Event(type=Term(labels={}, uri=None)))
    events.append(Event())
    return events


def _edge_records() -> list[CoreRecord]:
    base = minimal_record("edge")
    odd = 'кавычки "двойные", \\ обратная черта, \n перевод строки, \t таб, emoji 🐎, zero\u200bwidth, <tag>'
    return [
        base,
        full_record(),
        full_record("a/b c?d#e", maker="Ахметов"),
        base.model_copy(update={"titles": [], "inventory_number": "  ", "repository": " "}),
        base.model_copy(update={"titles": [LangText(value=" ")], "inventory_number": "И-1"}),
        base.model_copy(
            update={
                "titles": [
                    LangText(value="Бірінші", lang="kk"),
                    LangText(value="Второй", lang="ru-Cyrl-KZ", preferred=True),
                    LangText(value="Third", lang="en_GB"),
                    LangText(value="Dritte", lang="de"),
                    LangText(value="Ugyu", lang="ug"),
                    LangText(value="none", lang="und"),
                    LangText(value="bad", lang="123"),
                    LangText(value=odd, lang="zz"),
                ],
                "descriptions": [LangText(value=odd), LangText(value="deux", lang="fr")],
                "inscriptions": [LangText(value="ᠮᠣᠩᠭᠣᠯ", lang="mn")],
            }
        ),
        base.model_copy(
            update={
                "object_type": [
                    Term(labels={"ru": "ваза"}),
                    Term(labels={"ru": "ваза"}),
                    Term(uri="http://vocab.getty.edu/aat/300132254", labels={"en": "vases"}),
                    Term(labels={}),
                ],
                "classification": [Term(labels={"ru": "ваза"}), Term(labels={"kk": "құмыра", "ru": "кувшин"})],
                "materials": [Term(labels={"ru": "ваза"}), Term(uri="https://www.wikidata.org/wiki/Q11427 x")],
                "techniques": [Term(labels={"en": "casting"})],
                "subjects": [Term(labels={"ru": "ваза"}), Term(labels={"en": ""})],
            }
        ),
        base.model_copy(
            update={
                "actors": [Actor(name="Maker", role=Term(labels={"en": "painter"}))],
                "production": Production(
                    earliest="-0499",
                    latest="0000",
                    places=[
                        Place(name="Ostrov", part_of=Place(name="Tulcea", part_of=Place(name="România"))),
                        Place(name="", uri="https://www.geonames.org/1519422/"),
                        Place(name="Nowhere", lat=91.0, lon=10.0),
                        Place(name="Zero", lat=0.0, lon=0.0),
                        Place(name="Half", lat=43.0),
                    ],
                ),
            }
        ),
        base.model_copy(update={"production": Production(date_display="  ")}),
        base.model_copy(update={"production": Production(period=[Term(labels={"ru": "бронза"})])}),
        base.model_copy(update={"events": _every_event(), "production": Production(date_display="1900")}),
        base.model_copy(update={"events": _every_event(techniques=True)}),
        base.model_copy(
            update={
                "measurements": [
                    Measurement(type="Высота", value=0.0, unit="см."),
                    Measurement(type="girth", value=3, unit="vershok", display="3 вершка"),
                    Measurement(type="girth", value=4, unit="vershok", display="3 вершка"),
                    Measurement(value=float("nan"), display="?"),
                    Measurement(type="weight", value=-1.5, unit="KG"),
                    Measurement(display=" "),
                ]
            }
        ),
        base.model_copy(
            update={
                "rights": Rights(label="Все права защищены"),
                "media": [
                    Media(url="https://m.kz/1.jpg", kind=MediaKind.IMAGE, thumbnail=True, label="  "),
                    Media(url="https://m.kz/1.jpg", kind=MediaKind.IMAGE),
                    Media(url="https://m.kz/a.mp3", kind=MediaKind.AUDIO, rights=Rights(holder="Студия")),
                    Media(url="https://m.kz/v.mp4", kind=MediaKind.VIDEO, mime=" video/mp4 "),
                    Media(url="https://m.kz/d.pdf", kind=MediaKind.OTHER, mime="application/pdf"),
                    Media(url="https://m.kz/x.png", kind=MediaKind.OTHER, mime="IMAGE/PNG"),
                    Media(url="not a url"),
                    Media(url="https://m.kz/tour", kind=MediaKind.VIRTUAL_TOUR, rights=Rights(credit_line="c")),
                ],
            }
        ),
        base.model_copy(update={"rights": Rights(uri="  ", holder="  ", credit_line="Дар")}),
        base.model_copy(update={"rights": Rights(uri="free text licence", holder="Музей")}),
        full_record().model_copy(update={"links": full_record().links.model_copy(update={"object_page": "ftp://x"})}),
    ]


def test_only_the_record_meant_to_fail_fails() -> None:
    failing = []
    for number, record in enumerate(_edge_records()):
        try:
            reference_linked_art(record)
        except MappingError as error:
            failing.append((number, error.field))
    assert failing == [(11, "events")]


@pytest.mark.parametrize("number", range(len(_edge_records())))
def test_hand_made_edge_cases_give_cromulents_document(number: int) -> None:
    record = _edge_records()[number]
    _assert_same(record)
    _assert_same(record, OTHER_BASE)


def test_a_value_that_cannot_be_expressed_fails_alike_naming_museum_record_and_field() -> None:
    broken = Production.model_construct(earliest="1890-13")  # bypasses validation
    record = minimal_record("inv-7").model_copy(update={"production": broken})
    failures = []
    for build in (to_linked_art, reference_linked_art):
        with pytest.raises(MappingError) as caught:
            build(record)
        failures.append((caught.value.museum_id, caught.value.local_id, caught.value.field))
    assert failures == [("kastmus", "inv-7", "production")] * 2


def test_documents_are_fresh_plain_data_each_call() -> None:
    first = to_linked_art(full_record())
    first["identified_by"].clear()
    first["produced_by"]["timespan"]["_label"] = "changed"
    assert _text(to_linked_art(full_record())) == _text(reference_linked_art(full_record()))


@pytest.mark.parametrize("number", [n for n in range(len(_edge_records())) if n != 11])
def test_hand_made_edge_cases_give_the_rdf_rdflib_reads_from_the_json(number: int) -> None:
    """N-Triples and Turtle, read straight from the light nodes, against rdflib's parse of the JSON-LD."""
    record = _edge_records()[number]
    reference = crm_out.to_graph(record)
    from_nt = rdflib.Graph().parse(data=crm_out.to_ntriples(record), format="nt")
    from_ttl = rdflib.Graph().parse(data=crm_out.to_turtle(record), format="turtle")
    assert len(from_nt) == len(reference)
    assert isomorphic(from_nt, reference), record.local_id
    assert isomorphic(from_ttl, reference), record.local_id
