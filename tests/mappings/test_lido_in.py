"""LIDO 1.0/1.1 in: every real file maps, and maps to what a reader of the file sees in it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from harvester.lido_file import lido_record_id, split_lido
from harvester.raw import RawRecord
from mappings.core import CoreRecord, MediaKind
from mappings.lido_in import MAPPING_VERSION, map_lido
from mappings.report import MappingError, MappingResult
from tests.mappings.lido_strategies import lido_documents

REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "lido-real"
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason=f"real LIDO examples not present at {REAL}")
ALL_FILES = sorted(REAL.rglob("*.xml")) if REAL.is_dir() else []


def _raw(payload: bytes, local_id: str = "x-1", museum: str = "test-museum") -> RawRecord:
    return RawRecord(museum_id=museum, local_id=local_id, format="lido", payload=payload)


def _map_file(relative: str, index: int = 0) -> MappingResult:
    piece = split_lido((REAL / relative).read_bytes())[index]
    try:
        local_id = lido_record_id(piece)
    except ValueError:
        local_id = Path(relative).stem
    return map_lido(_raw(piece, local_id))


def _titles(record: CoreRecord) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for title in record.titles:
        out.setdefault(title.lang or "", []).append(title.value)
    return out


def _actors(record: CoreRecord) -> list[tuple[str, str | None]]:
    return [(a.name, a.role.label("de", "en") if a.role else None) for a in record.actors]


def _labels(terms) -> list[str]:
    return [t.label("de", "en") for t in terms]


def _media(record: CoreRecord) -> list[tuple[MediaKind, bool]]:
    return [(m.kind, m.thumbnail) for m in record.media]


# --------------------------------------------------------------------------- every file


@needs_real
@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: str(p.relative_to(REAL)))
def test_every_real_record_maps_without_error(path: Path) -> None:
    pieces = split_lido(path.read_bytes())
    assert pieces
    for piece in pieces:
        result = map_lido(_raw(piece))
        assert result.record.source.mapping_version == MAPPING_VERSION
        assert result.record.source.schema_version in ("1.0", "1.1")
        assert result.record.titles or result.record.object_type


# --------------------------------------------------------------------------- per file


@needs_real
def test_minimaldatensatz_maps_each_field_the_file_holds() -> None:
    result = _map_file("minimaldatensatz.xml")
    r = result.record
    assert r.id == "test-museum:DE-MUS-059918/dc00018494"
    assert r.title() == "Kabinettschrank, Inv. Nr.: 1977.20"
    assert r.object_type[0].uri == "http://vocab.getty.edu/aat/300379868"
    assert r.object_type[0].labels == {"de": "Kabinettschrank", "en": "display cabinets"}
    assert (r.production.earliest, r.production.latest) == ("1596", "1605")
    assert r.production.date_display == "um 1600"
    assert r.production.places[0].name == "Neapel"
    assert r.production.places[0].uri == "https://sws.geonames.org/3172394/"
    assert _actors(r) == [
        ("Fiammingo, Giacomo", "Künstler"),
        ("Curtis, Giovanni Battista de", "Graveur"),
        ("Picicaro, Januarius", "Graveur"),
    ]
    assert r.actors[0].uri == "https://d-nb.info/gnd/1229708928"
    assert _labels(r.materials) == ["Palisander", "Ebenholz", "Elfenbein (Material)"]
    assert _labels(r.techniques) == ["Gravierung"]
    assert _media(r) == [(MediaKind.IMAGE, False)] * 3
    assert r.media[0].rights.uri == "http://creativecommons.org/publicdomain/zero/1.0/"
    assert r.inventory_number == "1977.20"
    assert r.repository == "Museum für Kunst und Gewerbe Hamburg"
    assert [(m.type, m.value, m.unit) for m in r.measurements][:3] == [
        ("height", 106.0, "cm"),
        ("width", 101.1, "cm"),
        ("depth", 60.9, "cm"),
    ]
    assert r.links.object_page.startswith("http://sammlungonline.mkg-hamburg.de/")
    assert result.issues == []


@needs_real
def test_la_primavera_v10_merges_its_english_and_german_blocks() -> None:
    r = _map_file("LIDO-Example_FMobj00154983-LaPrimavera.xml").record
    assert _titles(r) == {"en": ["La Primavera / Spring"], "de": ["La Primavera / Der Frühling"]}
    assert r.object_type[0].labels == {"en": "painting", "de": "Bild"}
    assert (r.production.earliest, r.production.latest) == ("1482", "1482")
    assert r.actors[0].name == "Botticelli, Sandro"
    assert r.actors[0].role.labels == {"en": "painter", "de": "Maler"}
    assert r.actors[0].kind == "person"
    assert [t.labels for t in r.materials] == [
        {"en": "tempera", "de": "Tempera"},
        {"en": "poplar", "de": "Pappelholz"},
    ]
    assert _media(r) == [(MediaKind.IMAGE, True)] * 3  # image_thumb, formatResource "jpg"
    assert {m.mime for m in r.media} == {"image/jpeg"}
    assert r.inventory_number == "8360 (Inv. 1890)"
    assert r.measurements[0].display == "203 x 314 cm"


@needs_real
def test_la_primavera_v11_reads_embedded_skos_concepts() -> None:
    result = _map_file("LIDO-v1.1-Example_FMobj00154983-LaPrimavera.xml")
    r = result.record
    assert r.source.schema_version == "1.1"
    assert r.title() == "La Primavera"
    assert _titles(r)["de"] == ["Der Frühling"]
    assert [t.value for t in r.titles if not t.preferred] == ["allegoria della primavera"]
    assert r.object_type[0].uri == "http://vocab.getty.edu/aat/300033618"
    assert r.object_type[0].labels == {"en": "painting (visual work)", "de": "Gemälde"}
    p = r.production
    assert (p.date_display, p.earliest, p.latest) == ("um 1480 oder 1482/1485", "1480", "1485")
    assert _labels(p.culture) == ["Florentine"] and _labels(p.period) == ["Renaissance"]
    botticelli = r.actors[0]
    assert botticelli.uri == "http://vocab.getty.edu/ulan/500015254"  # the lido00169 one
    assert botticelli.role.labels == {"en": "painters (artists)", "de": "Maler"}
    assert botticelli.kind == "person"
    assert [a.name for a in r.actors] == ["Botticelli, Sandro"]  # not the acquiring Uffizi
    assert _labels(r.materials) == ["poplar (wood)", "oil tempera"]
    assert _labels(r.techniques) == ["panel painting (image-making)"]
    assert _media(r) == [(MediaKind.IMAGE, True), (MediaKind.IMAGE, False)] * 3
    assert r.rights.uri == "http://rightsstatements.org/vocab/NoC-OKLR/1.0/"
    assert r.rights.holder == "Uffizien"
    assert r.links.published_ids == [
        "https://www.uffizi.it/opere/botticelli-primavera",
        "https://d-nb.info/gnd/4069615-7",
    ]
    assert [(m.type, m.value, m.unit) for m in r.measurements if m.value] == [
        ("height", 203.0, "cm"),
        ("width", 314.0, "cm"),
    ]
    assert r.inventory_number == "8360 (Inv. 1890)"
    assert "lido:descriptiveMetadata/lido:objectRelationWrap/lido:relatedWorksWrap" in result.unmapped
    # The restoration and the Uffizi's acquisition are kept as events beside the making.
    events = [(e.type.concept, e.date_display) for e in r.events if e.type]
    assert events == [("restoration", "1981/1983"), ("acquisition", "1919")]
    assert [(a.name, a.kind) for a in r.events[1].actors] == [("Uffizien", "organization")]
    assert r.events[1].type.source_labels == {"de": "Erwerbung"}
    assert not any("eventWrap" in path and "eventType" in path for path in result.unmapped)


@needs_real
@pytest.mark.parametrize(
    "filename",
    [
        "LIDO-Example_FMobj20344012-Fontana_del_Moro.xml",
        "LIDO-v1.1-Example_FMobj20344012-Fontana_del_Moro.xml",
    ],
)
def test_fontana_del_moro_wrap_splits_into_three_records(filename: str) -> None:
    pieces = split_lido((REAL / filename).read_bytes())
    assert len(pieces) == 3
    ids = [lido_record_id(p) for p in pieces]
    assert [i.rsplit(",", 2)[-2:] for i in ids[1:]] == [["T", "001"], ["T", "002"]]
    whole, part1, part2 = (map_lido(_raw(p, i)).record for p, i in zip(pieces, ids, strict=True))
    assert whole.title() == "Fontana del Moro" and whole.production is None
    assert (part1.production.earliest, part1.production.latest) == ("1575", "1576")
    assert [a.name for a in part1.actors] == ["Porta, Giacomo della"]
    assert (part2.production.earliest, part2.production.latest) == ("1654", "1654")
    assert len(part2.actors) == 2 and part2.actors[1].name == "Mari, Giovanni Antonio"
    assert all(m.kind is MediaKind.IMAGE for r in (whole, part1, part2) for m in r.media)


@needs_real
def test_fontana_v11_whole_fountain_has_object_level_material_and_two_image_sizes() -> None:
    r = _map_file("LIDO-v1.1-Example_FMobj20344012-Fontana_del_Moro.xml").record
    assert r.materials[0].labels == {"en": "marble (rock)", "de": "Marmor"}
    assert _media(r) == [(MediaKind.IMAGE, True), (MediaKind.IMAGE, False)]
    assert r.rights.uri == "http://creativecommons.org/publicdomain/zero/1.0/"


@needs_real
def test_bildarchiv_foto_marburg_links_without_mime_are_images_by_resource_type() -> None:
    r = _map_file("ddb/Bildarchiv_Foto_Marburg.xml").record
    assert r.title() == "Kunsthistorisches Museum und Naturhistorisches Museum"
    assert r.object_type[0].uri == "http://vocab.getty.edu/aat/300005768"
    assert (r.production.earliest, r.production.latest) == ("1872", "1881")
    assert _actors(r) == [
        ("Semper, Gottfried", "Entwerfer"),
        ("Hasenauer, Carl von (Freiherr)", "Entwerfer"),
    ]
    assert r.actors[0].kind == "person"  # lido00163
    assert r.materials == [] and r.inventory_number is None
    assert _media(r) == [(MediaKind.IMAGE, False)] * 6
    assert r.media[0].mime is None
    assert r.media[0].rights.uri == "http://www.deutsche-digitale-bibliothek.de/lizenzen/rv-fz/"


@needs_real
def test_deutsche_fotothek_photographic_capture_is_the_production() -> None:
    r = _map_file("ddb/Deutsche_Fotothek.xml").record
    assert r.title() == "Verden, Museum : Verden (Aller). Museum, Raumaufnahme"
    assert _labels(r.object_type) == ["Museum"]
    p = r.production
    assert (p.date_display, p.earliest, p.latest) == ("1923", "1922", "1923")
    assert _actors(r) == [("Cölln, Fritz", "Fotograf")]
    assert _media(r) == [(MediaKind.IMAGE, False)] * 2
    assert r.media[0].rights.uri == "http://rightsstatements.org/vocab/InC/1.0/"
    assert r.inventory_number == "df_hauptkatalog_0355520"  # no workID typed inventory: first
    assert r.rights.credit_line == "Bitte beachten Sie die Nutzungsbedingungen der Deutschen Fotothek."


@needs_real
def test_ethnologisches_museum_warns_about_empty_measurement_values() -> None:
    result = _map_file("ddb/Ethnologisches_Museum.xml")
    r = result.record
    assert r.title() == "Königliches Museum für Völkerkunde, Vestibül"
    assert r.object_type[0].uri == "http://vocab.getty.edu/aat/300138191"
    assert (r.production.earliest, r.production.latest) == ("1906", "1906")
    assert r.production.places[0].name == "Berlin"
    assert _actors(r) == [("Fotograf unbekannt", "Fotograf*in")]
    assert r.actors[0].kind == "person"
    assert _media(r) == [(MediaKind.IMAGE, False)]
    assert r.media[0].rights.uri == "http://creativecommons.org/licenses/by-nc-sa/4.0/"
    assert r.inventory_number is None
    assert r.materials == []
    assert [m.display for m in r.measurements] == ["Bildformat (Foto): cm Großformat"]
    assert {i.field for i in result.issues} == {"measurementsSet/measurementValue"}


@needs_real
def test_khb_display_materials_and_inscriptions() -> None:
    r = _map_file("ddb/KHB.xml").record
    assert r.title() == "Harzlandschaft"
    assert _labels(r.object_type) == ["Gemälde"]
    assert (r.production.earliest, r.production.latest) == ("1870", "1870")
    assert _actors(r) == [("Lessing, Carl Friedrich", "Maler")]
    assert r.actors[0].role.uri == "http://vocab.getty.edu/aat/300025136"
    assert _labels(r.materials) == ["Öl auf Leinwand"]
    assert _media(r) == [(MediaKind.IMAGE, False)]
    assert r.inventory_number == "73-1891"
    assert r.rights.uri == "http://creativecommons.org/publicdomain/mark/1.0/"
    assert [t.value for t in r.inscriptions] == [
        "C F L 1870. K",
        "unten rechts datiert und monogrammiert",
    ]


@needs_real
def test_kulturerbe_niedersachsen_legacy_uris() -> None:
    r = _map_file("ddb/Kulturerbe_Niedersachsen_Obernfeld.xml").record
    assert r.title() == "Wiegemesser"
    assert r.object_type[0].uri == "http://obg.vocnet.org/nu000149"
    assert (r.production.earliest, r.production.latest) == ("1900", "1900")
    assert r.actors == []
    assert _labels(r.materials) == ["Holz", "Eisen"]
    assert r.materials[0].uri.startswith("http://uri.gbv.de/terminology/kuniweb_material/")
    assert _media(r) == [(MediaKind.IMAGE, False)]
    assert r.media[0].rights.uri == "http://creativecommons.org/licenses/by-sa/4.0/"
    assert r.media[0].rights.holder == "Heimatmuseum Obernfeld"
    assert r.inventory_number == "4.244.3-1"
    assert [(m.type, m.value) for m in r.measurements if m.value] == [
        ("height", 36.0),
        ("width", 36.0),
        ("length", 80.0),
    ]


@needs_real
def test_museum_uslar_colours_are_not_materials() -> None:
    r = _map_file("ddb/Museum_Uslar.xml").record
    assert r.title() == "Bierflasche"
    assert _labels(r.object_type) == ["Flasche"]
    p = r.production
    assert (p.earliest, p.latest) == ("1950", "1990")
    assert (p.places[0].name, p.places[0].lat, p.places[0].lon) == ("Uslar", 51.396, 9.3933)
    assert _actors(r) == [("Brauerei Haffner", "HerstellerIn")]
    assert _labels(r.materials) == ["Glas"]  # Grün/Rot/Weiß/Siena are lido00479 colours
    assert _media(r) == [(MediaKind.IMAGE, False)] * 2
    assert r.inventory_number == "2019/055"
    assert len(r.inscriptions) == 6


@needs_real
def test_muenzkabinett_kinds_roles_and_inventory_number_by_type() -> None:
    r = _map_file("ddb/Münzkabinett.xml").record
    assert r.title() == "Marke: Bode-Museum"
    assert r.object_type[0].uri == "http://nomisma.org/id/token"
    assert (r.production.earliest, r.production.latest) == ("2024", "2024")
    assert [(a.name, a.kind) for a in r.actors] == [
        ("Resch Max (1994-)", "person"),
        ("Fischbach Melanie", "person"),
        ("Guangzhou Baoli Animation Technology Co., Ltd.", "organization"),
    ]
    assert r.actors[2].role.uri == "http://d-nb.info/gnd/4175820-1"
    assert r.materials[0].uri == "http://nomisma.org/id/steel"
    assert r.techniques[0].labels["de"] in ("struck", "geprägt")
    # thumb and preview share vs_opt.jpg: one thumbnail plus the master, per side
    assert _media(r) == [(MediaKind.IMAGE, True), (MediaKind.IMAGE, False)] * 2
    assert r.inventory_number == "18314033"  # not the "Interaktiver Münzkatalog" URL
    assert r.rights.uri == "http://creativecommons.org/licenses/by-sa/4.0/"
    assert ("weight", 5.57, "g") in [(m.type, m.value, m.unit) for m in r.measurements]


@needs_real
def test_technik_museum_drawing_event_and_unspecified_event_materials() -> None:
    r = _map_file("ddb/Technik-Museum.xml").record
    assert r.title().startswith("Technische Zeichnung : Oberschlächtiges Wasserrad")
    assert _labels(r.object_type) == ["Handzeichnung"]
    p = r.production
    assert (p.date_display, p.earliest, p.latest) == ("27.05.1902", "1902", "1902")
    assert p.places[0].name == "Lutherstadt Wittenberg"
    assert [a.name for a in r.actors] == ["H. Rauer (Technischer Zeichner/Ingenieur)"]
    assert _labels(r.materials) == ["Papier", "Bleistift"]
    assert _media(r) == [(MediaKind.IMAGE, True), (MediaKind.IMAGE, True), (MediaKind.IMAGE, False)]
    assert r.inventory_number == "IV.2.01-B 00036"


@needs_real
def test_wannseekonferenz_dates_from_display_date_and_gml_point() -> None:
    r = _map_file("ddb/Wannseekonferenz.xml").record
    assert r.title() == "Wieder im Dienst groß"
    assert _labels(r.object_type) == ["Fotografie"]
    p = r.production
    assert p.date_display == "Um 1950"
    assert p.earliest is not None and p.earliest.startswith("19")
    assert (p.places[0].name, p.places[0].lat, p.places[0].lon) == (
        "Wolfenbüttel",
        52.16242,
        10.536966,
    )
    assert r.actors == []
    assert _labels(r.materials) == ["Abzug auf Silbergelatinepapier, matt"]
    assert _media(r) == [(MediaKind.IMAGE, False)] * 2
    assert r.media[0].rights.uri == "http://creativecommons.org/licenses/by/4.0/"  # was deed.de
    assert r.inventory_number == "Seeliger-P-7"


@needs_real
def test_dkult_benrath_corporation_display_materials_and_html_breaks() -> None:
    r = _map_file("ddb/dkult-Benrath.xml").record
    assert r.title() == "Kaffeekanne mit Pärchen vor Gartenlandschaft"
    assert _labels(r.object_type) == ["Kaffeekanne", "Kanne"]
    assert (r.production.earliest, r.production.latest) == ("1762", "1775")
    assert _actors(r) == [("Porzellanmanufaktur Frankenthal", "Hersteller*in")]
    assert r.actors[0].kind == "organization"
    assert r.actors[0].uri == "http://d-nb.info/gnd/2112349-4"
    assert _labels(r.materials) == ["Porzellan", "Purpur bemalt", "Vergoldung"]
    assert _media(r) == [(MediaKind.IMAGE, True), (MediaKind.IMAGE, False)]
    assert r.inventory_number == "BEN.B 167"
    assert r.measurements[0].display.splitlines()[0] == "(H x D): 27 × 9,6 cm"


@needs_real
def test_museum_digital_oderberg_skips_relative_link_with_warning() -> None:
    result = _map_file("ddb/museum-digital_Oderberg.xml")
    r = result.record
    assert r.title() == "Akte I 11"
    assert r.object_type[0].uri == "https://d-nb.info/gnd/4168515-5"
    assert r.object_type[0].labels["ru"] == "магистрат"
    p = r.production
    assert (p.date_display, p.earliest, p.latest) == ("10.03.1869", "1869", "1869")
    assert r.actors == []
    assert _labels(r.materials) == ["Papier"]
    assert _media(r) == [(MediaKind.IMAGE, True), (MediaKind.IMAGE, True), (MediaKind.IMAGE, False)]
    assert r.inventory_number == "V 1356 S"
    assert r.subjects[0].labels["ru"] == "рыбак" and r.subjects[0].labels["de"] == "Fischer"
    assert any("I11.jpg" in i.message for i in result.issues)


@needs_real
def test_manipulated_record_1_reports_bad_links_and_long_title() -> None:
    piece = split_lido((REAL / "manipulated/DDB_LIDO_record_1.xml").read_bytes())[0]
    assert lido_record_id(piece) == "DE-MUS-059918/dc00018494"
    result = map_lido(_raw(piece, "dc00018494"))
    r = result.record
    assert r.title() == "Kabinettschrank, Inv. Nr.: 1977.20"
    assert r.object_type[0].labels == {"de": "Kabinettschrank"}  # the empty English term dropped
    assert (r.production.earliest, r.production.latest) == ("1596", "1605")
    assert _actors(r)[0] == ("Fiammingo, Giacomo", "Künstler")
    assert len(r.media) == 3
    assert r.inventory_number == "1977.20"
    fields = [i.field for i in result.issues]
    assert "linkResource/@formatResource" in fields
    assert "resourceSet/resourceRepresentation/linkResource" in fields
    assert "titleSet/appellationValue" in fields


@needs_real
def test_manipulated_record_2_without_ids_or_title_still_maps_with_warnings() -> None:
    piece = split_lido((REAL / "manipulated/DDB_LIDO_record_2.xml").read_bytes())[0]
    with pytest.raises(ValueError, match="neither lidoRecID nor"):
        lido_record_id(piece)
    result = map_lido(_raw(piece, "record-2"))
    r = result.record
    assert r.titles == []
    assert r.object_type[0].uri == "http://vocab.getty.edu/aat/300038888"
    assert r.descriptions[0].lang == "de"  # descriptiveMetadata xml:lang="deutsch"
    assert (r.production.earliest, r.production.latest) == ("1596", "1605")
    assert r.media == []
    assert r.inventory_number == "1977.20"
    messages = [str(i) for i in result.issues]
    assert "titleSet/appellationValue: no title" in messages
    assert "classification: placeholder term '?' ignored" in messages


# --------------------------------------------------------------------------- variants


def _strip_namespaces_textually(xml: str) -> str:
    """What exporters that drop the namespace produce: no xmlns, no prefixes anywhere."""
    xml = re.sub(r'\s+xmlns(?::[\w.-]+)?="[^"]*"', "", xml)
    xml = re.sub(r"<(/?)[\w.-]+:", r"<\1", xml)
    return re.sub(r'(\s)[\w.-]+:([\w.-]+=")', r"\1\2", xml)


@needs_real
@pytest.mark.parametrize(
    "filename",
    [
        "LIDO-v1.1-Example_FMobj00154983-LaPrimavera.xml",
        "ddb/Museum_Uslar.xml",
        "minimaldatensatz.xml",
    ],
)
def test_namespace_less_variant_maps_to_the_same_record(filename: str) -> None:
    original = (REAL / filename).read_text(encoding="utf-8")
    stripped = _strip_namespaces_textually(original)
    assert "lido:" not in stripped and "xml:lang" not in stripped and ' lang="' in stripped
    a = map_lido(_raw(original.encode()))
    b = map_lido(_raw(stripped.encode()))
    assert b.record == a.record
    validation = {"schema", "payload"}
    assert [i for i in b.issues if i.field not in validation] == [i for i in a.issues if i.field not in validation]
    assert any("schema validation skipped" in i.message for i in b.issues)


@needs_real
def test_lido_10_and_11_versions_of_the_same_object_agree_on_titles_dates_actors() -> None:
    v10 = map_lido(_raw(split_lido((REAL / "LIDO-Example_FMobj20344012-Fontana_del_Moro.xml").read_bytes())[1])).record
    v11 = map_lido(
        _raw(split_lido((REAL / "LIDO-v1.1-Example_FMobj20344012-Fontana_del_Moro.xml").read_bytes())[1])
    ).record
    assert (v10.source.schema_version, v11.source.schema_version) == ("1.0", "1.1")
    assert {(t.value, t.lang) for t in v11.titles} <= {(t.value, t.lang) for t in v10.titles}
    assert (v10.production.earliest, v10.production.latest) == (
        v11.production.earliest,
        v11.production.latest,
    )
    assert [a.name for a in v10.actors] == [a.name for a in v11.actors]
    assert v10.actors[0].role.labels["de"] == v11.actors[0].role.labels["de"] == "Bildhauer"

    p10 = _map_file("LIDO-Example_FMobj00154983-LaPrimavera.xml").record
    p11 = _map_file("LIDO-v1.1-Example_FMobj00154983-LaPrimavera.xml").record
    assert [a.name for a in p10.actors] == [a.name for a in p11.actors] == ["Botticelli, Sandro"]
    assert p10.actors[0].role.labels["de"] == p11.actors[0].role.labels["de"] == "Maler"
    assert p10.inventory_number == p11.inventory_number


@needs_real
def test_lido_inside_an_oai_pmh_metadata_wrapper_maps_like_the_bare_record() -> None:
    bare = (REAL / "minimaldatensatz.xml").read_bytes()
    body = bare.split(b"?>", 1)[1]
    wrapped = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><GetRecord><record>'
        b"<header><identifier>oai:x:1</identifier></header><metadata>"
        + body
        + b"</metadata></record></GetRecord></OAI-PMH>"
    )
    assert map_lido(_raw(wrapped)).record == map_lido(_raw(bare)).record


@needs_real
def test_whole_wrap_payload_maps_the_record_named_by_local_id() -> None:
    payload = (REAL / "LIDO-Example_FMobj20344012-Fontana_del_Moro.xml").read_bytes()
    result = map_lido(_raw(payload, "DE-Mb112/lido-obj20344012,T,002"))
    assert result.record.title() == "Fontana del Moro — Ethiopian fighting a dolphin"
    assert any(i.field == "lidoWrap" for i in result.issues)


# --------------------------------------------------------------------------- hand-made records

LIDO_HEAD = (
    '<lido:lido xmlns:lido="http://www.lido-schema.org" '
    'xmlns:skos="http://www.w3.org/2004/02/skos/core#" '
    'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
)


def _record(descriptive: str, administrative: str = "") -> bytes:
    return (
        LIDO_HEAD
        + '<lido:lidoRecID lido:type="local">kz/1</lido:lidoRecID>'
        + f'<lido:descriptiveMetadata xml:lang="kaz">{descriptive}</lido:descriptiveMetadata>'
        + '<lido:administrativeMetadata xml:lang="rus">'
        + administrative
        + "</lido:administrativeMetadata>"
        + "</lido:lido>"
    ).encode()


def _event(event_type: str, date: str = "") -> str:
    return (
        f"<lido:eventWrap><lido:eventSet><lido:event><lido:eventType>{event_type}</lido:eventType>"
        f"{date}</lido:event></lido:eventSet></lido:eventWrap>"
    )


TITLE = (
    "<lido:objectIdentificationWrap><lido:titleWrap><lido:titleSet>"
    "<lido:appellationValue>Алтын адам</lido:appellationValue>"
    "</lido:titleSet></lido:titleWrap></lido:objectIdentificationWrap>"
)


@pytest.mark.parametrize(
    "event_type",
    [
        "<lido:conceptID>http://terminology.lido-schema.org/eventType/production</lido:conceptID>",
        "<lido:conceptID>http://terminology.lido-schema.org/lido00012</lido:conceptID>",
        '<skos:Concept rdf:about="http://terminology.lido-schema.org/lido00007"/>',
        "<lido:term>Hergestellt</lido:term>",
        "<lido:term>изготовление</lido:term>",
        "<lido:term>жасалған</lido:term>",
        "<lido:term>Entstehung</lido:term>",
        "<lido:term>Gezeichnet</lido:term>",
    ],
)
def test_production_event_is_recognised_in_every_spelling(event_type: str) -> None:
    date = (
        "<lido:eventDate><lido:date><lido:earliestDate>-500</lido:earliestDate>"
        "<lido:latestDate>-0400</lido:latestDate></lido:date></lido:eventDate>"
    )
    other = (
        "<lido:eventSet><lido:event><lido:eventType><lido:term>Erwerb</lido:term></lido:eventType>"
        "<lido:eventDate><lido:displayDate>1970</lido:displayDate></lido:eventDate></lido:event></lido:eventSet>"
    )
    events = _event(event_type, date).replace("</lido:eventWrap>", other + "</lido:eventWrap>")
    record = map_lido(_raw(_record(TITLE + events))).record
    assert (record.production.earliest, record.production.latest) == ("-0500", "-0400")


def test_languages_are_normalised_and_inherited() -> None:
    record = map_lido(_raw(_record(TITLE))).record
    assert record.titles[0].lang == "kk"  # inherited from descriptiveMetadata xml:lang="kaz"


def test_only_dated_event_becomes_production_when_none_is_typed() -> None:
    date = "<lido:eventDate><lido:displayDate>1920</lido:displayDate></lido:eventDate>"
    record = map_lido(_raw(_record(TITLE + _event("<lido:term>Irgendwas</lido:term>", date)))).record
    assert record.production.date_display == "1920"
    assert record.production.earliest == "1920"


def test_media_kinds_from_mime_extension_and_words() -> None:
    def resource(link: str, fmt: str = "", rtype: str = "", rep: str = "") -> str:
        fmt_attr = f' lido:formatResource="{fmt}"' if fmt else ""
        rep_attr = f' lido:type="{rep}"' if rep else ""
        rtype_el = f"<lido:resourceType><lido:term>{rtype}</lido:term></lido:resourceType>" if rtype else ""
        return (
            f"<lido:resourceSet><lido:resourceRepresentation{rep_attr}>"
            f"<lido:linkResource{fmt_attr}>{link}</lido:linkResource></lido:resourceRepresentation>"
            f"{rtype_el}</lido:resourceSet>"
        )

    admin = (
        "<lido:resourceWrap>"
        + "".join(
            [
                resource("https://m.kz/a/model.glb"),
                resource("https://m.kz/a/scan", fmt="model/gltf-binary"),
                resource("https://m.kz/tour/index.html", fmt="text/html", rtype="виртуальный тур"),
                resource("https://m.kz/a/clip", fmt="video/mp4"),
                resource("https://m.kz/a/sound.mp3"),
                resource(
                    "https://m.kz/a/pic",
                    fmt="jpg",
                    rep="http://terminology.lido-schema.org/lido00451",
                ),
                resource("https://m.kz/object/1", fmt="text/html"),
                resource(" "),
            ]
        )
        + "</lido:resourceWrap>"
    )
    result = map_lido(_raw(_record(TITLE, admin)))
    r = result.record
    assert [(m.kind, m.thumbnail) for m in r.media] == [
        (MediaKind.MODEL_3D, False),
        (MediaKind.MODEL_3D, False),
        (MediaKind.VIRTUAL_TOUR, False),
        (MediaKind.VIDEO, False),
        (MediaKind.AUDIO, False),
        (MediaKind.IMAGE, True),
    ]
    assert r.media[-1].mime == "image/jpeg"
    assert r.links.object_page == "https://m.kz/object/1"
    assert any(i.field == "linkResource" and "empty" in i.message for i in result.issues)
    assert r.has_3d and r.has_image


def test_not_xml_is_refused_naming_museum_record_and_field() -> None:
    with pytest.raises(MappingError) as caught:
        map_lido(_raw(b"<lido:lido><unclosed>", "rec-9", "kz-nm"))
    assert (caught.value.museum_id, caught.value.local_id, caught.value.field) == (
        "kz-nm",
        "rec-9",
        "payload",
    )


def test_document_without_lido_is_refused() -> None:
    with pytest.raises(MappingError) as caught:
        map_lido(_raw(b"<record><title>x</title></record>"))
    assert caught.value.field == "lido"


def test_record_with_nothing_usable_is_refused() -> None:
    with pytest.raises(MappingError) as caught:
        map_lido(_raw(_record("<lido:objectIdentificationWrap/>")))
    assert caught.value.field == "titleSet/appellationValue"


def test_forbidden_control_characters_cost_a_warning_not_the_record() -> None:
    payload = _record(TITLE.replace("Алтын адам", "Алтын\x0b адам"))
    result = map_lido(_raw(payload))
    assert result.record.title() == "Алтын адам"
    assert "payload" in [i.field for i in result.issues]


def test_external_entities_are_never_resolved() -> None:
    payload = (
        b'<?xml version="1.0"?><!DOCTYPE lido [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<lido xmlns="http://www.lido-schema.org"><descriptiveMetadata xml:lang="en">'
        b"<objectIdentificationWrap><titleWrap><titleSet><appellationValue>A&x;B</appellationValue>"
        b"</titleSet></titleWrap></objectIdentificationWrap></descriptiveMetadata></lido>"
    )
    title = map_lido(_raw(payload)).record.title()
    assert "root:" not in title and title.startswith("A")


def test_invalid_creative_commons_uri_is_refused_with_warning() -> None:
    admin = (
        "<lido:rightsWorkWrap><lido:rightsWorkSet><lido:rightsType>"
        "<lido:conceptID>https://creativecommons.org/invalid</lido:conceptID><lido:term>CC0</lido:term>"
        "</lido:rightsType></lido:rightsWorkSet></lido:rightsWorkWrap>"
    )
    result = map_lido(_raw(_record(TITLE, admin)))
    assert result.record.rights.uri is None and result.record.rights.label == "CC0"
    assert any("names no Creative Commons" in i.message for i in result.issues)


# --------------------------------------------------------------------------- properties


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lido_documents())
def test_arbitrary_well_formed_lido_maps_or_is_refused_with_mapping_error(payload: bytes) -> None:
    try:
        result = map_lido(_raw(payload))
    except MappingError:
        return
    assert isinstance(result, MappingResult)
    assert result.record.model_dump_json()


# --------------------------------------------------------------------------- schema validation


def test_a_schema_invalid_record_is_still_mapped_with_the_schemas_message() -> None:
    path = REAL / "manipulated" / "DDB_LIDO_record_2.xml"
    if not path.exists():
        pytest.skip("../shared/data/lido-real is not present")
    payload = split_lido(path.read_bytes())[0]
    result = map_lido(RawRecord(museum_id="kz-m", local_id="x", format="lido", payload=payload))
    schema = [i for i in result.issues if i.field == "schema"]
    assert len(schema) == 1 and "not valid against LIDO" in schema[0].message and "line " in schema[0].message


def test_valid_records_carry_no_schema_finding_even_inside_an_oai_wrapper() -> None:
    path = REAL / "LIDO-v1.1-Example_FMobj00154983-LaPrimavera.xml"
    if not path.exists():
        pytest.skip("../shared/data/lido-real is not present")
    lido = split_lido(path.read_bytes())[0].split(b"?>", 1)[1]
    wrapped = b'<metadata xmlns="http://www.openarchives.org/OAI/2.0/">' + lido + b"</metadata>"
    for payload in (lido, wrapped):
        result = map_lido(RawRecord(museum_id="kz-m", local_id="x", format="lido", payload=payload))
        assert not [i for i in result.issues if i.field == "schema"]


def test_namespace_less_lido_is_mapped_and_told_it_was_not_validated() -> None:
    payload = (
        b"<lido><lidoRecID type='local'>1</lidoRecID><descriptiveMetadata lang='en'>"
        b"<objectClassificationWrap><objectWorkTypeWrap><objectWorkType><term>jug</term></objectWorkType>"
        b"</objectWorkTypeWrap></objectClassificationWrap><objectIdentificationWrap><titleWrap><titleSet>"
        b"<appellationValue>Jug</appellationValue></titleSet></titleWrap></objectIdentificationWrap>"
        b"</descriptiveMetadata></lido>"
    )
    result = map_lido(RawRecord(museum_id="kz-m", local_id="1", format="lido", payload=payload))
    assert result.record.title() == "Jug"
    assert any("schema validation skipped" in i.message for i in result.issues)
