"""The ministry's dashboard and /metrics, served for real on 127.0.0.1 and used as a person and a scraper would."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from aggregator.catalogue import Catalogue
from aggregator.ops.service import Operations
from aggregator.web.api import create_app
from aggregator.web.server import ServerThread
from tests.ops.conftest import Night, records

TOKEN = "s3cret-operator-token"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture
def served(night: Night, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Catalogue, int]]:
    """Two nights run (the second holds kz-shrinking and fails kz-broken again), the app serving them."""
    monkeypatch.setenv("EMUSEUM_API_TOKEN", TOKEN)
    with Catalogue.open(night.config) as catalogue:
        ops = Operations(catalogue)
        ops.run_pass("nightly", datetime(2026, 11, 28, 20, 30, tzinfo=UTC), None, deliver_report=False)
        night.shrinking.set_records(records("kz-shrinking", 40)[:10])
        report = ops.run_pass("nightly", datetime(2026, 11, 29, 20, 30, tzinfo=UTC), None, full=True,
                              deliver_report=False).report  # fmt: skip
        held = report["held_runs"][0]["run_id"]
        app = create_app(catalogue)
        with ServerThread(app) as server:
            yield server.url.rstrip("/"), catalogue, held
            for museum_id in catalogue.settings.registry.ids():  # a harvest started by a button ends first
                assert app.state.harvest_jobs.wait(museum_id, timeout=120)


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def test_the_dashboard_needs_the_operator_token(served: tuple[str, Catalogue, int]) -> None:
    url, _, _ = served
    anonymous = httpx.get(f"{url}/admin")
    assert anonymous.status_code == 401 and 'name="token"' in anonymous.text
    assert httpx.get(f"{url}/admin", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert httpx.get(f"{url}/admin/museums/kz-broken").status_code == 401
    assert httpx.post(f"{url}/admin/login", data={"token": "wrong"}).status_code == 401
    page = httpx.get(f"{url}/admin?lang=en", headers={"Authorization": f"Bearer {TOKEN}"})
    assert page.status_code == 200 and "Harvest dashboard" in page.text and "Broken Museum" in page.text


def test_buttons_work_with_the_session_and_its_csrf_token_only(served: tuple[str, Catalogue, int]) -> None:
    url, catalogue, held = served
    with httpx.Client(base_url=url) as browser:
        login = browser.post("/admin/login?lang=ru", data={"token": TOKEN})
        assert login.status_code == 303 and "emuseum_admin" in login.headers["set-cookie"]
        cookie = login.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie
        page = browser.get("/admin?lang=ru")
        assert page.status_code == 200 and "Панель сбора данных" in page.text
        # A forged form (the cookie rides along, the CSRF token cannot) changes nothing.
        forged = browser.post(f"/admin/runs/{held}/reject", data={"csrf": "guessed"})
        assert forged.status_code == 401 and catalogue.run(held)["status"] == "held"  # type: ignore[index]
        done = browser.post(f"/admin/runs/{held}/reject?lang=ru", data={"csrf": _csrf(page.text)})
        assert done.status_code == 303 and catalogue.run(held)["status"] == "rejected"  # type: ignore[index]
        detail = browser.get("/admin/museums/kz-broken?lang=ru")
        assert detail.status_code == 200 and "Сервер музея недоступен" in detail.text and "<svg" in detail.text
        # The response-time chart writes its unit in the page's language.
        healthy = browser.get("/admin/museums/kz-healthy?lang=ru").text
        assert re.search(r"\d мс</text>", healthy) and " ms</text>" not in healthy
        assert re.search(r"\d ms</text>", browser.get("/admin/museums/kz-healthy?lang=en").text)


def test_metrics_are_scraped_in_the_prometheus_text_format(served: tuple[str, Catalogue, int]) -> None:
    url, _, _ = served
    assert httpx.get(f"{url}/api/search", params={"q": "a"}).status_code == 200
    body = httpx.get(f"{url}/metrics").text
    assert 'emuseum_records_mapped{museum="kz-healthy"} 30.0' in body
    assert 'emuseum_records_harvested{museum="kz-shrinking"} 40.0' in body  # the held run changed nothing
    assert 'emuseum_last_run_succeeded{museum="kz-broken"} 0.0' in body
    assert 'emuseum_last_run_http_errors{museum="kz-broken"} 2.0' in body
    assert "emuseum_queue_length 0.0" in body and "emuseum_outbox_backlog 0.0" in body
    assert "emuseum_store_records 70.0" in body and "emuseum_index_documents 70.0" in body
    assert re.search(r'emuseum_search_seconds_count\{endpoint="api"\} [1-9]', body)


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height", "name"), [(1366, 900, "desktop"), (390, 844, "phone")])
def test_the_dashboard_in_a_browser_fits_the_screen_and_its_buttons_work(
    served: tuple[str, Catalogue, int],
    chromium: Any,
    width: int,
    height: int,
    name: str,  # noqa: F811
) -> None:
    url, catalogue, held = served
    context = chromium.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        page.goto(f"{url}/admin?lang=kk")
        page.fill("#token", TOKEN)
        page.click("form[action^='/admin/login'] button")
        page.wait_for_url(re.compile(r"/admin\?"))
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.locator(".tile").count() == 20 and page.locator(".tile.red").count() == 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"test-admin-{name}.png"), full_page=True)
        page.click(f"form[action^='/admin/runs/{held}/approve'] button")
        page.wait_for_selector(".flash")
        assert catalogue.run(held)["status"] == "succeeded"  # type: ignore[index]
        page.click("form[action^='/admin/museums/kz-healthy/harvest'] button")
        page.wait_for_selector(".flash")
        assert "kz-healthy" in page.inner_text(".flash")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(SCREENSHOTS / f"test-museum-{name}.png"), full_page=True)
    finally:
        context.close()
