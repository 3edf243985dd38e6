"""Stable URIs for the object and everything it mentions.

The object lives at ``{base}object/{museum}/{local id}``.  Actors, places and
concepts keep their own URI when the source gave an http(s) one; otherwise
they get ``{base}actor|place|concept/{hash}`` of the normalised name, so the
same potter named by two museums is one node in the union graph.  Nothing
here depends on the order records are processed in.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote

from mappings.core import Actor, Place, Term

__all__ = [
    "DEFAULT_BASE_URI",
    "actor_uri",
    "checked_base",
    "concept_uri",
    "digital_object_uri",
    "given_uri",
    "object_uri",
    "place_uri",
    "term_uri",
]

DEFAULT_BASE_URI = "https://catalogue.museums.kz/"

#: Label picked to mint a concept URI when a term has several: Kazakhstani
#: catalogues are written in Russian and Kazakh first.
_KEY_LANGS = ("ru", "kk", "en", "und")

_HTTP_URI = re.compile(r"^https?://[^\s/?#]+(?:[/?#].*)?$", re.IGNORECASE | re.DOTALL)
_IRI_FORBIDDEN = frozenset('<>"{}|\\^`')


def checked_base(base_uri: str) -> str:
    """The base URI ending in '/'; ValueError unless it is http(s)."""
    if not _HTTP_URI.match(base_uri):
        raise ValueError(f"base_uri must be an http(s) URI: {base_uri!r}")
    return base_uri if base_uri.endswith("/") else base_uri + "/"


@lru_cache(maxsize=16384)
def given_uri(value: str | None) -> str | None:
    """An http(s) URI fit for RDF, or None: spaces and the like are %-escaped."""
    if not value:
        return None
    value = value.strip()
    if not _HTTP_URI.match(value):
        return None
    return "".join(quote(char) if char in _IRI_FORBIDDEN or ord(char) < 0x21 else char for char in value)


def _normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@lru_cache(maxsize=65536)  # pure, and the same names recur across a museum's records
def _minted(base_uri: str, segment: str, name: str) -> str:
    digest = hashlib.sha1(_normalised(name).encode("utf-8")).hexdigest()[:16]
    return f"{checked_base(base_uri)}{segment}/{digest}"


def _key_label(term: Term) -> str | None:
    for lang in _KEY_LANGS:
        label = term.labels.get(lang, "")
        if label.strip():
            return label
    for _, label in sorted(term.labels.items()):
        if label.strip():
            return label
    return None


def term_uri(term: Term, base_uri: str, segment: str) -> str | None:
    """The term's own http(s) URI, else one minted under ``segment`` from its key label."""
    given = given_uri(term.uri)
    if given:
        return given
    key = _key_label(term) or (term.uri or "").strip()
    return _minted(base_uri, segment, key) if key else None


def object_uri(museum_id: str, local_id: str, *, base_uri: str = DEFAULT_BASE_URI) -> str:
    """The object's URI; the local id is percent-encoded whole ('/' included)."""
    return f"{checked_base(base_uri)}object/{museum_id}/{quote(local_id, safe='')}"


def actor_uri(actor: Actor, *, base_uri: str = DEFAULT_BASE_URI) -> str:
    """The actor's own http(s) URI, else one minted from the normalised name."""
    return given_uri(actor.uri) or _minted(base_uri, "actor", actor.name)


def place_uri(place: Place, *, base_uri: str = DEFAULT_BASE_URI) -> str:
    """The place's own http(s) URI, else one minted from the normalised name.

    A place nested in broader places is minted from the whole chain
    ("Ostrov / Tulcea / România"), so the village Ostrov and the commune
    Ostrov around it, or two villages of one name in two districts, stay
    two places; a place on its own keeps the URI its name alone gives.
    """
    given = given_uri(place.uri)
    if given:
        return given
    names = [p.name for p in place.hierarchy()]
    return _minted(base_uri, "place", " / ".join(names) if len(names) > 1 else place.name)


def concept_uri(term: Term, *, base_uri: str = DEFAULT_BASE_URI) -> str | None:
    """The term's own http(s) URI, else one minted from its key label.

    None when the term has neither a usable label nor a URI to mint from.
    """
    return term_uri(term, base_uri, "concept")


def digital_object_uri(url: str, *, base_uri: str = DEFAULT_BASE_URI) -> str:
    """A media file's node, minted from its URL so re-harvests keep it."""
    return f"{checked_base(base_uri)}digital/{hashlib.sha1(url.encode('utf-8')).hexdigest()[:16]}"
