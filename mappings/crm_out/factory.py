"""cromulent's one global factory, set up once and then only read.

cromulent keeps its settings on a module-wide factory that every object it
creates consults while it is built and serialised.  The web app builds
documents from several threads, so the settings are written exactly once,
under a lock, before the first document is built, and never again; each
later call only checks that nobody else changed them, because a changed
setting would silently change our output (an error, not a reason to write
shared state back while other threads are reading it).

With these settings building is thread-safe: every call makes its own
objects (ids are given by us, never counted by the factory), serialises
with its own bookkeeping, and shares only read-only things (the settings,
cromulent's Language instances).
"""

from __future__ import annotations

import operator
import threading
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType, SimpleNamespace
from typing import Any, Final, cast

from cromulent import model, vocab
from cromulent.model import LINKED_ART_CONTEXT_URI

__all__ = [
    "LINKED_ART_CONTEXT_URL",
    "SETTINGS",
    "cromulent_languages",
    "cromulent_model",
    "serialise",
    "shared_factory",
]

LINKED_ART_CONTEXT_URL: Final[str] = LINKED_ART_CONTEXT_URI  # https://linked.art/ns/v1/linked-art.json

#: What this output needs from the factory.  It reads its context from
#: cromulent's own file, never the network.
SETTINGS: Final[Mapping[str, object]] = MappingProxyType(
    {
        "auto_assign_id": False,  # we give every node an id ourselves
        "context_uri": LINKED_ART_CONTEXT_URL,
        "id_type_label": True,
        "multiple_instances_per_property": "drop",
        "validate_profile": True,
        "validate_properties": True,
        "validate_range": True,
        "log_stream": None,  # profile warnings must not reach stderr from a pure function
        # cromulent's single-pass serialiser: the same documents, key order included (checked by
        # tests over real and generated records), in 60% of the time, and built of plain dicts
        # and lists; our build never sets a datetime or a dict-valued property.  It files keys
        # missing from cromulent's key-order table under the default rank (setdefault on the
        # shared table, atomic under the GIL), which is the rank it sorts them by anyway.
        "json_serializer": "fast",
    }
)

_SETTING_NAMES = operator.attrgetter(*SETTINGS)
_SETTING_VALUES = tuple(SETTINGS.values())
_SETUP_LOCK = threading.Lock()
_set_up = False


def shared_factory() -> Any:
    """cromulent's factory with our settings: written on first use, checked afterwards."""
    global _set_up
    factory = model.factory
    if not _set_up:
        with _SETUP_LOCK:
            if not _set_up:
                for name, value in SETTINGS.items():
                    setattr(factory, name, value)
                _set_up = True
    if _SETTING_NAMES(factory) == _SETTING_VALUES:  # once a record: one C call, not a loop
        return factory
    changed = [name for name, value in SETTINGS.items() if getattr(factory, name) != value]
    if changed:
        raise RuntimeError(
            f"cromulent's shared factory settings {changed} were changed outside mappings.crm_out; "
            "Linked Art output would change with them"
        )
    return factory


def serialise(node: Any) -> dict[str, Any]:
    """The node as a JSON-LD document of plain dicts and lists, made fresh for this call.

    The "fast" serialiser already builds new plain dicts and lists (the normal
    one returned OrderedDicts that had to be copied), so nothing is shared
    with cromulent's objects or with other documents.
    """
    return cast("dict[str, Any]", shared_factory().toJSON(node))


@cache
def cromulent_languages() -> dict[str, Any]:
    """ISO 639-1 code -> cromulent's AAT Language instance (en, ru, de, ...)."""
    languages: dict[str, Any] = {}
    for instance in vocab.instances.values():
        code = getattr(instance, "notation", "")
        if isinstance(instance, model.Language) and isinstance(code, str) and code:
            languages.setdefault(code.lower(), instance)
    return languages


@cache
def cromulent_model() -> SimpleNamespace:
    """cromulent's classes under the names the builder asks for, and its Language instances.

    The builder (``nodes`` and the modules over it) takes its classes from
    such a namespace, so the same build runs on cromulent (the reference,
    which checks the profile) or on ``light`` (the fast default).
    """
    shared_factory()
    return SimpleNamespace(
        **{name: getattr(model, name) for name in dir(model) if name[:1].isupper()},
        Exhibition=vocab.Exhibition,
        ProvenanceEntry=vocab.ProvenanceEntry,
        languages=cromulent_languages(),
    )
