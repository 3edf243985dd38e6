"""Who is running a harvest, and whether that process is still alive.

A run records its owner (``host:pid``) and a heartbeat (its last committed
page).  A run whose owner is gone was interrupted (killed, power cut, the
database went away): it is reported as failed and the next run resumes from
its checkpoint.  A run another live process owns must not be taken over.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

__all__ = ["OWNER", "STALE_AFTER", "owner_alive"]

#: This process, as runs record their owner.
OWNER = f"{socket.gethostname()}:{os.getpid()}"
#: A running run with no page committed for this long is taken to be dead.
STALE_AFTER = timedelta(minutes=30)


def owner_alive(owner: str | None, heartbeat: datetime | None, now: datetime, *, active_here: bool) -> bool:
    """Whether the process that owns a run may still be working on it.

    ``active_here`` says whether this very process is harvesting the museum
    right now (a run this process owns but no longer works on is finished).
    """
    if not owner or heartbeat is None or now - heartbeat > STALE_AFTER:
        return False
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True  # another machine, recently alive: trust its heartbeat
    if int(pid) == os.getpid():
        return active_here
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
