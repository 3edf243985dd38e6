"""Reading an Excel workbook (.xlsx) export as rows of text cells, bounded.

Many museums keep their inventory in Excel and can send the workbook as it
is; it is read with openpyxl in read-only mode (rows streamed, never the
whole sheet in memory) and its cells become the same text a CSV export
would give, so the same profiles map it (``mappings.csv_profiles``).

A workbook is a zip archive, so it is bounded before openpyxl sees it: the
sum of its members' uncompressed sizes must stay under the response cap
(``EMUSEUM_MAX_RESPONSE_BYTES`` or the museum's ``max_response_bytes``), the
same cap a CSV export or an OAI-PMH page has after decompression; rows and
columns are capped, and the run's deadline is checked as rows stream.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from config.source_policy import format_bytes
from harvester.errors import CsvExportError, DeadlineExceeded, ResponseTooLarge, excerpt
from harvester.limits import Deadline

__all__ = ["MAX_COLUMNS", "MAX_ROWS", "cell_text", "worksheet_rows"]

MAX_ROWS = 1_000_000
MAX_COLUMNS = 500
_CHECK_EVERY = 1000


def cell_text(value: object) -> str:
    """A cell as the text a CSV export of it would hold (``1`` not ``1.0``, dates in ISO form)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0, 0) else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _check_archive(museum_id: str, url: str, data: bytes, max_bytes: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        raise CsvExportError(
            museum_id, f"{url}: not an Excel .xlsx workbook (not a zip archive); save it as .xlsx or export CSV"
        ) from None
    if inflated > max_bytes:
        raise ResponseTooLarge(
            museum_id,
            f"{url}: the workbook unpacks to {format_bytes(inflated)}, more than {format_bytes(max_bytes)}; "
            "split it, or raise max_response_bytes for this museum in the registry",
        )


def worksheet_rows(
    museum_id: str, url: str, data: bytes, sheet: str | None, *, max_bytes: int, deadline: Deadline | None = None
) -> Iterator[list[str]]:
    """The rows of ``sheet`` (default: the first) as lists of text, trailing empty cells dropped."""
    _check_archive(museum_id, url, data, max_bytes)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError, zipfile.BadZipFile) as exc:
        raise CsvExportError(
            museum_id, f"{url}: cannot be read as an .xlsx workbook ({excerpt(str(exc), 80)[1:-1]})"
        ) from None
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            names = ", ".join(excerpt(n, 40) for n in workbook.sheetnames[:20])
            raise CsvExportError(museum_id, f"{url}: no worksheet named {sheet!r}; the workbook has {names}")
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        for number, values in enumerate(worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), 1):
            if number > MAX_ROWS:
                raise CsvExportError(museum_id, f"{url}: more than {MAX_ROWS} rows; split the workbook")
            if deadline is not None and number % _CHECK_EVERY == 0 and deadline.expired():
                raise DeadlineExceeded(museum_id, f"{url}: time limit reached at row {number} of the workbook")
            cells = [cell_text(v) for v in values]
            while cells and not cells[-1].strip():
                cells.pop()
            yield cells
    finally:
        workbook.close()
