"""The media proxy fetches a museum's file once, serves it from its cache, and is no open proxy."""

from __future__ import annotations

import io
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from aggregator.media.cache import DiskCache
from aggregator.media.fetch import FetchFailed, fetch
from aggregator.media.policy import BlockedSource, SourcePolicy
from aggregator.media.service import MediaService, MediaSettings
from demo.glb import yurt_glb
from demo.media_server import MediaServer, sample_image
from mappings.core import CoreRecord, Media, MediaKind, SourceInfo

LOOPBACK = SourcePolicy.from_env({"EMUSEUM_ALLOW_SOURCE_NETWORKS": "127.0.0.1/32"})


@pytest.fixture(scope="module")
def media_host() -> Iterator[str]:
    with MediaServer() as server:
        yield server.url


def _record(*urls: str, kind: MediaKind = MediaKind.IMAGE) -> CoreRecord:
    return CoreRecord(
        id="m:1",
        museum_id="m",
        local_id="1",
        media=[Media(url=u, kind=kind) for u in urls],
        source=SourceInfo(format="lido", mapping_version="t"),
    )


def _service(tmp_path: Path, record: CoreRecord, **settings: object) -> MediaService:
    options = {"cache_dir": tmp_path / "cache", "policy": LOOPBACK, **settings}
    return MediaService(lambda rid: record if rid == record.id else None, MediaSettings(**options))  # type: ignore[arg-type]


def test_loopback_private_and_link_local_sources_are_refused_unless_listed() -> None:
    closed = SourcePolicy()
    for address in ("127.0.0.1", "10.1.2.3", "192.168.0.5", "169.254.169.254", "::1", "fe80::1", "::ffff:10.0.0.1"):
        assert not closed.permits(address), address
    assert closed.permits("93.184.216.34")
    assert LOOPBACK.permits("127.0.0.1") and not LOOPBACK.permits("127.0.0.2")
    with pytest.raises(BlockedSource, match="EMUSEUM_ALLOW_SOURCE_NETWORKS"):
        closed.addresses("http://127.0.0.1:9/x.jpg")
    with pytest.raises(BlockedSource, match="only http and https"):
        closed.addresses("file:///etc/passwd")
    resolving_inside = SourcePolicy(resolver=lambda host, port: ["93.184.216.34", "10.0.0.7"])
    with pytest.raises(BlockedSource, match="10.0.0.7"):  # one private answer is enough to refuse
        resolving_inside.addresses("https://media.example.kz/a.jpg")


def test_a_bad_network_list_is_refused_with_the_variable_named() -> None:
    with pytest.raises(BlockedSource, match="EMUSEUM_ALLOW_SOURCE_NETWORKS"):
        SourcePolicy.from_env({"EMUSEUM_ALLOW_SOURCE_NETWORKS": "localhost"})


def test_fetch_is_bounded_in_size(media_host: str) -> None:
    url = media_host + "m/media/m/1.jpg"
    assert fetch(url, LOOPBACK, max_bytes=1_000_000).body == sample_image("/m/media/m/1.jpg")
    with pytest.raises(FetchFailed, match="bytes"):
        fetch(url, LOOPBACK, max_bytes=100)
    with pytest.raises(FetchFailed, match="HTTP 404"):
        fetch(media_host + "nothing", LOOPBACK, max_bytes=100)


def test_an_image_is_fetched_once_and_every_size_is_made_from_it(tmp_path: Path, media_host: str) -> None:
    service = _service(tmp_path, _record(media_host + "m/media/m/1.jpg"))
    thumb = service.get("m:1", 0, "thumb")
    assert thumb is not None and thumb.content_type == "image/jpeg"
    assert (thumb.width, thumb.height) == (240, 180)  # 640 x 480 scaled to 240 on the long side
    with Image.open(io.BytesIO(thumb.path.read_bytes())) as image:
        assert image.size == (240, 180)
    large = service.get("m:1", 0, "large")
    assert large is not None and (large.width, large.height) == (640, 480)  # never enlarged
    assert len(list((tmp_path / "cache").glob("*.bin"))) == 2


def test_a_source_that_is_down_gives_nothing_and_is_not_asked_again_at_once(tmp_path: Path) -> None:
    calls: list[str] = []
    policy = SourcePolicy(rules=LOOPBACK.rules, resolver=lambda host, port: calls.append(host) or ["127.0.0.1"])
    service = _service(tmp_path, _record("http://127.0.0.1:9/gone.jpg"), policy=policy, timeout=2.0)
    assert service.get("m:1", 0, "thumb") is None
    assert service.get("m:1", 0, "thumb") is None
    assert len(calls) == 1


def test_a_3d_model_is_passed_through_with_its_media_type(tmp_path: Path, media_host: str) -> None:
    service = _service(tmp_path, _record(media_host + "m/media/m/1.glb", kind=MediaKind.MODEL_3D))
    entry = service.get("m:1", 0, "file")
    assert entry is not None and entry.content_type == "model/gltf-binary"
    assert entry.path.read_bytes()[:4] == b"glTF"
    assert service.get("m:1", 0, "thumb") is None  # a model has no thumbnail


def test_the_cache_evicts_the_least_recently_used_files_first(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path, max_bytes=3500)
    for n in range(3):
        cache.put(f"k{n}", bytes(1000), "image/jpeg")
        past = time.time() - 100 + n
        os.utime(tmp_path / f"k{n}.bin", (past, past))
    assert cache.get("k0") is not None  # k0 used now: k1 is the oldest
    cache.put("k3", bytes(1000), "image/jpeg")
    assert cache.get("k1") is None and cache.get("k0") is not None and cache.get("k3") is not None
    assert cache.total() <= 3500


def test_the_demo_model_is_a_valid_binary_gltf() -> None:
    data = yurt_glb()
    assert data[:4] == b"glTF" and int.from_bytes(data[8:12], "little") == len(data) and len(data) % 4 == 0
    assert yurt_glb() == data  # the same bytes every time
