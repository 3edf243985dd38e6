"""Fetching a museum's CSV export: over http(s), or from a local file under the policy's folder.

Both paths are bounded like OAI-PMH pages: the download goes through
``HttpFetcher`` (allowed addresses only, the response cap after
decompression, the run's deadline, bounded retries), and a file is read only
when it lies under ``EMUSEUM_FILE_SOURCES_DIR`` after symlinks and ``..`` are
resolved, is a regular file (not a FIFO or a device that never ends), and is
no larger than the cap.  Messages name the source and never its content.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from urllib.parse import urlsplit

import requests

from config.registry import CsvSource
from config.source_policy import SourcePolicy, format_bytes, local_path_of
from harvester.errors import CsvExportError, DeadlineExceeded, ForbiddenSource, ResponseTooLarge, SourceUnavailable
from harvester.http import HttpFetcher, RetryPolicy
from harvester.http_stats import HttpStats
from harvester.limits import Deadline

__all__ = ["TOO_LARGE_HINT", "fetch_export"]

TOO_LARGE_HINT = (
    "ask the museum to split the export, or raise max_response_bytes for this museum in the registry"
)
_CHUNK = 1024 * 1024


def fetch_export(
    museum_id: str,
    source: CsvSource,
    *,
    session: requests.Session | None,
    policy: SourcePolicy,
    deadline: Deadline,
    retry: RetryPolicy,
    user_agent: str,
    stats: HttpStats | None = None,
) -> bytes:
    """The export's bytes, or a HarvestError saying why not (CsvExportError, ForbiddenSource, ...)."""
    cap = policy.max_response_bytes_for(source)
    path = local_path_of(source.url)
    if path is None:
        fetcher = HttpFetcher(
            museum_id,
            session=session,
            timeout=source.timeout,
            user_agent=user_agent,
            policy=retry,
            source_policy=policy,
            max_response_bytes=cap,
            deadline=deadline,
            too_large_hint=TOO_LARGE_HINT,
            stats=stats,
        )
        return _fetch_http(museum_id, source, fetcher, close=session is None)
    if source.url.lower().startswith("file:") and urlsplit(source.url).netloc not in ("", "localhost"):
        raise CsvExportError(museum_id, f"{source.url}: only local file:// URLs can be read")
    problem = policy.file_problem(path)
    if problem:
        raise ForbiddenSource(museum_id, f"{source.url}: {problem}")
    return _read_file(museum_id, source.url, path.resolve(), cap, deadline)


def _read_file(museum_id: str, url: str, path: Path, cap: int, deadline: Deadline) -> bytes:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise CsvExportError(museum_id, f"{url}: cannot read the export file: {reason}") from None
    with os.fdopen(fd, "rb", buffering=0) as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise CsvExportError(museum_id, f"{url}: not a regular file; an export is a file")
        if info.st_size > cap:
            raise ResponseTooLarge(
                museum_id, f"{url}: the export is larger than {format_bytes(cap)}; {TOO_LARGE_HINT}"
            )
        parts: list[bytes] = []
        total = 0
        while True:
            if deadline.expired():
                raise DeadlineExceeded(museum_id, f"{url}: time limit reached while reading the export")
            try:
                chunk = file.read(_CHUNK)
            except OSError as exc:
                raise CsvExportError(museum_id, f"{url}: cannot read the export file: {exc.strerror}") from None
            if not chunk:
                return b"".join(parts)
            total += len(chunk)
            if total > cap:  # the file grew while being read
                raise ResponseTooLarge(
                    museum_id, f"{url}: the export is larger than {format_bytes(cap)}; {TOO_LARGE_HINT}"
                )
            parts.append(chunk)


def _fetch_http(museum_id: str, source: CsvSource, fetcher: HttpFetcher, *, close: bool) -> bytes:
    """Download with the harvester's bounded retries (5xx, 429, timeouts, dropped connections;
    Retry-After in seconds or as a date); a 4xx is reported at once."""
    try:
        return fetcher.with_retries(source.url, lambda: fetcher.get_once(source.url)).content
    except SourceUnavailable as exc:
        raise CsvExportError(museum_id, f"{exc.message}; check the export URL in the museum registry") from None
    finally:
        if close:
            fetcher.session.close()
