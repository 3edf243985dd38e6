"""Quieting rdflib's warning for BCE xsd:dateTime literals, which are valid XSD.

rdflib keeps BCE xsd:dateTime literals verbatim but cannot turn them into
Python ``datetime`` values (Python's datetime stops at year 1); it flags them
``ill_typed`` and logs a traceback each time.  That one warning is filtered,
nothing else is.  Shared by the rdflib path (``rdf``) and the direct writer
(``triples``), which asks rdflib for a literal's lexical form.
"""

from __future__ import annotations

import logging
import re
import threading

__all__ = ["quiet_bce_literal_warnings"]

_BCE_LEXICAL = re.compile(r"'(-\d{4,}|0000)-\d{2}-\d{2}T")


class _BceDateTimeFilter(logging.Filter):
    """Drops rdflib's conversion warning for BCE xsd:dateTime literals; other failures still get through."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not str(record.msg).startswith("Failed to convert Literal lexical form"):
            return True
        error = record.exc_info[1] if record.exc_info else None
        return not (isinstance(error, ValueError) and _BCE_LEXICAL.search(str(error)))


_BCE_FILTER = _BceDateTimeFilter()
_FILTER_LOCK = threading.Lock()


def quiet_bce_literal_warnings() -> None:
    """Adds the filter to rdflib's term logger unless it is there already.

    Checked on every call (logging may have been reconfigured since), added
    under a lock so that threads starting together do not add it twice.
    """
    logger = logging.getLogger("rdflib.term")
    if _BCE_FILTER not in logger.filters:
        with _FILTER_LOCK:
            if _BCE_FILTER not in logger.filters:
                logger.addFilter(_BCE_FILTER)
