"""The union index on OpenSearch (opensearch-py 3.x, whose API methods take keywords only).

A thin adapter: request bodies come from ``engines.dsl``, batching, retries and the
alias swap from ``engines.base.EngineIndex``.  What is OpenSearch-specific is only
how a call is made and how opensearch-py's exceptions become IndexUnavailable.
The client's own retries are switched off so one policy (ours) applies.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from opensearchpy import OpenSearch
from opensearchpy.exceptions import (
    ConnectionError as OpenSearchConnectionError,
)
from opensearchpy.exceptions import OpenSearchException, TransportError

from aggregator.index.engines.base import EngineIndex
from aggregator.index.engines.url import EngineLocation
from aggregator.index.errors import IndexUnavailable

__all__ = ["OpenSearchIndex"]


def _reason(exc: TransportError) -> str:
    info = exc.info
    if isinstance(info, dict):
        error = info.get("error")
        if isinstance(error, dict):
            return f"{error.get('type', exc.error)}: {error.get('reason', '')}".strip()
        if error:
            return str(error)
    return str(exc.error or "")


class OpenSearchIndex(EngineIndex):
    engine = "opensearch"

    def __init__(self, location: EngineLocation, **options: Any) -> None:
        super().__init__(location, **options)
        auth = (location.username, location.password or "") if location.username else None
        self.client = OpenSearch(
            hosts=[location.base_url],
            http_auth=auth,
            timeout=location.timeout,
            max_retries=0,
            retry_on_timeout=False,
            # urllib3 keeps one connection by default; the web app searches from many threads.
            pool_maxsize=16,
        )

    @contextmanager
    def _translated(self, what: str) -> Iterator[None]:
        """opensearch-py exceptions -> IndexUnavailable naming engine, alias and operation."""
        try:
            yield
        except OpenSearchConnectionError as exc:
            raise IndexUnavailable(
                f"{self.describe()}: {what} failed, engine unreachable ({exc.error or type(exc).__name__})",
                transient=True,
            ) from exc
        except TransportError as exc:
            status = exc.status_code if isinstance(exc.status_code, int) else None
            transient = status is None or status == 429 or status >= 500
            reason = _reason(exc)
            # No retry_after: opensearch-py drops the headers of an error answer before raising.
            raise IndexUnavailable(
                f"{self.describe()}: {what} failed with HTTP {status}: {reason or 'no reason given'}",
                status=status,
                transient=transient,
                reason=reason,
            ) from exc
        except OpenSearchException as exc:
            raise IndexUnavailable(f"{self.describe()}: {what} failed: {exc}") from exc

    def _bulk(self, body: bytes) -> dict[str, Any]:
        with self._translated("bulk write"):
            return dict(self.client.bulk(body=body))

    def _search(self, index: str, body: dict[str, Any], *, cache: bool = False) -> dict[str, Any]:
        with self._translated("search"):
            params = {"request_cache": "true"} if cache else None
            return dict(self.client.search(index=index, body=body, params=params))

    def _count(self, index: str) -> int:
        with self._translated("count"):
            return int(self.client.count(index=index)["count"])

    def _refresh(self, index: str) -> None:
        with self._translated(f"refresh of {index}"):
            self.client.indices.refresh(index=index)

    def _create_index(self, name: str, body: dict[str, Any]) -> None:
        with self._translated(f"creating index {name}"):
            self.client.indices.create(index=name, body=body)

    def _alias_targets(self, alias: str) -> list[str]:
        with self._translated(f"reading alias {alias}"):
            # ignore=404: a missing alias is an answer here, not a failure worth a client warning.
            answer = self.client.indices.get_alias(name=alias, params={"ignore": 404})
        if answer.get("status") == 404 and "error" in answer:
            return []
        return sorted(answer)

    def _update_aliases(self, actions: list[dict[str, Any]]) -> None:
        with self._translated("alias swap"):
            self.client.indices.update_aliases(body={"actions": actions})

    def _put_settings(self, index: str, settings: dict[str, Any]) -> None:
        with self._translated(f"settings of {index}"):
            self.client.indices.put_settings(index=index, body=settings)

    def _delete_indices(self, names: list[str]) -> None:
        with self._translated(f"deleting {', '.join(names)}"):
            self.client.indices.delete(index=",".join(names))

    def _matching_indices(self, pattern: str) -> list[str]:
        with self._translated(f"listing {pattern}"):
            answer = self.client.indices.get(index=pattern, params={"ignore": 404})
        if answer.get("status") == 404 and "error" in answer:
            return []
        return sorted(answer)

    def _has_analyzer(self, name: str) -> bool:
        with self._translated(f"asking for analyzer {name}"):
            try:
                self.client.indices.analyze(body={"analyzer": name, "text": "проба"})
            except TransportError as exc:
                if exc.status_code == 400:  # "failed to find global analyzer"
                    return False
                raise
        return True

    def close(self) -> None:
        self.client.close()
