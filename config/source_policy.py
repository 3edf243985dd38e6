"""Where a harvest may reach, and how much of a museum's time and bytes it may spend.

A museum URL in the registry is an address the harvester will connect to, so
the registry is a way to make the harvester fetch things: the cloud metadata
service at 169.254.169.254, an admin page on 10.0.0.1, ``/etc/passwd``.  By
default only public (globally routable) addresses over http/https are
fetched, and no local file at all.  An operator widens that explicitly:

``EMUSEUM_ALLOW_SOURCE_NETWORKS``
    comma-separated CIDRs whose addresses may be fetched although they are not
    public, e.g. ``127.0.0.0/8,::1/128`` for loopback test endpoints, or
    ``10.20.0.0/16`` for museums reached over a VPN.
``EMUSEUM_FILE_SOURCES_DIR``
    the one folder (with its subfolders) CSV exports may be read from as
    ``file://`` URLs or plain paths; unset, no file source is read.
``EMUSEUM_MAX_RESPONSE_BYTES``
    the largest single response (OAI-PMH page or CSV export) read, counted
    after gzip/deflate decompression; default 64 MiB.  Accepts ``KiB``,
    ``MiB`` and ``GiB`` suffixes.
``EMUSEUM_MAX_SECONDS_PER_MUSEUM``
    the longest one harvest run of one museum may take; default 4 hours (a
    full listing of a national-size museum, ~1 million records at ~100
    records/s).  A run stopped by it resumes from its checkpoint next time.
``EMUSEUM_MAX_SECONDS_PER_RESPONSE``
    the longest one HTTP response may take to arrive in full (headers and
    body, not per read); default 15 minutes.
``EMUSEUM_CONNECT_TIMEOUT``
    the longest a connection may take to open (a server that never answers
    costs this, not the source's whole read timeout); default 10 s.
``EMUSEUM_MAX_CONNECT_ATTEMPTS``
    how often a museum whose server cannot be reached at all (refused, no
    route, unknown host, connect timeout) is tried in one run; default 2.
``EMUSEUM_MAX_RETRY_WAIT_PER_MUSEUM``
    the seconds one run may spend waiting between attempts, added up over
    all its requests; default 300.
``EMUSEUM_MAX_SECONDS_PER_NIGHT``
    the longest one harvest of many museums (a night) may take; a museum
    still running then stops (and resumes next night), one not started yet
    fails at once; default 8 hours.

Each registry source may lower or raise ``max_seconds`` and
``max_response_bytes`` for its museum.  This module only decides; the
harvester enforces the address rules again at connect time (a hostname is
resolved, every address checked, and the checked address connected to).
"""

from __future__ import annotations

import ipaddress
import os
import re
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from config.errors import ConfigError

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_MAX_SECONDS_PER_MUSEUM",
    "DEFAULT_MAX_SECONDS_PER_RESPONSE",
    "IPAddress",
    "IPNetwork",
    "SourcePolicy",
    "address_kind",
    "format_bytes",
    "literal_address",
    "load_source_policy",
    "local_path_of",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
DEFAULT_MAX_SECONDS_PER_MUSEUM = 4 * 3600.0
DEFAULT_MAX_SECONDS_PER_RESPONSE = 15 * 60.0
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_MAX_CONNECT_ATTEMPTS = 2
DEFAULT_MAX_RETRY_WAIT = 300.0
DEFAULT_MAX_SECONDS_PER_NIGHT = 8 * 3600.0

_SIZE = re.compile(r"^\s*(\d+)\s*(b|kib|mib|gib|k|m|g)?\s*$", re.I)
_UNITS = {None: 1, "b": 1, "k": 1024, "kib": 1024, "m": 1024**2, "mib": 1024**2, "g": 1024**3, "gib": 1024**3}
_LEGACY_IPV4 = re.compile(r"^(?:0x[0-9a-f]+|[0-9]+)(?:\.(?:0x[0-9a-f]+|[0-9]+)){0,3}$", re.I)


class _Limited(Protocol):
    """A registry source: OaiSource or CsvSource (kept structural so this module imports nothing)."""

    url: str
    max_seconds: float | None
    max_response_bytes: int | None


def format_bytes(count: float) -> str:
    """``64 MiB``, ``1.5 GiB``, ``900 bytes``: sizes as an operator reads them."""
    for unit, size in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if count >= size:
            value = count / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{int(count)} bytes"


def literal_address(host: str) -> IPAddress | None:
    """The address a host name spells literally (``[::1]``, ``127.1``, ``0x7f000001``), without DNS."""
    host = host.strip().strip("[]")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _LEGACY_IPV4.match(host):  # forms inet_aton (and so the resolver) still accept
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def address_kind(address: IPAddress) -> str | None:
    """Why ``address`` is not a public one (``"link-local"``, ``"loopback"``, ...), or None if it is."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:
            inner = address_kind(embedded)
            if inner is not None:
                return inner
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("shared (carrier-grade NAT)", address in ipaddress.ip_network("100.64.0.0/10")),
        ("reserved", address.is_reserved),
    )
    for kind, applies in checks:
        if applies:
            return kind
    return None if address.is_global else "not globally routable"


def local_path_of(url: str) -> Path | None:
    """The local file a CSV source names (``file://`` URL or plain path), or None for http(s)."""
    lowered = url.lower()
    if lowered.startswith(("http://", "https://")):
        return None
    if lowered.startswith("file:"):
        parsed = urlsplit(url)
        return Path(url2pathname(unquote(parsed.path)))
    return Path(url)


@dataclass(frozen=True, slots=True)
class SourcePolicy:
    """The trust and resource rules for fetching museum sources (see the module docstring)."""

    allowed_networks: tuple[IPNetwork, ...] = ()
    file_sources_dir: Path | None = None
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    max_seconds: float = DEFAULT_MAX_SECONDS_PER_MUSEUM
    max_response_seconds: float = DEFAULT_MAX_SECONDS_PER_RESPONSE
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    max_connect_attempts: int = DEFAULT_MAX_CONNECT_ATTEMPTS
    max_retry_wait: float = DEFAULT_MAX_RETRY_WAIT
    max_seconds_per_night: float = DEFAULT_MAX_SECONDS_PER_NIGHT
    _resolved_dir: Path | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.file_sources_dir is not None:
            object.__setattr__(self, "_resolved_dir", Path(self.file_sources_dir).resolve())

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SourcePolicy:
        return load_source_policy(os.environ if environ is None else environ)

    # -- derived limits ----------------------------------------------------------------------

    def max_seconds_for(self, source: _Limited) -> float:
        return source.max_seconds or self.max_seconds

    def max_response_bytes_for(self, source: _Limited) -> int:
        return source.max_response_bytes or self.max_response_bytes

    def with_file_sources_dir(self, folder: Path | str | None) -> SourcePolicy:
        """The same policy reading files from ``folder`` (e.g. a file an operator names on the command line)."""
        return replace(self, file_sources_dir=Path(folder) if folder is not None else None)

    # -- addresses ---------------------------------------------------------------------------

    def address_problem(self, address: IPAddress | str) -> str | None:
        """Why connecting to ``address`` is refused, or None when it is allowed."""
        if isinstance(address, str):
            address = ipaddress.ip_address(address.split("%", 1)[0])
        candidates: list[IPAddress] = [address]
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            candidates.append(address.ipv4_mapped)
        for candidate in candidates:
            if any(candidate.version == net.version and candidate in net for net in self.allowed_networks):
                return None
        kind = address_kind(address)
        if kind is None:
            return None
        article = "an" if kind[0] in "aeiou" else "a"
        return (
            f"{address} is {article} {kind} address; museum sources are fetched only from public addresses "
            "unless EMUSEUM_ALLOW_SOURCE_NETWORKS lists its network"
        )

    def host_problem(self, host: str) -> str | None:
        """Why a host is refused without asking DNS: a literal address or a ``localhost`` name."""
        host = host.strip().rstrip(".").lower()
        if not host:
            return "the URL names no host"
        address = literal_address(host)
        if address is None and (host == "localhost" or host.endswith(".localhost")):
            address = ipaddress.ip_address("127.0.0.1")
        return self.address_problem(address) if address is not None else None

    def url_problem(self, url: str) -> str | None:
        """Why an http(s) URL is refused at configuration time (DNS names are checked at connect time)."""
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https"):
            return f"{parts.scheme or 'a URL without a scheme'}: only http:// and https:// are fetched"
        try:
            host = parts.hostname
        except ValueError:
            host = None
        return self.host_problem(host or "")

    # -- files -------------------------------------------------------------------------------

    def file_problem(self, path: Path) -> str | None:
        """Why reading ``path`` is refused (symlinks and ``..`` resolved), or None."""
        if self._resolved_dir is None:
            return (
                "file sources are read only from the folder named by EMUSEUM_FILE_SOURCES_DIR, "
                "which is not set; set it to the folder the exports are put in, or serve the export over https"
            )
        resolved = path.resolve()
        if not resolved.is_relative_to(self._resolved_dir):
            return f"the file is outside EMUSEUM_FILE_SOURCES_DIR ({self._resolved_dir}); put the export there"
        return None

    def csv_url_problem(self, url: str) -> str | None:
        """Why a CSV source URL (http(s), ``file://`` or a path) is refused at configuration time."""
        scheme = urlsplit(url).scheme.lower()
        if scheme in ("http", "https"):
            return self.url_problem(url)
        if scheme not in ("", "file") and len(scheme) > 1:
            return f"{scheme}: a CSV source is an http(s) URL, a file:// URL or a path"
        if scheme == "file":
            netloc = urlsplit(url).netloc
            if netloc not in ("", "localhost"):
                return f"file://{netloc}/...: only local file:// URLs can be read"
        path = local_path_of(url)
        return self.file_problem(path) if path is not None else None


def _networks(value: str) -> tuple[IPNetwork, ...]:
    networks: list[IPNetwork] = []
    for part in value.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError as exc:
            raise ConfigError(
                f"EMUSEUM_ALLOW_SOURCE_NETWORKS: {part!r} is not a network ({exc}); "
                "give comma-separated CIDRs such as 127.0.0.0/8,::1/128"
            ) from None
    return tuple(networks)


def _size(name: str, value: str) -> int:
    match = _SIZE.match(value)
    if not match or int(match.group(1)) <= 0:
        raise ConfigError(f"{name}: {value!r} is not a size; give bytes, or a number with KiB, MiB or GiB")
    unit = match.group(2).lower() if match.group(2) else None
    return int(match.group(1)) * _UNITS[unit]


def _seconds(name: str, value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds > 0:
        raise ConfigError(f"{name}: {value!r} is not a number of seconds above 0")
    return seconds


def _optional_seconds(environ: Mapping[str, str], name: str, default: float) -> float:
    value = environ.get(name, "").strip()
    return _seconds(name, value) if value else default


def _attempts(environ: Mapping[str, str]) -> int:
    value = environ.get("EMUSEUM_MAX_CONNECT_ATTEMPTS", "").strip()
    if not value:
        return DEFAULT_MAX_CONNECT_ATTEMPTS
    if not value.isdigit() or int(value) < 1:
        raise ConfigError(f"EMUSEUM_MAX_CONNECT_ATTEMPTS: {value!r} is not a whole number of at least 1")
    return int(value)


def load_source_policy(environ: Mapping[str, str]) -> SourcePolicy:
    """The policy from the environment (see the module docstring); a bad value is a ConfigError."""
    folder = environ.get("EMUSEUM_FILE_SOURCES_DIR", "").strip()
    size = environ.get("EMUSEUM_MAX_RESPONSE_BYTES", "").strip()
    museum_seconds = environ.get("EMUSEUM_MAX_SECONDS_PER_MUSEUM", "").strip()
    response_seconds = environ.get("EMUSEUM_MAX_SECONDS_PER_RESPONSE", "").strip()
    return SourcePolicy(
        allowed_networks=_networks(environ.get("EMUSEUM_ALLOW_SOURCE_NETWORKS", "")),
        file_sources_dir=Path(folder) if folder else None,
        max_response_bytes=_size("EMUSEUM_MAX_RESPONSE_BYTES", size) if size else DEFAULT_MAX_RESPONSE_BYTES,
        max_seconds=(
            _seconds("EMUSEUM_MAX_SECONDS_PER_MUSEUM", museum_seconds)
            if museum_seconds
            else DEFAULT_MAX_SECONDS_PER_MUSEUM
        ),
        max_response_seconds=(
            _seconds("EMUSEUM_MAX_SECONDS_PER_RESPONSE", response_seconds)
            if response_seconds
            else DEFAULT_MAX_SECONDS_PER_RESPONSE
        ),
        connect_timeout=_optional_seconds(environ, "EMUSEUM_CONNECT_TIMEOUT", DEFAULT_CONNECT_TIMEOUT),
        max_connect_attempts=_attempts(environ),
        max_retry_wait=_optional_seconds(environ, "EMUSEUM_MAX_RETRY_WAIT_PER_MUSEUM", DEFAULT_MAX_RETRY_WAIT),
        max_seconds_per_night=_optional_seconds(
            environ, "EMUSEUM_MAX_SECONDS_PER_NIGHT", DEFAULT_MAX_SECONDS_PER_NIGHT
        ),
    )
