"""The union index on Elasticsearch 8/9 (the official elasticsearch-py client).

Same contract and same request bodies as the OpenSearch adapter; only the
client calls and the exception translation differ.  The client refuses any
server that does not say it is Elasticsearch (product check), so this adapter
cannot be pointed at an OpenSearch node: use ``opensearch+http://`` for that.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from elastic_transport import TransportError as ElasticTransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError, UnsupportedProductError

from aggregator.index.engines.base import EngineIndex
from aggregator.index.engines.url import EngineLocation
from aggregator.index.errors import IndexUnavailable
from harvester.http import parse_retry_after

__all__ = ["ElasticsearchIndex"]


def _reason(exc: ApiError) -> str:
    body = exc.body
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            return f"{error.get('type', '')}: {error.get('reason', '')}".strip(": ")
        if error:
            return str(error)
    # The client makes its message of the body, so an answer without one (413) reads "None".
    return "" if body is None or body == "" else str(exc.message)


def _body(response: Any) -> dict[str, Any]:
    return response.body if hasattr(response, "body") else dict(response)


class ElasticsearchIndex(EngineIndex):
    engine = "elasticsearch"

    def __init__(self, location: EngineLocation, **options: Any) -> None:
        super().__init__(location, **options)
        auth = (location.username, location.password or "") if location.username else None
        self.client = Elasticsearch(
            hosts=[location.base_url],
            basic_auth=auth,
            request_timeout=location.timeout,
            max_retries=0,
            retry_on_timeout=False,
            retry_on_status=(),
        )

    @contextmanager
    def _translated(self, what: str) -> Iterator[None]:
        """elasticsearch-py / elastic-transport exceptions -> IndexUnavailable."""
        try:
            yield
        except UnsupportedProductError as exc:
            raise IndexUnavailable(
                f"{self.describe()}: {what} failed: the server is not Elasticsearch "
                "(for OpenSearch use an opensearch+http:// index URL)"
            ) from exc
        except ApiError as exc:
            status = exc.meta.status if exc.meta is not None else None
            transient = status is None or status == 429 or status >= 500
            wait = parse_retry_after(exc.meta.headers.get("retry-after")) if exc.meta is not None else None
            raise IndexUnavailable(
                f"{self.describe()}: {what} failed with HTTP {status}: {_reason(exc)}",
                status=status,
                transient=transient,
                reason=_reason(exc),
                retry_after=wait,
            ) from exc
        except ElasticTransportError as exc:  # connection refused/reset, timeouts, TLS
            raise IndexUnavailable(
                f"{self.describe()}: {what} failed, engine unreachable ({exc.message})",
                transient=True,
            ) from exc

    def _bulk(self, body: bytes) -> dict[str, Any]:
        with self._translated("bulk write"):
            # Typed as a list of dicts, but the client's NDJSON serializer sends bytes as they are.
            return _body(self.client.bulk(operations=body))  # type: ignore[arg-type]

    def _search(self, index: str, body: dict[str, Any], *, cache: bool = False) -> dict[str, Any]:
        with self._translated("search"):
            return _body(self.client.search(index=index, body=body, request_cache=True if cache else None))

    def _count(self, index: str) -> int:
        with self._translated("count"):
            return int(_body(self.client.count(index=index))["count"])

    def _refresh(self, index: str) -> None:
        with self._translated(f"refresh of {index}"):
            self.client.indices.refresh(index=index)

    def _create_index(self, name: str, body: dict[str, Any]) -> None:
        with self._translated(f"creating index {name}"):
            self.client.indices.create(index=name, body=body)

    def _alias_targets(self, alias: str) -> list[str]:
        with self._translated(f"reading alias {alias}"):
            try:
                return sorted(_body(self.client.indices.get_alias(name=alias)))
            except NotFoundError:
                return []

    def _update_aliases(self, actions: list[dict[str, Any]]) -> None:
        with self._translated("alias swap"):
            self.client.indices.update_aliases(actions=actions)

    def _put_settings(self, index: str, settings: dict[str, Any]) -> None:
        with self._translated(f"settings of {index}"):
            self.client.indices.put_settings(index=index, settings=settings)

    def _delete_indices(self, names: list[str]) -> None:
        with self._translated(f"deleting {', '.join(names)}"):
            self.client.indices.delete(index=names)

    def _matching_indices(self, pattern: str) -> list[str]:
        with self._translated(f"listing {pattern}"):
            try:
                return sorted(_body(self.client.indices.get(index=pattern)))
            except NotFoundError:
                return []

    def _has_analyzer(self, name: str) -> bool:
        with self._translated(f"asking for analyzer {name}"):
            try:
                self.client.indices.analyze(body={"analyzer": name, "text": "проба"})
            except ApiError as exc:
                if exc.meta is not None and exc.meta.status == 400:  # "failed to find global analyzer"
                    return False
                raise
        return True

    def close(self) -> None:
        self.client.close()
