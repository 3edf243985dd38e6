"""The limits of the public endpoint-check form (``/check``), apart from the harvest's.

The form lets anyone on the internet make the aggregator send requests, so
it must not become a way into the aggregator's own network, nor a way to
make it hammer someone's server.  Its rules are stricter than a harvest's
and configured on their own:

``EMUSEUM_CHECK_ALLOW_NETWORKS``
    CIDRs the form may reach although they are not public (default: none;
    the harvest's ``EMUSEUM_ALLOW_SOURCE_NETWORKS`` does not apply here, so a
    museum reached over a VPN is checked with the command line instead).
``EMUSEUM_CHECKS_PER_CLIENT``
    checks one client address may start per 10 minutes (default 5).

Time, records and bytes per check are fixed (``CheckFormLimits``); the
address rules are enforced at connect time like a harvest's
(``harvester.net_guard``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace

from config.errors import ConfigError
from config.source_policy import SourcePolicy, load_source_policy

__all__ = ["CheckFormLimits"]


@dataclass(frozen=True, slots=True)
class CheckFormLimits:
    policy: SourcePolicy  # addresses the form may reach, and its response cap
    checks_per_window: int = 5
    window_seconds: float = 600.0
    concurrent_checks: int = 2  # all clients together
    max_seconds: float = 60.0  # one whole check
    request_timeout: float = 15.0
    max_records: int = 50

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> CheckFormLimits:
        env = os.environ if environ is None else environ
        networks = env.get("EMUSEUM_CHECK_ALLOW_NETWORKS", "")
        base = load_source_policy({"EMUSEUM_ALLOW_SOURCE_NETWORKS": networks})
        policy = replace(base, max_response_bytes=8 * 1024 * 1024, max_response_seconds=30.0, max_seconds=60.0)
        rate = env.get("EMUSEUM_CHECKS_PER_CLIENT", "").strip()
        if rate and not rate.isdigit():
            raise ConfigError(f"EMUSEUM_CHECKS_PER_CLIENT: {rate!r} is not a whole number of checks")
        return cls(policy=policy, checks_per_window=int(rate) if rate else 5)
