"""The small parts behind issue 13's bounds: capped inflation, the seen-identifier filter, clocks, limits."""

from __future__ import annotations

import gzip
import io
import ipaddress
import time
import zlib
from datetime import UTC, datetime, timedelta

import pytest

from config.registry import OaiSource
from config.source_policy import SourcePolicy, format_bytes, load_source_policy
from harvester.errors import HarvestError, excerpt
from harvester.http_body import BodyTooLarge, BrokenEncoding, UnsupportedEncoding, read_limited
from harvester.limits import Deadline, format_seconds, harvest_deadline
from harvester.listing_guard import ListingGuard, SeenIdentifiers
from harvester.server_clock import incremental_from, window_start


class _Raw:
    """A urllib3-like body: ``read(amt, decode_content=False)`` over bytes, counting what was read."""

    def __init__(self, data: bytes) -> None:
        self.stream = io.BytesIO(data)
        self.read_bytes = 0

    def read(self, amt: int | None = None, decode_content: bool | None = None) -> bytes:
        chunk = self.stream.read(amt)
        self.read_bytes += len(chunk)
        return chunk


# -- capped reading and inflation ---------------------------------------------------------------


def test_identity_bodies_are_read_whole_under_the_cap() -> None:
    assert read_limited(_Raw(b"x" * 1000), None, 1000) == b"x" * 1000
    with pytest.raises(BodyTooLarge):
        read_limited(_Raw(b"x" * 1001), "identity", 1000)


def test_a_declared_length_over_the_cap_is_refused_before_reading() -> None:
    raw = _Raw(b"x" * 5000)
    with pytest.raises(BodyTooLarge):
        read_limited(raw, None, 1000, content_length="5000")
    assert raw.read_bytes == 0


def test_gzip_is_inflated_and_counted_after_inflation_stopping_early() -> None:
    packer = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b" " * (1024 * 1024)
    bomb = b"".join(packer.compress(block) for _ in range(100)) + packer.flush()  # 100 MiB in ~100 KB
    raw = _Raw(bomb)
    with pytest.raises(BodyTooLarge):
        read_limited(raw, "gzip", 1024 * 1024)
    assert raw.read_bytes < len(bomb)  # stopped before the end of the stream
    assert read_limited(_Raw(gzip.compress(b"abc") + gzip.compress(b"def")), "gzip", 100) == b"abcdef"


def test_deflate_with_and_without_the_zlib_header_is_inflated() -> None:
    data = b"<OAI-PMH/>" * 100
    raw_deflate = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    headerless = raw_deflate.compress(data) + raw_deflate.flush()
    assert read_limited(_Raw(zlib.compress(data)), "deflate", 10_000) == data
    assert read_limited(_Raw(headerless), "deflate", 10_000) == data


def test_codings_not_asked_for_and_broken_streams_are_told_apart() -> None:
    with pytest.raises(UnsupportedEncoding):
        read_limited(_Raw(b"..."), "br", 100)
    with pytest.raises(UnsupportedEncoding):
        read_limited(_Raw(b"..."), "gzip, gzip", 100)
    with pytest.raises(BrokenEncoding):
        read_limited(_Raw(b"\x1f\x8b\x08\x00garbage-garbage"), "gzip", 100)


# -- the listing guard ------------------------------------------------------------------------


def test_seen_identifiers_remember_without_false_alarms_at_scale() -> None:
    seen = SeenIdentifiers(size_bytes=1024 * 1024)
    assert seen.add("oai:m.kz:1") is False and seen.add("oai:m.kz:1") is True
    false_seen = sum(seen.add(f"oai:m.kz:record-{n}") for n in range(100_000))
    assert false_seen <= 2


def test_a_window_restart_forgets_what_was_seen() -> None:
    guard = ListingGuard("m", "http://museum.example/oai", stale_pages=2)
    guard.check_page(["a", "b"], "t1", None)
    guard.check_page(["a"], "t2", None)
    guard.restart()
    guard.check_page(["a", "b"], "t1", None)  # same records, same token: fine after a restart
    guard.check_page(["a"], "t3", None)
    with pytest.raises(HarvestError, match="last 2 pages brought no record"):
        guard.check_page([], "t4", None)


def test_the_last_page_may_repeat_records_without_being_called_a_loop() -> None:
    guard = ListingGuard("m", "http://museum.example/oai", stale_pages=1)
    guard.check_page(["a"], "t1", None)
    guard.check_page(["a"], None, None)  # no next token: the listing ends anyway


# -- clocks -----------------------------------------------------------------------------------

NOW = datetime(2026, 5, 1, 12, 0, 0, tzinfo=UTC)


def test_the_window_start_is_never_later_than_our_clock() -> None:
    assert window_start("2026-05-01T11:59:58Z", NOW) == ("2026-05-01T11:59:58Z", None)
    stored, note = window_start("2099-01-01T00:00:00Z", NOW)
    assert stored == "2026-05-01T12:00:00Z" and note and "ahead of" in note
    stored, note = window_start("2026-05-01T12:00:30Z", NOW)  # seconds ahead: ours, silently
    assert stored == "2026-05-01T12:00:00Z" and note is None
    stored, note = window_start("2020-01-01T00:00:00Z", NOW)  # behind: the server's, noted
    assert stored == "2020-01-01T00:00:00Z" and note and "behind" in note


def test_an_incremental_from_is_never_in_our_future() -> None:
    overlap = timedelta(hours=1)
    moment, note = incremental_from(NOW - timedelta(days=1), NOW, overlap)
    assert moment == NOW - timedelta(days=1, hours=1) and note is None
    moment, note = incremental_from(datetime(2099, 1, 1, tzinfo=UTC), NOW, overlap)
    assert moment is None and note and "listing everything" in note


# -- limits and messages ------------------------------------------------------------------------


def test_the_deadline_is_the_smaller_of_flag_and_registry() -> None:
    policy = SourcePolicy(max_seconds=4 * 3600)
    source = OaiSource(type="oai-pmh", url="https://museum.example/oai")
    now = 1000.0
    assert harvest_deadline(source, policy, now=now) == now + 4 * 3600
    assert harvest_deadline(source, policy, max_seconds=60, now=now) == now + 60
    own = source.model_copy(update={"max_seconds": 30.0})
    assert harvest_deadline(own, policy, max_seconds=60, now=now) == now + 30
    deadline = Deadline(time.monotonic() + 100)
    assert 99 < deadline.remaining() <= 100 and not deadline.expired()
    assert Deadline(None).remaining() == float("inf")
    assert format_seconds(2.5) == "2.5 s" and format_seconds(4 * 3600) == "4 h" and format_seconds(725) == "12 min 5 s"


def test_environment_values_are_read_with_units_and_defaults() -> None:
    policy = load_source_policy({"EMUSEUM_MAX_RESPONSE_BYTES": "16MiB", "EMUSEUM_FILE_SOURCES_DIR": "/srv/exports"})
    assert policy.max_response_bytes == 16 * 1024 * 1024 and str(policy.file_sources_dir) == "/srv/exports"
    defaults = load_source_policy({})
    assert defaults.max_response_bytes == 64 * 1024 * 1024 and defaults.max_seconds == 14400
    assert defaults.allowed_networks == () and defaults.file_sources_dir is None
    assert format_bytes(64 * 1024 * 1024) == "64 MiB"


def test_an_allowed_ipv4_network_covers_its_ipv4_mapped_ipv6_form() -> None:
    policy = SourcePolicy(allowed_networks=(ipaddress.ip_network("127.0.0.0/8"),))
    assert policy.address_problem("::ffff:127.0.0.1") is None
    assert policy.address_problem("::ffff:169.254.169.254") is not None


def test_excerpts_are_short_printable_and_one_line() -> None:
    text = excerpt("line one\nline two\x1b[31m" + "x" * 500, 40)
    assert text.startswith("«line one line two?[31m") and text.endswith("…»") and len(text) <= 42
    assert str(HarvestError("m", "a\nb\r\nc")) == "museum m: a b c"
