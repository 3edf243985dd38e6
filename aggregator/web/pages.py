"""The search page and the object page: server-rendered HTML that works without JavaScript.

Researchers in regional museums and libraries use old browsers on slow links,
and screen-reader users need plain links and headings; so facets are links
that add or remove one filter, paging is links, and the sort is a form.
On a phone the results come first and the facets fold into one panel; the
only script is the optional 3D viewer, and without it the model is a link.
Every value from museum data goes through Jinja's autoescaping, and links
taken from museum data are only made clickable when they are http(s), so a
record cannot smuggle script into the page.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final
from urllib.parse import parse_qsl, urlencode, urlsplit

import jinja2
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from aggregator.catalogue import Catalogue
from aggregator.index.query import BOOLEAN_FACETS
from aggregator.media.paths import iiif_manifest_path, media_path
from aggregator.web.concept_labels import term_view
from aggregator.web.history import event_views, place_views, provenance_rows
from aggregator.web.i18n import DEFAULT_LANG, LANGUAGES, count_word, lang_preference, ui_strings
from aggregator.web.results import date_view, facet_label, object_path, result_json
from aggregator.web.search_request import SEARCH_PARAMETERS, ParamError, parse_search_params
from config.regions import region_label
from config.registry import Registry
from mappings.core import CoreRecord, MediaKind
from mappings.display_terms import licence_from, licence_name, measurement_label

__all__ = [
    "PAGE_FACETS",
    "TEMPLATES_DIR",
    "base_context",
    "create_pages_router",
    "page_lang",
    "render_error_page",
    "templates",
]

TEMPLATES_DIR: Final = Path(__file__).resolve().parent / "templates"
#: Installed by devtools/install_assets.sh from the npm registry; never committed.
MODEL_VIEWER: Final = Path(__file__).resolve().parent / "static" / "vendor" / "model-viewer" / "model-viewer.min.js"
#: Facets the search page shows, in this order.
PAGE_FACETS: Final = ("region", "museum", "object_type", "material", "technique", "century", "has_image", "has_3d")
PAGE_SIZE: Final = 20
#: Record fields shown as concepts on the object page, with their vocabulary scheme.
_TERM_FIELDS: Final = {
    "object_type": "object_type",
    "classification": "classification",
    "materials": "materials",
    "techniques": "techniques",
    "subjects": "subjects",
}


def _safe_url(value: str | None) -> str | None:
    """The URL when it is http(s); None otherwise (javascript:, data:, relative junk)."""
    if not value:
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    return value.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def _utc_minute(moment: datetime) -> str:
    """A stored moment as people read it ("2026-12-01 05:44 UTC"); the ``<time>`` element keeps it whole."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _url(path: str, params: list[tuple[str, str]]) -> str:
    return path + ("?" + urlencode(params) if params else "")


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=jinja2.select_autoescape(["html", "xml"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["safe_url"] = _safe_url
    env.filters["object_url"] = object_path
    env.filters["utc_minute"] = _utc_minute
    return env


templates = Jinja2Templates(env=_environment())


def _page_lang(request: Request) -> str:
    lang = request.query_params.get("lang", DEFAULT_LANG)
    return lang if lang in LANGUAGES else DEFAULT_LANG


def _language_links(request: Request, lang: str) -> list[dict[str, Any]]:
    kept = [(n, v) for n, v in request.query_params.multi_items() if n != "lang"]  # "back" too: it stays
    return [
        {"code": code, "url": _url(request.url.path, [*kept, ("lang", code)]), "current": code == lang}
        for code in LANGUAGES
    ]


def _base_context(request: Request, lang: str) -> dict[str, Any]:
    return {
        "request": request,
        "lang": lang,
        "t": ui_strings(lang),
        "languages": _language_links(request, lang),
        "home_url": _url("/", [("lang", lang)]),
    }


#: For other pages built on base.html (the endpoint check form).
page_lang = _page_lang
base_context = _base_context


def render_error_page(request: Request, status: int, message: str) -> HTMLResponse:
    lang = _page_lang(request)
    context = {**_base_context(request, lang), "status": status, "message": message}
    return templates.TemplateResponse(request, "error.html", context, status_code=status)


def _search_view(
    request: Request, data: dict[str, Any], params: list[tuple[str, str]], registry: Registry
) -> dict[str, Any]:
    """Links for every facet value, active filter and page, from the parameters as given."""
    path = request.url.path
    lang = data["query"]["lang"]
    filters: dict[str, list[str]] = data["query"]["filters"]
    base = [(n, v) for n, v in params if n != "lang"] + [("lang", lang)]

    def toggled(facet: str, value: str) -> str:
        if value in filters.get(facet, []):
            kept = [(n, v) for n, v in base if not (n == facet and v == value)]
        else:
            kept = [*base, (facet, value)]
        return _url(path, kept)

    facets: list[dict[str, Any]] = []
    flags: list[dict[str, Any]] = []  # has_image / has_3d: one checkbox each, shown together
    for name in PAGE_FACETS:
        values = list(data["facets"].get(name, []))
        if name == "century":
            values.sort(key=lambda v: int(v["value"]) if v["value"].lstrip("-").isdigit() else 0)
        if name in BOOLEAN_FACETS:
            values = [v for v in values if v["value"] == "true"]
            if not values and "true" in filters.get(name, []):
                values = [{"value": "true", "count": 0, "selected": True}]
        entries = [{**v, "url": toggled(name, v["value"])} for v in values]
        if entries and name in BOOLEAN_FACETS:
            flags.append({"name": name, **entries[0]})
        elif entries:
            facets.append({"name": name, "values": entries})
    active = [
        {
            "facet": name,
            "label": facet_label(registry, name, value, lang),
            "url": toggled(name, value),
        }
        for name, values in filters.items()
        for value in values
    ]
    page, pages = data["page"], data["pages"]

    def page_url(number: int) -> str:
        return _url(path, [*base, ("page", str(number))])

    numbers = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)} - {0})
    page_links: list[dict[str, Any]] = []
    for number in numbers:
        if page_links and number > page_links[-1]["number"] + 1:
            page_links.append({"gap": True, "number": number - 1})
        page_links.append({"number": number, "url": page_url(number), "current": number == page, "gap": False})
    search_query = urlencode([(n, v) for n, v in base if n != "lang"] + ([("page", str(page))] if page > 1 else []))
    return {
        "facets": facets,
        "flags": flags,
        "active": active,
        "clear_url": _url(path, [(n, v) for n, v in base if n in ("q", "lang", "sort", "size")]),
        "prev_url": page_url(page - 1) if page > 1 else None,
        "next_url": page_url(page + 1) if page < pages else None,
        "page_links": page_links,
        "hidden": [(n, v) for n, v in base if n not in ("q", "from", "to", "sort", "lang")],
        "object_suffix": "?" + urlencode([("lang", lang), *([("back", search_query)] if search_query else [])]),
        "active_count": sum(len(v) for v in filters.values()),
    }


def _record_view(catalogue: Catalogue, record: CoreRecord, lang: str) -> dict[str, Any]:
    preference = lang_preference(lang)
    museum = catalogue.museum(record.museum_id)
    region = museum.region if museum else None
    by_kind: dict[str, list[Any]] = {"images": [], "models": [], "tours": [], "other": []}
    for position, media in enumerate(record.media):
        key = {
            MediaKind.IMAGE: "images",
            MediaKind.MODEL_3D: "models",
            MediaKind.VIRTUAL_TOUR: "tours",
        }.get(media.kind, "other")
        entry: dict[str, Any] = {"media": media, "position": position, "url": media.url}
        if key == "images":
            entry.update(src=media_path("large", record.id, position), thumb=media_path("thumb", record.id, position))
        elif key == "models":
            entry.update(src=media_path("file", record.id, position))
        by_kind[key].append(entry)
    api = object_path(record.id, "/api/objects/")
    production = record.production
    rights = record.rights
    licence = licence_from(rights.uri, rights.label) if rights else None
    return {
        "record": record,
        "title": record.title(*preference) or record.inventory_number or record.local_id,
        "prefs": preference,
        "museum_name": museum.display_name(lang) if museum else record.museum_id,
        "region_code": region,
        "region_name": region_label(region, lang) if region else None,
        "media": by_kind,
        "model_viewer": MODEL_VIEWER.exists(),
        "iiif_url": iiif_manifest_path(record.id) if by_kind["images"] else None,
        "terms": {
            name: [term_view(t, scheme, lang) for t in getattr(record, name)] for name, scheme in _TERM_FIELDS.items()
        },
        "culture": [term_view(t, "culture", lang) for t in production.culture] if production else [],
        "places": place_views(production.places, lang) if production else [],
        "events": event_views(record, lang, preference),
        "value_sources": provenance_rows(record) if record.provenance else [],  # none kept before lido-in/4
        "date": date_view(record, lang),
        "measurements": [label for m in record.measurements if (label := measurement_label(m, lang))],
        "licence": {"name": licence_name(licence, lang), "url": licence.url} if licence else None,
        "exports": [
            ("export_lido", f"{api}?format=lido"),
            ("export_jsonld", f"{api}?format=jsonld"),
            ("export_turtle", f"{api}?format=turtle"),
            ("export_json", f"{api}?format=json"),
        ],
    }


def _back_url(request: Request, lang: str) -> str:
    """The search the reader came from: the ``back`` parameter (search parameters only), else a same-site referer."""
    back = request.query_params.get("back", "")
    if back:
        kept = [(n, v) for n, v in parse_qsl(back[:2000]) if n in SEARCH_PARAMETERS and n != "lang"]
        return _url("/", [*kept, ("lang", lang)])
    if _same_site(request):
        return request.headers.get("referer", "/")
    return _url("/", [("lang", lang)])


def create_pages_router(catalogue: Catalogue) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/", response_class=HTMLResponse)
    def search_page(request: Request) -> HTMLResponse:
        lang = _page_lang(request)
        context = _base_context(request, lang)
        given = {n: v for n, v in request.query_params.multi_items()}
        context["form"] = {k: given.get(k, "") for k in ("q", "from", "to", "sort")}
        try:
            search = parse_search_params(
                request.query_params.multi_items(), default_size=PAGE_SIZE, default_facets=PAGE_FACETS
            )
        except ParamError as exc:
            context.update(error=exc.message, data=None, view=None)
            return templates.TemplateResponse(request, "search.html", context, status_code=400)
        data = result_json(catalogue, search, catalogue.search(search.query))
        view = _search_view(request, data, search.params, catalogue.settings.registry)
        context.update(error=None, data=data, view=view, results_word=count_word(int(data["total"]), lang))
        return templates.TemplateResponse(request, "search.html", context)

    @router.get("/objects/{record_id:path}", response_class=HTMLResponse)
    def object_page(record_id: str, request: Request) -> HTMLResponse:
        lang = _page_lang(request)
        record = catalogue.record(record_id)
        if record is None:
            return render_error_page(request, 404, ui_strings(lang)["object_not_found"])
        context = {**_base_context(request, lang), **_record_view(catalogue, record, lang)}
        context["back_url"] = _back_url(request, lang)
        return templates.TemplateResponse(request, "object.html", context)

    return router


def _same_site(request: Request) -> bool:
    referer = request.headers.get("referer")
    if not referer:
        return False
    parts = urlsplit(referer)
    return parts.netloc == request.url.netloc and parts.path == "/"
