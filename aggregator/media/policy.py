"""Which addresses the media proxy may fetch from: the harvester's source policy, applied to images.

The proxy fetches what museums put in their records; without this check a
record (or a museum's DNS) could point it at the aggregator's own network
(databases, cloud metadata at 169.254.169.254).  It follows exactly the rule
the harvester follows (``config.source_policy``): every address a host name
resolves to must be public, unless it lies in a network listed in
``EMUSEUM_ALLOW_SOURCE_NETWORKS``.  This module adds only the resolving, so
that the proxy connects to the very address it checked.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from config.errors import ConfigError
from config.source_policy import SourcePolicy as SourceRules

__all__ = ["ALLOW_ENV", "BlockedSource", "SourcePolicy"]

ALLOW_ENV = "EMUSEUM_ALLOW_SOURCE_NETWORKS"
Resolver = Callable[[str, int], Sequence[str]]


class BlockedSource(ValueError):
    """A URL the proxy refuses to fetch; the message says why."""


def _system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(slots=True)
class SourcePolicy:
    rules: SourceRules = field(default_factory=SourceRules)
    resolver: Resolver = _system_resolver

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SourcePolicy:
        try:
            return cls(SourceRules.from_env(env))
        except ConfigError as exc:
            raise BlockedSource(str(exc)) from None

    def permits(self, address: str) -> bool:
        return self.rules.address_problem(address) is None

    def addresses(self, url: str) -> tuple[str, int, list[str]]:
        """Host, port and the checked addresses to connect to; raises BlockedSource."""
        try:
            parts = urlsplit(url)
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as exc:
            raise BlockedSource(f"not a URL: {exc}") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise BlockedSource(f"only http and https URLs are fetched, not {url[:80]!r}")
        try:
            found = list(self.resolver(parts.hostname, port))
        except OSError as exc:
            raise BlockedSource(f"{parts.hostname}: cannot resolve ({exc})") from None
        if not found:
            raise BlockedSource(f"{parts.hostname}: no address")
        refused = [problem for a in found if (problem := self.rules.address_problem(a))]
        if refused:
            raise BlockedSource(f"{parts.hostname}: {refused[0]}")
        return parts.hostname, port, found
