"""The /check form: the endpoint check for the public, in kk / ru / en, that cannot be turned against our network."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from aggregator.catalogue import Catalogue
from aggregator.web.api import create_app
from aggregator.web.rate_limit import ClientRateLimit
from tests.aggregator.test_api import open_catalogue
from tests.conftest import missing_service
from tests.faults.hostile_endpoint import HostileEndpoint
from tests.loopback import LoopbackServer, QuietHandler

MUSEUM = "kz-form-museum"


def _museum(url: str) -> dict[str, object]:
    return {"id": MUSEUM, "name": {"ru": "Музей формы"}, "region": "KZ-75", "source": {"type": "oai-pmh", "url": url}}


@pytest.fixture
def hostile() -> Iterator[HostileEndpoint]:
    with HostileEndpoint(behaviour="ignore_from") as endpoint:
        yield endpoint


def _client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str, *, allow: str | None, rate: int = 5
) -> tuple[TestClient, Catalogue]:
    monkeypatch.setenv("EMUSEUM_ALLOW_SOURCE_NETWORKS", "127.0.0.0/8")  # the registry's museum is on loopback
    if allow is None:
        monkeypatch.delenv("EMUSEUM_CHECK_ALLOW_NETWORKS", raising=False)
    else:
        monkeypatch.setenv("EMUSEUM_CHECK_ALLOW_NETWORKS", allow)
    monkeypatch.setenv("EMUSEUM_CHECKS_PER_CLIENT", str(rate))
    catalogue = open_catalogue(tmp_path, monkeypatch, museums=[_museum(url)])
    return TestClient(create_app(catalogue)), catalogue


def test_the_form_speaks_three_languages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    client, catalogue = _client(tmp_path, monkeypatch, "http://127.0.0.1:9/oai", allow=None)
    with catalogue:
        for lang, words in (("kk", "OAI-PMH эндпоинтін тексеру"), ("ru", "Проверка эндпоинта OAI-PMH"),
                            ("en", "Check an OAI-PMH endpoint")):  # fmt: skip
            page = client.get("/check", params={"lang": lang})
            assert page.status_code == 200 and words in page.text and f'<html lang="{lang}">' in page.text
        assert 'href="/check?lang=ru"' in client.get("/", params={"lang": "ru"}).text


def test_a_check_shows_localised_findings_and_saves_the_museums_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hostile: HostileEndpoint
) -> None:
    client, catalogue = _client(tmp_path, monkeypatch, hostile.url, allow="127.0.0.0/8")
    with catalogue:
        page = client.post("/check?lang=ru", data={"url": hostile.url, "format": "", "set": ""})
        assert page.status_code == 200
        assert "Найдены ошибки" in page.text and "«from» игнорируется" in page.text
        assert '<span class="finding-area">инкрементальный сбор</span>' in page.text  # the area in Russian too
        assert "Возвращайте только записи, изменённые начиная с «from»" in page.text
        assert f"{hostile.url}?verb=ListIdentifiers" in page.text  # the evidence, as a link
        assert f"профиль эндпоинта музея {MUSEUM}" in page.text
        # The first record, explained: each value beside the element it was read from.
        assert "Откуда взято каждое значение: первая запись" in page.text
        assert '<code class="source-path">' in page.text and "titleWrap" in page.text
        profile = catalogue.endpoint_profile(MUSEUM)
        assert profile is not None and profile["facts"]["honours_from"] is False


def test_private_and_loopback_addresses_are_refused_unless_allowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hostile: HostileEndpoint
) -> None:
    client, catalogue = _client(tmp_path, monkeypatch, hostile.url, allow=None)
    with catalogue:
        for url in (hostile.url, "http://localhost./oai", "http://169.254.169.254/latest/meta-data/",
                    "http://[::1]:80/oai", "http://0x7f000001/oai", "file:///etc/passwd", "gopher://x/"):  # fmt: skip
            page = client.post("/check?lang=en", data={"url": url})
            assert page.status_code == 400 and "does not check this address" in page.text, url
        assert hostile.requests_seen == []


def test_a_redirect_into_loopback_is_refused_at_connect_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hostile: HostileEndpoint
) -> None:
    target = hostile.url

    class Redirect(QuietHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()

    with LoopbackServer(Redirect, host="127.0.0.2") as server:  # a second loopback address, allowed on its own
        url = f"{server.base_url}/oai"
        client, catalogue = _client(tmp_path, monkeypatch, "http://127.0.0.1:9/oai", allow="127.0.0.2/32")
        with catalogue:
            page = client.post("/check?lang=en", data={"url": url})
        assert page.status_code == 200 and "The endpoint could not be reached" in page.text
        assert "loopback" in page.text and hostile.requests_seen == []


def test_checks_are_limited_per_client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hostile: HostileEndpoint
) -> None:
    client, catalogue = _client(tmp_path, monkeypatch, "http://127.0.0.1:9/oai", allow="127.0.0.0/8", rate=1)
    with catalogue:
        assert client.post("/check?lang=kk", data={"url": hostile.url}).status_code == 200
        second = client.post("/check?lang=kk", data={"url": hostile.url})
        assert second.status_code == 429 and "тексеру тым көп болды" in second.text


def test_the_limiter_counts_a_sliding_window_and_work_at_once() -> None:
    now = [0.0]
    limiter = ClientRateLimit(2, 60.0, 1, clock=lambda: now[0])
    assert limiter.acquire("a") is None
    assert limiter.acquire("b") == 10.0  # one check at a time, whoever asks
    limiter.release()
    assert limiter.acquire("a") is None
    limiter.release()
    assert limiter.acquire("a") == 60.0  # a third within the minute waits for the first to age out
    now[0] = 61.0
    assert limiter.acquire("a") is None


def test_127_0_0_2_is_loopback_here() -> None:
    with socket.socket() as probe:  # the redirect spec needs a second loopback address
        probe.bind(("127.0.0.2", 0))


# -- in the browser: the form and a report, at a desk and on a phone ----------------------------------

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
AXE = ROOT / "var" / "vendor" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def check_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from aggregator.web.server import ServerThread

    with pytest.MonkeyPatch.context() as monkeypatch, HostileEndpoint(behaviour="mojibake") as endpoint:
        client_env = tmp_path_factory.mktemp("check-site")
        _, catalogue = _client(client_env, monkeypatch, endpoint.url, allow="127.0.0.0/8", rate=100)
        with catalogue, ServerThread(create_app(catalogue)) as server:
            yield server.url.rstrip("/") + "|" + endpoint.url


@pytest.mark.browser
@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_report_fits_the_screen_and_has_no_serious_accessibility_violations(
    chromium: object, check_site: str, lang: str, width: int
) -> None:
    site, endpoint = check_site.split("|")
    context = chromium.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{site}/check?lang={lang}")
        page.fill("#check-url", endpoint)
        page.click("button[type=submit]")
        page.wait_for_selector(".check-report", timeout=60_000)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"check-{lang}-{width}.png"), full_page=True)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
        assert page.locator(".finding-error").count() >= 1
        if width == 1366:
            if not AXE.exists():
                missing_service(f"{AXE} is missing (make assets installs axe-core from the npm registry)")
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(
                "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa',"
                " 'wcag21aa']}, resultTypes: ['violations']})"
            )
            violations = result["violations"]
            serious = [f"{v['id']}: {v['help']}" for v in violations if v["impact"] in ("serious", "critical")]
            assert serious == []
    finally:
        context.close()
