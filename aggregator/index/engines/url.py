"""Where a search engine is, read from the index URL.

``opensearch+http://host:9200/emuseum`` or ``elasticsearch+https://host:9200/emuseum``:
the scheme names the engine and its transport, the path is the alias the
catalogue reads and writes (default ``emuseum``).  Query parameters tune the
client: ``attempts`` (tries per request, default 5), ``backoff`` (first pause in
seconds, doubled per retry, default 0.5), ``timeout`` (seconds per request,
default 30), ``replicas`` (replicas of each index; default: the cluster's) and
``max_wait`` (seconds a bulk writer waits in all on a node that answers 429, its
memory breaker or full write queue, before it gives up; default 120).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from aggregator.index.errors import EngineUrlError

__all__ = ["DEFAULT_PREFIX", "ENGINES", "EngineLocation", "parse_index_url"]

DEFAULT_PREFIX = "emuseum"
ENGINES = ("opensearch", "elasticsearch")
# Index and alias names: lowercase, and not starting with '-', '_' or '+' (engine rules).
_PREFIX = re.compile(r"^[a-z0-9][a-z0-9_-]{0,200}$")


@dataclass(frozen=True, slots=True)
class EngineLocation:
    """Where an engine is and how hard to try, parsed from the index URL."""

    engine: str
    base_url: str  # scheme://host:port, without credentials
    prefix: str = DEFAULT_PREFIX
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    attempts: int = 5
    backoff: float = 0.5
    timeout: float = 30.0
    replicas: int | None = None  # replicas of each index; None: the cluster's default
    max_wait: float = 120.0  # seconds of waiting on 429s without a document getting through

    def describe(self) -> str:
        return f"{self.engine} {self.base_url} alias {self.prefix!r}"


def _number(url_hint: str, name: str, value: str, kind: type[int] | type[float]) -> Any:
    try:
        number = kind(value)
    except ValueError:
        raise EngineUrlError(f"index URL {url_hint}: {name}={value!r} is not a number") from None
    if number < (1 if name == "attempts" else 0):
        raise EngineUrlError(f"index URL {url_hint}: {name}={value!r} is out of range")
    return number


def parse_index_url(index_url: str) -> EngineLocation:
    """``opensearch+http://127.0.0.1:9200/emuseum?attempts=3`` -> EngineLocation."""
    parts = urlsplit(index_url)
    engine, _, transport = parts.scheme.partition("+")
    shown = f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}{parts.path}"
    if engine not in ENGINES or transport not in ("http", "https") or not parts.hostname:
        raise EngineUrlError(
            f"index URL {shown!r} is not understood; use 'sqlite' or e.g. "
            "'opensearch+http://127.0.0.1:9200/emuseum' or 'elasticsearch+https://host:9200/emuseum'"
        )
    prefix = parts.path.strip("/") or DEFAULT_PREFIX
    if not _PREFIX.match(prefix):
        raise EngineUrlError(
            f"index URL {shown!r}: alias {prefix!r} must be lowercase letters, digits, '-' or '_' "
            "and start with a letter or digit"
        )
    options: dict[str, Any] = {}
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if name in ("attempts", "replicas"):
            options[name] = _number(shown, name, value, int)
        elif name in ("backoff", "timeout", "max_wait"):
            options[name] = _number(shown, name, value, float)
        else:
            raise EngineUrlError(
                f"index URL {shown!r}: unknown option {name!r} (attempts, backoff, timeout, replicas, max_wait)"
            )
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return EngineLocation(
        engine=engine,
        base_url=f"{transport}://{netloc}",
        prefix=prefix,
        username=parts.username,
        password=parts.password,
        **options,
    )
