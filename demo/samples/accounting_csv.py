"""Sample objects as rows of a Russian accounting book, written as a Windows Excel export would."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from demo.samples.objects import SampleObject

__all__ = ["ACCOUNTING_HEADERS", "to_accounting_row", "write_csv"]

ACCOUNTING_HEADERS: Final[tuple[str, ...]] = (
    "Инв. №",
    "Наименование",
    "Наименование (каз.)",
    "Наименование (англ.)",
    "Тип предмета",
    "Коллекция",
    "Материал",
    "Техника",
    "Датировка",
    "Размеры",
    "Автор",
    "Место создания",
    "Описание",
    "Изображение",
    "3D-модель",
    "Права",
)


def to_accounting_row(obj: SampleObject) -> dict[str, str]:
    """A row of the 'ru-accounting' export: Russian values, Kazakh and English titles aside.

    Accounting books are kept in Russian, so type, materials, date and place
    are the Russian labels; an unknown maker is an empty cell, not a made-up
    «неизвестный мастер».
    """
    dating = obj.date_labels.get("ru", obj.date_display)
    place = obj.place_labels.get("ru", obj.place)
    creator = (obj.creator_labels or {}).get("ru", obj.creator or "")
    values = (
        obj.inventory_number,
        obj.titles.get("ru", ""),
        obj.titles.get("kk", ""),
        obj.titles.get("en", ""),
        obj.object_type.get("ru", ""),
        obj.collection.get("ru", ""),
        ", ".join(m["ru"] for m in obj.materials),
        "; ".join(t["ru"] for t in obj.techniques),
        dating,
        obj.dimensions,
        creator,
        place,
        obj.description.get("ru", ""),
        obj.image_url or "",
        obj.model_url or "",
        obj.rights,
    )
    return dict(zip(ACCOUNTING_HEADERS, values, strict=True))


#: What Windows-1251 exports do with characters the code page lacks: the
#: Kazakh letters fall back to their Russian look-alikes, «×» to Cyrillic «х».
_SINGLE_BYTE_FALLBACK: Final[dict[str, str]] = {
    "ә": "а", "Ә": "А", "ғ": "г", "Ғ": "Г", "қ": "к", "Қ": "К", "ң": "н", "Ң": "Н",
    "ө": "о", "Ө": "О", "ұ": "у", "Ұ": "У", "ү": "у", "Ү": "У", "һ": "х", "Һ": "Х",
    "і": "и", "І": "И", "×": "х",
}


def _fallback_table(encoding: str) -> dict[int, str]:
    table: dict[int, str] = {}
    for char, substitute in _SINGLE_BYTE_FALLBACK.items():
        try:
            char.encode(encoding)
        except UnicodeEncodeError:
            table[ord(char)] = substitute
    return table


def write_csv(
    path: Path,
    rows: Sequence[dict[str, str]],
    *,
    encoding: str = "cp1251",
    delimiter: str = ";",
) -> None:
    """Write rows the way an Excel export on a Russian-locale Windows would.

    Characters the encoding cannot hold are replaced as such exports do
    (Kazakh letters by Russian look-alikes, anything else by «?»), so the
    demo's CSV path meets the same losses real museum files have.  Headers
    are the first row's keys; an empty export still gets the accounting
    headers because real empty exports keep their header line.
    """
    headers = list(rows[0]) if rows else list(ACCOUNTING_HEADERS)
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(
        buffer, fieldnames=headers, delimiter=delimiter, lineterminator="\r\n", extrasaction="raise"
    )
    writer.writeheader()
    writer.writerows(rows)
    text = buffer.getvalue().translate(_fallback_table(encoding))
    path.write_bytes(text.encode(encoding, errors="replace"))
