"""Production dates as the xsd:dateTime bounds of a Linked Art TimeSpan.

``CoreRecord`` keeps astronomical ISO years (``-0499`` is 500 BCE).  XSD 1.1
(the datatype version RDF 1.1 uses) numbers years the same way (``0000`` is
1 BCE), so the year is copied as is: ``-0499`` -> ``-0499-01-01T00:00:00Z``.
A year or month stretches to its first and last second; an impossible day
(``1890-02-30``) is moved to the last day of its month.
"""

from __future__ import annotations

from functools import lru_cache

from mappings.iso_dates import parse_iso

__all__ = ["begin_of_the_begin", "end_of_the_end"]


@lru_cache(maxsize=8192)  # pure; a fund's dates are mostly a few hundred years and decades
def begin_of_the_begin(iso: str) -> str:
    """First instant of an ISO date/month/year, as an xsd:dateTime lexical form."""
    return f"{parse_iso(iso).first_day().iso()}T00:00:00Z"


@lru_cache(maxsize=8192)
def end_of_the_end(iso: str) -> str:
    """Last second of an ISO date/month/year, as an xsd:dateTime lexical form."""
    return f"{parse_iso(iso).last_day().iso()}T23:59:59Z"
