"""The nodes of one record's graph, each made once per URI.

A concept, person, place or language may be mentioned by several parts of a
record (a material and a technique, a maker and a rights holder); cromulent
would write two nodes for the same URI, so every node is made here and
cached by (class, URI).  One ``Nodes`` serves one record on one thread.

Only what we mint is described: an external node (AAT, Wikidata, a museum
thesaurus) gets a label and what the record itself states about it; Names in
each language are attached only to nodes under the catalogue's base URI.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from mappings.core import Actor, CoreRecord, Place, Term
from mappings.crm_out.aat import AAT_BRIEF_TEXT, LOCAL_VOCAB, STATEMENT_TYPES
from mappings.crm_out.fragments import (
    PlaceLink,
    aat_node,
    actor_node,
    concept_plan,
    language_node,
    name_suffix,
    place_chain,
    place_node,
    plain_name,
    primary_language,
    wkt_point,
)
from mappings.crm_out.light import alike, light_model
from mappings.crm_out.uris import actor_uri, object_uri, place_uri, term_uri

__all__ = ["Nodes", "SharedNodeWanted", "has_class", "has_text", "named_actor", "named_term"]

_ORGANISATION_KINDS = frozenset({"organization", "organisation", "group", "institution", "corporation", "corporate"})
_PERSON_KINDS = frozenset({"person", "individual"})
#: Broader places followed at most (a loop in the data must not recurse forever).
_MAX_PLACE_DEPTH = 12


class SharedNodeWanted(Exception):  # noqa: N818 - a signal to the builder, not an error anyone sees
    """A record names a shared AAT type as one of its own concepts, which the build may change:
    build that record without shared nodes (``light_document`` does)."""


def has_class(node: Any, uri: str) -> bool:
    """Whether the node is already classified as ``uri``."""
    return any(getattr(c, "id", None) == uri for c in getattr(node, "classified_as", []) or [])


@lru_cache(maxsize=4096)
def named_actor(name: str, kind: str | None = None) -> Actor:
    """An actor the record names only by a text (a rights holder, the repository), made once
    per name: validating the same holder for every record of a museum cost more than
    building its node.  Never changed by the build, so records (and threads) may share it."""
    return Actor(name=name, kind=kind)


@lru_cache(maxsize=4096)
def named_term(label: str, uri: str | None) -> Term:
    """A term the record gives as a text and a URI (a licence), made once per pair, as ``named_actor``."""
    return Term(labels={"und": label} if label else {}, uri=uri)


def has_text(value: str | None) -> bool:
    return bool(value and value.strip())


class Nodes:
    """Makes and caches the nodes of one record's Linked Art graph.

    On the light kit the parts no record changes (AAT types, concepts'
    Names, local Languages, actors, places with their broader places) come
    shared from ``fragments``, and concepts are marked ``alike`` (their triples kept once
    for all records); on cromulent's, the reference, every node is made here
    afresh.  A record that names a shared AAT type as a concept of its own
    (which the build may then change) raises ``SharedNodeWanted`` and is
    built again with ``share=False``.
    """

    def __init__(self, record: CoreRecord, base: str, kit: Any, *, share: bool = True) -> None:
        self.record = record
        self.model = kit
        self.base = base
        self.uri = object_uri(record.museum_id, record.local_id, base_uri=base)
        self._made: dict[tuple[type, str], Any] = {}
        self._shared = share and kit is light_model()
        #: ids of the shared fragments this record holds: a second holder (a Type and a
        #: Material of one URI) gets its own copies, as cromulent's build would have.
        self._taken: set[int] = set()
        #: what each concept made "alike" (``light.alike``) was made of, by the node's id
        self._alike: dict[int, tuple[Any, ...]] = {}
        #: ids of the shared places (``fragments.place_node``) this record holds
        self._shared_places: set[int] = set()

    def fragment(self, name: str) -> str:
        """A URI for a part of the object's description (no blank nodes, so output is stable)."""
        return f"{self.uri}#{name}"

    def aat(self, uri: str, label: str, cls: type | None = None) -> Any:
        """A Getty (or local) type node; statement types are themselves classified "brief text"."""
        cls = cls or self.model.Type
        key = (cls, uri)
        if key not in self._made:
            if self._shared:
                node = aat_node(cls, uri, label)
                if uri in STATEMENT_TYPES and self.aat(AAT_BRIEF_TEXT, "Brief Text") is not node.classified_as[0]:
                    raise SharedNodeWanted(uri)  # this record's own "brief text" node is another
                self._taken.add(id(node))
            else:
                node = cls(ident=uri, label=label)
                if uri in STATEMENT_TYPES:
                    node.classified_as = self.aat(AAT_BRIEF_TEXT, "Brief Text")
            self._made[key] = node
        return self._made[key]

    def _name(self, ident: str, content: str) -> Any:
        """A Name without a language: shared on the light kit, fresh on cromulent's."""
        if self._shared:
            name = plain_name(ident, content)
            if id(name) not in self._taken:
                self._taken.add(id(name))
                return name
        return self.model.Name(ident=ident, content=content)

    def local_vocab(self, slug: str) -> Any:
        return self.aat(f"{self.base}vocab/{slug}", LOCAL_VOCAB[slug])

    def concept(self, cls: type, term: Term, segment: str = "concept") -> Any | None:
        """The term as a node of ``cls``, with a Name per language when we mint it; None if unnamed."""
        if self._shared:
            uri, label, names = concept_plan(self.base, segment, term.uri, tuple(term.labels.items()))
        else:
            uri = term_uri(term, self.base, segment)
            label = term.label("kk", "ru", "en").strip() or uri or ""
            names = None
        if uri is None:
            return None
        key = (cls, uri)
        found = self._made.get(key)
        if found is not None:
            if id(found) in self._taken:
                raise SharedNodeWanted(uri)  # a shared AAT node, which the caller may change
            return found
        node = cls(ident=uri, label=label)
        minted = uri.startswith(self.base)
        if names is not None and id(names) not in self._taken:
            self._taken.add(id(names))
            if names:
                node.__dict__["identified_by"] = list(names)  # what setting them one by one gives
            self._mark_alike(node, ("concept", cls, uri, node.__dict__.get("_label"), names))
        elif minted:
            for lang, label in sorted(term.labels.items()):
                if not label.strip():
                    continue
                # keyed by language, so records with more or fewer labels agree on ids
                name = self.model.Name(ident=uri + name_suffix(lang), content=label.strip())
                self.language(name, lang)
                node.identified_by = name
        elif self._shared:
            self._mark_alike(node, ("concept", cls, uri, node.__dict__.get("_label"), None))
        self._made[key] = node
        return node

    def _mark_alike(self, node: Any, key: tuple[Any, ...]) -> None:
        alike(node, key)
        self._alike[id(node)] = key

    def classify(self, node: Any, uri: str, label: str) -> None:
        """Classify a concept as the AAT type ``uri`` (type of work, culture) unless it already is.

        A concept made alike stays alike: the shared type is all it gains.
        """
        if has_class(node, uri):
            return
        was = self._alike.get(id(node)) if "_rdf" in node.__dict__ else None
        kind = self.aat(uri, label)
        node.classified_as = kind
        if was is not None and id(kind) in self._taken:
            self._mark_alike(node, (*was, uri))

    def language(self, target: Any, lang: str | None) -> None:
        """Set the target's language: cromulent's AAT instance if it has one, else a local node."""
        if not lang:
            return
        if self._shared:
            shared = language_node(self.base, lang)
            if shared is not None:
                target.language = shared
            return
        primary = primary_language(lang)
        if primary is None:
            return
        known = self.model.languages.get(primary)
        if known is not None:
            target.language = known
            return
        key = (self.model.Language, primary)
        if key not in self._made:
            language = self.model.Language(ident=f"{self.base}vocab/language/{primary}", label=primary)
            language.notation = primary
            self._made[key] = language
        target.language = self._made[key]

    def statement(self, target: Any, slug: str, kind: str, content: str) -> None:
        """A LinguisticObject of a statement type (AAT id ``kind``) referring to the target."""
        statement = self.model.LinguisticObject(ident=self.fragment(slug), content=content)
        statement.classified_as = self.aat(kind, STATEMENT_TYPES[kind])
        target.referred_to_by = statement

    def actor(self, actor: Actor) -> Any:
        """A Person, Group or (kind unknown) Actor; one node per URI whatever the kind."""
        uri = actor_uri(actor, base_uri=self.base)
        kind = (actor.kind or "").strip().lower()
        if kind in _PERSON_KINDS:
            cls: type = self.model.Person
        elif kind in _ORGANISATION_KINDS:
            cls = self.model.Group
        else:
            cls = self.model.Actor  # the source does not say; E39 claims no more than it knows
        key = (self.model.Actor, uri)
        if key not in self._made:
            label = actor.name.strip()
            minted = uri.startswith(self.base)
            name = plain_name(f"{uri}#name", label) if self._shared and minted else None
            if self._shared and (name is None or id(name) not in self._taken):
                if name is not None:
                    self._taken.add(id(name))
                self._made[key] = actor_node(cls, uri, label, name)
                return self._made[key]
            node = cls(ident=uri, label=label)
            if minted:
                node.identified_by = self._name(f"{uri}#name", label)
            self._made[key] = node
        return self._made[key]

    def place(self, place: Place, depth: int = 0) -> Any:
        """A Place with its name (when minted), a WKT point when the coordinates are real,
        and the broader place it is part of."""
        if self._shared:
            shared = self._chained_place(place, depth)
            if shared is not None:
                return shared
        uri = place_uri(place, base_uri=self.base)
        key = (self.model.Place, uri)
        if key in self._made:
            return self._made[key]
        if self._shared:
            shared = self._shared_place(place, uri, depth)
            if shared is not None:
                return shared
        node = self.model.Place(ident=uri, label=place.name.strip() or uri)
        self._made[key] = node
        if uri.startswith(self.base) and place.name.strip():
            node.identified_by = self._name(f"{uri}#name", place.name.strip())
        wkt = wkt_point(place.lat, place.lon)
        if wkt:
            node.defined_by = wkt
        broader = place.part_of
        if broader is not None and depth < _MAX_PLACE_DEPTH:
            parent = self.place(broader, depth + 1)
            if parent is not node:
                node.part_of = parent
        return node

    def _chained_place(self, place: Place, depth: int) -> Any | None:
        """The place as the shared chain ``fragments.place_chain`` made of what its levels say,
        or None for ``_shared_place`` to work out (a chain the depth limit would cut, a
        loop, a level this record made already, a Name this record holds already)."""
        links: list[PlaceLink] = []
        current: Place | None = place
        while current is not None:
            if len(links) > _MAX_PLACE_DEPTH - depth:
                return None
            links.append((current.name, current.uri, current.lat, current.lon))
            current = current.part_of
        chain = place_chain(self.base, tuple(links))
        if chain is None:
            return None
        made, cls = self._made, self.model.Place
        first = made.get((cls, chain[0][0]))
        if first is not None:
            return first
        for uri, _, name in chain:
            if (cls, uri) in made or (name is not None and id(name) in self._taken):
                return None
        for uri, node, name in chain:
            made[cls, uri] = node
            self._shared_places.add(id(node))
            if name is not None:
                self._taken.add(id(name))
        return chain[0][1]

    def _shared_place(self, place: Place, uri: str, depth: int) -> Any | None:
        """The place and its broader places as shared nodes (``fragments.place_node``), or None
        when the chain is one only this record can build: a loop, a chain cut by the depth
        limit, a broader place this record made its own, a Name this record holds already."""
        chain = [(place, uri)]
        parent: Any | None = None
        current = place
        while current.part_of is not None:
            if depth + len(chain) > _MAX_PLACE_DEPTH:
                return None
            broader = current.part_of
            broader_uri = place_uri(broader, base_uri=self.base)
            found = self._made.get((self.model.Place, broader_uri))
            if found is not None:
                if id(found) not in self._shared_places:
                    return None
                parent = found
                break
            if any(broader_uri == seen for _, seen in chain):
                return None
            chain.append((broader, broader_uri))
            current = broader
        names = []
        for member, member_uri in chain:
            label = member.name.strip()
            name = plain_name(f"{member_uri}#name", label) if label and member_uri.startswith(self.base) else None
            if name is not None and id(name) in self._taken:
                return None
            names.append(name)
        for (member, member_uri), name in zip(reversed(chain), reversed(names), strict=True):
            parent = place_node(
                member_uri, member.name.strip() or member_uri, name, wkt_point(member.lat, member.lon), parent
            )
            self._made[self.model.Place, member_uri] = parent
            self._shared_places.add(id(parent))
            if name is not None:
                self._taken.add(id(name))
        return parent
