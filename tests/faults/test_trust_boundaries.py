"""Trust boundaries (issue 13): where a museum URL may point, what may be read, what an error may say."""

from __future__ import annotations

import ipaddress
import os
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from config.errors import ConfigError
from config.registry import CsvSource, load_registry
from config.settings import load_settings
from config.source_policy import SourcePolicy, load_source_policy
from harvester.csv_export import read_export
from harvester.errors import CsvExportError, ForbiddenSource, HarvestError, ResponseTooLarge
from harvester.oai import OaiHarvester
from tests.faults.conftest import LOOPBACK, MUSEUM, MiB, harvest, oai_source, small_policy
from tests.faults.hostile_endpoint import HostileEndpoint
from tests.loopback import LoopbackServer, QuietHandler

Hostile = Callable[..., HostileEndpoint]
PUBLIC_ONLY = SourcePolicy()


def _registry(tmp_path: Path, source: str) -> Path:
    path = tmp_path / "museums.yaml"
    path.write_text(
        f"museums:\n  - id: {MUSEUM}\n    name: {{en: Hostile}}\n    region: KZ-75\n    source: {source}\n",
        encoding="utf-8",
    )
    return path


# -- at configuration time --------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[fe80::1]/oai",
        "http://10.0.0.5/oai",
        "http://127.1:8080/oai",
        "http://0x7f000001/oai",
        "http://localhost:8080/oai",
        "http://[::ffff:169.254.169.254]/oai",
        "http://100.64.0.1/oai",
        "http://0.0.0.0/oai",
    ],
)
def test_a_museum_url_to_a_non_public_address_is_refused_at_config_load(tmp_path: Path, url: str) -> None:
    path = _registry(tmp_path, f'{{type: oai-pmh, url: "{url}"}}')

    with pytest.raises(ConfigError) as caught:
        load_registry(path, PUBLIC_ONLY)

    message = str(caught.value)
    assert str(path) in message and f"museum {MUSEUM}" in message and "field source.url" in message
    assert "EMUSEUM_ALLOW_SOURCE_NETWORKS" in message


def test_museums_refused_for_one_reason_share_one_line_of_advice(tmp_path: Path) -> None:
    """A missing setting refuses every local source at once: its advice is said once, not per museum."""
    path = tmp_path / "museums.yaml"
    local = "".join(
        f"  - {{id: kz-local-{n:02d}, name: {{en: Local}}, region: KZ-75,"
        f" source: {{type: oai-pmh, url: 'http://127.0.0.1:{8000 + n}/oai'}}}}\n"
        for n in range(20)
    )
    path.write_text("museums:\n" + local + "  - {id: kz-private, name: {en: P}, region: KZ-75,"
                    " source: {type: oai-pmh, url: 'http://10.0.0.5/oai'}}\n", encoding="utf-8")  # fmt: skip

    with pytest.raises(ConfigError) as caught:
        load_registry(path, PUBLIC_ONLY)

    message = str(caught.value)
    assert message.count("EMUSEUM_ALLOW_SOURCE_NETWORKS") == 2  # one line for the loopback ones, one for 10.0.0.5
    assert "museums kz-local-00, kz-local-01, " in message and "kz-local-07 and 12 more, field source.url:" in message
    assert "museum kz-private, field source.url:" in message


def test_the_operator_allows_named_networks_only(tmp_path: Path) -> None:
    path = _registry(tmp_path, '{type: oai-pmh, url: "http://127.0.0.1:8080/oai"}')
    allow_loopback = load_source_policy({"EMUSEUM_ALLOW_SOURCE_NETWORKS": "127.0.0.0/8,::1/128"})

    assert load_registry(path, allow_loopback).ids() == [MUSEUM]
    with pytest.raises(ConfigError, match="loopback"):
        load_registry(path, load_source_policy({"EMUSEUM_ALLOW_SOURCE_NETWORKS": "10.0.0.0/8"}))
    with pytest.raises(ConfigError, match="169.254.169.254 is a link-local address"):
        load_registry(_registry(tmp_path, '{type: oai-pmh, url: "http://169.254.169.254/"}'), allow_loopback)


def test_settings_read_the_policy_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _registry(tmp_path, '{type: oai-pmh, url: "http://127.0.0.1:8080/oai"}')
    monkeypatch.setenv("EMUSEUM_ALLOW_SOURCE_NETWORKS", "192.168.0.0/16")
    with pytest.raises(ConfigError, match="127.0.0.1 is a loopback address"):
        load_settings(tmp_path)
    monkeypatch.setenv("EMUSEUM_ALLOW_SOURCE_NETWORKS", "127.0.0.0/8")
    monkeypatch.setenv("EMUSEUM_MAX_RESPONSE_BYTES", "8MiB")
    monkeypatch.setenv("EMUSEUM_MAX_SECONDS_PER_MUSEUM", "600")
    policy = load_settings(tmp_path).source_policy
    assert policy.max_response_bytes == 8 * MiB and policy.max_seconds == 600
    monkeypatch.setenv("EMUSEUM_ALLOW_SOURCE_NETWORKS", "not-a-network")
    with pytest.raises(ConfigError, match="EMUSEUM_ALLOW_SOURCE_NETWORKS"):
        load_settings(tmp_path)


def test_file_sources_only_under_the_exports_folder(tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "ok.csv").write_text("id,title\n1,a\n", encoding="utf-8")
    (tmp_path / "secret.csv").write_text("id,title\n1,a\n", encoding="utf-8")
    (exports / "link.csv").symlink_to(tmp_path / "secret.csv")
    policy = SourcePolicy(file_sources_dir=exports)

    def load(url: str) -> object:
        return load_registry(_registry(tmp_path, f'{{type: csv, url: "{url}", profile: generic}}'), policy)

    assert load((exports / "ok.csv").as_uri())
    assert load(str(exports / "ok.csv"))
    for outside in [
        "file:///etc/passwd",
        (exports / ".." / "secret.csv").as_posix(),
        (exports / "link.csv").as_uri(),
        "/etc/passwd",
    ]:
        with pytest.raises(ConfigError, match="outside EMUSEUM_FILE_SOURCES_DIR"):
            load(outside)
    with pytest.raises(ConfigError, match="EMUSEUM_FILE_SOURCES_DIR, which is not set"):
        load_registry(_registry(tmp_path, f'{{type: csv, url: "{(exports / "ok.csv").as_uri()}"}}'), PUBLIC_ONLY)
    with pytest.raises(ConfigError, match="gopher"):
        load("gopher://example.org/export.csv")


# -- at connect time --------------------------------------------------------------------------


def test_a_literal_metadata_address_is_refused_before_any_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_connection(*args: object, **kwargs: object) -> None:
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(socket, "create_connection", no_connection)
    monkeypatch.setattr("urllib3.util.connection.create_connection", no_connection)
    harvester = OaiHarvester(MUSEUM, oai_source("http://169.254.169.254/oai"), policy=PUBLIC_ONLY)

    outcome = harvest(harvester)

    assert isinstance(outcome.error, ForbiddenSource)
    assert "169.254.169.254 is a link-local address" in str(outcome.error)


def test_a_hostname_resolving_to_a_forbidden_address_is_refused_before_a_byte_is_sent(hostile: Hostile) -> None:
    endpoint = hostile("healthy")
    url = endpoint.url.replace("127.0.0.1", "localhost")  # a DNS name, not a literal address
    only_vpn = SourcePolicy(allowed_networks=(ipaddress.ip_network("10.20.0.0/16"),))

    outcome = harvest(OaiHarvester(MUSEUM, oai_source(url), policy=only_vpn))

    assert isinstance(outcome.error, ForbiddenSource)
    message = str(outcome.error)
    assert "localhost: it resolves to" in message and "loopback address" in message and "\n" not in message
    assert endpoint.requests_seen == []  # refused before connecting
    allowed = harvest(OaiHarvester(MUSEUM, oai_source(url), policy=small_policy()))
    assert allowed.error is None and len(allowed.identifiers) == 30


def test_the_address_checked_is_the_address_connected_to(hostile: Hostile, monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: a second lookup of the name would say 169.254.169.254; there is no second lookup."""
    endpoint = hostile("healthy", records=25)
    real = socket.getaddrinfo
    lookups: list[str] = []

    def rebinding(host: str, *args: object, **kwargs: object) -> object:
        if host == "museum.rebind.test":
            lookups.append(host)
            answer = "127.0.0.1" if len(lookups) == 1 else "169.254.169.254"
            return real(answer, *args, **kwargs)  # type: ignore[arg-type]
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    url = endpoint.url.replace("127.0.0.1", "museum.rebind.test")
    policy = small_policy(allowed_networks=LOOPBACK)

    outcome = harvest(OaiHarvester(MUSEUM, oai_source(url), policy=policy))

    assert outcome.error is None and len(outcome.identifiers) == 25
    assert lookups == ["museum.rebind.test"]  # one lookup, for the one pooled connection
    assert endpoint.requests_seen


class _Redirector:
    """A loopback server that redirects every request to ``target`` (with an endless body if asked)."""

    def __init__(self, target: str, *, endless_body: bool = False) -> None:
        stop = self.stop = threading.Event()

        class Handler(QuietHandler):
            def do_GET(self) -> None:  # noqa: N802
                self.send_response(302)
                self.send_header("Location", target + ("?" + self.path.split("?", 1)[1] if "?" in self.path else ""))
                self.send_header("Content-Length", str(10**12 if endless_body else 0))
                self.end_headers()
                try:
                    while endless_body and not stop.is_set():
                        self.wfile.write(b" " * 65536)
                except OSError:
                    pass

        self.httpd = LoopbackServer(Handler)

    @property
    def url(self) -> str:
        return f"{self.httpd.base_url}/oai"

    def __enter__(self) -> _Redirector:
        self.httpd.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.httpd.stop()


@pytest.fixture
def redirector() -> Iterator[Callable[..., _Redirector]]:
    started: list[_Redirector] = []

    def start(target: str, *, endless_body: bool = False) -> _Redirector:
        server = _Redirector(target, endless_body=endless_body).__enter__()
        started.append(server)
        return server

    yield start
    for server in started:
        server.__exit__()


def test_a_redirect_to_the_metadata_address_is_refused(redirector: Callable[..., _Redirector]) -> None:
    server = redirector("http://169.254.169.254/latest/meta-data/iam/")

    outcome = harvest(OaiHarvester(MUSEUM, oai_source(server.url), policy=small_policy()))

    assert isinstance(outcome.error, ForbiddenSource)
    assert "169.254.169.254 is a link-local address" in str(outcome.error)


def test_a_redirect_to_a_file_url_is_refused(redirector: Callable[..., _Redirector]) -> None:
    server = redirector("file:///etc/passwd")

    outcome = harvest(OaiHarvester(MUSEUM, oai_source(server.url), policy=small_policy()))

    assert isinstance(outcome.error, HarvestError) and "only http(s)" in str(outcome.error)
    assert "root:" not in str(outcome.error)


def test_a_redirect_with_an_endless_body_is_followed_without_reading_the_body(
    redirector: Callable[..., _Redirector], hostile: Hostile
) -> None:
    endpoint = hostile("healthy", records=15)
    server = redirector(endpoint.url, endless_body=True)

    outcome = harvest(OaiHarvester(MUSEUM, oai_source(server.url), policy=small_policy()))

    assert outcome.error is None and len(outcome.identifiers) == 15
    assert outcome.seconds < 10


# -- CSV sources ------------------------------------------------------------------------------


def _read(source: CsvSource, policy: SourcePolicy) -> list[object]:
    return list(read_export(MUSEUM, source, id_columns=["id"], policy=policy))


def test_etc_passwd_as_a_csv_source_is_refused_outside_the_exports_folder(tmp_path: Path) -> None:
    source = CsvSource(type="csv", url="file:///etc/passwd", profile="generic")

    with pytest.raises(ForbiddenSource, match="outside EMUSEUM_FILE_SOURCES_DIR"):
        _read(source, SourcePolicy(file_sources_dir=tmp_path))
    with pytest.raises(ForbiddenSource, match="not set"):
        _read(source, PUBLIC_ONLY)


@pytest.mark.skipif(not Path("/etc/passwd").is_file(), reason="needs /etc/passwd")
def test_when_allowed_etc_passwd_is_read_but_none_of_it_appears_in_the_error() -> None:
    source = CsvSource(type="csv", url="file:///etc/passwd", profile="generic")

    with pytest.raises(CsvExportError) as caught:
        _read(source, SourcePolicy(file_sources_dir=Path("/etc")))

    message = str(caught.value)
    assert "does not look like a CSV export" in message and "\n" not in message
    lines = Path("/etc/passwd").read_text(encoding="utf-8", errors="replace").splitlines()
    for part in {field for line in lines for field in line.split(":") if len(field) >= 4}:
        assert part not in message.replace("/etc/passwd", "")


def test_a_csv_download_from_a_forbidden_address_is_refused() -> None:
    source = CsvSource(type="csv", url="http://169.254.169.254/export.csv", profile="generic")

    with pytest.raises(ForbiddenSource, match="link-local"):
        _read(source, PUBLIC_ONLY)


def test_a_csv_file_over_the_cap_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("wb") as file:
        file.write(b"id,title\n")
        file.truncate(3 * MiB)  # sparse: no 3 MiB written
    source = CsvSource(type="csv", url=path.as_uri(), profile="generic", max_response_bytes=2 * MiB)

    with pytest.raises(ResponseTooLarge, match="larger than 2 MiB"):
        _read(source, SourcePolicy(file_sources_dir=tmp_path))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_as_a_csv_source_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "export.csv"
    os.mkfifo(fifo)

    with pytest.raises(CsvExportError, match="not a regular file"):
        _read(CsvSource(type="csv", url=str(fifo), profile="generic"), SourcePolicy(file_sources_dir=tmp_path))
