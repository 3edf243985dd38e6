"""Errors a harvest can end with: one class per OAI-PMH protocol error, plus transport.

Third-party exceptions (requests, sickle, lxml, csv) are translated into these
at the harvester's boundary, so the pipeline only ever sees our own names.
"""

from __future__ import annotations

__all__ = [
    "BadArgument",
    "BadResumptionToken",
    "BadVerb",
    "CannotDisseminateFormat",
    "CsvExportError",
    "HarvestError",
    "IdDoesNotExist",
    "NoMetadataFormats",
    "NoRecordsMatch",
    "NoSetHierarchy",
    "OAIError",
    "RepeatedResumptionToken",
    "SourceUnavailable",
    "oai_error_for_code",
]


class HarvestError(Exception):
    """A harvest of one museum that cannot go on; the message says what to do."""

    def __init__(self, museum_id: str, message: str) -> None:
        self.museum_id = museum_id
        self.message = message
        super().__init__(f"museum {museum_id}: {message}")


class SourceUnavailable(HarvestError):
    """The museum's endpoint did not answer usefully after bounded retries."""


class RepeatedResumptionToken(HarvestError):
    """The endpoint handed back a token it had already given: it would loop forever."""


class CsvExportError(HarvestError):
    """The CSV export cannot be read (encoding, missing id column, unreachable file)."""


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
