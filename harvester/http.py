"""HTTP for harvesting: bounded retries, bounded time and bounded bytes.

The Python OAI-PMH clients retry only HTTP 503 and read ``Retry-After`` with
``int()``; none retries timeouts or dropped connections (FACTS §8, §9.13-14).
Museum servers in Kazakhstan sit behind slow links and restart at night, so a
harvest must ride out a few failures, but it must also end: a dead endpoint
has to fail within a bounded time with a message that names the URL and what
happened, and a 403/404 must fail at once instead of hammering the server.

A server may also be hostile or broken in ways no retry fixes, so every
request here is bounded three ways:

* **where**: connections go only to addresses the ``SourcePolicy`` allows,
  checked on the address actually connected to, redirects included
  (``harvester.net_guard``); a refusal is a ``ForbiddenSource``, at once;
* **how long**: one response must arrive in full within
  ``max_response_seconds`` (not per read: a server dripping a byte a second is
  cut off), and nothing (request, retry wait, Retry-After) runs past the
  museum's ``Deadline``, which ends in ``DeadlineExceeded``;
* **how much**: the body is streamed and counted after gzip/deflate
  decompression; past ``max_response_bytes`` the read stops and the request
  fails with ``ResponseTooLarge`` (never a MemoryError).  A harvest's peak
  memory is thereby bounded by a small multiple of the cap (see README).
"""

from __future__ import annotations

import errno
import http.client
import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions

from config.source_policy import SourcePolicy, format_bytes
from harvester.errors import DeadlineExceeded, ForbiddenSource, ResponseTooLarge, SourceUnavailable, excerpt
from harvester.http_body import ACCEPT_ENCODING, BodyTooLarge, BrokenEncoding, UnsupportedEncoding, read_limited
from harvester.http_stats import HttpStats
from harvester.limits import Deadline, format_seconds
from harvester.net_guard import AddressRefused, ResponseWatch, guard_session

__all__ = [
    "HttpFetcher",
    "RetryPolicy",
    "TransientFailure",
    "backoff_delay",
    "connection_problem",
    "parse_retry_after",
]

T = TypeVar("T")

log = logging.getLogger("emuseum.harvest")

_RETRY_STATUSES = {429, 503}
_REDIRECTS = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 5
#: What to do about a too-large OAI-PMH page; CSV downloads pass their own advice.
PAGE_TOO_LARGE_HINT = "ask the museum for smaller pages (fewer records per resumption token)"


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard to try: ``max_retries`` repeats after the first attempt."""

    max_retries: int = 5
    base_delay: float = 1.0  # first backoff wait; doubles per attempt
    max_delay: float = 60.0  # cap for our own backoff
    max_retry_after: float = 600.0  # cap for a server's Retry-After, so a typo cannot stall a run


class TransientFailure(Exception):
    """A failure worth repeating the same request for (503, timeout, truncated body, ...).

    ``unreachable``: no connection could be made at all (refused, no route,
    unknown host, connect timeout).  Those are retried only a few times: a
    server that is down at night stays down for the next minutes too.
    """

    def __init__(self, what: str, retry_after: float | None = None, *, unreachable: bool = False) -> None:
        self.what = what
        self.retry_after = retry_after
        self.unreachable = unreachable
        super().__init__(what)


_ERRNO_TEXT = re.compile(r"\[Errno (-?\d+)\] ([^\"')]+)")
_PLAIN_ERRNO = {
    errno.ECONNREFUSED: "connection refused",
    errno.EHOSTUNREACH: "no route to the host",
    errno.ENETUNREACH: "the network is unreachable",
    errno.ECONNRESET: "connection reset by the server",
}


def connection_problem(exc: BaseException) -> tuple[str, bool]:
    """Plain words for a failed connection (not urllib3's pool and class names), and whether none was made."""
    text = str(exc)
    if "NameResolutionError" in text or "Failed to resolve" in text or "does not resolve" in text:
        return "the host name does not resolve (DNS)", True
    unreachable = "NewConnectionError" in text or "Failed to establish a new connection" in text
    match = _ERRNO_TEXT.search(text)
    if match:
        number = int(match.group(1))
        return _PLAIN_ERRNO.get(number, match.group(2).strip().lower()), unreachable or number in _PLAIN_ERRNO
    if "RemoteDisconnected" in text or "Connection aborted" in text:
        return "the server closed the connection without answering", False
    if "IncompleteRead" in text or "ChunkedEncodingError" in text or "Connection broken" in text:
        return "the answer was cut off", False
    return excerpt(text, 160)[1:-1], unreachable


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP-date.

    Returns None for a missing or unreadable value so the caller falls back to
    its own backoff instead of crashing on a header it cannot read.
    """
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


def backoff_delay(attempt: int, policy: RetryPolicy) -> float:
    """Exponential backoff for retry number ``attempt`` (1-based), capped."""
    return float(min(policy.max_delay, policy.base_delay * 2 ** (attempt - 1)))


class HttpFetcher:
    """GETs with the museum's User-Agent and timeout, bounded as the module docstring says.

    ``policy`` is the retry policy (as before); ``source_policy`` the trust and
    size rules (default: the environment's); ``deadline`` the museum's run
    deadline (default: none).  A given ``session`` gets the guarded adapters
    mounted, so it cannot reach what the policy forbids either.
    """

    def __init__(
        self,
        museum_id: str,
        *,
        session: requests.Session | None = None,
        timeout: float = 30.0,
        user_agent: str | None = None,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        source_policy: SourcePolicy | None = None,
        max_response_bytes: int | None = None,
        deadline: Deadline | None = None,
        too_large_hint: str = PAGE_TOO_LARGE_HINT,
        stats: HttpStats | None = None,
    ) -> None:
        self.museum_id = museum_id
        self.stats = stats if stats is not None else HttpStats()
        self.source_policy = source_policy if source_policy is not None else SourcePolicy.from_env()
        self.session = guard_session(session or requests.Session(), self.source_policy)
        self.timeout = timeout
        self.user_agent = user_agent
        self.policy = policy or RetryPolicy()
        self.sleep = sleep
        self.max_response_bytes = max_response_bytes or self.source_policy.max_response_bytes
        self.deadline = deadline or Deadline(None)
        self.too_large_hint = too_large_hint
        # Connecting waits at most this long even when reading may take the source's whole timeout.
        self.connect_timeout = min(timeout, self.source_policy.connect_timeout)

    def describe(self, url: str, params: Mapping[str, str] | None = None) -> str:
        """The full request URL, for messages a person can paste into a browser."""
        prepared = requests.Request("GET", url, params=dict(params or {})).prepare()
        return prepared.url or url

    def check_deadline(self, what: str) -> None:
        if self.deadline.expired():
            raise DeadlineExceeded(self.museum_id, f"time limit reached before {what}")

    def get_once(
        self,
        url: str,
        params: Mapping[str, str] | None = None,
        *,
        accept: Callable[[requests.Response], bool] | None = None,
    ) -> requests.Response:
        """One GET, classified: a usable response (body read, within the caps), a TransientFailure,
        or a HarvestError (SourceUnavailable, ForbiddenSource, ResponseTooLarge, DeadlineExceeded).

        ``accept`` lets the caller take a non-2xx response it can still read
        (an OAI-PMH ``<error>`` document sent with HTTP 400, for instance).
        """
        what = self.describe(url, params)
        self.check_deadline(what)
        started = time.monotonic()
        try:
            response = self._get_once(url, params, what, accept)
        except BaseException:
            self.stats.error()
            raise
        self.stats.response((time.monotonic() - started) * 1000, len(response.content or b""))
        return response

    def _get_once(
        self,
        url: str,
        params: Mapping[str, str] | None,
        what: str,
        accept: Callable[[requests.Response], bool] | None,
    ) -> requests.Response:
        per_response = self.source_policy.max_response_seconds
        museum_left = self.deadline.remaining()
        with ResponseWatch(min(per_response, museum_left)) as watch:
            try:
                response = self._send(url, params, what)
                return self._classify(response, what, accept, watch)
            except AddressRefused as exc:
                raise ForbiddenSource(self.museum_id, f"{what}: refused before connecting: {exc}") from None
            except (
                requests.RequestException,
                urllib3.exceptions.HTTPError,
                http.client.HTTPException,
                OSError,
                TransientFailure,
            ) as exc:
                if watch.fired:
                    raise self._out_of_time(what, per_response, museum_left) from None
                if isinstance(exc, TransientFailure):
                    raise
                if isinstance(exc, requests.ConnectTimeout):
                    raise TransientFailure(
                        f"no connection within {self.connect_timeout:g} s (connect timeout)", unreachable=True
                    ) from exc
                if isinstance(exc, requests.Timeout | urllib3.exceptions.TimeoutError | TimeoutError):
                    raise TransientFailure(f"no answer within {self.timeout:g} s (read timeout)") from exc
                if isinstance(exc, requests.RequestException) and not isinstance(
                    exc,
                    requests.ConnectionError
                    | requests.exceptions.ChunkedEncodingError
                    | requests.exceptions.ContentDecodingError,
                ):
                    raise SourceUnavailable(self.museum_id, f"{what}: request impossible: {exc}") from exc
                problem, unreachable = connection_problem(exc)
                raise TransientFailure(problem, unreachable=unreachable) from exc

    def _out_of_time(self, what: str, per_response: float, museum_left: float) -> Exception:
        if museum_left <= per_response or self.deadline.expired():
            return DeadlineExceeded(self.museum_id, f"time limit reached while {what} was still arriving")
        return TransientFailure(
            f"the answer did not arrive in full within {format_seconds(per_response)} "
            "(EMUSEUM_MAX_SECONDS_PER_RESPONSE); the server sends too slowly"
        )

    def _send(self, url: str, params: Mapping[str, str] | None, what: str) -> requests.Response:
        """The GET, following up to MAX_REDIRECTS redirects by hand (their bodies are never read)."""
        headers = {"Accept-Encoding": ACCEPT_ENCODING}
        if self.user_agent:
            headers["User-Agent"] = self.user_agent
        current, query = url, dict(params or {})
        for _ in range(MAX_REDIRECTS + 1):
            response = self.session.get(
                current,
                params=query,
                headers=headers,
                timeout=(self.connect_timeout, self.timeout),
                stream=True,
                allow_redirects=False,
            )
            location = response.headers.get("Location") if response.status_code in _REDIRECTS else None
            if not location:
                return response
            response.close()
            current, query = urljoin(response.url or current, location), {}
            if urlsplit(current).scheme.lower() not in ("http", "https"):
                raise SourceUnavailable(
                    self.museum_id, f"{what} redirects to a {urlsplit(current).scheme or 'relative'} URL; only http(s)"
                )
        raise SourceUnavailable(self.museum_id, f"{what}: more than {MAX_REDIRECTS} redirects; check the URL")

    def _classify(
        self,
        response: requests.Response,
        what: str,
        accept: Callable[[requests.Response], bool] | None,
        watch: ResponseWatch,
    ) -> requests.Response:
        status = response.status_code
        if status in _RETRY_STATUSES or status >= 500:
            wait = parse_retry_after(response.headers.get("Retry-After"))
            response.close()
            reason = excerpt(response.reason, 60)[1:-1]  # the server's words: short and printable
            raise TransientFailure(f"HTTP {status} {reason}", retry_after=wait)
        self._read_body(response, what, watch)
        if 200 <= status < 300:
            return response
        if accept is not None and accept(response):
            return response
        hint = {
            403: "the server refuses us; ask the museum to allow this harvester",
            404: "no such address; check the base URL in museums.yaml",
        }.get(status, "the server rejected the request")
        raise SourceUnavailable(self.museum_id, f"{what} answered HTTP {status}: {hint}")

    def _read_body(self, response: requests.Response, what: str, watch: ResponseWatch) -> None:
        """Read the body into ``response.content``, inflated and capped; the connection is released."""
        cap = self.max_response_bytes
        raw = response.raw
        try:
            if raw is None or not hasattr(raw, "read"):  # a response built in memory (tests)
                content = response.content or b""
                if len(content) > cap:
                    raise BodyTooLarge
            else:
                content = read_limited(
                    raw,
                    response.headers.get("Content-Encoding"),
                    cap,
                    content_length=response.headers.get("Content-Length"),
                    between_chunks=lambda: self._stop_if_fired(watch),
                )
        except BodyTooLarge:
            response.close()
            raise ResponseTooLarge(
                self.museum_id,
                f"{what}: response larger than {format_bytes(cap)} after decompression; {self.too_large_hint}",
            ) from None
        except UnsupportedEncoding as exc:
            response.close()
            raise SourceUnavailable(
                self.museum_id,
                f"{what}: the answer is compressed as {excerpt(exc.coding, 40)}, which the harvester did not "
                f"ask for (it accepts {ACCEPT_ENCODING}); ask the museum to fix its server's compression",
            ) from None
        except BrokenEncoding as exc:
            response.close()
            raise TransientFailure(str(exc)) from None
        except BaseException:
            response.close()
            raise
        self._stop_if_fired(watch)
        response._content = content
        response._content_consumed = True  # type: ignore[attr-defined]  # requests' own flag, not in its stubs
        response.close()  # hands a fully read connection back to the pool

    @staticmethod
    def _stop_if_fired(watch: ResponseWatch) -> None:
        if watch.fired:
            raise TimeoutError("response deadline")

    def with_retries(self, what: str, attempt: Callable[[], T]) -> T:
        """Run ``attempt`` until it stops raising TransientFailure, at most 1 + max_retries times.

        The same request is repeated each time (same resumption token), which
        OAI-PMH allows because re-issuing a token must give the same page.
        No wait runs past the deadline: a retry that would start after it ends
        the harvest with DeadlineExceeded instead of sleeping.  Waiting is
        bounded twice more by the source policy: a server that cannot be
        reached at all gets ``max_connect_attempts`` attempts, and the waits
        of one run add up to at most ``max_retry_wait`` seconds.
        """
        tries = self.policy.max_retries + 1
        unreachable = 0
        started = time.monotonic()
        for number in range(1, tries + 1):
            self.check_deadline(what)
            try:
                return attempt()
            except TransientFailure as failure:
                unreachable = unreachable + 1 if failure.unreachable else 0
                if unreachable >= self.source_policy.max_connect_attempts:
                    raise SourceUnavailable(
                        self.museum_id,
                        f"{what}: unreachable ({failure.what}; {unreachable} attempts in "
                        f"{format_seconds(time.monotonic() - started)}); check that the museum's server is up and "
                        "reachable from the harvester, and its URL in museums.yaml",
                    ) from None
                if number == tries:
                    raise SourceUnavailable(
                        self.museum_id,
                        f"{what}: gave up after {tries} attempts; last: {failure.what}",
                    ) from failure
                wait = backoff_delay(number, self.policy)
                if failure.retry_after is not None:
                    wait = min(failure.retry_after, self.policy.max_retry_after)
                if wait >= self.deadline.remaining():
                    raise DeadlineExceeded(
                        self.museum_id,
                        f"{what}: {failure.what}; the next attempt (in {format_seconds(wait)}) "
                        "would start after the time limit",
                    ) from failure
                budget = self.source_policy.max_retry_wait
                if self.stats.waited + wait > budget:
                    raise SourceUnavailable(
                        self.museum_id,
                        f"{what}: gave up after {number} attempts; last: {failure.what}; this run has waited "
                        f"{format_seconds(self.stats.waited)} between attempts already (at most "
                        f"{format_seconds(budget)}, EMUSEUM_MAX_RETRY_WAIT_PER_MUSEUM)",
                    ) from None
                log.info(
                    "event=retry museum=%s attempt=%d/%d wait=%.1fs reason=%r request=%s",
                    self.museum_id,
                    number,
                    tries,
                    wait,
                    failure.what,
                    what,
                )
                self.stats.retry(wait)
                self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover
