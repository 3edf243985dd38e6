"""The sample museums' media host on 127.0.0.1: photographs, 3D models and tour pages.

Records name their media by URL; the catalogue's media proxy fetches them,
makes thumbnails and serves the page.  So the demo shows real thumbnails and a
real 3D viewer, this server answers the sample records' media URLs
(``/<museum>/media/<museum>/<local id>.jpg|.glb``, ``/<museum>/tours/...``)
with files generated on first request, deterministically from the path:
a photograph-like picture drawn with Pillow, the yurt of ``demo.glb``, a
short HTML page.  Nothing is written to disk.
"""

from __future__ import annotations

import hashlib
import io
import threading
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import unquote, urlsplit

from PIL import Image, ImageDraw

from demo.glb import yurt_glb

__all__ = ["MediaServer", "sample_image"]


@lru_cache(maxsize=512)
def sample_image(path: str, width: int = 640, height: int = 480) -> bytes:
    """A JPEG for ``path``: an object on a backdrop, colours and shape chosen by the path's hash."""
    digest = hashlib.sha256(path.encode("utf-8")).digest()
    backdrop = (200 + digest[0] % 40, 195 + digest[1] % 40, 185 + digest[2] % 40)
    body = (60 + digest[3] % 140, 40 + digest[4] % 110, 30 + digest[5] % 90)
    image = Image.new("RGB", (width, height), backdrop)
    draw = ImageDraw.Draw(image)
    for y in range(height // 2, height):  # a floor that darkens towards the front
        shade = (y - height // 2) * 40 // (height // 2)
        draw.line([(0, y), (width, y)], fill=tuple(max(0, c - 30 - shade) for c in backdrop))
    cx, cy = width // 2, height // 2 + 20
    w, h = 140 + digest[6] % 120, 90 + digest[7] % 110
    kind = digest[8] % 3
    if kind == 0:  # a chest
        draw.rectangle([cx - w, cy - h, cx + w, cy + h // 2], fill=body, outline=(30, 20, 10), width=4)
        for i in range(1, 4):
            x = cx - w + i * w // 2
            draw.ellipse([x - 18, cy - h // 2 - 18, x + 18, cy - h // 2 + 18], outline=(230, 200, 120), width=4)
    elif kind == 1:  # a vessel
        draw.ellipse([cx - w // 2, cy - h, cx + w // 2, cy + h // 2], fill=body, outline=(30, 20, 10), width=4)
        draw.rectangle([cx - w // 6, cy - h - 50, cx + w // 6, cy - h + 10], fill=body, outline=(30, 20, 10), width=4)
    else:  # an ornament
        draw.ellipse([cx - h, cy - h, cx + h, cy + h], fill=(200, 160, 60), outline=(90, 60, 10), width=5)
        draw.ellipse([cx - h // 2, cy - h // 2, cx + h // 2, cy + h // 2], fill=body)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


@lru_cache(maxsize=8)
def _model(colour_key: int) -> bytes:
    felts = [(0.93, 0.89, 0.80), (0.85, 0.80, 0.70), (0.95, 0.93, 0.88), (0.80, 0.72, 0.60)]
    return yurt_glb(felts[colour_key % len(felts)])


def _tour_page(path: str) -> bytes:
    name = path.rsplit("/", 1)[-1].removesuffix(".html")
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Virtual tour</title></head>'
        f"<body><h1>Virtual tour: {name}</h1><p>A sample museum's virtual tour page.</p></body></html>"
    )
    return html.encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    server_version = "emuseum-demo-media/1"

    def do_GET(self) -> None:  # noqa: N802 - the http.server interface
        path = unquote(urlsplit(self.path).path)
        if path.endswith(".jpg"):
            self._send(sample_image(path), "image/jpeg")
        elif path.endswith(".glb"):
            self._send(_model(hashlib.sha256(path.encode()).digest()[0]), "model/gltf-binary")
        elif "/tours/" in path and path.endswith(".html"):
            self._send(_tour_page(path), "text/html; charset=utf-8")
        else:
            self.send_error(404)

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet, like the endpoints
        return


class MediaServer:
    """``with MediaServer() as media: media.url`` -> ``http://127.0.0.1:<port>/``."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._server = ThreadingHTTPServer((host, port), _Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="demo-media", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/"

    def __enter__(self) -> MediaServer:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
