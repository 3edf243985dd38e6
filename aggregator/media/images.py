"""Thumbnails and large views made with Pillow, and the placeholder shown when a source is down.

Decoding untrusted images is bounded: Pillow's decompression-bomb limit is
set low (a museum photograph has no business being 100 megapixels), only
still-image formats browsers show are accepted, and the output is always a
plain JPEG (or PNG when the source has transparency) re-encoded by us.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from PIL import Image, ImageOps, UnidentifiedImageError

__all__ = ["Derivative", "ImageRejected", "derivative", "placeholder_svg"]

MAX_PIXELS = 40_000_000
_FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "TIFF", "BMP")


class ImageRejected(ValueError):
    """Bytes that are not an image we are willing to decode."""


@dataclass(frozen=True, slots=True)
class Derivative:
    body: bytes
    content_type: str
    width: int
    height: int


def derivative(source: bytes, longest: int) -> Derivative:
    """The image scaled so that its longer side is at most ``longest`` pixels."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(source), formats=_FORMATS) as opened:
            opened.draft("RGB", (longest, longest))  # JPEG: decode at a reduced size when possible
            image = ImageOps.exif_transpose(opened)
            image.thumbnail((longest, longest), Image.Resampling.LANCZOS)
            transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
            out = io.BytesIO()
            if transparent:
                image.convert("RGBA").save(out, "PNG", optimize=True)
                kind = "image/png"
            else:
                image.convert("RGB").save(out, "JPEG", quality=82, optimize=True, progressive=True)
                kind = "image/jpeg"
            return Derivative(out.getvalue(), kind, image.width, image.height)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError) as exc:
        raise ImageRejected(f"not a usable image: {exc}") from None


def placeholder_svg(text: str, width: int = 240, height: int = 240) -> bytes:
    """A calm grey tile with a picture icon and ``text`` (already in the reader's language)."""
    label = escape(text)
    icon_x, icon_y = width / 2 - 24, height / 2 - 36
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{label}">',
        f"<title>{label}</title>",
        '<rect width="100%" height="100%" fill="#eef1f4"/>',
        f'<g transform="translate({icon_x:.0f} {icon_y:.0f})" fill="none" stroke="#5b6570" stroke-width="3">',
        '<rect x="2" y="2" width="44" height="34" rx="4"/><circle cx="15" cy="13" r="4"/>',
        '<path d="M4 32 L18 20 L28 28 L34 22 L46 32"/></g>',
        f'<text x="50%" y="{height / 2 + 22:.0f}" text-anchor="middle" font-family="system-ui, sans-serif" '
        f'font-size="14" fill="#3d4650">{label}</text>',
        "</svg>",
    ]
    svg = "\n".join(parts)
    return svg.encode("utf-8")
