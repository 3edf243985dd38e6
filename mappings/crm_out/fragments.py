"""The parts of a light graph that are the same in every record mentioning them, made once.

A minted concept's Names (one a language, each with its Language), the local
Language nodes (``kk`` has no AAT instance in cromulent) and the Name of a
minted place or actor depend only on a URI, a text and the catalogue's base
URI, never on the record.  Built per record they were about half of a
record's ~65 nodes (the benchmark fund's records mention ~9 concepts, each
with three Names), so the light builder takes them from these bounded caches
instead and every record's graph shares them, as all records already share
cromulent's AAT Language nodes.

Actors and places are shared whole too (a museum's records name the same
makers, holders and places again and again): the builder never changes an
actor or a place once made, and a place's broader place is set while it is
made, so a place is shared with its whole chain of broader places; a chain
only one record can build (a loop, cut by the depth limit) stays that
record's own (``Nodes.place``).

They are never changed once made: the builder changes only the nodes that
hold them (a concept gets "type of work"), and those stay per record.  So
threads may share them too.  The reference build
(cromulent's) still makes every node afresh per record, and the specs check
the two documents equal, key order included, so sharing cannot change what
is written; what the RDF writers remember of a shared node (``light_triples``)
rides on the node itself and dies with it.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from urllib.parse import quote

from mappings.core import Place, Term
from mappings.crm_out.aat import AAT_BRIEF_TEXT, STATEMENT_TYPES
from mappings.crm_out.light import LightNode, light_model, made_once, share
from mappings.crm_out.uris import place_uri, term_uri

__all__ = [
    "PlaceLink",
    "aat_node",
    "actor_node",
    "concept_names",
    "concept_plan",
    "language_node",
    "name_suffix",
    "place_chain",
    "place_node",
    "plain_name",
    "primary_language",
    "wkt_point",
]

_LANGUAGE_CODE = re.compile(r"^[a-z]{2,8}$")
_SUBTAG = re.compile(r"[-_]")


@lru_cache(maxsize=1024)
def primary_language(lang: str) -> str | None:
    """The primary subtag of a language tag, lower-cased; None when it names no language."""
    primary = _SUBTAG.split(lang.strip(), maxsplit=1)[0].lower()
    if not _LANGUAGE_CODE.match(primary) or primary in ("und", "zxx", "mul"):
        return None
    return primary


@lru_cache(maxsize=1024)
def name_suffix(lang: str) -> str:
    """The fragment of a concept's Name in ``lang``: keyed by language, so records with more
    or fewer labels agree on ids."""
    return f"#name-{quote(lang.lower(), safe='')}"


@made_once(maxsize=4096)
def language_node(base: str, lang: str) -> LightNode | None:
    """The Language a text in ``lang`` is in: cromulent's AAT one, else ours under ``base``."""
    primary = primary_language(lang)
    if primary is None:
        return None
    kit = light_model()
    known: LightNode | None = kit.languages.get(primary)
    if known is not None:
        return known
    language: LightNode = kit.Language(ident=f"{base}vocab/language/{primary}", label=primary)
    language.notation = primary
    return share(language)


#: Bounds: a Name with the text the RDF writers keep on it is ~1.5 KB, so the caches below
#: hold at most some 80 MB however many distinct concepts and places a dump meets.
@made_once(maxsize=16384)
def concept_names(uri: str, base: str, labels: tuple[tuple[str, str], ...]) -> tuple[LightNode, ...]:
    """The Names of the minted concept ``uri``: one per non-blank label, by language."""
    kit = light_model()
    names = []
    for lang, label in sorted(labels):
        if not label.strip():
            continue
        name = kit.Name(ident=uri + name_suffix(lang), content=label.strip())
        language = language_node(base, lang) if lang else None
        if language is not None:
            name.language = language
        names.append(share(name))
    return tuple(names)


@made_once(maxsize=16384)
def concept_plan(
    base: str, segment: str, given: str | None, labels: tuple[tuple[str, str], ...]
) -> tuple[str | None, str, tuple[LightNode, ...] | None]:
    """What a concept node is made of, from its term's URI and labels: its URI (None: the
    term names nothing), label, and Names when minted under ``base`` (None otherwise).

    A record names some nine concepts; working these out for each took a fifth of
    its build, though a museum's records name the same terms again and again.
    """
    term = Term(labels=dict(labels), uri=given)
    uri = term_uri(term, base, segment)
    if uri is None:
        return None, "", None
    label = term.label("kk", "ru", "en").strip() or uri
    return uri, label, concept_names(uri, base, labels) if uri.startswith(base) else None


@made_once(maxsize=16384)
def plain_name(ident: str, content: str) -> LightNode:
    """A Name without a language (a minted place's or actor's)."""
    return share(light_model().Name(ident=ident, content=content))


@made_once(maxsize=4096)
def aat_node(cls: type[LightNode], uri: str, label: str) -> LightNode:
    """A Getty (or local vocabulary) type; a statement type is classified "brief text"."""
    node = cls(ident=uri, label=label)
    if uri in STATEMENT_TYPES:
        node.classified_as = aat_node(light_model().Type, AAT_BRIEF_TEXT, "Brief Text")
    return share(node)


@made_once(maxsize=16384)
def actor_node(cls: type[LightNode], uri: str, label: str, name: LightNode | None) -> LightNode:
    """A Person, Group or Actor with its (shared) Name: nothing a record adds changes it."""
    node = cls(ident=uri, label=label)
    if name is not None:
        node.identified_by = name
    return share(node)


@made_once(maxsize=16384)
def place_node(uri: str, label: str, name: LightNode | None, wkt: str | None, parent: LightNode | None) -> LightNode:
    """A Place with its (shared) Name, WKT point and (shared) broader place, set in the order
    ``Nodes.place`` sets them on a record's own Place; keyed by the parent node itself."""
    node = light_model().Place(ident=uri, label=label)
    if name is not None:
        node.identified_by = name
    if wkt:
        node.defined_by = wkt
    if parent is not None:
        node.part_of = parent
    return share(node)


#: A level of a place's chain as ``place_chain`` takes it: name, given URI, latitude, longitude.
PlaceLink = tuple[str, "str | None", "float | None", "float | None"]


@made_once(maxsize=16384)
def place_chain(base: str, links: tuple[PlaceLink, ...]) -> tuple[tuple[str, LightNode, LightNode | None], ...] | None:
    """A place and its broader places (``links``, narrowest first, the whole chain) as shared
    nodes: each level's URI, Place and (shared) Name, narrowest first; None when two levels
    have one URI (only a record's own nodes say what such a source says).

    A record's places are mostly the same few chains (a museum's town, region,
    country); working out their URIs and nodes level by level took a twentieth of
    its build.
    """
    place: Place | None = None
    for text, given, lat, lon in reversed(links):
        place = Place(name=text, uri=given, lat=lat, lon=lon, part_of=place)
    assert place is not None
    members = place.hierarchy()
    uris = [place_uri(member, base_uri=base) for member in members]
    if len(set(uris)) != len(uris):
        return None
    parent: LightNode | None = None
    made: list[tuple[str, LightNode, LightNode | None]] = []
    for member, uri in zip(reversed(members), reversed(uris), strict=True):
        label = member.name.strip()
        name = plain_name(f"{uri}#name", label) if label and uri.startswith(base) else None
        parent = place_node(uri, label or uri, name, wkt_point(member.lat, member.lon), parent)
        made.append((uri, parent, name))
    return tuple(reversed(made))


def wkt_point(lat: float | None, lon: float | None) -> str | None:
    """WKT POINT (longitude first), or None when a coordinate is missing or impossible."""
    if lat is None or lon is None:
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return None
    return f"POINT({lon!r} {lat!r})"
