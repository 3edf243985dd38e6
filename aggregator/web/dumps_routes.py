"""The bulk dumps on the web: `GET /api/dumps` lists them, `GET /api/dumps/{file}` serves one, `/dumps` shows them.

Only names the manifest lists are served (``aggregator.dumps.dump_file``):
a request for anything else, ``..`` included, is a 404 that says where the
list is, never a file outside the published set.  Files are sent by
Starlette's ``FileResponse`` (streamed from disk, with Content-Length, ETag
and range requests), so a 2 GB dump costs the server no memory.
"""

from __future__ import annotations

from typing import Any, Final
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from aggregator.catalogue import Catalogue
from aggregator.dumps import FORMATS, DumpEntry, dump_file, read_manifest
from aggregator.web.i18n import ui_strings
from aggregator.web.pages import base_context, page_lang, render_error_page, templates

__all__ = ["create_dumps_router", "dump_json"]

_GZIP: Final = "application/gzip"
_FORMAT_ORDER: Final = tuple(FORMATS)


def _url(entry: DumpEntry) -> str:
    return "/api/dumps/" + quote(entry.file)


def dump_json(entry: DumpEntry) -> dict[str, Any]:
    """One dump as the API lists it: what it is, how big, when, its checksum and where to get it."""
    return {
        "file": entry.file,
        "format": entry.format,
        "museum": entry.museum,
        "records": entry.records,
        "bytes": entry.bytes,
        "created": entry.created,
        "sha256": entry.sha256,
        "media_type": _GZIP,
        "content_type": entry.media_type,
        "description": entry.description,
        "url": _url(entry),
    }


def _size(n: int, lang: str) -> str:
    units = {"kk": ("КБ", "МБ", "ГБ"), "ru": ("КБ", "МБ", "ГБ")}.get(lang, ("KB", "MB", "GB"))
    value, unit = n / 1024, units[0]
    for bigger in units[1:]:
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    text = f"{value:.1f}"
    return f"{text.replace('.', ',') if lang in ('kk', 'ru') else text} {unit}"


def _ordered(entries: list[DumpEntry]) -> list[DumpEntry]:
    def key(entry: DumpEntry) -> tuple[int, str, int]:
        order = _FORMAT_ORDER.index(entry.format) if entry.format in _FORMAT_ORDER else len(_FORMAT_ORDER)
        return (0 if entry.museum is None else 1, entry.museum or "", order)

    return sorted(entries, key=key)


def create_dumps_router(catalogue: Catalogue) -> APIRouter:
    router = APIRouter()
    folder = catalogue.settings.dumps_dir

    @router.get(
        "/api/dumps",
        tags=["dumps"],
        summary="The bulk dumps of the whole catalogue (and of each museum), with sizes, counts and checksums",
        description=(
            "A JSON object: `count` and `dumps`, the list, whole-catalogue dumps first. "
            "Formats: `lido` (one lido:lidoWrap), `jsonld` "
            "(Linked Art JSON-LD as JSON Lines: one record's document per line), `nt` (N-Triples), `csv` "
            "(one row per record). Every file is gzip-compressed; `sha256` is the checksum of the .gz file. "
            "They are rebuilt nightly from the catalogue's active records."
        ),
    )
    def list_dumps() -> dict[str, Any]:
        # An object, like every other listing of the API, so fields can be added without breaking clients.
        dumps = [dump_json(entry) for entry in _ordered(read_manifest(folder).dumps)]
        return {"count": len(dumps), "dumps": dumps}

    @router.get(
        "/api/dumps/{file}",
        tags=["dumps"],
        summary="Download one dump (gzip)",
        response_class=Response,
        responses={200: {"content": {_GZIP: {}}}, 404: {"description": "No published dump has this name."}},
    )
    def get_dump(file: str, request: Request) -> Response:
        found = dump_file(folder, file)
        if found is None and "text/html" in request.headers.get("accept", ""):  # a person following a stale link
            return render_error_page(request, 404, ui_strings(page_lang(request))["dumps_not_found"])
        if found is None:
            message = f"no published dump is named {file[:120]!r}; the list is at /api/dumps"
            return JSONResponse({"error": {"status": 404, "code": "not_found", "message": message}}, status_code=404)
        entry, path = found
        return FileResponse(path, media_type=_GZIP, filename=entry.file, headers={"X-Checksum-SHA256": entry.sha256})

    @router.get("/dumps", response_class=HTMLResponse, include_in_schema=False)
    def dumps_page(request: Request) -> HTMLResponse:
        lang = page_lang(request)
        context = base_context(request, lang)
        registry = catalogue.settings.registry
        whole: list[dict[str, Any]] = []
        museums: list[dict[str, Any]] = []
        for entry in _ordered(read_manifest(folder).dumps):
            museum = registry.get(entry.museum) if entry.museum else None
            (whole if entry.museum is None else museums).append(
                {
                    "entry": entry,
                    "url": _url(entry),
                    "size": _size(entry.bytes, lang),
                    "records": f"{entry.records:,}".replace(",", "\u00a0"),
                    "date": entry.created[:10],
                    "museum_name": museum.display_name(lang) if museum else entry.museum,
                }
            )
        context.update(whole=whole, museums=museums)
        return templates.TemplateResponse(request, "dumps.html", context)

    return router
