"""The ministry's dashboard at ``/admin``: regions by health, museums, their runs, held runs, alerts.

Behind the operator token (``EMUSEUM_API_TOKEN``): a script sends it as
``Authorization: Bearer``; a person types it once into the login form and
gets a signed session cookie (itsdangerous, keyed by the token, so changing
the token ends every session).  Without either the answer is 401 with the
login form; with no token configured the dashboard is off (503).  Every
button is a POST form carrying the session's CSRF token; a cookie alone
never changes anything.  Charts are SVG drawn here; no script, no CDN.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import Counter
from typing import Any, Final
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from aggregator.catalogue import Catalogue
from aggregator.held_runs import RunDecisionError
from aggregator.ops.service import Operations
from aggregator.ops.words import failure_kind, failure_words, held_reason_words, word
from aggregator.web.charts import line_chart, sparkline
from aggregator.web.harvest_jobs import AlreadyRunning, HarvestJobs
from aggregator.web.i18n import DEFAULT_LANG, LANGUAGES, ui_strings
from aggregator.web.pages import templates
from config.regions import REGIONS, region_label

__all__ = ["create_admin_router"]

COOKIE: Final = "emuseum_admin"
SESSION_SECONDS: Final = 12 * 3600
_ORDER: Final = {"red": 0, "amber": 1, "grey": 2, "green": 3}


class _Session:
    """Signed cookies keyed by the operator token."""

    def __init__(self, token: str) -> None:
        secret = hashlib.sha256(b"emuseum-admin-session\0" + token.encode()).hexdigest()
        self.serializer = URLSafeTimedSerializer(secret, salt="admin")

    def new(self) -> tuple[str, str]:
        csrf = secrets.token_urlsafe(24)
        return self.serializer.dumps({"csrf": csrf}), csrf

    def csrf_of(self, cookie: str | None) -> str | None:
        if not cookie:
            return None
        try:
            data = self.serializer.loads(cookie, max_age=SESSION_SECONDS)
        except BadSignature:
            return None
        return data.get("csrf") if isinstance(data, dict) else None


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang", DEFAULT_LANG)
    return lang if lang in LANGUAGES else DEFAULT_LANG


async def _form(request: Request) -> dict[str, str]:
    body = (await request.body()).decode("utf-8", "replace")
    return {key: values[0] for key, values in parse_qs(body).items()}


def _endpoint_rows(endpoint: dict[str, Any], t: dict[str, str]) -> list[tuple[str, str]]:
    """The endpoint's observed behaviour as (label, value) in the reader's language; unknown keys as they are."""
    rows = []
    for key, value in sorted(endpoint.items()):
        label = t[f"admin_endpoint_{key}"]
        if isinstance(value, bool):
            shown = t["check_yes"] if value else t["check_no"]
        else:
            value_key = "admin_endpoint_value_" + str(value).replace(" ", "_")
            shown = t[value_key] if t[value_key] != value_key else str(value)
        rows.append((key if label == f"admin_endpoint_{key}" else label, shown))
    return rows


def create_admin_router(catalogue: Catalogue, jobs: HarvestJobs) -> APIRouter:
    router = APIRouter(prefix="/admin", include_in_schema=False)
    ops = Operations(catalogue)

    def token() -> str | None:
        return catalogue.settings.api_token

    def who(request: Request) -> tuple[bool, str | None]:
        """(authenticated, the session's CSRF token or None for a bearer request)."""
        configured = token()
        if not configured:
            return False, None
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), configured.encode()):
            return True, None
        csrf = _Session(configured).csrf_of(request.cookies.get(COOKIE))
        return csrf is not None, csrf

    def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
        lang = _lang(request)
        languages = [
            {"code": code, "url": f"{request.url.path}?{urlencode({**request.query_params, 'lang': code})}",
             "current": code == lang}
            for code in LANGUAGES
        ]  # fmt: skip
        base = {"request": request, "lang": lang, "t": ui_strings(lang), "languages": languages, "csrf": "",
                "flash": None, "flash_error": None}  # fmt: skip
        return templates.TemplateResponse(request, name, {**base, **context}, status_code=status)

    def refused(request: Request) -> HTMLResponse:
        if not token():
            return page(request, "admin_login.html", {"off": True, "error": None}, status=503)
        response = page(request, "admin_login.html", {"off": False, "error": None}, status=401)
        response.headers["WWW-Authenticate"] = 'Bearer realm="emuseum admin"'
        return response

    def back(request: Request, to: str, **flash: str) -> RedirectResponse:
        query = urlencode({"lang": _lang(request), **flash})
        return RedirectResponse(f"{to}?{query}", status_code=303)

    async def checked_post(request: Request) -> tuple[bool, dict[str, str]]:
        """A POST is allowed with the bearer token, or with the session cookie *and* its CSRF token."""
        ok, csrf = who(request)
        form = await _form(request)
        if not ok:
            return False, form
        if csrf is not None and not hmac.compare_digest(form.get("csrf", "").encode(), csrf.encode()):
            return False, form
        return True, form

    @router.get("/login", response_class=HTMLResponse)
    def login_form(request: Request) -> HTMLResponse:
        return page(request, "admin_login.html", {"off": not token(), "error": None})

    @router.post("/login", response_class=HTMLResponse)
    async def login(request: Request) -> Response:
        configured = token()
        given = (await _form(request)).get("token", "")
        if not configured or not hmac.compare_digest(given.encode(), configured.encode()):
            error = ui_strings(_lang(request))["admin_login_wrong"]
            return page(request, "admin_login.html", {"off": not configured, "error": error}, status=401)
        cookie, _ = _Session(configured).new()
        response = back(request, "/admin")
        response.set_cookie(COOKIE, cookie, max_age=SESSION_SECONDS, httponly=True, samesite="strict",
                            secure=request.url.scheme == "https", path="/admin")  # fmt: skip
        return response

    @router.post("/logout")
    async def logout(request: Request) -> Response:
        allowed, _ = await checked_post(request)
        response = back(request, "/admin/login")
        if allowed:
            response.delete_cookie(COOKIE, path="/admin")
        return response

    @router.get("", response_class=HTMLResponse)
    def overview(request: Request) -> HTMLResponse:
        ok, csrf = who(request)
        if not ok:
            return refused(request)
        lang = _lang(request)
        t = ui_strings(lang)
        health = ops.health()
        region_filter = request.query_params.get("region")
        lights_by_region: dict[str, list[str]] = {}
        records_by_region: Counter[str] = Counter()
        for h in health:
            lights_by_region.setdefault(h.region, []).append(h.light)
            records_by_region[h.region] += h.active
        tiles = []
        for code in REGIONS:
            lights = lights_by_region.get(code, [])
            worst = min(lights, key=lambda light: _ORDER[light]) if lights else "none"
            tiles.append({"code": code, "label": region_label(code, lang), "light": worst, "museums": len(lights),
                          "records": records_by_region[code], "current": code == region_filter})  # fmt: skip
        rows = sorted(
            (h for h in health if not region_filter or h.region == region_filter),
            key=lambda h: (_ORDER[h.light], h.region, h.museum_id),
        )
        museums = [
            {
                "h": h,
                "name": h.names.get(lang) or h.names.get("en") or next(iter(h.names.values())),
                "region": region_label(h.region, lang),
                "spark": sparkline(h.records_trend, label=f"{t['admin_records']}: {h.records_trend}"),
            }
            for h in rows
        ]
        held = [r for r in catalogue.runs(limit=500) if r["status"] == "held"]
        for run in held:  # the museum's name and the breaker's reason in the reader's language
            run["held_reason"] = held_reason_words(run["held_reason"], lang)
            known = catalogue.museum(run["museum_id"])
            run["museum_name"] = known.display_name(lang) if known else run["museum_id"]
        alerts = [{**a, "text": ops.alert_text(a, lang)} for a in ops.alerts()]
        light_counts = Counter(h.light for h in health)
        context = {
            "csrf": csrf or "",
            "tiles": tiles,
            "museums": museums,
            "held": held,
            "alerts": alerts,
            "lights": light_counts,
            "region_filter": region_filter,
            "report": ops.report(),
            "passes": ops.passes(5),
            "flash": request.query_params.get("done"),
            "flash_error": request.query_params.get("error"),
        }
        return page(request, "admin_overview.html", context)

    @router.get("/museums/{museum_id}", response_class=HTMLResponse)
    def museum_page(museum_id: str, request: Request) -> HTMLResponse:
        ok, csrf = who(request)
        if not ok:
            return refused(request)
        lang = _lang(request)
        t = ui_strings(lang)
        museum = catalogue.museum(museum_id)
        health = next((h for h in ops.health() if h.museum_id == museum_id), None)
        if museum is None or health is None:
            return page(request, "admin_missing.html", {"museum_id": museum_id}, status=404)
        runs = catalogue.runs(museum_id, limit=30)
        for run in runs:
            run["status_text"] = word(f"status_{run['status']}", lang)
            run["mode_text"] = word(f"mode_{run['mode']}", lang)
            if run["status"] == "failed":
                run["reason"], run["advice"] = failure_words(failure_kind(run["error"]), lang)
            if run.get("held_reason"):
                run["held_reason"] = held_reason_words(run["held_reason"], lang)
        quality = catalogue.quality(museum_id)
        endpoint: dict[str, Any] = {}
        for run in reversed(runs):  # what Identify said (incremental runs ask) and what the newest run saw
            endpoint.update(run.get("endpoint") or {})
        context = {
            "csrf": csrf or "",
            "museum": museum,
            "name": museum.display_name(lang),
            "region": region_label(museum.region, lang),
            "h": health,
            "runs": runs,
            "quality": quality[0] if quality else None,
            "endpoint": _endpoint_rows(endpoint, t),
            "records_chart": line_chart(health.records_trend, title=t["admin_records_trend"]),
            "response_chart": line_chart(health.response_trend, title=t["admin_response_trend"], unit=t["unit_ms"]),
            "flash": request.query_params.get("done"),
            "flash_error": request.query_params.get("error"),
        }
        return page(request, "admin_museum.html", context)

    @router.get("/report", response_class=HTMLResponse)
    def report_page(request: Request) -> Response:
        ok, _ = who(request)
        if not ok:
            return refused(request)
        data = ops.report(request.query_params.get("night"))
        if data is None:
            return page(request, "admin_missing.html", {"museum_id": None}, status=404)
        return HTMLResponse(ops.report_html(data, _lang(request)))

    @router.post("/runs/{run_id}/{decision}")
    async def decide(run_id: int, decision: str, request: Request) -> Response:
        allowed, form = await checked_post(request)
        if not allowed:
            return refused(request)
        to = form.get("back", "/admin")
        to = to if to.startswith("/admin") else "/admin"
        try:
            if decision == "approve":
                catalogue.approve_run(run_id, by="dashboard")
            elif decision == "reject":
                catalogue.reject_run(run_id, by="dashboard")
            else:
                return back(request, to, error=f"unknown decision {decision[:20]!r}")
        except RunDecisionError as exc:
            return back(request, to, error=str(exc))
        ops.check_alerts()
        return back(request, to, done=f"run {run_id}: {decision}d")

    @router.post("/museums/{museum_id}/harvest")
    async def harvest(museum_id: str, request: Request) -> Response:
        allowed, _ = await checked_post(request)
        if not allowed:
            return refused(request)
        if catalogue.museum(museum_id) is None:
            return back(request, "/admin", error=f"unknown museum {museum_id[:100]!r}")
        try:
            jobs.start(museum_id)
        except AlreadyRunning as exc:
            return back(request, f"/admin/museums/{museum_id}", error=str(exc))
        return back(request, f"/admin/museums/{museum_id}", done=f"harvest of {museum_id} started")

    return router
