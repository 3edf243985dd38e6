"""What can go wrong with an external search engine, in the catalogue's own words.

Adapters translate every third-party client exception at their boundary, so the
harvest, the sync and the web app handle one small set of errors and never
depend on which engine (or which client version) is configured.
"""

from __future__ import annotations

__all__ = ["DocumentsRejected", "EngineUrlError", "IndexUnavailable"]


class IndexUnavailable(Exception):
    """The engine could not do what was asked: down, overloaded, refused, or misconfigured.

    ``transient`` marks failures worth retrying (connection refused or reset,
    timeouts, HTTP 429 and 5xx); ``status`` is the HTTP status when there was one,
    ``reason`` what the engine said (its error type and reason), and
    ``retry_after`` the seconds of a ``Retry-After`` header when the client passed one on.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        transient: bool = False,
        reason: str = "",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.transient = transient
        self.reason = reason
        self.retry_after = retry_after


class DocumentsRejected(Exception):
    """The engine answered, but refused some documents for good (mapping conflict, bad value).

    Retrying cannot help, so the caller gets the record ids and the engine's reasons;
    every other document of the request was written.
    """

    def __init__(self, reasons: dict[str, str]) -> None:
        self.reasons = dict(reasons)
        shown = "; ".join(f"{record_id}: {reason}" for record_id, reason in list(self.reasons.items())[:5])
        more = f" (and {len(self.reasons) - 5} more)" if len(self.reasons) > 5 else ""
        super().__init__(f"search engine rejected {len(self.reasons)} document(s): {shown}{more}")


class EngineUrlError(ValueError):
    """An index URL the catalogue cannot use; the message shows the accepted form."""
