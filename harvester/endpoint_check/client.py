"""The endpoint check's requests: the harvester's bounded transport, each exchange kept as evidence.

Every request goes through ``HttpFetcher`` under the given ``SourcePolicy``
(allowed addresses checked at connect time, redirects included; the
response cap after decompression; one deadline for the whole check), so a
check can never reach further, wait longer or read more than a harvest may.
Unlike a harvest, a check retries a failed request only once: the point is
to see the endpoint as it is, not to ride out its troubles.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import requests

from config.source_policy import SourcePolicy
from harvester.errors import HarvestError
from harvester.http import HttpFetcher, RetryPolicy, TransientFailure
from harvester.limits import Deadline
from harvester.oai import is_oai_error_document
from harvester.oai_document import Document, read_document

__all__ = ["CHECK_MUSEUM", "CheckClient", "Exchange"]

#: The name requests are logged under (a check belongs to no museum yet).
CHECK_MUSEUM = "endpoint-check"
USER_AGENT = "emuseum-endpoint-check/0.1 (+national museum catalogue of Kazakhstan)"


@dataclass(slots=True)
class Exchange:
    """One request and what came of it: a parsed document, or why there is none."""

    request: str  # the full URL, for a person to paste into a browser
    params: dict[str, str]
    seconds: float
    content: bytes = b""
    document: Document | None = None
    failure: str | None = None  # the answer could not be had, or is not OAI-PMH
    reached: bool = True  # False: no answer at all (refused, unreachable, out of time)

    def errors(self) -> list[tuple[str, str]]:
        return self.document.errors() if self.document is not None else []

    def error_codes(self) -> list[str]:
        return [code for code, _ in self.errors()]


class CheckClient:
    """Sends OAI-PMH requests to one base URL and keeps every exchange."""

    def __init__(
        self,
        url: str,
        *,
        policy: SourcePolicy,
        deadline: Deadline,
        session: requests.Session | None = None,
        timeout: float = 30.0,
        max_response_bytes: int | None = None,
    ) -> None:
        self.url = url
        self.deadline = deadline
        self._fetcher = HttpFetcher(
            CHECK_MUSEUM,
            session=session,
            timeout=timeout,
            user_agent=USER_AGENT,
            policy=RetryPolicy(max_retries=1, base_delay=0.5, max_delay=2.0, max_retry_after=5.0),
            source_policy=policy,
            max_response_bytes=max_response_bytes or policy.max_response_bytes,
            deadline=deadline,
        )
        self.exchanges: list[Exchange] = []

    def describe(self, params: dict[str, str]) -> str:
        return self._fetcher.describe(self.url, params)

    def get(self, **params: str) -> Exchange:
        what = self.describe(params)
        started = time.monotonic()
        exchange = Exchange(what, dict(params), 0.0)
        try:
            response = self._fetcher.with_retries(
                what, lambda: self._fetcher.get_once(self.url, params, accept=is_oai_error_document)
            )
            exchange.content = response.content
        except HarvestError as exc:
            exchange.failure, exchange.reached = exc.message, False
        if exchange.reached:
            try:
                exchange.document = read_document(exchange.content)
            except TransientFailure as exc:
                exchange.failure = exc.what
        exchange.seconds = time.monotonic() - started
        self.exchanges.append(exchange)
        return exchange

    def out_of_time(self) -> bool:
        return self.deadline.expired()
