"""The national vocabulary: concepts with an id, kk/ru/en labels and, where checked, AAT / Wikidata ids.

Museums write one thing many ways: «Кебеже (ларь для продуктов)», "Kebeje
(food chest)", "kebeje chest".  A researcher needs one value to count, filter
and read in her own language, so every object type, material, technique,
classification, subject, culture and place is looked up here by any of its
labels (case, spacing, Kazakh script and е/ё folded by ``mappings.text.fold``)
or by the URI the museum gave.  The reviewed concepts live in data files
(``mappings/vocabulary/*.yaml``), one per scheme; this module only reads them.

A term the vocabulary does not know becomes a *local* concept whose id is its
normalised label (``local:earrings``), so case and spacing variants still meet.

Label fallback order (``label_order``), the one rule for facets, pages and API:
the reader's language, then the other two of kk/ru/en (an English reader gets
Russian before Kazakh, a Kazakh or Russian reader the other one of the two),
then a label without a language (``und``), then any label.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Final

import yaml

from mappings.text import fold

__all__ = [
    "AAT",
    "LANGUAGES",
    "LOCAL_PREFIX",
    "SCHEMES",
    "WIKIDATA",
    "Concept",
    "Scheme",
    "label_for",
    "label_order",
    "local_id",
    "normalise_label",
    "scheme",
]

LANGUAGES: Final = ("kk", "ru", "en")
LOCAL_PREFIX: Final = "local:"
AAT: Final = "http://vocab.getty.edu/aat/"
WIKIDATA: Final = "http://www.wikidata.org/entity/"
_DIR: Final = Path(__file__).with_name("vocabulary")
#: Scheme name -> its data file; the scheme names are the core record's fields.
SCHEMES: Final[dict[str, str]] = {
    "object_type": "object_types.yaml",
    "materials": "materials.yaml",
    "techniques": "techniques.yaml",
    "classification": "classifications.yaml",
    "subjects": "subjects.yaml",
    "culture": "cultures.yaml",
    "places": "places.yaml",
}
_ORDER: Final[dict[str, tuple[str, ...]]] = {
    "kk": ("kk", "ru", "en"),
    "ru": ("ru", "kk", "en"),
    "en": ("en", "ru", "kk"),
}
_QUALIFIER: Final = re.compile(r"^(.*?\S)\s*\([^()]*\)\s*$")
_AAT_ID: Final = re.compile(r"^\d{9}$")
_WIKIDATA_ID: Final = re.compile(r"^Q\d+$")


def label_order(lang: str) -> tuple[str, ...]:
    """The languages to try, in order, for a reader of ``lang`` (see the module docstring)."""
    return (*_ORDER.get(lang, (lang, *LANGUAGES)), "und")


def label_for(labels: Mapping[str, str], lang: str) -> str:
    """The label a reader of ``lang`` sees: by ``label_order``, else any label, else ''."""
    for code in label_order(lang):
        value = labels.get(code, "").strip()
        if value:
            return value
    return next((v.strip() for v in labels.values() if v.strip()), "")


def normalise_label(text: str) -> str:
    """Case and spacing folded, nothing else: the key and the name of a local concept."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split()).strip(" .,;:")


def local_id(labels: Mapping[str, str]) -> str | None:
    """``local:<label>`` from the first label by en, ru, kk, und, then the rest; None without labels."""
    ordered = [labels[code] for code in ("en", "ru", "kk", "und") if code in labels]
    ordered += [labels[code] for code in sorted(labels) if code not in ("en", "ru", "kk", "und")]
    for text in ordered:
        key = normalise_label(text)
        if key:
            return LOCAL_PREFIX + key
    return None


@dataclass(frozen=True, slots=True)
class Concept:
    """One reviewed concept of a scheme."""

    scheme: str
    id: str
    labels: dict[str, str]
    aat: str | None = None
    wikidata: str | None = None
    region: str | None = None  # places only: ISO 3166-2:KZ
    also: tuple[str, ...] = ()

    @property
    def uris(self) -> list[str]:
        """Authority URIs, Getty AAT first."""
        out = []
        if self.aat:
            out.append(AAT + self.aat)
        if self.wikidata:
            out.append(WIKIDATA + self.wikidata)
        return out

    def label(self, lang: str) -> str:
        return label_for(self.labels, lang)


@dataclass(slots=True)
class Scheme:
    """The concepts of one scheme and the folded keys that find them."""

    name: str
    concepts: dict[str, Concept] = field(default_factory=dict)
    by_key: dict[str, str] = field(default_factory=dict)
    by_uri: dict[str, str] = field(default_factory=dict)

    def get(self, concept_id: str) -> Concept | None:
        return self.concepts.get(concept_id)

    def find(self, labels: Iterable[str] = (), uris: Iterable[str | None] = ()) -> Concept | None:
        """The concept one of these URIs or labels names (whole label first, then without a qualifier)."""
        for uri in uris:
            key = _uri_key(uri)
            if key and key in self.by_uri:
                return self.concepts[self.by_uri[key]]
        texts = [t for t in labels if t and t.strip()]
        for text in texts:
            found = self.by_key.get(_lookup_key(text))
            if found:
                return self.concepts[found]
        for text in texts:  # "Кебеже (ларь)" is a kebeje when the whole label is unknown
            match = _QUALIFIER.match(text.strip())
            found = self.by_key.get(_lookup_key(match.group(1))) if match else None
            if found:
                return self.concepts[found]
        return None

    def resolve(self, value: str) -> str | None:
        """A concept id for what a person typed: an id, a local id, or any label; None when unknown."""
        if value in self.concepts or value.startswith(LOCAL_PREFIX):
            return value
        found = self.find([value])
        return found.id if found else None

    def label(self, concept_id: str, lang: str) -> str:
        """The name of a facet value: the concept's label, a local concept's own text, else the id."""
        concept = self.concepts.get(concept_id)
        if concept is not None:
            return concept.label(lang)
        return concept_id.removeprefix(LOCAL_PREFIX)


@lru_cache(maxsize=32768)
def _lookup_key(text: str) -> str:
    """``fold`` of a label looked up: cached, because every record of a fund repeats its terms."""
    return fold(text)


@lru_cache(maxsize=32768)
def _uri_key(uri: str | None) -> str | None:
    if not uri or not uri.strip():
        return None
    value = uri.strip().rstrip("/")
    return re.sub(r"^https?://", "", value).casefold()


def _load(name: str, path: Path) -> Scheme:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if data.get("scheme") != name:
        raise ValueError(f"{path.name}: scheme is {data.get('scheme')!r}, expected {name!r}")
    result = Scheme(name)
    for concept_id, entry in (data.get("concepts") or {}).items():
        labels = {lang: str(entry[lang]) for lang in LANGUAGES if entry.get(lang)}
        missing = [lang for lang in LANGUAGES if lang not in labels]
        if missing:
            raise ValueError(f"{path.name}: concept {concept_id!r} has no label in {', '.join(missing)}")
        aat = str(entry["aat"]) if entry.get("aat") else None
        wikidata = str(entry["wikidata"]) if entry.get("wikidata") else None
        if aat and not _AAT_ID.match(aat):
            raise ValueError(f"{path.name}: concept {concept_id!r}: aat must be 9 digits, got {aat!r}")
        if wikidata and not _WIKIDATA_ID.match(wikidata):
            raise ValueError(f"{path.name}: concept {concept_id!r}: wikidata must be Q<digits>, got {wikidata!r}")
        concept = Concept(
            scheme=name,
            id=str(concept_id),
            labels=labels,
            aat=aat,
            wikidata=wikidata,
            region=entry.get("region"),
            also=tuple(str(a) for a in entry.get("also", ())),
        )
        result.concepts[concept.id] = concept
        for text in (*labels.values(), *concept.also):
            key = fold(text)
            other = result.by_key.setdefault(key, concept.id)
            if other != concept.id:
                raise ValueError(f"{path.name}: label {text!r} names both {other!r} and {concept.id!r}")
        for uri in concept.uris:
            result.by_uri[_uri_key(uri) or ""] = concept.id
    return result


@cache
def scheme(name: str) -> Scheme:
    """The scheme named after a core-record field (``object_type``, ``materials``, ``places``, ...)."""
    if name not in SCHEMES:
        raise KeyError(f"no vocabulary scheme {name!r}; known: {', '.join(SCHEMES)}")
    return _load(name, _DIR / SCHEMES[name])
