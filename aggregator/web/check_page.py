"""``/check``: the endpoint check as a web form for a museum's IT person, in Kazakh, Russian and English.

The same check as ``emuseum check-endpoint`` (``aggregator.endpoint_report``),
bounded for the public: http(s) only, no private, loopback or link-local
address unless ``EMUSEUM_CHECK_ALLOW_NETWORKS`` lists it (checked again at
connect time, redirects included), one minute and 50 records per check,
8 MiB per response, a few checks per client address (``config.check_form``).
A check of a registry museum's endpoint becomes its endpoint profile, as on
the command line.  Findings are shown with their headline and advice in the
page's language (``messages.yaml``, keys ``check_<code>``); the particulars
(identifiers, URLs, excerpts) stay as the endpoint sent them.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from aggregator.catalogue import Catalogue
from aggregator.endpoint_report import EndpointReport, run_endpoint_check
from aggregator.web.pages import base_context, page_lang, templates
from aggregator.web.rate_limit import ClientRateLimit
from config.check_form import CheckFormLimits
from harvester.endpoint_check import Finding

__all__ = ["create_check_router"]

_FORMATS = ("", "lido", "oai_dc")
_MAX_URL = 2000
_MAX_FORM_BYTES = 8 * 1024


def _key(code: str) -> str:
    return "check_" + code.replace(".", "_")


def _finding_view(item: Finding, t: dict[str, str]) -> dict[str, Any]:
    def text(key: str, default: str) -> str:
        value = t[key]
        return default if value == key else value

    return {
        "severity": item.severity,
        "severity_label": t[f"check_severity_{item.severity}"],
        "area": text(f"check_area_{item.area}", item.area),
        "title": text(_key(item.code), item.message),
        "details": item.message,
        "rule": item.rule,
        "advice": text(_key(item.code) + "_advice", item.advice) if item.severity != "info" else None,
        "request": item.evidence.request,
        "excerpt": item.evidence.excerpt,
    }


def _report_view(report: EndpointReport, t: dict[str, str]) -> dict[str, Any]:
    outcome, facts = report.outcome, report.outcome.facts
    verdict = {0: "check_verdict_ok", 1: "check_verdict_errors", 2: "check_verdict_unreachable"}[report.exit_code]
    yes_no = {True: t["check_yes"], False: t["check_no"], None: t["check_untestable"]}
    rows: list[tuple[str, str]] = []
    if outcome.reachable:
        rows = [
            (t["check_fact_repository"], facts.repository_name or "?"),
            (t["check_fact_formats"], ", ".join(facts.formats) or "-"),
            (t["check_fact_granularity"], f"{facts.declared_granularity or '?'} → {facts.granularity or '?'}"),
            (t["check_fact_from"], yes_no[facts.honours_from]),
            (t["check_fact_deleted"], f"{facts.deleted_record or '?'} ({facts.deleted_seen})"),
            (t["check_fact_listed"], f"{facts.records_listed} / {facts.pages_listed}"),
        ]
        if report.quality.records:
            tiers = ", ".join(f"{k}: {v}" for k, v in report.quality.tiers.items())
            rows.append((t["check_fact_quality"], f"{report.quality.mean} ({tiers})"))
        speed = outcome.speed
        if speed.pages:
            rows.append((t["check_fact_speed"], f"{speed.pages_per_second} / {speed.median_ms} ms"))
    return {
        "verdict": t[verdict],
        "exit_code": report.exit_code,
        "counts": {s: outcome.count(s) for s in ("error", "warning", "info")},
        "facts": rows,
        "findings": [_finding_view(f, t) for f in outcome.sorted_findings()],
        "museum_id": report.museum_id,
        "example": report.example,
    }


def create_check_router(catalogue: Catalogue, limits: CheckFormLimits | None = None) -> APIRouter:
    limits = limits or CheckFormLimits.from_env()
    limiter = ClientRateLimit(limits.checks_per_window, limits.window_seconds, limits.concurrent_checks)
    router = APIRouter(include_in_schema=False)

    def page(request: Request, status: int = 200, **extra: Any) -> HTMLResponse:
        lang = page_lang(request)
        context = {**base_context(request, lang), "form": {"url": "", "format": "", "set": ""}, "report": None,
                   "error": None, "formats": _FORMATS, "max_records": limits.max_records, **extra}  # fmt: skip
        return templates.TemplateResponse(request, "check.html", context, status_code=status)

    @router.get("/check", response_class=HTMLResponse)
    def check_form(request: Request) -> HTMLResponse:
        return page(request)

    @router.post("/check", response_class=HTMLResponse)
    async def check_submit(request: Request) -> HTMLResponse:
        t = base_context(request, page_lang(request))["t"]
        raw = b""
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > _MAX_FORM_BYTES:
                return page(request, 413, error=t["check_error_too_long"])
        fields = {k: v[0].strip() for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
        form = {key: fields.get(key, "")[:_MAX_URL] for key in ("url", "format", "set")}
        if form["format"] not in _FORMATS:
            form["format"] = ""
        if not form["url"]:
            return page(request, 400, form=form, error=t["check_error_no_url"])
        if limits.policy.url_problem(form["url"]):  # the reason names settings: not for the public
            return page(request, 400, form=form, error=t["check_error_refused"])
        client = request.client.host if request.client else "unknown"
        wait = limiter.acquire(client)
        if wait is not None:
            message = t["check_error_rate"].format(seconds=int(wait))
            return page(request, 429, form=form, error=message)
        try:
            report = await run_in_threadpool(
                run_endpoint_check,
                form["url"],
                metadata_prefix=form["format"] or None,
                set_spec=form["set"] or None,
                max_records=limits.max_records,
                policy=limits.policy,
                max_seconds=limits.max_seconds,
                timeout=limits.request_timeout,
                max_response_bytes=limits.policy.max_response_bytes,
            )
        finally:
            limiter.release()
        owner = catalogue.museum_for_endpoint(form["url"])
        if owner is not None and report.outcome.reachable:
            report.museum_id = owner.id
            await run_in_threadpool(catalogue.save_endpoint_profile, owner.id, report.to_json())
        return page(request, form=form, report=_report_view(report, t))

    return router
