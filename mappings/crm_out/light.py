"""A lightweight stand-in for cromulent's model: the same nodes, the same JSON, a tenth of the cost.

cromulent checks every property against the Linked Art profile as it is set
(profile, range, multiplicity) and walks the class hierarchy to do so; that
is most of the ~2.5 ms a record took.  Our builder only ever sets properties
the profile allows, to values of the right class, so the checks never fire on
data: they are worth running in the tests, not on every record of a dump.

The classes here are made once, from cromulent's own tables (class names,
which properties take several values, key order, what is embedded), and
behave like cromulent's where our build can tell: properties keep the order
they were set in, a property that takes several values is a list from its
first value, a second value for a single-valued property is refused, empty
values are not written.  ``serialise`` is cromulent's "fast" serialiser
re-told over these nodes (same key order, same rule for which occurrence of
a node shared by several parents is written in full).  The reference
builder (``reference``) still builds with cromulent, and the tests check the
two give equal documents over generated, real and hand-made records.

Nodes made here are private to one build, except the constants (languages,
the classifications of ``Exhibition`` and ``ProvenanceEntry``, and what
``fragments`` makes once for every record: AAT types, concepts' Names, local
Languages), which are never changed after they are made (``share``), so
threads may share them.  A record's own node made from the same few things
as in other records is marked ``alike`` until it is changed; the RDF writers
keep the triples of both kinds once (``node_rdf``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import wraps
from types import SimpleNamespace
from typing import Any, ClassVar, Final, ParamSpec, TypeVar, cast

from cromulent import model, vocab

from mappings.crm_out.factory import LINKED_ART_CONTEXT_URL, cromulent_languages, shared_factory

__all__ = [
    "LightNode",
    "alike",
    "claim_children",
    "key_order",
    "light_model",
    "made_once",
    "serialise",
    "share",
    "written_in_full",
]

#: The cromulent classes the builder makes nodes of.
_CLASSES: Final[tuple[str, ...]] = (
    "Acquisition",
    "Activity",
    "Actor",
    "Destruction",
    "DigitalObject",
    "Dimension",
    "Encounter",
    "Group",
    "HumanMadeObject",
    "Identifier",
    "Language",
    "LinguisticObject",
    "Material",
    "MeasurementUnit",
    "Modification",
    "Move",
    "Name",
    "PartAddition",
    "PartRemoval",
    "Period",
    "Person",
    "Place",
    "Production",
    "Right",
    "TimeSpan",
    "Transformation",
    "TransferOfCustody",
    "Type",
    "VisualItem",
)
#: cromulent vocab classes: a model class plus the classification it is born with.
_VOCAB_CLASSES: Final[tuple[str, ...]] = ("Exhibition", "ProvenanceEntry")
_DEFAULT_RANK: Final[int] = 10000
_NO_RANGE: Final[type] = type("_NoRange", (), {})  # a property the class does not have
#: How a class takes a property given a value of a type, once checked (``LightNode._accepts``).
_LITERAL, _SINGLE, _MULTIPLE = "literal", "single", "multiple"


class LightNode:
    """One node: ``id``, an optional ``_label``, then its properties in the order they were set."""

    _type_name: ClassVar[str] = ""
    _embed: ClassVar[bool] = True
    _multiple: ClassVar[frozenset[str]] = frozenset()
    _name_map: ClassVar[dict[str, str]] = {}
    _compact: ClassVar[dict[str, str]] = {}
    _born: ClassVar[tuple[tuple[str, Any], ...]] = ()
    _namespaces: ClassVar[tuple[str, ...]] = ()  # the namespaces of _compact: only those can compact
    _source: ClassVar[type] = object  # the cromulent class this one stands for
    _ranges: ClassVar[dict[str, type | None]] = {}  # property -> cromulent range class (None: a literal)
    _accepts: ClassVar[dict[tuple[str, type], str]] = {}  # (property, value's type) -> mode, once checked

    def __init__(self, ident: str | None = None, label: str = "", value: Any = "", content: str = "") -> None:
        own = self.__dict__
        own["id"] = _compacted(ident, self._compact) if ident and ident.startswith(self._namespaces) else ident or ""
        if label:
            own["_label"] = label
        if value:
            own["value"] = value
        elif content:
            own["content"] = content
        for name, born in self._born:
            own[name] = list(born)

    def __setattr__(self, which: str, value: Any) -> None:
        own = self.__dict__
        if "_rdf" in own:
            del own["_rdf"]  # changed: no longer like the nodes made alike (see ``alike``)
        mode = self._accepts.get((which, type(value)))  # what the checks below found before
        if mode is not None and value:
            if mode is _LITERAL:
                own[which] = value
                return
            current = own.get(which)
            if not current:
                own[which] = [value] if mode is _MULTIPLE else value
            elif type(current) is list:
                current.append(value)
            else:
                raise ValueError(f"cannot give {self._type_name}.{which} a second value (it takes one)")
            return
        if which[0] == "_" or not value:
            own[which] = value  # as cromulent: private and empty values are set unchecked
            return
        expected = self._ranges.get(which, _NO_RANGE)
        if expected is _NO_RANGE:
            raise ValueError(f"Linked Art has no property {which!r} on a {self._source.__name__}")
        if expected is None or not isinstance(value, LightNode):
            self._accepts[which, type(value)] = _LITERAL
            own[which] = value  # a literal
            return
        if not issubclass(value._source, expected):
            raise ValueError(
                f"{self._source.__name__}.{which} takes a {expected.__name__}, not a {value._source.__name__}"
            )
        self._accepts[which, type(value)] = _MULTIPLE if which in self._multiple else _SINGLE
        self.__setattr__(which, value)

    def __getattr__(self, which: str) -> Any:
        raise AttributeError(which)  # only reached for properties never set


_P = ParamSpec("_P")
_R = TypeVar("_R")
_MAKING = threading.RLock()
_MISSING: Final[Any] = object()


def made_once(maxsize: int | None = None) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """A cache of shared nodes (or of what makes them) whose first call cannot race.

    ``lru_cache`` alone lets two threads of a fresh process both make the
    node for one key; each keeps its own, and a record whose graph then holds
    both writes one of them in full where it should only point to it.  So a
    shared node is made under one lock (re-entrant: makers call each other),
    and every thread gets the one that was kept.  A node already kept is
    read without the lock (a dict read is atomic): a record asks some thirty
    times, and taking the lock each time cost more than the lookup.  When
    full the cache is emptied (a bound on memory, not an order: forgetting
    only costs making a node again, with the same text).
    """

    def decorate(make: Callable[_P, _R]) -> Callable[_P, _R]:
        kept: dict[Any, _R] = {}

        @wraps(make)
        def made(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            key = (args, tuple(kwargs.items())) if kwargs else args
            found = kept.get(key, _MISSING)
            if found is not _MISSING:
                return cast("_R", found)
            with _MAKING:
                found = kept.get(key, _MISSING)
                if found is _MISSING:
                    found = make(*args, **kwargs)
                    if maxsize is not None and len(kept) >= maxsize:
                        kept.clear()
                    kept[key] = found
            return cast("_R", found)

        made.cache_clear = kept.clear  # type: ignore[attr-defined]  # for specs starting afresh
        return made

    return decorate


def share(node: LightNode) -> LightNode:
    """Marks a node no build changes again (shared by every record's graph), so the RDF
    writers may keep its triples on it (``node_rdf``, in a holder under the private key ``_rdf``)."""
    node.__dict__["_rdf"] = []
    return node


#: Holders of the triples of per-record nodes made alike (see ``alike``), by what made them.
_ALIKE: dict[tuple[Any, ...], list[Any]] = {}
_ALIKE_MAX: Final[int] = 32768


def alike(node: LightNode, key: tuple[Any, ...]) -> LightNode:
    """Marks a record's node as made from ``key`` alone, like every other node made from it:
    they share one holder of their triples (``node_rdf``) until one is changed (any
    ``__setattr__`` drops the mark).  ``key`` must hold everything the node was made of;
    the nodes it points to must be shared ones (``share``), never a record's."""
    holder = _ALIKE.get(key)
    if holder is None:
        if len(_ALIKE) >= _ALIKE_MAX:
            _ALIKE.clear()  # a bounded cache: forgetting only costs working the triples out again
        holder = _ALIKE.setdefault(key, [])
    node.__dict__["_rdf"] = holder
    return node


def _compacted(ident: str, prefixes: dict[str, str]) -> str:
    """cromulent's reading of an ``ident``: an http URI in a namespace it knows becomes a prefixed name."""
    if ident.startswith("http"):
        hashed = ident.rsplit("#", 1)
        if len(hashed) == 1:
            prefix, rest = ident.rsplit("/", 1)
            prefix += "/"
        else:
            prefix, rest = hashed
            prefix += "#"
        short = prefixes.get(prefix)
        return f"{short}:{rest}" if short else ident
    return ident


def _class_of(source: type, prefixes: dict[str, str], name: str | None = None) -> type[LightNode]:
    multiple: set[str] = set()
    seen: set[str] = set()
    ranges: dict[str, type | None] = {}
    for level in source._classhier:  # type: ignore[attr-defined]
        for prop, info in level._all_properties.items():
            if prop in seen:
                continue  # cromulent reads the most specific class's definition
            seen.add(prop)
            if not info.profile_okay:
                continue  # ruled out by the profile: cromulent refuses it, so do we
            ranges[prop] = None if info.range is str else info.range
            if info.multiple_okay:
                multiple.add(prop)
    type_name = next(c.__name__ for c in source._classhier if c._type)  # type: ignore[attr-defined]
    attributes = {
        "__slots__": (),
        "_type_name": type_name,
        "_embed": bool(source._embed),  # type: ignore[attr-defined]
        "_multiple": frozenset(multiple),
        "_name_map": dict(source._property_name_map),  # type: ignore[attr-defined]
        "_compact": prefixes,
        "_namespaces": tuple(prefixes),
        "_source": source,
        "_ranges": ranges,
        "_accepts": {},
    }
    made: type[LightNode] = type(name or source.__name__, (LightNode,), attributes)
    return made


def _copy(node: Any, classes: dict[str, type[LightNode]], memo: dict[int, LightNode]) -> LightNode:
    """A cromulent node (and what it points to) as light nodes; shared nodes stay shared."""
    found = memo.get(id(node))
    if found is not None:
        return found
    cls = classes.get(type(node).__name__) or classes[node.type]
    light = cls.__new__(cls)
    memo[id(node)] = light
    own = light.__dict__
    for key, value in node.__dict__.items():
        if key in ("_factory", "_full_id"):
            continue
        if isinstance(value, list):
            own[key] = [_copy(v, classes, memo) if isinstance(v, model.BaseResource) else v for v in value]
        elif isinstance(value, model.BaseResource):
            own[key] = _copy(value, classes, memo)
        else:
            own[key] = value
    return light


@made_once()
def light_model() -> SimpleNamespace:
    """The light classes by cromulent name, plus ``languages`` (code -> shared Language node)."""
    factory = shared_factory()
    prefixes = dict(factory.prefixes_rev)
    classes = {name: _class_of(getattr(model, name), prefixes) for name in _CLASSES}
    memo: dict[int, LightNode] = {}
    for name in _VOCAB_CLASSES:
        source = getattr(vocab, name)
        born = source(ident="http://example.org/born")
        cls = _class_of(source, prefixes, name)
        cls._born = tuple(
            (key, tuple(_copy(v, classes, memo) for v in value))
            for key, value in born.__dict__.items()
            if isinstance(value, list) and key not in ("_factory",)
        )
        classes[name] = cls
    languages = {code: _copy(node, classes, memo) for code, node in cromulent_languages().items()}
    for node in memo.values():
        share(node)  # the languages, the classifications Exhibition and ProvenanceEntry are born with
    return SimpleNamespace(**classes, languages=languages, key_order=dict(factory.key_order_hash))


def serialise(node: LightNode) -> dict[str, Any]:
    """The node as a JSON-LD document, as cromulent's "fast" serialiser writes it."""
    return _json(node, {}, node, light_model().key_order)


def written_in_full(node: LightNode, done: dict[int, int], top: LightNode) -> None:
    """Marks what serialising ``node`` inside ``top`` marks as written (the JSON itself is dropped)."""
    _json(node, done, top, light_model().key_order)


def _json(node: LightNode, done: dict[int, int], top: LightNode, order: dict[str, int]) -> dict[str, Any]:
    # ``claim_children`` and ``key_order`` written out: this runs ~90 times a record.
    result: dict[str, Any] = {}
    me = id(node)
    own = node.__dict__
    if node is top and me not in done:
        result["@context"] = LINKED_ART_CONTEXT_URL
    if own["id"]:
        result["id"] = own["id"]
    result["type"] = node._type_name
    if "_label" in own:
        result["_label"] = own["_label"]
    if me in done or (node is not top and not node._embed):
        return result
    done[me] = 1
    ordered = _ORDERS.get(tuple(own)) or key_order(own, order)
    claim_children(own, ordered, done, me)
    name_map = node._name_map
    for key in ordered:
        value = own[key]
        if not value:
            continue
        if name_map:
            key = name_map.get(key, key)
        if type(value) is list:
            if len(value) == 1:
                item = value[0]
                if isinstance(item, LightNode):
                    if done[id(item)] == me:
                        del done[id(item)]
                    result[key] = [_json(item, done, top, order)]
                else:
                    result[key] = [item]
                continue
            written = []
            unique: set[int] = set()
            for item in value:
                if id(item) in unique:
                    continue
                unique.add(id(item))
                if isinstance(item, LightNode):
                    if done[id(item)] == me:
                        del done[id(item)]
                    written.append(_json(item, done, top, order))
                else:
                    written.append(item)
            result[key] = written
        elif isinstance(value, LightNode):
            if done[id(value)] == me:
                del done[id(value)]
            result[key] = _json(value, done, top, order)
        else:
            result[key] = value
    return result


#: Key order of a node, by the keys it holds in the order they were set (few distinct shapes).
_ORDERS: dict[tuple[str, ...], tuple[str, ...]] = {}


def claim_children(own: dict[str, Any], ordered: tuple[str, ...], done: dict[int, int], me: int) -> None:
    """Children of node ``me`` are written in full under it rather than deeper down (cromulent's rule)."""
    for key in ordered:
        value = own[key]
        if type(value) is list:
            for item in value:
                if isinstance(item, LightNode):
                    done.setdefault(id(item), me)
        elif isinstance(value, LightNode):
            done.setdefault(id(value), me)


def key_order(own: dict[str, Any], order: dict[str, int]) -> tuple[str, ...]:
    """A node's keys in cromulent's order: by its rank of the key, ties in the order set;
    ``id`` and private keys (but ``_label``) left out."""
    keys = tuple(own)
    found = _ORDERS.get(keys)
    if found is None:
        kept = [k for k in keys if k != "id" and (k[0] != "_" or k == "_label")]
        kept.sort(key=lambda k: order.get(k, _DEFAULT_RANK))
        found = _ORDERS[keys] = tuple(kept)
    return found
