"""What a linked file is (image, 3D model, tour, ...) and what licence a URI names.

Shared by the LIDO and oai_dc mappings: both only know a URL, perhaps a
MIME type that is sometimes a bare extension (``jpg``, ``html``), and some
free text around it.  The national portal filters on "has image" / "has 3D",
so the guess is made from the strongest evidence first: MIME type, then file
extension, then the words the museum used, then the representation's type.

Licence URIs are normalised to one spelling per licence (``http://``, no
``deed.xx``, trailing slash) so that facets count CC BY 4.0 once, the way
Europeana spells it.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from mappings.core import MediaKind

__all__ = [
    "RightsUri",
    "is_http_url",
    "media_kind",
    "normalise_mime",
    "normalise_rights_uri",
    "url_extension",
]

_IMAGE_EXT = {
    "jpg",
    "jpeg",
    "jpe",
    "png",
    "gif",
    "tif",
    "tiff",
    "webp",
    "bmp",
    "jp2",
    "jpx",
    "svg",
    "heic",
}
_MODEL_EXT = {"glb", "gltf", "obj", "ply", "usdz", "stl", "fbx", "3ds", "dae", "x3d", "nxs", "nxz"}
_VIDEO_EXT = {"mp4", "m4v", "webm", "mov", "avi", "mkv", "ogv", "mpg", "mpeg"}
_AUDIO_EXT = {"mp3", "wav", "ogg", "oga", "flac", "m4a", "aac", "opus"}

_EXT_MIME = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "jpe": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "webp": "image/webp",
    "jp2": "image/jp2",
    "svg": "image/svg+xml",
    "bmp": "image/bmp",
    "glb": "model/gltf-binary",
    "gltf": "model/gltf+json",
    "obj": "model/obj",
    "stl": "model/stl",
    "usdz": "model/vnd.usdz+zip",
    "x3d": "model/x3d+xml",
    "mp4": "video/mp4",
    "webm": "video/webm",
    "mov": "video/quicktime",
    "mp3": "audio/mpeg",
    "wav": "audio/wav",
    "ogg": "audio/ogg",
    "flac": "audio/flac",
    "html": "text/html",
    "htm": "text/html",
    "pdf": "application/pdf",
    "xml": "text/xml",
}
_MIME_ALIASES = {"image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg", "image/tif": "image/tiff"}
_MIME = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")

_TOUR_WORDS = re.compile(
    r"(panorama|\b360\b|360°|virtual[ _-]?tour|\btour\b|rundgang|виртуальн\w*\s+тур|\bтур\b|"
    r"панорам|виртуалды\s+тур|виртуалды\s+саяхат)",
    re.IGNORECASE,
)
_MODEL_WORDS = re.compile(
    r"(\b3[dд]\b|3[dд][ -]?mod|3d-scan|трехмерн|трёхмерн|үш өлшемді)", re.IGNORECASE
)
_IMAGE_WORDS = re.compile(
    r"(\bimage|\bbild|digitalisat|\bfoto|\bphoto|изображен|\bфото|сурет|\bpicture|abbildung|scan\b)",
    re.IGNORECASE,
)
_VIDEO_WORDS = re.compile(r"(\bvideo|\bfilm\b|видео|бейне)", re.IGNORECASE)
_AUDIO_WORDS = re.compile(r"(\baudio|\bsound|\bton\b|аудио|звук|дыбыс)", re.IGNORECASE)
# DDB media-type vocabulary: mt002 is "Bild" (seen paired with that term).
_IMAGE_CONCEPTS = ("ddb.vocnet.org/medientyp/mt002", "aat/300215302")


def is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def url_extension(url: str) -> str | None:
    """The file extension of the URL's path (lowercase), ignoring query and fragment."""
    path = urlsplit(url).path
    last = path.rsplit("/", 1)[-1]
    if "." not in last:
        return None
    ext = last.rsplit(".", 1)[-1].casefold()
    return ext if ext.isalnum() and len(ext) <= 5 else None


def normalise_mime(value: str | None) -> tuple[str | None, bool]:
    """A MIME type from @formatResource; returns (mime, was_recognised).

    Bare extensions (``jpg``, ``html``) become their MIME type; a value that is
    neither (``multi-dimensional``) gives ``(None, False)`` so the caller can
    say so.  A blank value gives ``(None, True)``: nothing to complain about.
    """
    if value is None or not value.strip():
        return None, True
    raw = value.strip().casefold()
    raw = raw.split(";", 1)[0].strip()
    if raw in _MIME_ALIASES:
        return _MIME_ALIASES[raw], True
    if _MIME.match(raw):
        return raw, True
    ext = raw.lstrip(".")
    if ext in _EXT_MIME:
        return _EXT_MIME[ext], True
    return None, False


def media_kind(
    url: str, mime: str | None, hints: list[str], representation_type: str | None
) -> MediaKind:
    """Classify a linked file: MIME, extension, the museum's words, then representation type."""
    ext = url_extension(url)
    hint_text = " ".join(h for h in hints if h)
    if (mime and mime.startswith("model/")) or ext in _MODEL_EXT:
        return MediaKind.MODEL_3D
    media_mime = bool(mime) and (mime or "").split("/", 1)[0] in ("image", "video", "audio")
    if not media_mime and (_TOUR_WORDS.search(hint_text) or _TOUR_WORDS.search(urlsplit(url).path)):
        return MediaKind.VIRTUAL_TOUR
    if mime:
        major = mime.split("/", 1)[0]
        if major == "image":
            return MediaKind.IMAGE
        if major == "video":
            return MediaKind.VIDEO
        if major == "audio":
            return MediaKind.AUDIO
    if ext in _IMAGE_EXT:
        return MediaKind.IMAGE
    if ext in _VIDEO_EXT:
        return MediaKind.VIDEO
    if ext in _AUDIO_EXT:
        return MediaKind.AUDIO
    if _MODEL_WORDS.search(hint_text):
        return MediaKind.MODEL_3D
    if _VIDEO_WORDS.search(hint_text):
        return MediaKind.VIDEO
    if _AUDIO_WORDS.search(hint_text):
        return MediaKind.AUDIO
    if _IMAGE_WORDS.search(hint_text) or any(c in hint_text for c in _IMAGE_CONCEPTS):
        return MediaKind.IMAGE
    if representation_type and "image" in representation_type.casefold():
        return MediaKind.IMAGE
    return MediaKind.OTHER


class RightsUri:
    """Outcome of reading a rights URI: the canonical URI, or why it was refused."""

    __slots__ = ("problem", "uri")

    def __init__(self, uri: str | None, problem: str | None = None) -> None:
        self.uri = uri
        self.problem = problem


_CC = re.compile(
    r"^https?://(?:www\.)?creativecommons\.org/"
    r"(?P<path>licenses/[a-z]+(?:-[a-z]+)*/\d\.\d(?:/[a-z]{2,3})?|publicdomain/(?:zero|mark)/1\.0)"
    r"/?(?:deed\.[a-z-]+|legalcode(?:\.[a-z-]+)?)?/?$",
    re.IGNORECASE,
)
_RS = re.compile(
    r"^https?://(?:www\.)?rightsstatements\.org/(?:vocab|page)/(?P<code>[A-Za-z-]+)/1\.0/?",
    re.IGNORECASE,
)


def normalise_rights_uri(value: str) -> RightsUri:
    """Creative Commons / RightsStatements.org URIs to one spelling; other URIs as given.

    A creativecommons.org or rightsstatements.org address that names no licence
    is refused (``problem`` says why) rather than passed on as a licence.
    """
    text = value.strip()
    if not text:
        return RightsUri(None, None)
    cc = _CC.match(text)
    if cc:
        return RightsUri(f"http://creativecommons.org/{cc.group('path').casefold()}/")
    rs = _RS.match(text)
    if rs:
        return RightsUri(f"http://rightsstatements.org/vocab/{rs.group('code')}/1.0/")
    host = urlsplit(text).netloc.casefold()
    if host.endswith("creativecommons.org") or host.endswith("rightsstatements.org"):
        return RightsUri(None, f"{text!r} names no Creative Commons / RightsStatements licence")
    if is_http_url(text):
        return RightsUri(text)
    return RightsUri(None, None)
