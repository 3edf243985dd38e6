"""A LIDO file export becomes one raw record per lido element, each named by the ids LIDO defines."""

from __future__ import annotations

from pathlib import Path

import pytest

from harvester.lido_file import LidoFileError, lido_record_id, read_lido_file, split_lido

REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "lido-real"
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason=f"real LIDO examples not present at {REAL}")

WRAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<lido:lidoWrap xmlns:lido="http://www.lido-schema.org">
  <lido:lido><lido:lidoRecID lido:type="local">kz-1</lido:lidoRecID></lido:lido>
  <lido:lido>
    <lido:administrativeMetadata xml:lang="ru"><lido:recordWrap>
      <lido:recordID lido:type="local"> kz-2 </lido:recordID>
    </lido:recordWrap></lido:administrativeMetadata>
  </lido:lido>
  <lido:lido><lido:descriptiveMetadata xml:lang="kk"/></lido:lido>
</lido:lidoWrap>"""


def test_each_lido_element_is_a_record_named_by_lidoRecID_or_recordID() -> None:
    file = read_lido_file("kz-museum", WRAP, name="exports/wrap.xml")

    assert [r.local_id for r in file.records] == ["kz-1", "kz-2", "wrap-3"]
    assert all(r.format == "lido" and r.museum_id == "kz-museum" for r in file.records)
    assert file.notes == ["warning: exports/wrap.xml, record 3: no lidoRecID or recordID; called it wrap-3"]


def test_each_piece_keeps_the_wrappers_namespace() -> None:
    piece = split_lido(WRAP)[0]

    assert b'xmlns:lido="http://www.lido-schema.org"' in piece
    assert lido_record_id(piece) == "kz-1"


def test_a_file_that_is_not_xml_names_the_file() -> None:
    with pytest.raises(LidoFileError, match="museum kz-museum: broken.xml: not well-formed XML"):
        read_lido_file("kz-museum", b"<lido:lidoWrap", name="broken.xml")


def test_a_file_without_lido_records_is_an_error() -> None:
    with pytest.raises(LidoFileError, match="no lido element"):
        read_lido_file("kz-museum", b"<catalogue/>", name="other.xml")


def test_a_forbidden_control_character_does_not_lose_the_file() -> None:
    file = read_lido_file("kz-museum", WRAP.replace(b"kz-1", b"kz\x0b-1"), name="wrap.xml")

    assert [r.local_id for r in file.records][:2] == ["kz-1", "kz-2"]


@needs_real
def test_the_real_fontana_del_moro_wrap_holds_three_records() -> None:
    data = (REAL / "LIDO-Example_FMobj20344012-Fontana_del_Moro.xml").read_bytes()

    file = read_lido_file("it-museum", data, name="x")

    assert len(file.records) == 3 and not file.notes
