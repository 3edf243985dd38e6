"""``/media/...`` and ``/iiif/.../manifest``: the media proxy and IIIF manifests over HTTP.

Cached files are served with a strong ETag and a day of public caching; a
source that cannot be had gets the placeholder (an SVG tile with the words in
the reader's language, ``lang=``), cached for a minute only so the image
appears as soon as the museum's host is back.  The page therefore never shows
a broken image.
"""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from aggregator.catalogue import Catalogue
from aggregator.media.images import placeholder_svg
from aggregator.media.paths import VARIANTS
from aggregator.media.service import MediaService
from aggregator.web.i18n import DEFAULT_LANG, LANGUAGES, ui_strings
from aggregator.web.iiif import manifest_json
from mappings.core import MediaKind

__all__ = ["create_media_router"]

CACHED: Final = "public, max-age=86400"
PLACEHOLDER_CACHE: Final = "public, max-age=60"
IIIF_CONTEXT: Final = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang", DEFAULT_LANG)
    return lang if lang in LANGUAGES else DEFAULT_LANG


def create_media_router(catalogue: Catalogue, media: MediaService) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/media/{variant}/{position}/{record_id:path}")
    def media_file(variant: str, position: int, record_id: str, request: Request) -> Response:
        if variant not in VARIANTS:
            return JSONResponse({"error": {"status": 404, "code": "not_found", "message": "no such media"}}, 404)
        entry = media.get(record_id, position, variant)
        if entry is None:
            if media.media(record_id, position) is None:
                return JSONResponse({"error": {"status": 404, "code": "not_found", "message": "no such media"}}, 404)
            size = VARIANTS[variant] or 480
            body = placeholder_svg(ui_strings(_lang(request))["image_unavailable"], size, size)
            return Response(body, media_type="image/svg+xml", headers={"Cache-Control": PLACEHOLDER_CACHE})
        headers = {"ETag": entry.etag, "Cache-Control": CACHED, "X-Content-Type-Options": "nosniff"}
        if entry.etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        return FileResponse(entry.path, media_type=entry.content_type, headers=headers)

    @router.get("/iiif/{record_id:path}/manifest")
    def iiif_manifest(record_id: str, request: Request) -> Response:
        record = catalogue.record(record_id)
        if record is None or not any(m.kind is MediaKind.IMAGE for m in record.media):
            message = "no record with images has this id"
            return JSONResponse({"error": {"status": 404, "code": "not_found", "message": message}}, 404)
        data = manifest_json(record, catalogue.museum(record.museum_id), media, str(request.base_url))
        return JSONResponse(data, media_type=IIIF_CONTEXT, headers={"Access-Control-Allow-Origin": "*"})

    return router
