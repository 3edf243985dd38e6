"""An OAI-PMH repository as a FastAPI route: GET and form POST at one path, as the protocol allows both."""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from aggregator.oai_pmh.repository import MAX_POST_BYTES, OaiRepository

__all__ = ["oai_router"]


def oai_router(
    repository: OaiRepository, *, path: str = "/oai", description: str = "", base_url: str | None = None
) -> APIRouter:
    """The repository at ``path``; ``description`` is what the OpenAPI page says about it.

    ``base_url`` is the address Identify gives (behind a proxy); default: the address asked.
    """
    router = APIRouter(tags=["OAI-PMH"])

    def answer(params: list[tuple[str, str]], request: Request) -> Response:
        base = base_url or str(request.url.replace(query=""))
        body = repository.respond(params, base)
        return Response(body, media_type="text/xml; charset=utf-8")

    @router.get(
        path,
        summary="OAI-PMH 2.0 data provider",
        description=description,
        response_class=Response,
        responses={200: {"content": {"text/xml": {}}}},
    )
    def oai_get(request: Request) -> Response:
        return answer(list(request.query_params.multi_items()), request)

    @router.post(path, include_in_schema=False)
    async def oai_post(request: Request) -> Response:
        raw = b""
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > MAX_POST_BYTES:  # an OAI-PMH request is a few hundred bytes
                return Response(status_code=413, content=b"request body too large", media_type="text/plain")
        body = raw.decode("utf-8", errors="replace")
        params = parse_qsl(body, keep_blank_values=True)
        return await run_in_threadpool(answer, params, request)

    return router
