"""Excel workbooks as exports: read like a CSV, with the same profiles, bounded like every source."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from config.registry import CsvSource
from config.source_policy import SourcePolicy
from harvester.csv_export import read_export
from harvester.errors import CsvExportError, ResponseTooLarge
from harvester.export_header import export_headers
from harvester.xlsx_export import cell_text, worksheet_rows


def workbook(rows: list[list[object]], *, title: str = "Фонд", extra_sheet: bool = False) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if extra_sheet:
        book.create_sheet("Другой").append(["x"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_cells_read_as_a_csv_export_would_hold_them() -> None:
    assert cell_text(None) == "" and cell_text(12.0) == "12" and cell_text(12.5) == "12.5"
    assert cell_text(datetime(1998, 5, 1)) == "1998-05-01"
    assert cell_text(datetime(1998, 5, 1, 10, 30)) == "1998-05-01 10:30:00"
    assert cell_text(True) == "TRUE" and cell_text("Кебеже") == "Кебеже"


def test_a_workbook_is_harvested_with_a_csv_profile(tmp_path: Path) -> None:
    data = workbook([
        ["Инв. №", "Наименование", "Размеры", None],
        ["КП-1", "Кебеже", "50x40", None],
        [None, None, None, None],
        [1042.0, "Пиала", None, None],
        [None, "без номера", None, None],
    ], extra_sheet=True)  # fmt: skip
    path = tmp_path / "fund.xlsx"
    path.write_bytes(data)
    source = CsvSource(type="xlsx", url=str(path), profile="ru-accounting")
    pages = list(read_export("kz-x", source, id_columns=["Инв. №"], policy=SourcePolicy(file_sources_dir=tmp_path)))
    records = [r for p in pages for r in p.records]
    assert [r.local_id for r in records] == ["КП-1", "1042"] and all(r.format == "csv:ru-accounting" for r in records)
    assert records[0].payload.decode() == '{"Инв. №": "КП-1", "Наименование": "Кебеже", "Размеры": "50x40"}'
    assert [q.reason for p in pages for q in p.quarantined] == ["row 5: no value in id column «Инв. №»"]
    assert pages[-1].complete_listing and pages[0].checkpoint.source_type == "xlsx"
    other = CsvSource(type="xlsx", url=str(path), profile="ru-accounting", sheet="Нет такого")
    with pytest.raises(CsvExportError, match="no worksheet named 'Нет такого'"):
        list(read_export("kz-x", other, id_columns=["Инв. №"], policy=SourcePolicy(file_sources_dir=tmp_path)))


def test_a_zip_bomb_or_a_non_workbook_is_refused_before_it_is_unpacked() -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (8 * 1024 * 1024))
    with pytest.raises(ResponseTooLarge, match="unpacks to 8 MiB"):
        list(worksheet_rows("kz-x", "bomb.xlsx", bomb.getvalue(), None, max_bytes=1024 * 1024))
    with pytest.raises(CsvExportError, match="not an Excel .xlsx workbook"):
        list(worksheet_rows("kz-x", "x.xlsx", b"id;title\n1;x\n", None, max_bytes=1024 * 1024))


def test_headers_of_either_kind_of_export() -> None:
    assert export_headers(workbook([[None], ["id", "title", None]]), xlsx=True) == ["id", "title"]
    assert export_headers("\ufeffИнв. №;Наименование\nКП-1;x\n".encode(), xlsx=False) == ["Инв. №", "Наименование"]
    assert export_headers("Инв. №;Наименование\n".encode("cp1251"), xlsx=False) == ["Инв. №", "Наименование"]
