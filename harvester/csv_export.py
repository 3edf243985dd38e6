"""Reading a museum's CSV export into pages of raw records.

Museums without an OAI-PMH endpoint send a spreadsheet export, typically made
by Excel from a Russian-language accounting system: Windows-1251, ';' as the
delimiter, cells with line breaks.  Every row becomes a RawRecord whose
payload is the row itself as a JSON object ``{header: cell}`` in file column
order (UTF-8, ``ensure_ascii=False``); interpreting the cells is the job of
``mappings.csv_profiles``, so a better profile can be re-run on stored rows.

Row numbers in messages are spreadsheet row numbers (the header is row 1),
because that is what a museum sees when it opens the file to fix it.

Each export is a full listing: the last page says so, and the caller may
tombstone records that are no longer in it (behind the pipeline's circuit breaker).
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import requests

from config.registry import CsvSource
from config.source_policy import SourcePolicy
from harvester.checkpoint import Checkpoint
from harvester.csv_fetch import fetch_export
from harvester.errors import CsvExportError, DeadlineExceeded, excerpt
from harvester.http import RetryPolicy
from harvester.http_stats import HttpStats
from harvester.limits import Deadline, harvest_deadline
from harvester.page import Page, Quarantined
from harvester.raw import RawRecord, csv_header_key, csv_row_id
from harvester.xlsx_export import worksheet_rows

__all__ = [
    "CANDIDATE_DELIMITERS",
    "MAX_ATTEMPTS",
    "RETRY",
    "DecodedExport",
    "decode_export",
    "read_export",
    "sniff_delimiter",
    "start_checkpoint",
]

log = logging.getLogger(__name__)

#: Delimiters a sniffed export may use.
CANDIDATE_DELIMITERS = ",;\t|"
#: Seconds to wait before the 2nd, 3rd, ... HTTP attempt (connection errors and 5xx only).
#: Exports are one file: a few patient retries (2 s, then 4 s), a server's Retry-After up to a minute.
RETRY = RetryPolicy(max_retries=2, base_delay=2.0, max_delay=10.0, max_retry_after=60.0)
MAX_ATTEMPTS = RETRY.max_retries + 1
#: Longest Retry-After (seconds) a server may ask for before we give up waiting on it.
USER_AGENT = "emuseum-harvester/0.1 (+national museum catalogue of Kazakhstan)"

# Bytes where KZ-1048 (Windows Kazakh) differs from Windows-1251: in cp1251 they
# are Ukrainian/Belarusian/Serbian letters, in KZ-1048 the Kazakh ones (Ә Ғ Қ Ң Ө Ұ Ү Һ).
_KZ1048_ONLY = re.compile(rb"[\x8d\x8e\x9d\x9e\xa1\xa2\xa3\xa5\xaa\xaf\xb4\xba\xbc\xbd\xbe\xbf]")
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}


# --------------------------------------------------------------------------- checkpoint


def start_checkpoint(museum_id: str, source: CsvSource) -> Checkpoint:
    """A fresh checkpoint: CSV harvests are always full listings, starting at the first row."""
    return Checkpoint(museum_id=museum_id, source_type=source.type, full=True)


# --------------------------------------------------------------------------- decoding


@dataclass(frozen=True, slots=True)
class DecodedExport:
    text: str
    encoding: str  # the codec actually used
    notes: list[str] = field(default_factory=list)  # what had to be repaired


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_export(data: bytes, encoding: str = "auto") -> DecodedExport:
    """Bytes to text, detecting the encodings museums actually send when asked to.

    ``auto`` order: a BOM decides (UTF-8, or UTF-16 from Excel's "Unicode
    text"); else strict UTF-8; else UTF-8 that is broken in a few places
    (nearly all non-ASCII bytes form valid UTF-8: the few bad ones are replaced
    and noted); else Windows-1251, or KZ-1048 when bytes occur that are Kazakh
    letters in KZ-1048 but Ukrainian/Serbian ones in Windows-1251.  Plain
    heuristics instead of a statistical detector because only these few
    encodings occur and a detector's guess between Cyrillic code pages on
    short files is less reliable than these rules.

    Raises ``UnicodeDecodeError`` for bytes an explicit encoding cannot read,
    and ``LookupError`` for an unknown encoding name.
    """
    if encoding.lower() != "auto":
        codec = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
        return DecodedExport(data.decode(codec).removeprefix("\ufeff"), encoding)
    if data.startswith(b"\xef\xbb\xbf"):
        return DecodedExport(data[3:].decode("utf-8"), "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return DecodedExport(data.decode("utf-16"), "utf-16")
    try:
        return DecodedExport(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    high_bytes = len(_HIGH_BYTE.findall(data))
    utf8_bytes = sum(len(m) for m in _UTF8_SEQUENCE.findall(data))
    if utf8_bytes >= 0.95 * high_bytes:
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        return DecodedExport(
            text,
            "utf-8",
            [
                f"{bad} byte sequence(s) that are not valid UTF-8 replaced by U+FFFD "
                f"(first on line {_line_of(data, first_bad)})"
            ],
        )
    codec = "kz1048" if _KZ1048_ONLY.search(data) else "cp1251"
    text = data.decode(codec, errors="replace")
    bad = text.count("\ufffd")
    notes = [f"{bad} byte(s) undefined in {codec} replaced by U+FFFD"] if bad else []
    return DecodedExport(text, codec, notes)


# --------------------------------------------------------------------------- delimiter


def _count_outside_quotes(line: str, char: str) -> int:
    count = 0
    quoted = False
    for c in line:
        if c == '"':
            quoted = not quoted
        elif c == char and not quoted:
            count += 1
    return count


def sniff_delimiter(text: str) -> str:
    """The delimiter among ``,;\\t|``: csv.Sniffer's pick, checked against the header line.

    The Sniffer alone is fooled by exports whose cells are full of commas
    ("дерево, металл") while ';' separates them, so its pick is kept only when
    the header line (where delimiters are rarely part of a name) agrees that it
    is the most frequent candidate.
    """
    lines = text.splitlines()
    header = next((line for line in lines if line.strip()), "")
    counts = {d: _count_outside_quotes(header, d) for d in CANDIDATE_DELIMITERS}
    best = max(counts.values())
    try:
        sniffed = csv.Sniffer().sniff("\n".join(lines[:30]), delimiters=CANDIDATE_DELIMITERS)
        if counts.get(sniffed.delimiter) == best:
            return sniffed.delimiter
    except csv.Error:
        pass
    if best == 0:
        return ","
    return next(d for d in CANDIDATE_DELIMITERS if counts[d] == best)


# --------------------------------------------------------------------------- rows


@dataclass(frozen=True, slots=True)
class _Row:
    number: int  # spreadsheet row number (header is 1)
    cells: dict[str, str]


#: A header whose names are longer than this, or that has fewer than 2 columns or more
#: than _MAX_COLUMNS, is not shown in messages: the file is probably not a CSV export at all
#: (e.g. /etc/passwd), and an error message must not read a file out.
_MAX_NAME = 80
_MAX_COLUMNS = 500
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _looks_like_header(names: Sequence[str]) -> bool:
    return 2 <= len(names) <= _MAX_COLUMNS and all(
        len(n) <= _MAX_NAME and not _UNPRINTABLE.search(n) for n in names
    )


def _not_a_csv(url: str, names: Sequence[str]) -> str:
    return (
        f"{url}: its first line has {len(names)} column(s) and does not look like a CSV export's header "
        "(a row naming the columns, separated by , ; tab or |); check that the URL points at the export"
    )


def _headers(museum_id: str, url: str, raw: list[str]) -> list[str]:
    """Header names, naming nameless columns "column N" so their cells are never lost."""
    headers: list[str] = []
    first_seen: dict[str, int] = {}
    for position, name in enumerate(raw, start=1):
        name = name.replace("\ufeff", "").strip()
        if not name:
            name = f"column {position}"
        key = csv_header_key(name)
        if key in first_seen:
            if not _looks_like_header(raw):
                raise CsvExportError(museum_id, _not_a_csv(url, raw))
            raise CsvExportError(
                museum_id,
                f"{url}: header {excerpt(name, _MAX_NAME)} appears in columns {first_seen[key]} and {position}; "
                "give each column a distinct name",
            )
        first_seen[key] = position
        headers.append(name)
    return headers


def _csv_rows(museum_id: str, url: str, text: str, delimiter: str, notes: list[str]) -> tuple[list[str], list[_Row]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    return _rows(museum_id, url, reader, notes, lambda: reader.line_num)


def _rows(
    museum_id: str, url: str, reader: Iterator[list[str]], notes: list[str], line_num: Callable[[], int]
) -> tuple[list[str], list[_Row]]:
    """Header and rows from cells (a CSV reader, or a worksheet's rows); ``line_num`` is the reader's line."""
    rows: list[_Row] = []
    line_before = 0
    number = 0
    try:
        raw_header = next(reader, None)
        while raw_header is not None and not any(c.strip() for c in raw_header):
            raw_header = next(reader, None)  # leading blank lines
        if raw_header is None:
            raise CsvExportError(museum_id, f"{url}: the export is empty; a header row is needed")
        headers = _headers(museum_id, url, raw_header)
        nameless = [h for h, r in zip(headers, raw_header, strict=True) if not r.strip()]
        extra_seen: set[int] = set()
        number = 1
        line_before = line_num()
        for cells in reader:
            number += 1
            line_before = line_num()
            row = dict(zip(headers, cells, strict=False))
            for position in range(len(headers), len(cells)):
                if cells[position].strip():
                    row[f"column {position + 1}"] = cells[position]
                    extra_seen.add(position + 1)
            for missing in headers[len(cells) :]:
                row[missing] = ""
            rows.append(_Row(number, row))
    except csv.Error as exc:
        raise CsvExportError(
            museum_id,
            f"{url}: row {number + 1} (from line {line_before + 1}): cannot be read as CSV: {exc}; "
            "usually a quote that is opened and never closed",
        ) from None
    for name in nameless:
        if any(r.cells.get(name, "").strip() for r in rows):
            notes.append(f"{name} has no header; its cells are kept under «{name}»")
    if extra_seen:
        columns = ", ".join(str(c) for c in sorted(extra_seen))
        notes.append(f"cells beyond the header in column(s) {columns} kept as «column N»")
    return headers, rows


# --------------------------------------------------------------------------- pages


def _start(museum_id: str, source: CsvSource, checkpoint: Checkpoint | None) -> Checkpoint:
    if checkpoint is None:
        return start_checkpoint(museum_id, source)
    if checkpoint.museum_id != museum_id or checkpoint.source_type != source.type:
        raise CsvExportError(
            museum_id,
            f"checkpoint belongs to {checkpoint.museum_id} ({checkpoint.source_type}), "
            f"not to this museum's {source.type} export; start a new harvest",
        )
    return checkpoint


def _id_columns_text(columns: Sequence[str]) -> str:
    names = ", ".join(f"«{c}»" for c in columns)
    return f"id column {names}" if len(columns) == 1 else f"id columns {names}"


def read_export(
    museum_id: str,
    source: CsvSource,
    *,
    id_columns: Sequence[str],
    checkpoint: Checkpoint | None = None,
    page_size: int = 500,
    session: requests.Session | None = None,
    policy: SourcePolicy | None = None,
    deadline: float | Deadline | None = None,
    stats: HttpStats | None = None,
) -> Iterator[Page]:
    """Pages of raw records from one museum's CSV export; the last page closes the listing.

    Rows without an id and rows repeating an earlier id are quarantined with
    their row number, never dropped.  A resumed harvest (``checkpoint`` with
    ``rows_done``) skips the committed rows but still reads their ids, so a
    duplicate is recognised across the resume point.  The whole export is read
    into memory first: the encoding and delimiter must be known before the
    first row, and museum exports are at most tens of megabytes.

    ``id_columns`` are the profile's id columns, tried in order: the first with
    a value names the row (the mapping's profile knows them; the reader only
    needs them to name rows).  ``stats`` counts the download's HTTP traffic.
    """
    if page_size < 1:
        raise ValueError(f"page_size must be at least 1, not {page_size}")
    if not id_columns:
        raise ValueError("id_columns must name at least one column")
    state = _start(museum_id, source, checkpoint)
    policy = policy if policy is not None else SourcePolicy.from_env()
    limit = Deadline.of(deadline, harvest_deadline(source, policy))
    data = fetch_export(
        museum_id,
        source,
        session=session,
        policy=policy,
        deadline=limit,
        retry=RETRY,
        user_agent=USER_AGENT,
        stats=stats,
    )
    notes: list[str] = []
    delimiter = ""
    if source.type == "xlsx":
        cap = policy.max_response_bytes_for(source)
        cells = worksheet_rows(museum_id, source.url, data, source.sheet, max_bytes=cap, deadline=limit)
        headers, rows = _rows(museum_id, source.url, cells, notes, lambda: 0)
    else:
        text, delimiter = _decoded(museum_id, source, data, notes)
        headers, rows = _csv_rows(museum_id, source.url, text, delimiter, notes)
    present = {csv_header_key(h) for h in headers}
    id_columns = [c for c in id_columns if csv_header_key(c) in present] or list(id_columns)
    if not any(csv_header_key(c) in present for c in id_columns):
        if not _looks_like_header(headers):
            raise CsvExportError(museum_id, _not_a_csv(source.url, headers))
        found = ", ".join(excerpt(h, _MAX_NAME) for h in headers[:40])
        more = f" and {len(headers) - 40} more" if len(headers) > 40 else ""
        raise CsvExportError(
            museum_id,
            f"{source.url}: no {_id_columns_text(id_columns)} in the header (profile "
            f"{source.profile}{f', delimiter {delimiter!r}' if delimiter else ''}); the header has {found}{more}",
        )
    if state.rows_done > len(rows):
        raise CsvExportError(
            museum_id,
            f"{source.url}: the checkpoint says {state.rows_done} rows were done but the export "
            f"has {len(rows)}; it changed since, so start the harvest again without the checkpoint",
        )
    yield from _pages(museum_id, source, id_columns, rows, state, page_size, notes, limit)


def _decoded(museum_id: str, source: CsvSource, data: bytes, notes: list[str]) -> tuple[str, str]:
    """The export's text and delimiter (encoding detected or as the registry says; delimiter sniffed or given)."""
    try:
        decoded = decode_export(data, source.encoding)
    except LookupError:
        raise CsvExportError(museum_id, f"{source.url}: unknown encoding {source.encoding!r} in the registry") from None
    except UnicodeDecodeError as exc:
        raise CsvExportError(
            museum_id,
            f"{source.url}: not {source.encoding}: undecodable byte(s) on line "
            f"{_line_of(data, exc.start)}; set encoding: auto or the right encoding",
        ) from None
    notes.extend(decoded.notes)
    if source.encoding.lower() == "auto":
        log.info("csv encoding", extra={"museum": museum_id, "encoding": decoded.encoding})
    delimiter = source.delimiter
    delimiter = _DELIMITER_NAMES.get(delimiter, delimiter) if delimiter else None
    return decoded.text, delimiter or sniff_delimiter(decoded.text)


def _pages(
    museum_id: str,
    source: CsvSource,
    id_columns: list[str],
    rows: list[_Row],
    state: Checkpoint,
    page_size: int,
    notes: list[str],
    deadline: Deadline,
) -> Iterator[Page]:
    record_format = f"csv:{source.profile}"
    harvested_at = datetime.now(UTC)
    first_row_of_id: dict[str, int] = {}
    for row in rows[: state.rows_done]:
        local_id = csv_row_id(row.cells, id_columns)
        if local_id is not None:
            first_row_of_id.setdefault(local_id, row.number)

    records: list[RawRecord] = []
    quarantined: list[Quarantined] = []
    repaired = notes
    rows_done = state.rows_done
    records_done = state.records_done
    pages_done = state.pages_done
    pending = rows[state.rows_done :]
    for index, row in enumerate(pending):
        rows_done += 1
        if any(cell.strip() for cell in row.cells.values()):
            payload = json.dumps(row.cells, ensure_ascii=False).encode("utf-8")
            local_id = csv_row_id(row.cells, id_columns)
            if local_id is None:
                reason = f"row {row.number}: no value in {_id_columns_text(id_columns)}"
                quarantined.append(Quarantined(museum_id, None, reason, payload))
            elif local_id in first_row_of_id:
                reason = (
                    f"row {row.number}: id «{local_id}» already used by row "
                    f"{first_row_of_id[local_id]}; the first row is kept"
                )
                quarantined.append(Quarantined(museum_id, local_id, reason, payload))
            else:
                first_row_of_id[local_id] = row.number
                records.append(
                    RawRecord(
                        museum_id=museum_id,
                        local_id=local_id,
                        format=record_format,
                        payload=payload,
                        harvested_at=harvested_at,
                    )
                )
        is_last = index == len(pending) - 1
        if len(records) + len(quarantined) >= page_size and not is_last:
            records_done += len(records)
            pages_done += 1
            yield Page(
                records=records,
                checkpoint=state.model_copy(
                    update={
                        "rows_done": rows_done,
                        "records_done": records_done,
                        "pages_done": pages_done,
                    }
                ),
                quarantined=quarantined,
                repaired=repaired,
            )
            records, quarantined, repaired = [], [], []
            if deadline.expired():
                raise DeadlineExceeded(
                    museum_id,
                    f"{source.url}: stopped {deadline.describe()} with {rows_done} rows done; "
                    "the next run resumes from the checkpoint after them",
                )
    records_done += len(records)
    yield Page(
        records=records,
        checkpoint=state.model_copy(
            update={
                "rows_done": rows_done,
                "records_done": records_done,
                "pages_done": pages_done + 1,
            }
        ),
        quarantined=quarantined,
        repaired=repaired,
        last=True,
        complete_listing=True,
    )
