"""Which addresses the media proxy may fetch from: public ones, and the networks the operator names.

The proxy fetches what museums put in their records; without this check a
record (or a museum's DNS) could point it at the aggregator's own network
(databases, cloud metadata at 169.254.169.254).  Every address a host name
resolves to must be global, unless it lies in a network listed in
``EMUSEUM_ALLOW_SOURCE_NETWORKS`` (comma-separated CIDRs, e.g. the demo's
``127.0.0.1/32``).

Stand-in: the harvester is getting ``config/source_policy.py`` with this very
policy; when it lands, ``SourcePolicy`` here becomes a thin alias of it.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

__all__ = ["ALLOW_ENV", "BlockedSource", "SourcePolicy"]

ALLOW_ENV = "EMUSEUM_ALLOW_SOURCE_NETWORKS"
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Sequence[str]]


class BlockedSource(ValueError):
    """A URL the proxy refuses to fetch; the message says why."""


def _system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(slots=True)
class SourcePolicy:
    allowed: list[IPNetwork] = field(default_factory=list)
    resolver: Resolver = _system_resolver

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SourcePolicy:
        raw = (env if env is not None else os.environ).get(ALLOW_ENV, "")
        networks: list[IPNetwork] = []
        for part in raw.split(","):
            if part.strip():
                try:
                    networks.append(ipaddress.ip_network(part.strip(), strict=False))
                except ValueError:
                    raise BlockedSource(f"{ALLOW_ENV}: {part.strip()!r} is not a network (e.g. 10.0.0.0/8)") from None
        return cls(networks)

    def permits(self, address: str) -> bool:
        ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if any(ip in network for network in self.allowed):
            return True
        return ip.is_global and not ip.is_multicast

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
        refused = [a for a in found if not self.permits(a)]
        if refused:
            raise BlockedSource(
                f"{parts.hostname} resolves to {refused[0]}, a private, loopback or link-local address; "
                f"list its network in {ALLOW_ENV} to allow it"
            )
        return parts.hostname, port, found
