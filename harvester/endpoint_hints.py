"""What an endpoint check taught the harvester about one museum's endpoint.

``emuseum check-endpoint`` measures what Identify only declares; the
pipeline passes the museum's saved profile to ``OaiHarvester`` as these
hints (only while the profile is of the museum's current URL):

* ``granularity``: the granularity the endpoint really accepts in ``from``
  (a server that declares seconds but refuses a time gets days);
* ``honours_from = False``: the endpoint ignores ``from`` and sends its whole
  list anyway.  Then an incremental run asks for the full list instead and
  treats it as a complete listing: it costs the museum nothing more than the
  "incremental" run it would have sent, and records that disappeared are
  noticed the same night (behind the circuit breaker) instead of at the
  weekly full harvest.  Widening the window would not help, since no window
  is honoured.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EndpointHints"]


@dataclass(frozen=True, slots=True)
class EndpointHints:
    granularity: str | None = None  # DAY_GRANULARITY or SECOND_GRANULARITY; None: trust Identify
    honours_from: bool | None = None  # False: list in full; None/True: incremental as usual
    checked_at: str | None = None  # when the check was made (for the run's note)
