"""One bounded download from a museum's media host: size, time and redirects capped.

The connection goes to the very address the policy checked (the host name
only travels in the Host header and TLS SNI), so a DNS answer that changes
between the check and the request cannot point the proxy elsewhere.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3

from aggregator.media.policy import BlockedSource, SourcePolicy

__all__ = ["FetchFailed", "Fetched", "fetch"]

USER_AGENT = "emuseum-media-proxy/1 (+national museum catalogue of Kazakhstan)"
MAX_REDIRECTS = 3


class FetchFailed(Exception):
    """The source did not give the file; the message says why (for the log)."""


@dataclass(frozen=True, slots=True)
class Fetched:
    body: bytes
    content_type: str | None
    url: str


def _request(url: str, policy: SourcePolicy, timeout: float) -> urllib3.BaseHTTPResponse:
    host, port, addresses = policy.addresses(url)
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    address = addresses[0]
    limits = urllib3.Timeout(connect=min(3.0, timeout), read=timeout)
    pool: urllib3.HTTPConnectionPool
    if parts.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address, port, timeout=limits, retries=False, server_hostname=host, assert_hostname=host
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=limits, retries=False)
    shown_host = parts.netloc.rsplit("@", 1)[-1]
    return pool.urlopen(
        "GET",
        target,
        headers={"Host": shown_host, "User-Agent": USER_AGENT, "Accept": "*/*"},
        redirect=False,
        retries=False,
        preload_content=False,
    )


def fetch(url: str, policy: SourcePolicy, *, max_bytes: int, timeout: float = 10.0) -> Fetched:
    """The body of ``url`` (at most ``max_bytes``, within ``timeout`` seconds in all)."""
    deadline = time.monotonic() + timeout
    for _ in range(MAX_REDIRECTS + 1):
        try:
            response = _request(url, policy, max(0.5, deadline - time.monotonic()))
        except BlockedSource:
            raise
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise FetchFailed(f"{url[:120]}: {exc}") from None
        try:
            if response.status in (301, 302, 303, 307, 308) and response.headers.get("Location"):
                url = urljoin(url, response.headers["Location"])
                continue
            if response.status != 200:
                raise FetchFailed(f"{url[:120]}: HTTP {response.status}")
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise FetchFailed(f"{url[:120]}: {declared} bytes, more than the {max_bytes} allowed")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.stream(64 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise FetchFailed(f"{url[:120]}: more than the {max_bytes} bytes allowed")
                if time.monotonic() > deadline:
                    raise FetchFailed(f"{url[:120]}: slower than {timeout:.0f} s")
                chunks.append(chunk)
            content_type = response.headers.get("Content-Type")
            return Fetched(b"".join(chunks), content_type.split(";")[0].strip() if content_type else None, url)
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise FetchFailed(f"{url[:120]}: {exc}") from None
        finally:
            response.release_conn()
            response.close()
    raise FetchFailed(f"{url[:120]}: more than {MAX_REDIRECTS} redirects")
