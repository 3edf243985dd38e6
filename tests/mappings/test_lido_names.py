"""The LIDO reader reads names, not namespaces: the parsed tree keeps its namespaces.

Exports mix spellings (a bare ``appellationValue`` among ``lido:`` ones, a
bare ``type`` next to ``lido:type``, an element in some other namespace), and
the reader matches every one of them by local name, with the namespaced
attribute winning, as it did when it renamed the whole tree first.  These
tests pin that, and that provenance positions and unmapped paths count
siblings by local name.
"""

from __future__ import annotations

from lxml import etree

from harvester.raw import RawRecord
from mappings.lido_in import map_lido
from mappings.lido_in.elements import all_paths, attr, children, reading
from mappings.lido_out import SUBSTITUTE_MARK

LIDO_NS = "http://www.lido-schema.org"
XML_NS = "http://www.w3.org/XML/1998/namespace"

_RECORD = f"""<?xml version="1.0" encoding="UTF-8"?>
<lido:lido xmlns:lido="{LIDO_NS}" xmlns:o="urn:example:other">
  <lido:lidoRecID lido:type="local">m-1</lido:lidoRecID>
  <lido:descriptiveMetadata xml:lang="en">
    <lido:objectClassificationWrap><lido:objectWorkTypeWrap>
      <lido:objectWorkType><lido:term>bowl</lido:term></lido:objectWorkType>
    </lido:objectWorkTypeWrap></lido:objectClassificationWrap>
    <lido:objectIdentificationWrap>
      <lido:titleWrap><lido:titleSet>
        <lido:appellationValue lido:pref="alternate">Bowl</lido:appellationValue>
        <appellationValue pref="alternate" lido:pref="preferred">Kese</appellationValue>
        <lido:appellationValue> </lido:appellationValue>
        <o:appellationValue lang="ru">Chasha</o:appellationValue>
        <lido:appellationValue lido:encodinganalog="{SUBSTITUTE_MARK}">not specified</lido:appellationValue>
      </lido:titleSet></lido:titleWrap>
      <lido:repositoryWrap><lido:repositorySet lido:type="current">
        <lido:workID type="inventory number">KP-1</lido:workID>
      </lido:repositorySet></lido:repositoryWrap>
    </lido:objectIdentificationWrap>
    <lido:eventWrap><lido:eventSet><lido:event>
      <lido:eventType><lido:term>Production</lido:term></lido:eventType>
      <lido:eventPlace><lido:place>
        <lido:namePlaceSet><lido:appellationValue>Turkistan</lido:appellationValue></lido:namePlaceSet>
        <lido:partOfPlace>
          <lido:namePlaceSet><lido:appellationValue>Kazakhstan</lido:appellationValue></lido:namePlaceSet>
          <lido:placeClassification><lido:term>country</lido:term></lido:placeClassification>
        </lido:partOfPlace>
      </lido:place></lido:eventPlace>
      <lido:partOfPlace><lido:namePlaceSet><lido:appellationValue>Asia</lido:appellationValue></lido:namePlaceSet>
      </lido:partOfPlace>
    </lido:event></lido:eventSet></lido:eventWrap>
  </lido:descriptiveMetadata>
  <lido:administrativeMetadata xml:lang="en"><lido:recordWrap>
    <lido:recordID lido:type="local">m-1</lido:recordID>
    <lido:recordType><lido:term>item</lido:term></lido:recordType>
  </lido:recordWrap></lido:administrativeMetadata>
</lido:lido>"""


def _map(payload: bytes) -> RawRecord:
    return RawRecord("test-museum", "m-1", "lido", payload)


def test_attribute_by_local_name_the_namespaced_one_winning_in_either_order() -> None:
    el = etree.fromstring(
        f'<a xmlns:l="{LIDO_NS}" xmlns:o="urn:o" type="bare" l:type="lido" o:type="other" '
        f'xml:lang="kk" pref="p"/>'.encode()
    )
    assert attr(el, "type") == "other"  # of two namespaced ones the last wins
    assert attr(el, "lang") == "kk"
    assert attr(el, "pref") == "p"
    assert attr(el, "label") is None
    reversed_order = etree.fromstring(f'<a xmlns:l="{LIDO_NS}" l:type="lido" type="bare"/>'.encode())
    assert attr(reversed_order, "type") == "lido"
    single = etree.fromstring(f'<a xmlns:l="{LIDO_NS}" l:typeX="no"/>'.encode())
    assert attr(single, "type") is None


def test_children_by_local_name_in_document_order_with_or_without_the_record_buckets() -> None:
    root = etree.fromstring(
        f'<w xmlns:l="{LIDO_NS}"><l:s><l:v>1</l:v></l:s><s xmlns="urn:x"><v>2</v></s>'
        f"<l:t/><s><l:v>3</l:v></s></w>".encode()
    )
    plain = ([c.text for c in all_paths(root, "s", "v")], len(children(root, "s")), children(root, "u"))
    with reading():
        buckets = ([c.text for c in all_paths(root, "s", "v")], len(children(root, "s")), children(root, "u"))
        found = children(root, "s")
        found.clear()  # a caller's list is its own: the record's buckets stay whole
        assert len(children(root, "s")) == 3
    assert plain == buckets == (["1", "2", "3"], 3, [])


def test_mixed_spellings_map_as_local_names_and_our_stand_in_is_dropped() -> None:
    for payload in (
        _RECORD.encode(),
        _RECORD.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"),
    ):
        result = map_lido(_map(payload))
        record = result.record
        assert [(t.value, t.lang, t.preferred) for t in record.titles] == [
            ("Bowl", "en", False),
            ("Kese", "en", True),  # lido:pref="preferred" wins over the bare pref
            ("Chasha", "ru", False),  # another namespace's element, its bare lang
        ]
        assert record.inventory_number == "KP-1"  # a bare type="inventory number"
        assert record.production is not None
        assert [(p.name, p.part_of.name if p.part_of else None) for p in record.production.places] == [
            ("Turkistan", "Kazakhstan")
        ]


def test_provenance_positions_count_siblings_by_local_name_whatever_their_namespace() -> None:
    record = map_lido(_map(_RECORD.encode())).record
    title_set = "descriptiveMetadata/objectIdentificationWrap/titleWrap/titleSet"
    # The stand-in is gone before reading; the blank third value gives no title.
    assert record.provenance["titles"] == [
        f"{title_set}/appellationValue[1]",
        f"{title_set}/appellationValue[2]",
        f"{title_set}/appellationValue[4]",
    ]
    assert record.provenance["inventory_number"] == [
        "descriptiveMetadata/objectIdentificationWrap/repositoryWrap/repositorySet/workID"
    ]


def test_unmapped_paths_read_a_broader_place_inside_a_place_but_not_loose_in_the_event() -> None:
    result = map_lido(_map(_RECORD.encode()))
    event = "lido:descriptiveMetadata/lido:eventWrap/lido:eventSet/lido:event"
    assert result.unmapped == [
        f"{event}/lido:eventPlace/lido:place/lido:partOfPlace/lido:placeClassification",
        f"{event}/lido:partOfPlace",
    ]
