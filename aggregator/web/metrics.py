"""``/metrics`` for Prometheus, and the search latency the app observes for it.

The figures come from ``aggregator.ops.metrics``; this module only serves
them and times the two search endpoints (the API and the page).  It is open
like the public search: it holds counts, no records and no secrets.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from aggregator.catalogue import Catalogue
from aggregator.ops.metrics import CatalogueMetrics
from aggregator.ops.service import Operations

__all__ = ["install_metrics"]

_SEARCHES = {"/api/search": "api", "/": "page", "/search": "page"}


def install_metrics(app: FastAPI, catalogue: Catalogue) -> CatalogueMetrics:
    metrics = CatalogueMetrics(Operations(catalogue))
    router = APIRouter()

    @router.get("/metrics", include_in_schema=False)
    def scrape() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    @app.middleware("http")
    async def time_searches(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        endpoint = _SEARCHES.get(request.url.path)
        if endpoint is None or request.method != "GET":
            return await call_next(request)
        with metrics.timed_search(endpoint):
            return await call_next(request)

    app.include_router(router)
    app.state.metrics = metrics
    return metrics
