"""What the free text of one spreadsheet cell says: dimensions, links, licences, lists.

Accounting exports keep structured facts as typed-in text: "32 x 20 см",
"h 12 cm; d 8 cm", a picture as the clerk's local path, "CC BY-SA 4.0",
"дерево (береза, сосна)".  These readers take the easy, unambiguous cases;
what they cannot read stays text in the record (a wrong guess would be
worse than none).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

from mappings.core import Measurement, MediaKind

__all__ = [
    "ABSOLUTE_URL",
    "kind_for",
    "licence_uri",
    "mime_for",
    "one_line",
    "parse_measurements",
    "resolve_url",
    "split_cell",
]

# -- dimensions ------------------------------------------------------------------

_NUMBER = r"\d+(?:[.,]\d+)?"
_UNIT_NAMES = {
    "мм": "mm",
    "mm": "mm",
    "см": "cm",
    "cm": "cm",
    "м": "m",
    "m": "m",
    "кг": "kg",
    "kg": "kg",
    "гр": "g",
    "г": "g",
    "g": "g",
    "in": "in",
}
_UNIT = r"(?:мм|mm|см|cm|кг|kg|гр|in|м|m|г|g)\.?(?![a-zа-яё])"
_TIMES = r"[x×хX*Х]"
_PRODUCT = re.compile(rf"^(?:{_NUMBER}\s*(?:{_UNIT})?\s*{_TIMES}\s*)+{_NUMBER}\s*(?:{_UNIT})?$", re.IGNORECASE)
_VALUE_WITH_UNIT = re.compile(rf"({_NUMBER})\s*({_UNIT})?", re.IGNORECASE)
_LABELLED = re.compile(
    rf"^(?P<label>[a-zа-яё⌀ø]+)\.?\s*[:=]?\s*(?P<num>{_NUMBER})\s*(?P<unit>{_UNIT})?$",
    re.IGNORECASE,
)
_LABELS = {
    "height": ("h", "н", "в", "выс", "высота", "height"),
    "width": ("w", "ш", "шир", "ширина", "width", "b"),
    "depth": ("г", "гл", "глуб", "глубина", "depth"),
    "length": ("l", "дл", "длина", "length"),
    "diameter": ("d", "д", "диам", "диаметр", "diam", "diameter", "ø", "⌀"),
    "thickness": ("т", "толщ", "толщина", "thickness", "t"),
    "weight": ("вес", "масса", "weight", "wt"),
}
_LABEL_TYPES = {label: kind for kind, labels in _LABELS.items() for label in labels}
_WEIGHT_UNITS = frozenset({"kg", "g"})
_SEGMENT_SPLIT = re.compile(r";|,(?!\d)|\n")
_LEAD_IN = re.compile(r"^[^:]{0,40}:\s*(?=\d)")  # "Размеры: 32 x 20 см" -> "32 x 20 см"


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _unit(text: str | None) -> str | None:
    return _UNIT_NAMES[text.lower().rstrip(".")] if text else None


def parse_measurements(text: str, axes: Iterable[str] = ("height", "width", "depth")) -> list[Measurement]:
    """Typed measurements from the easy cases ("32 x 20 см", "h 12 cm; d 8 cm", "1,2 кг").

    What it cannot read it leaves out: the caller keeps the whole text as the
    display measurement, so nothing is lost, and a wrong guess would be worse
    than none.  Axis order of "A x B x C" comes from the profile (height first
    in Russian and most museum practice).
    """
    axes = list(axes)
    found: list[Measurement] = []
    for raw_segment in _SEGMENT_SPLIT.split(text):
        segment = _LEAD_IN.sub("", raw_segment.strip().rstrip(".").strip())
        if not segment:
            continue
        if _PRODUCT.match(segment):
            pairs = _VALUE_WITH_UNIT.findall(segment)
            if len(pairs) > len(axes):
                continue
            shared = next((u for _, u in reversed(pairs) if u), None)
            for axis, (num, unit) in zip(axes, pairs, strict=False):
                found.append(Measurement(type=axis, value=_number(num), unit=_unit(unit or shared)))
            continue
        labelled = _LABELLED.match(segment)
        if labelled and labelled["label"].lower() in _LABEL_TYPES:
            unit = _unit(labelled["unit"])
            kind: str | None = _LABEL_TYPES[labelled["label"].lower()]
            if kind != "weight" and unit in _WEIGHT_UNITS:
                kind = "weight"
            found.append(Measurement(type=kind, value=_number(labelled["num"]), unit=unit))
            continue
        bare = re.fullmatch(rf"({_NUMBER})\s*({_UNIT})", segment, re.IGNORECASE)
        if bare:
            unit = _unit(bare[2])
            kind = "weight" if unit in _WEIGHT_UNITS else None
            found.append(Measurement(type=kind, value=_number(bare[1]), unit=unit))
    return found


# -- links -----------------------------------------------------------------------

_MIME_BY_EXTENSION = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "glb": "model/gltf-binary",
    "gltf": "model/gltf+json",
    "obj": "model/obj",
    "stl": "model/stl",
    "usdz": "model/vnd.usdz+zip",
    "ply": "model/ply",
    "mp4": "video/mp4",
    "webm": "video/webm",
    "mp3": "audio/mpeg",
    "ogg": "audio/ogg",
    "wav": "audio/wav",
    "html": "text/html",
    "htm": "text/html",
}
_KIND_BY_MIME_PREFIX = {
    "image/": MediaKind.IMAGE,
    "model/": MediaKind.MODEL_3D,
    "video/": MediaKind.VIDEO,
    "audio/": MediaKind.AUDIO,
}
ABSOLUTE_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)


def mime_for(url: str) -> str | None:
    path = url.split("?", 1)[0].split("#", 1)[0]
    name = path.rsplit("/", 1)[-1]
    if "." not in name:
        return None
    return _MIME_BY_EXTENSION.get(name.rsplit(".", 1)[-1].lower())


def kind_for(mime: str | None) -> MediaKind:
    for prefix, kind in _KIND_BY_MIME_PREFIX.items():
        if mime and mime.startswith(prefix):
            return kind
    return MediaKind.OTHER


def resolve_url(value: str, template: str | None, museum_id: str, *, file_name: bool) -> tuple[str | None, str | None]:
    """The absolute URL a cell stands for, plus a note when something had to be assumed.

    Accounting systems export the picture as a bare file name or even as the
    clerk's local path (``C:\\Фото\\kp1234.jpg``); only the file name means
    anything on the museum's web server, so that is what the template gets.
    ``{museum}`` in a template is the museum id, so one shared profile can
    point every museum at its own folder.  Ids (``file_name=False``, for
    object pages) go in whole, "/" included, percent-encoded.
    """
    if ABSOLUTE_URL.match(value):
        return value, None
    if template is None:
        return None, f"«{value}» is not an http(s) URL and the profile gives no template"
    name = re.split(r"[\\/]", value)[-1].strip() if file_name else value
    if not name:
        return None, f"«{value}» has no file name to put into the template"
    note = f"used file name «{name}» from local path «{value}»" if name != value else None
    url = template.replace("{museum}", museum_id).replace("{value}", quote(name, safe=""))
    return url, note


# -- licences --------------------------------------------------------------------

_CC_LICENCE = re.compile(
    r"^(?:creative\s*commons|cc)[\s-]*(?P<terms>by(?:[\s-]*(?:nc|sa|nd))*)"
    r"(?:[\s-]*(?P<version>[1-4]\.0))?$",
    re.IGNORECASE,
)
_CC_ZERO = re.compile(r"^(?:cc\s*0|cc[\s-]*zero)(?:[\s-]*1\.0)?$", re.IGNORECASE)
_PUBLIC_DOMAIN = re.compile(r"^(?:public domain|pdm|общественное достояние|қоғамдық игілік)$", re.IGNORECASE)


def licence_uri(text: str) -> str | None:
    """The Creative Commons URI a spreadsheet's short licence name stands for ("CC BY-SA 4.0").

    Only unambiguous names are read; a version-less "CC BY" means the current
    4.0 licence, the one museums are pointed to.  Anything else stays a label.
    """
    text = " ".join(text.split()).rstrip(".")
    if _CC_ZERO.match(text):
        return "https://creativecommons.org/publicdomain/zero/1.0/"
    if _PUBLIC_DOMAIN.match(text):
        return "https://creativecommons.org/publicdomain/mark/1.0/"
    match = _CC_LICENCE.match(text)
    if not match:
        return None
    terms = re.findall(r"nc|sa|nd", match["terms"].lower())
    if len(set(terms)) != len(terms) or ("sa" in terms and "nd" in terms):
        return None
    ordered = "-".join(["by", *(t for t in ("nc", "sa", "nd") if t in terms)])
    return f"https://creativecommons.org/licenses/{ordered}/{match['version'] or '4.0'}/"


# -- lists -----------------------------------------------------------------------


def split_cell(value: str, separators: str | None) -> list[str]:
    """Cell parts, not splitting inside brackets ("дерево (береза, сосна)" stays whole)."""
    if not separators:
        return [value]
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in value:
        if char in "([":
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
        if char in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def one_line(value: str) -> str:
    return " ".join(value.split())
