"""HTTP for harvesting: bounded retries that a museum's small server can live with.

The Python OAI-PMH clients retry only HTTP 503 and read ``Retry-After`` with
``int()``; none retries timeouts or dropped connections (FACTS §8, §9.13-14).
Museum servers in Kazakhstan sit behind slow links and restart at night, so a
harvest must ride out a few failures, but it must also end: a dead endpoint
has to fail within a bounded time with a message that names the URL and what
happened, and a 403/404 must fail at once instead of hammering the server.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar

import requests

from harvester.errors import SourceUnavailable

__all__ = [
    "HttpFetcher",
    "RetryPolicy",
    "TransientFailure",
    "backoff_delay",
    "parse_retry_after",
]

T = TypeVar("T")

log = logging.getLogger("emuseum.harvest")

_RETRY_STATUSES = {429, 503}


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard to try: ``max_retries`` repeats after the first attempt."""

    max_retries: int = 5
    base_delay: float = 1.0  # first backoff wait; doubles per attempt
    max_delay: float = 60.0  # cap for our own backoff
    max_retry_after: float = 600.0  # cap for a server's Retry-After, so a typo cannot stall a run


class TransientFailure(Exception):
    """A failure worth repeating the same request for (503, timeout, truncated body, ...)."""

    def __init__(self, what: str, retry_after: float | None = None) -> None:
        self.what = what
        self.retry_after = retry_after
        super().__init__(what)


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
    return min(policy.max_delay, policy.base_delay * 2 ** (attempt - 1))


class HttpFetcher:
    """GETs with the museum's User-Agent and timeout, and retries around any attempt."""

    def __init__(
        self,
        museum_id: str,
        *,
        session: requests.Session | None = None,
        timeout: float = 30.0,
        user_agent: str | None = None,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.museum_id = museum_id
        self.session = session or requests.Session()
        self.timeout = timeout
        self.user_agent = user_agent
        self.policy = policy or RetryPolicy()
        self.sleep = sleep

    def describe(self, url: str, params: Mapping[str, str] | None = None) -> str:
        """The full request URL, for messages a person can paste into a browser."""
        prepared = requests.Request("GET", url, params=dict(params or {})).prepare()
        return prepared.url or url

    def get_once(
        self,
        url: str,
        params: Mapping[str, str] | None = None,
        *,
        accept: Callable[[requests.Response], bool] | None = None,
    ) -> requests.Response:
        """One GET, classified: a usable response, a TransientFailure, or SourceUnavailable.

        ``accept`` lets the caller take a non-2xx response it can still read
        (an OAI-PMH ``<error>`` document sent with HTTP 400, for instance).
        """
        headers = {"User-Agent": self.user_agent} if self.user_agent else {}
        try:
            response = self.session.get(
                url, params=dict(params or {}), headers=headers, timeout=self.timeout
            )
        except requests.Timeout as exc:
            raise TransientFailure(f"no answer within {self.timeout:g} s ({exc})") from exc
        except (
            requests.ConnectionError,
            requests.exceptions.ChunkedEncodingError,
            requests.exceptions.ContentDecodingError,
        ) as exc:
            raise TransientFailure(f"connection failed: {exc}") from exc
        except requests.RequestException as exc:
            raise SourceUnavailable(
                self.museum_id, f"{self.describe(url, params)}: request impossible: {exc}"
            ) from exc
        status = response.status_code
        if 200 <= status < 300:
            return response
        if accept is not None and accept(response):
            return response
        if status in _RETRY_STATUSES or status >= 500:
            wait = parse_retry_after(response.headers.get("Retry-After"))
            raise TransientFailure(f"HTTP {status} {response.reason}", retry_after=wait)
        hint = {
            403: "the server refuses us; ask the museum to allow this harvester",
            404: "no such address; check the base URL in museums.yaml",
        }.get(status, "the server rejected the request")
        raise SourceUnavailable(
            self.museum_id, f"{self.describe(url, params)} answered HTTP {status}: {hint}"
        )

    def with_retries(self, what: str, attempt: Callable[[], T]) -> T:
        """Run ``attempt`` until it stops raising TransientFailure, at most 1 + max_retries times.

        The same request is repeated each time (same resumption token), which
        OAI-PMH allows because re-issuing a token must give the same page.
        """
        tries = self.policy.max_retries + 1
        for number in range(1, tries + 1):
            try:
                return attempt()
            except TransientFailure as failure:
                if number == tries:
                    raise SourceUnavailable(
                        self.museum_id,
                        f"{what}: gave up after {tries} attempts; last: {failure.what}",
                    ) from failure
                wait = backoff_delay(number, self.policy)
                if failure.retry_after is not None:
                    wait = min(failure.retry_after, self.policy.max_retry_after)
                log.warning(
                    "event=retry museum=%s attempt=%d/%d wait=%.1fs reason=%r request=%s",
                    self.museum_id,
                    number,
                    tries,
                    wait,
                    failure.what,
                    what,
                )
                self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover
