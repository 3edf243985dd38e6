"""The researchers' web API and the app that carries it, the search page and OAI-PMH out.

Read endpoints are public and answer bad input with a 4xx JSON error that
names the parameter and says what is accepted, never a 500: researchers
script against this API and need to know what to change.  The one endpoint
that changes state (starting a harvest) needs the operator's bearer token
and is switched off entirely (503) when no token is configured, so a fresh
install is never open to the world.
"""

from __future__ import annotations

import hmac
import logging
from importlib import metadata
from pathlib import Path
from typing import Any, Final

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPBearer
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException

from aggregator.catalogue import Catalogue
from aggregator.index.errors import IndexUnavailable
from aggregator.index.query import FACETS, MAX_PAGE_SIZE, SearchQuery
from aggregator.media.paths import iiif_manifest_path
from aggregator.media.service import MediaService, MediaSettings
from aggregator.ops.service import Operations
from aggregator.web.admin import create_admin_router
from aggregator.web.check_page import create_check_router
from aggregator.web.dumps_routes import create_dumps_router
from aggregator.web.exports import EXPORTS, NotAcceptable, UnknownFormat, choose_export, render_export
from aggregator.web.harvest_jobs import AlreadyRunning, HarvestJobs
from aggregator.web.i18n import DEFAULT_LANG, LANGUAGES
from aggregator.web.media_routes import create_media_router
from aggregator.web.metrics import install_metrics
from aggregator.web.oai_provider import create_oai_router
from aggregator.web.pages import create_pages_router, render_error_page
from aggregator.web.public_errors import public_run
from aggregator.web.results import object_path, result_json
from aggregator.web.search_request import ParamError, parse_search_params
from config.errors import ConfigError
from config.regions import region_label
from mappings.core import MediaKind
from mappings.report import MappingError

__all__ = ["ApiError", "create_app"]

log = logging.getLogger("emuseum.web.api")

STATIC_DIR: Final = Path(__file__).resolve().parent / "static"
_DESCRIPTION: Final = """
Search the union catalogue of Kazakhstan's museums and fetch single records as
core JSON, LIDO XML, Linked Art JSON-LD or Turtle.

* Text search folds Kazakh Cyrillic and Latin, Russian and English spellings.
* Filters are repeatable query parameters named after the facets
  (`region=KZ-75&material=wood`); values of one filter are alternatives, different
  filters must all match.
* Years are whole numbers, negative for BCE (`from=-500&to=-100`).
* Facet counts are exact unless `facets_approximate` is true: the embedded index
  estimates them from a sample when a search matches more than 20,000 records.
* Errors come back as `{"error": {"status", "code", "message", "parameter"}}`.

The same records are available for bulk harvesting over OAI-PMH at `/oai`,
and as whole-catalogue dumps (LIDO, Linked Art JSON Lines, N-Triples, CSV) at `/api/dumps`.
"""
_TAGS: Final = [
    {"name": "search", "description": "Full-text and faceted search over all museums."},
    {"name": "objects", "description": "One record in several formats (content negotiation)."},
    {"name": "museums", "description": "Participating museums, their record counts and harvests."},
    {"name": "harvest", "description": "Operator actions; need `Authorization: Bearer <token>`."},
    {"name": "dumps", "description": "The whole catalogue as nightly gzip dumps: LIDO, JSON Lines, N-Triples, CSV."},
    {"name": "OAI-PMH", "description": "OAI-PMH 2.0 data provider (lido, oai_dc; one set per museum)."},
]


def _version() -> str:
    try:
        return metadata.version("emuseum")
    except metadata.PackageNotFoundError:
        return "0.0.0"


class ApiError(Exception):
    """A request the API refuses; becomes the JSON error body with this status."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        parameter: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.parameter = parameter
        self.headers = headers


def _error_response(
    status: int, code: str, message: str, parameter: str | None = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    body: dict[str, Any] = {"status": status, "code": code, "message": message}
    if parameter is not None:
        body["parameter"] = parameter
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or "text/html" not in request.headers.get("accept", "")


def _search_parameters() -> list[dict[str, Any]]:
    """The search parameters for the OpenAPI description (they are parsed by search_request)."""

    def param(name: str, schema: dict[str, Any], description: str, *, repeat: bool = False) -> dict[str, Any]:
        if repeat:
            schema = {"type": "array", "items": schema}
        entry = {"name": name, "in": "query", "required": False, "schema": schema, "description": description}
        if repeat:
            entry.update({"style": "form", "explode": True})
        return entry

    params = [
        param("q", {"type": "string", "maxLength": 500}, "Free text in any script (kk, ru, en)."),
        param("facet", {"type": "string", "enum": list(FACETS)}, "Facets to count (repeatable).", repeat=True),
        param("from", {"type": "integer"}, "Earliest year (negative for BCE)."),
        param("to", {"type": "integer"}, "Latest year (negative for BCE)."),
        param("sort", {"type": "string", "enum": ["relevance", "title", "date", "-date"]}, "Order of hits."),
        param("page", {"type": "integer", "minimum": 1, "default": 1}, "Page number (1-based)."),
        param("size", {"type": "integer", "minimum": 0, "maximum": MAX_PAGE_SIZE, "default": 20}, "Hits per page."),
        param("lang", {"type": "string", "enum": list(LANGUAGES), "default": DEFAULT_LANG}, "Language of labels."),
    ]
    for facet in FACETS:
        schema: dict[str, Any] = {"type": "string"}
        if facet in ("has_image", "has_3d"):
            schema = {"type": "string", "enum": ["true", "false"]}
        concept = " (a concept id such as 'silver', or any of its labels in kk, ru or en)"
        hint = {
            "region": " (ISO 3166-2:KZ code, e.g. KZ-75)",
            "century": " (e.g. 19, or -5 for the 5th c. BCE)",
            "object_type": concept,
            "material": concept,
            "technique": concept,
        }
        params.append(param(facet, schema, f"Filter by {facet}{hint.get(facet, '')} (repeatable).", repeat=True))
    return params


def _museums_json(catalogue: Catalogue, jobs: HarvestJobs, lang: str) -> dict[str, Any]:
    registry = catalogue.settings.registry
    museums = []
    regions: dict[str, dict[str, Any]] = {}
    totals = {"museums": 0, "active": 0, "deleted": 0, "quarantined": 0}
    for status in catalogue.status():
        museum = registry.get(status.museum_id)
        job = jobs.latest(status.museum_id)
        museums.append(
            {
                "id": status.museum_id,
                "name": museum.display_name(lang) if museum else status.name,
                "names": dict(museum.name) if museum else {},
                "city": museum.city if museum else None,
                "region": status.region,
                "region_label": region_label(status.region, lang),
                "source": status.source,
                "enabled": museum.enabled if museum else True,
                "active": status.active,
                "deleted": status.deleted,
                "quarantined": status.quarantined,
                "last_run": public_run(
                    status.last_run,
                    database_url=catalogue.settings.database_url,
                    index_url=catalogue.settings.index_url,
                ),
                "api_harvest": job.to_json() if job else None,
            }
        )
        region = regions.setdefault(
            status.region,
            {"code": status.region, "label": region_label(status.region, lang)}
            | {"museums": 0, "active": 0, "deleted": 0},
        )
        region["museums"] += 1
        region["active"] += status.active
        region["deleted"] += status.deleted
        totals["museums"] += 1
        totals["active"] += status.active
        totals["deleted"] += status.deleted
        totals["quarantined"] += status.quarantined
    return {"museums": museums, "regions": sorted(regions.values(), key=lambda r: r["code"]), "totals": totals}


def _lang(request: Request) -> str:
    extra = [n for n in request.query_params if n != "lang"]
    if extra:
        raise ApiError(400, "unknown_parameter", f"unknown parameter {extra[0][:60]!r}; use lang", extra[0][:60])
    lang = request.query_params.get("lang") or DEFAULT_LANG
    if lang not in LANGUAGES:
        raise ApiError(400, "bad_parameter", f"parameter 'lang' must be one of {', '.join(LANGUAGES)}", "lang")
    return lang


def _api_router(catalogue: Catalogue, jobs: HarvestJobs) -> APIRouter:
    router = APIRouter(prefix="/api")
    bearer = HTTPBearer(auto_error=False, description="The operator token (EMUSEUM_API_TOKEN).")

    @router.get(
        "/search",
        tags=["search"],
        summary="Search the union catalogue",
        openapi_extra={"parameters": _search_parameters()},
    )
    def search(request: Request) -> dict[str, Any]:
        try:
            search_request = parse_search_params(request.query_params.multi_items())
        except ParamError as exc:
            raise ApiError(400, "bad_parameter", exc.message, exc.parameter) from None
        result = catalogue.search(search_request.query)
        return result_json(catalogue, search_request, result)

    @router.get(
        "/objects/{record_id:path}",
        tags=["objects"],
        summary="One record: core JSON, LIDO XML, Linked Art JSON-LD or Turtle",
        description=(
            "Choose the format with `format=json|lido|jsonld|turtle` or with the Accept header "
            "(`application/json`, `application/xml`, `application/ld+json`, `text/turtle`). "
            "The core JSON holds `production` (the making) and `events` (every other event: finds, "
            "excavations, acquisitions, ..., each typed by the LIDO event-type terminology), and "
            "`provenance`: each field path (`titles`, `events[0].actors`) with the source element "
            "paths, oai_dc elements or CSV columns its value came from; `source.mapping_version` "
            "names the mapping that read them."
        ),
        response_class=Response,
        responses={
            200: {"content": {e.media_type: {} for e in EXPORTS.values()}},
            404: {"description": "No record with this id."},
            406: {"description": "None of the accepted media types is offered."},
        },
    )
    def get_object(record_id: str, request: Request, format: str | None = None) -> Response:  # noqa: A002
        unknown = [n for n in request.query_params if n != "format"]
        if unknown:
            name = unknown[0][:60]
            raise ApiError(400, "unknown_parameter", f"unknown parameter {name!r}; use format", name)
        try:
            export = choose_export(format, request.headers.get("accept"))
        except UnknownFormat as exc:
            raise ApiError(400, "bad_parameter", str(exc), "format") from None
        except NotAcceptable as exc:
            raise ApiError(406, "not_acceptable", str(exc)) from None
        record = catalogue.record(record_id)
        if record is None:
            raise ApiError(404, "not_found", f"no record with id {record_id[:200]!r} in the catalogue")
        try:
            body = render_export(record, export, base_uri=catalogue.settings.base_uri)
        except MappingError as exc:
            log.warning("record=%s export=%s failed: %s", record_id, export.name, exc)
            message = f"record {record_id} cannot be written as {export.name}: {exc}"
            raise ApiError(500, "export_failed", message) from None
        path = object_path(record.id, "/api/objects/")
        links = ", ".join(f'<{path}?format={e.name}>; rel="alternate"; type="{e.media_type}"' for e in EXPORTS.values())
        if any(m.kind is MediaKind.IMAGE for m in record.media):
            profile = "http://iiif.io/api/presentation/3/context.json"
            manifest = iiif_manifest_path(record.id)
            links += f', <{manifest}>; rel="alternate"; type="application/ld+json"; profile="{profile}"'
        return Response(body, media_type=export.content_type, headers={"Vary": "Accept", "Link": links})

    @router.get("/museums", tags=["museums"], summary="Museums with record counts, last runs and totals per region")
    def museums(request: Request) -> dict[str, Any]:
        return _museums_json(catalogue, jobs, _lang(request))

    @router.get("/stats", tags=["museums"], summary="Catalogue totals: records, museums, regions, media")
    def stats(request: Request) -> dict[str, Any]:
        lang = _lang(request)
        result = catalogue.search(SearchQuery(size=0, facets=["region", "museum", "has_image", "has_3d"]))

        def count_true(facet: str) -> int:
            return next((v.count for v in result.facets.get(facet, []) if v.value == "true"), 0)

        by_region = [
            {"code": v.value, "label": region_label(v.value, lang), "records": v.count}
            for v in result.facets.get("region", [])
        ]
        statuses = catalogue.status()
        return {
            "records": result.total,
            "deleted_records": sum(s.deleted for s in statuses),
            "museums": len(catalogue.settings.registry.museums),
            "museums_with_records": len(result.facets.get("museum", [])),
            "regions": len(by_region),
            "with_image": count_true("has_image"),
            "with_3d": count_true("has_3d"),
            "by_region": sorted(by_region, key=lambda r: (-r["records"], r["code"])),
        }

    @router.post(
        "/harvest/{museum_id}",
        tags=["harvest"],
        summary="Start a harvest of one museum in the background",
        status_code=202,
        dependencies=[Depends(bearer)],  # declares the security scheme; the check is below
        responses={
            401: {"description": "No bearer token sent."},
            403: {"description": "Wrong token."},
            404: {"description": "Unknown museum."},
            409: {"description": "A harvest of this museum is still running."},
            503: {"description": "No API token is configured: harvesting over the API is off."},
        },
    )
    def harvest(museum_id: str, request: Request) -> JSONResponse:
        token = catalogue.settings.api_token
        if not token:
            raise ApiError(
                503, "harvest_disabled", "harvesting over the API is off: set EMUSEUM_API_TOKEN to enable it"
            )
        scheme, _, given = request.headers.get("authorization", "").strip().partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            raise ApiError(
                401, "unauthorized", "send Authorization: Bearer <token>", headers={"WWW-Authenticate": "Bearer"}
            )
        if not hmac.compare_digest(given.strip().encode(), token.encode()):
            raise ApiError(403, "forbidden", "the bearer token is not valid")
        if catalogue.museum(museum_id) is None:
            raise ApiError(404, "not_found", f"unknown museum id {museum_id[:100]!r}; see /api/museums")
        try:
            job = jobs.start(museum_id)
        except AlreadyRunning as exc:
            raise ApiError(409, "conflict", str(exc)) from None
        return JSONResponse(
            {**job.to_json(), "status_url": "/api/museums"}, status_code=202, headers={"Location": "/api/museums"}
        )

    return router


def create_app(
    catalogue: Catalogue, *, oai_page_size: int = 100, media_settings: MediaSettings | None = None
) -> FastAPI:
    """The whole web application over one catalogue: API, pages, OAI-PMH, media, IIIF and static files.

    ``/docs`` is Swagger UI from fastapi-offline's bundled files: it works on a
    machine without internet, as the catalogue's reading rooms often are.
    """
    app = FastAPIOffline(
        title="National Museum Catalogue of Kazakhstan",
        version=_version(),
        description=_DESCRIPTION,
        openapi_tags=_TAGS,
    )
    jobs = HarvestJobs(lambda ids: Operations(catalogue).harvest(ids))  # with the runs' trend snapshots
    app.state.catalogue = catalogue
    app.state.harvest_jobs = jobs
    if catalogue.settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=catalogue.settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return _error_response(exc.status, exc.code, exc.message, exc.parameter, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = jsonable_encoder(exc.errors())[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ())[1:]) or None
        return _error_response(400, "bad_parameter", str(first.get("msg", "invalid request")), where)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_json(request):
            code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
            return _error_response(exc.status_code, code, str(exc.detail), headers=getattr(exc, "headers", None))
        return render_error_page(request, exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception) -> Response:
        log.exception("path=%s unexpected error", request.url.path)
        message = "an unexpected error occurred; the server log has the details"
        if _wants_json(request):
            return _error_response(500, "internal_error", message)
        return render_error_page(request, 500, message)

    @app.exception_handler(ConfigError)
    async def config_error(request: Request, exc: ConfigError) -> JSONResponse:
        """The operator's log gets the details (paths, URLs); the public gets a plain 503."""
        log.error("path=%s configuration problem: %s", request.url.path, exc)
        return _error_response(503, "unavailable", "the catalogue is not configured for this request")

    @app.exception_handler(IndexUnavailable)
    async def index_unavailable(request: Request, exc: IndexUnavailable) -> Response:
        """The search engine is down: say so (503) instead of a bare 500; the store is unaffected."""
        message = f"the search index is unavailable, try again shortly ({exc})"
        if _wants_json(request):
            return _error_response(503, "index_unavailable", message, headers={"Retry-After": "30"})
        return render_error_page(request, 503, message)

    media = MediaService(catalogue.record, media_settings)
    app.state.media = media
    app.include_router(_api_router(catalogue, jobs))
    app.include_router(create_oai_router(catalogue, page_size=oai_page_size))
    app.include_router(create_media_router(catalogue, media))
    app.include_router(create_pages_router(catalogue))
    install_metrics(app, catalogue)  # /metrics for Prometheus, search latency
    app.include_router(create_admin_router(catalogue, jobs))  # the ministry's dashboard
    app.include_router(create_check_router(catalogue))
    app.include_router(create_dumps_router(catalogue))
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
