"""Specification of reading CSV exports: encodings, delimiters, ids, pages, resume, HTTP."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import harvester.csv_export as csv_export
from config.registry import CsvSource
from harvester.checkpoint import Checkpoint
from harvester.csv_export import (
    decode_export,
    read_export,
    sniff_delimiter,
    start_checkpoint,
)
from harvester.errors import CsvExportError
from harvester.http import RetryPolicy
from harvester.page import Page
from mappings.csv_profiles import map_csv_row
from tests.loopback import LoopbackServer, QuietHandler

MUSEUM = "kz-oblast-museum"

RU_HEADER = "Инв. №;Наименование;Наименование (каз.);Материал;Датировка;Размеры;Изображение"
RU_ROWS = [
    'КП-1234/56;Кебеже;Кебеже;"дерево; металл";XIX в.;45 x 60 x 38 см;kp1234.jpg',
    "КП-1235;Домбра;Домбыра;дерево, жила;1900;98 см;kp1235.jpg",
    "КП-1236;Камча;Қамшы;кожа;XX в.;;",
]


def ru_export(rows: list[str] | None = None) -> str:
    """An Excel-style export: CRLF line ends, ';' between cells."""
    lines = [RU_HEADER, *(RU_ROWS if rows is None else rows)]
    return "\r\n".join(lines) + "\r\n"


def russian_only(text: str) -> str:
    """Windows-1251 has no Kazakh letters: a Russian-only system would write this."""
    return text.replace("Қамшы", "Камчы")


def csv_source(path: Path | str, profile: str = "ru-accounting", **options: object) -> CsvSource:
    return CsvSource(type="csv", url=str(path), profile=profile, **options)


#: The id columns of the shipped profiles (the reader is told them; it does not read profiles).
ID_COLUMNS = {"ru-accounting": ["Инв. №", "Инв.№", "Инвентарный номер"], "generic": ["id", "inventory_number"]}


def harvest(source: CsvSource, **options: object) -> list[Page]:
    return list(read_export(MUSEUM, source, id_columns=ID_COLUMNS[source.profile], **options))  # type: ignore[arg-type]


def records_of(pages: list[Page]) -> list[dict[str, str]]:
    return [json.loads(r.payload) for page in pages for r in page.records]


def local_ids(pages: list[Page]) -> list[str]:
    return [r.local_id for page in pages for r in page.records]


# ------------------------------------------------------------------- encodings and delimiters


def test_cp1251_semicolon_export_is_detected_and_read(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(russian_only(ru_export()).encode("cp1251"))

    pages = harvest(csv_source(path))

    assert local_ids(pages) == ["КП-1234/56", "КП-1235", "КП-1236"]
    first = records_of(pages)[0]
    assert list(first) == RU_HEADER.split(";")
    assert first["Материал"] == "дерево; металл"
    assert first["Наименование"] == "Кебеже"
    assert all(r.format == "csv:ru-accounting" for r in pages[0].records)
    assert all(r.datestamp is None and r.harvested_at is not None for r in pages[0].records)


def test_kazakh_letters_in_windows_codepage_are_read_as_kz1048(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(ru_export().encode("kz1048"))

    pages = harvest(csv_source(path))

    assert records_of(pages)[2]["Наименование (каз.)"] == "Қамшы"


def test_utf8_bom_comma_export_is_read_with_the_generic_profile(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    text = 'id,title,materials,image_url\nobj-1,Dombra,"wood, gut",https://img.example.kz/1.jpg\nobj-2,Kobyz,wood,\n'
    path.write_bytes(text.encode("utf-8-sig"))

    pages = harvest(csv_source(path, profile="generic"))

    assert local_ids(pages) == ["obj-1", "obj-2"]
    assert list(records_of(pages)[0]) == ["id", "title", "materials", "image_url"]
    assert records_of(pages)[0]["materials"] == "wood, gut"
    assert pages[0].records[0].format == "csv:generic"


def test_utf8_tab_export_is_read(tmp_path: Path) -> None:
    path = tmp_path / "export.tsv"
    path.write_text("id\ttitle\tdescription\nt-1\tАлтын адам\tБайланыс, алтын; қола\n", encoding="utf-8")

    pages = harvest(csv_source(path, profile="generic"))

    assert records_of(pages) == [{"id": "t-1", "title": "Алтын адам", "description": "Байланыс, алтын; қола"}]


def test_explicit_encoding_and_delimiter_are_honoured(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes("id|title\nx-1|Кебеже\n".encode("cp1251"))

    pages = harvest(csv_source(path, profile="generic", encoding="cp1251", delimiter="|"))

    assert records_of(pages) == [{"id": "x-1", "title": "Кебеже"}]


def test_wrong_explicit_encoding_is_an_error_naming_museum_url_and_line(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes("id;title\nx-1;ok\nx-2;Кебеже\n".encode("cp1251"))

    with pytest.raises(CsvExportError) as caught:
        harvest(csv_source(path, profile="generic", encoding="utf-8"))

    message = str(caught.value)
    assert MUSEUM in message and str(path) in message and "line 3" in message


def test_sniffer_is_not_fooled_by_commas_inside_semicolon_separated_cells() -> None:
    text = "Инв. №;Наименование;Материал\n1;a;дерево, металл, кость\n2;b;ткань, мех, кожа\n"
    assert sniff_delimiter(text) == ";"
    assert sniff_delimiter("a\tb\tc\n1\t2,5\t3\n") == "\t"
    assert sniff_delimiter("a,b\n1,2\n") == ","


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Инв. №;Наименование\n1;Камча\n".encode("cp1251"), "cp1251"),
        ("Инв. №;Атауы\n1;Қамшы\n".encode("kz1048"), "kz1048"),
        ("Инв. №;Атауы\n1;Қамшы\n".encode("utf-8-sig"), "utf-8-sig"),
        ("Инв. №\tАтауы\n1\tҚамшы\n".encode("utf-16"), "utf-16"),
        ("Инв. №;Атауы\n1;Қамшы\n".encode(), "utf-8"),
    ],
)
def test_auto_encoding_tells_the_encodings_museums_send_apart(data: bytes, encoding: str) -> None:
    decoded = decode_export(data)
    assert decoded.encoding == encoding
    assert decoded.text.startswith("Инв. №") and decoded.notes == []


def test_mostly_utf8_text_with_a_broken_byte_is_repaired_and_noted() -> None:
    data = "id;title\nx;Кебеже\ny;Домбра\n".encode() + b"z;bad \xff byte\n"

    decoded = decode_export(data)

    assert decoded.encoding == "utf-8"
    assert "Кебеже" in decoded.text and "\ufffd" in decoded.text
    assert "line 4" in decoded.notes[0]


# --------------------------------------------------------------------------- rows and ids


def test_quoted_multi_line_cell_is_one_cell_and_row_numbers_stay_spreadsheet_rows(
    tmp_path: Path,
) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Инв. №;Наименование;Описание\n"
        'КП-1;Кебеже;"Сундук.\nУкрашен резьбой; металлом.\n""Старинный"""\n'
        ";Без номера;нет\n",
        encoding="utf-8",
    )

    pages = harvest(csv_source(path))

    assert records_of(pages)[0]["Описание"] == 'Сундук.\nУкрашен резьбой; металлом.\n"Старинный"'
    assert [q.reason for q in pages[0].quarantined] == ["row 3: no value in id column «Инв. №»"]


def test_rows_without_id_are_quarantined_with_row_numbers_and_payload(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        ru_export([RU_ROWS[0], ";Без номера;;;;;", "  ;Тоже;;;;;", RU_ROWS[1]]),
        encoding="utf-8",
    )

    pages = harvest(csv_source(path))

    assert local_ids(pages) == ["КП-1234/56", "КП-1235"]
    quarantined = pages[-1].quarantined
    assert [q.reason for q in quarantined] == [
        "row 3: no value in id column «Инв. №»",
        "row 4: no value in id column «Инв. №»",
    ]
    assert all(q.museum_id == MUSEUM and q.local_id is None for q in quarantined)
    assert json.loads(quarantined[0].payload)["Наименование"] == "Без номера"


def test_duplicate_ids_keep_the_first_row_and_quarantine_later_ones(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    rows = RU_ROWS
    path.write_text(ru_export([*rows, rows[0].replace("Кебеже;Кебеже", "Копия;Копия")]), "utf-8")

    pages = harvest(csv_source(path))

    assert local_ids(pages) == ["КП-1234/56", "КП-1235", "КП-1236"]
    assert records_of(pages)[0]["Наименование"] == "Кебеже"
    (duplicate,) = pages[-1].quarantined
    assert duplicate.local_id == "КП-1234/56"
    assert duplicate.reason == ("row 5: id «КП-1234/56» already used by row 2; the first row is kept")


def test_ids_are_stripped_and_blank_lines_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("id;title\n  a-1 ;x\n;;\n\nb-2;y\n;\n", encoding="utf-8")

    pages = harvest(csv_source(path, profile="generic"))

    assert local_ids(pages) == ["a-1", "b-2"]
    assert pages[-1].quarantined == []


def test_short_rows_are_padded_and_nameless_columns_keep_their_cells(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("id;;title\nx-1;note\nx-2;;T;extra\n", encoding="utf-8")

    pages = harvest(csv_source(path, profile="generic"))

    assert records_of(pages) == [
        {"id": "x-1", "column 2": "note", "title": ""},
        {"id": "x-2", "column 2": "", "title": "T", "column 4": "extra"},
    ]
    assert any("column 2 has no header" in note for note in pages[0].repaired)
    assert any("column(s) 4" in note for note in pages[0].repaired)


def test_duplicate_headers_are_an_error_naming_header_and_columns(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Инв. №;Материал;Наименование;материал \n1;a;b;c\n", encoding="utf-8")

    with pytest.raises(CsvExportError, match=r"«материал» appears in columns 2 and 4"):
        harvest(csv_source(path))


def test_export_without_the_profile_id_column_is_an_error_listing_the_header(
    tmp_path: Path,
) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Номер;Наименование\n1;a\n", encoding="utf-8")

    with pytest.raises(CsvExportError) as caught:
        harvest(csv_source(path))

    message = str(caught.value)
    assert "«Инв. №»" in message and "«Номер», «Наименование»" in message and MUSEUM in message


def test_empty_export_is_an_error_asking_for_a_header(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(b"\r\n")
    with pytest.raises(CsvExportError, match="header row"):
        harvest(csv_source(path))


def test_unclosed_quote_is_an_error_naming_the_row(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text('id;title\na;ok\nb;"never closed\nc;x\n', encoding="utf-8")

    with pytest.raises(CsvExportError, match=r"row 3 \(from line 3\)"):
        harvest(csv_source(path, profile="generic"))


def test_missing_file_is_an_error_naming_museum_and_url(tmp_path: Path) -> None:
    missing = (tmp_path / "nope.csv").as_uri()
    with pytest.raises(CsvExportError) as caught:
        harvest(csv_source(missing))
    assert MUSEUM in str(caught.value) and missing in str(caught.value)


def test_file_url_is_read(tmp_path: Path) -> None:
    path = tmp_path / "экспорт музея.csv"
    path.write_text(ru_export(), encoding="utf-8")

    pages = harvest(csv_source(path.as_uri()))

    assert len(local_ids(pages)) == 3


def test_header_only_export_gives_one_empty_complete_listing_page(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(RU_HEADER + "\n", encoding="utf-8")

    (page,) = harvest(csv_source(path))

    assert page.records == [] and page.last and page.complete_listing
    assert page.checkpoint.rows_done == 0


# --------------------------------------------------------------------------- pages and resume


def numbered_export(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "export.csv"
    lines = ["id;title", *(f"n-{i};Object {i}" for i in range(1, count + 1))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_pages_hold_page_size_rows_and_only_the_last_closes_the_listing(tmp_path: Path) -> None:
    source = csv_source(numbered_export(tmp_path, 5), profile="generic")

    pages = harvest(source, page_size=2)

    assert [len(p.records) for p in pages] == [2, 2, 1]
    assert [(p.last, p.complete_listing) for p in pages] == [
        (False, False),
        (False, False),
        (True, True),
    ]
    assert [p.checkpoint.rows_done for p in pages] == [2, 4, 5]
    assert [p.checkpoint.records_done for p in pages] == [2, 4, 5]
    assert [p.checkpoint.pages_done for p in pages] == [1, 2, 3]
    assert all(p.checkpoint.full and p.checkpoint.source_type == "csv" for p in pages)


def test_exactly_full_last_page_is_not_followed_by_an_empty_one(tmp_path: Path) -> None:
    pages = harvest(csv_source(numbered_export(tmp_path, 4), profile="generic"), page_size=2)
    assert [len(p.records) for p in pages] == [2, 2] and pages[-1].last


def test_resume_from_a_checkpoint_skips_committed_rows(tmp_path: Path) -> None:
    source = csv_source(numbered_export(tmp_path, 5), profile="generic")
    first_page = next(iter(read_export(MUSEUM, source, id_columns=ID_COLUMNS["generic"], page_size=2)))

    resumed = harvest(source, checkpoint=first_page.checkpoint, page_size=2)

    assert local_ids(resumed) == ["n-3", "n-4", "n-5"]
    assert resumed[-1].checkpoint.rows_done == 5
    assert resumed[-1].checkpoint.records_done == 5
    assert resumed[-1].complete_listing


def test_resume_still_recognises_duplicates_of_committed_rows(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("id;title\na;1\nb;2\na;3\n", encoding="utf-8")
    checkpoint = start_checkpoint(MUSEUM, csv_source(path)).model_copy(update={"rows_done": 2})

    (page,) = harvest(csv_source(path, profile="generic"), checkpoint=checkpoint)

    assert page.records == []
    assert page.quarantined[0].reason == "row 4: id «a» already used by row 2; the first row is kept"


def test_checkpoint_beyond_the_end_of_a_changed_export_is_an_error(tmp_path: Path) -> None:
    source = csv_source(numbered_export(tmp_path, 2), profile="generic")
    checkpoint = start_checkpoint(MUSEUM, source).model_copy(update={"rows_done": 9})

    with pytest.raises(CsvExportError, match="changed since"):
        harvest(source, checkpoint=checkpoint)


def test_checkpoint_of_another_museum_is_refused(tmp_path: Path) -> None:
    source = csv_source(numbered_export(tmp_path, 2), profile="generic")
    with pytest.raises(CsvExportError, match="checkpoint belongs to other"):
        harvest(source, checkpoint=Checkpoint(museum_id="other", source_type="csv", full=True))


def test_start_checkpoint_is_a_full_csv_listing_from_row_zero(tmp_path: Path) -> None:
    checkpoint = start_checkpoint(MUSEUM, csv_source(tmp_path / "x.csv"))
    assert (checkpoint.museum_id, checkpoint.source_type, checkpoint.full) == (MUSEUM, "csv", True)
    assert checkpoint.rows_done == 0


def test_harvested_rows_map_to_core_records(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(ru_export().encode("kz1048"))

    pages = harvest(csv_source(path))
    records = [map_csv_row(raw).record for page in pages for raw in page.records]

    assert [r.title("ru") for r in records] == ["Кебеже", "Домбра", "Камча"]
    assert records[2].title("kk") == "Қамшы"
    assert [t.label() for t in records[0].materials] == ["дерево", "металл"]


# --------------------------------------------------------------------------- HTTP


class _Server:
    """A stdlib HTTP server on 127.0.0.1 answering from a list of (status, body) replies."""

    def __init__(self, replies: list[tuple[int, bytes]]) -> None:
        self.replies = replies
        self.requests = 0
        server = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:  # noqa: N802 (stdlib name)
                index = min(server.requests, len(server.replies) - 1)
                server.requests += 1
                status, body = server.replies[index]
                self.send_response(status)
                self.send_header("Content-Type", "text/csv")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = LoopbackServer(Handler)

    @property
    def url(self) -> str:
        return f"{self.httpd.base_url}/export.csv"

    def __enter__(self) -> _Server:
        self.httpd.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.stop()


@pytest.fixture
def serve(
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Callable[[list[tuple[int, bytes]]], _Server]]:
    monkeypatch.setattr(csv_export, "RETRY", RetryPolicy(max_retries=2, base_delay=0.0))
    servers: list[_Server] = []

    def start(replies: list[tuple[int, bytes]]) -> _Server:
        server = _Server(replies).__enter__()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.__exit__()


def test_http_export_is_downloaded_and_read(serve: Callable[..., _Server]) -> None:
    server = serve([(200, russian_only(ru_export()).encode("cp1251"))])

    pages = harvest(csv_source(server.url, timeout=5))

    assert local_ids(pages) == ["КП-1234/56", "КП-1235", "КП-1236"]
    assert server.requests == 1


def test_http_server_errors_are_retried_a_bounded_number_of_times(
    serve: Callable[..., _Server],
) -> None:
    server = serve([(503, b"busy"), (200, b"id,title\na,b\n")])

    pages = harvest(csv_source(server.url, profile="generic", timeout=5))

    assert local_ids(pages) == ["a"] and server.requests == 2


def test_http_server_that_keeps_failing_gives_an_error_naming_museum_and_url(
    serve: Callable[..., _Server],
) -> None:
    server = serve([(500, b"broken")])

    with pytest.raises(CsvExportError) as caught:
        harvest(csv_source(server.url, timeout=5))

    assert server.requests == csv_export.MAX_ATTEMPTS
    assert MUSEUM in str(caught.value) and server.url in str(caught.value)
    assert "HTTP 500" in str(caught.value)


def test_http_not_found_is_reported_without_retrying(serve: Callable[..., _Server]) -> None:
    server = serve([(404, b"no")])

    with pytest.raises(CsvExportError, match="HTTP 404"):
        harvest(csv_source(server.url, timeout=5))

    assert server.requests == 1


def test_unreachable_http_source_is_an_error_after_retries(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(csv_export, "RETRY", RetryPolicy(max_retries=2, base_delay=0.0))
    with _Server([(200, b"")]) as server:
        url = server.url
    # The server is closed now: the port refuses connections.
    with pytest.raises(CsvExportError, match="connection refused"):
        harvest(csv_source(url, timeout=5))
