"""Errors a harvest can end with: one class per OAI-PMH protocol error, plus transport and limits.

Third-party exceptions (requests, sickle, lxml, csv) are translated into these
at the harvester's boundary, so the pipeline only ever sees our own names.

A message is one line (it ends up in run reports and the public API) and
carries nothing a source sent beyond a short printable excerpt: a museum's
server or file is untrusted, and an error message must not become a way to
read it out (``excerpt`` makes such excerpts).
"""

from __future__ import annotations

import re

__all__ = [
    "BadArgument",
    "BadResumptionToken",
    "BadVerb",
    "CannotDisseminateFormat",
    "CompleteListSizeExceeded",
    "CsvExportError",
    "DeadlineExceeded",
    "ForbiddenSource",
    "HarvestError",
    "IdDoesNotExist",
    "NoMetadataFormats",
    "NoNewRecords",
    "NoRecordsMatch",
    "NoSetHierarchy",
    "OAIError",
    "PageLimitExceeded",
    "RepeatedResumptionToken",
    "ResponseTooLarge",
    "SourceUnavailable",
    "excerpt",
    "oai_error_for_code",
]

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
_SPACES = re.compile(r"\s+")


def excerpt(text: str | bytes | None, limit: int = 120) -> str:
    """A short, printable, one-line excerpt of text a source sent, quoted: ``«...»``."""
    if text is None:
        return "«»"
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    text = _UNPRINTABLE.sub("?", _SPACES.sub(" ", text[: limit * 4])).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"«{text}»"


def _one_line(message: str) -> str:
    return _SPACES.sub(" ", _UNPRINTABLE.sub(" ", message)).strip()


class HarvestError(Exception):
    """A harvest of one museum that cannot go on; the message (one line) says what to do."""

    def __init__(self, museum_id: str, message: str) -> None:
        self.museum_id = museum_id
        self.message = _one_line(message)
        super().__init__(f"museum {museum_id}: {self.message}")


class SourceUnavailable(HarvestError):
    """The museum's endpoint did not answer usefully after bounded retries."""


class RepeatedResumptionToken(HarvestError):
    """The endpoint handed back a token it had already given: it would loop forever."""


class CsvExportError(HarvestError):
    """The CSV export cannot be read (encoding, missing id column, unreachable file)."""


class ForbiddenSource(HarvestError):
    """The source points where the source policy forbids (a private address, a file outside the exports folder)."""


class DeadlineExceeded(HarvestError):
    """The museum's time for this run is up; the committed pages stay and the next run resumes."""


class ResponseTooLarge(HarvestError):
    """One response (a page, an export) is larger than the configured cap after decompression."""


class NoNewRecords(HarvestError):
    """Page after page brought only records already seen in this window: the listing loops."""


class CompleteListSizeExceeded(HarvestError):
    """The listing sent far more records than its completeListSize promised: it loops or lies."""


class PageLimitExceeded(HarvestError):
    """A window ran past the safety cap on its number of pages."""


class OAIError(HarvestError):
    code = "oaiError"


class BadArgument(OAIError):
    code = "badArgument"


class BadResumptionToken(OAIError):
    code = "badResumptionToken"


class BadVerb(OAIError):
    code = "badVerb"


class CannotDisseminateFormat(OAIError):
    code = "cannotDisseminateFormat"


class IdDoesNotExist(OAIError):
    code = "idDoesNotExist"


class NoRecordsMatch(OAIError):
    code = "noRecordsMatch"


class NoMetadataFormats(OAIError):
    code = "noMetadataFormats"


class NoSetHierarchy(OAIError):
    code = "noSetHierarchy"


_BY_CODE = {
    cls.code: cls
    for cls in (
        BadArgument,
        BadResumptionToken,
        BadVerb,
        CannotDisseminateFormat,
        IdDoesNotExist,
        NoRecordsMatch,
        NoMetadataFormats,
        NoSetHierarchy,
    )
}


def oai_error_for_code(code: str, museum_id: str, message: str) -> OAIError:
    cls = _BY_CODE.get(code, OAIError)
    return cls(museum_id, f"OAI-PMH error {code}: {message}")
