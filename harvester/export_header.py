"""The header row of a spreadsheet export (CSV or .xlsx), read the way a harvest reads it.

``emuseum profile suggest`` needs only the column names; they are decoded,
sniffed and unpacked by the same functions the harvest uses, so a profile
suggested from them fits what the harvest will see.
"""

from __future__ import annotations

import csv
import io

from harvester.csv_export import decode_export, sniff_delimiter
from harvester.xlsx_export import worksheet_rows

__all__ = ["export_headers"]


def export_headers(
    data: bytes, *, xlsx: bool, sheet: str | None = None, max_bytes: int = 64 * 1024 * 1024
) -> list[str]:
    """The first non-empty row's cells, stripped; [] for an empty export.

    Raises ``CsvExportError`` / ``ResponseTooLarge`` for a workbook that cannot be read.
    """
    if xlsx:
        rows = worksheet_rows("profile-suggest", "the workbook", data, sheet, max_bytes=max_bytes)
    else:
        text = decode_export(data).text
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    for row in rows:
        cells = [cell.replace("\ufeff", "").strip() for cell in row]
        if any(cells):
            return cells
    return []
