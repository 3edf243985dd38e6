"""A researcher's search as it arrives in a URL, checked and turned into a SearchQuery.

The API and the search page read the very same parameters through this one
function, so a link copied from the page works against the API and both
refuse a bad request with the same sentence.  Every refusal names the
parameter and says what would be accepted: researchers build these URLs by
hand and in scripts, and "422" alone teaches them nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from pydantic import ValidationError

from aggregator.index.query import (
    BOOLEAN_FACETS,
    FACETS,
    MAX_PAGE_SIZE,
    QueryError,
    SearchQuery,
)
from aggregator.web.concept_labels import resolve_filter
from aggregator.web.i18n import DEFAULT_LANG, LANGUAGES

__all__ = [
    "MAX_QUERY_LENGTH",
    "MAX_YEAR",
    "SEARCH_PARAMETERS",
    "SORTS",
    "ParamError",
    "SearchRequest",
    "parse_search_params",
]

SORTS: Final = ("relevance", "title", "date", "-date")
SINGLE_PARAMETERS: Final = ("q", "from", "to", "sort", "page", "size", "lang")
SEARCH_PARAMETERS: Final = (*SINGLE_PARAMETERS, "facet", *FACETS)
MAX_QUERY_LENGTH: Final = 500
MAX_FILTER_VALUE_LENGTH: Final = 300
#: Years beyond this are typing mistakes, and they would overflow the index's integers.
MAX_YEAR: Final = 100_000
_YEAR: Final = re.compile(r"^[+-]?\d{1,6}$")
_COUNT: Final = re.compile(r"^\+?\d{1,9}$")


class ParamError(ValueError):
    """One request parameter that cannot be used; ``parameter`` names it for the client."""

    def __init__(self, message: str, parameter: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.parameter = parameter


@dataclass(slots=True)
class SearchRequest:
    query: SearchQuery
    lang: str
    #: The parameters as given (minus defaults), for links that keep the search.
    params: list[tuple[str, str]] = field(default_factory=list)


def _year(name: str, raw: str) -> int:
    value = raw.strip()
    if not _YEAR.match(value):
        raise ParamError(
            f"parameter '{name}' must be a whole year such as 1850, or negative for BCE "
            f"such as -500; got {raw[:40]!r}",
            name,
        )
    year = int(value)
    if abs(year) > MAX_YEAR:
        raise ParamError(f"parameter '{name}' must be between -{MAX_YEAR} and {MAX_YEAR}", name)
    return year


def _count(name: str, raw: str, *, minimum: int, maximum: int | None = None) -> int:
    value = raw.strip()
    if not _COUNT.match(value) or int(value) < minimum:
        raise ParamError(
            f"parameter '{name}' must be a whole number of at least {minimum}; got {raw[:40]!r}",
            name,
        )
    number = int(value)
    if maximum is not None and number > maximum:
        raise ParamError(f"parameter '{name}' must be at most {maximum}; got {number}", name)
    return number


def _validation_message(exc: ValidationError) -> tuple[str, str | None]:
    first = exc.errors()[0]
    loc = [str(p) for p in first.get("loc", ())]
    message = str(first.get("msg", exc)).removeprefix("Value error, ")
    return message, (loc[0] if loc else None)


def parse_search_params(
    items: Iterable[tuple[str, str]],
    *,
    default_size: int = 20,
    default_facets: Iterable[str] = (),
) -> SearchRequest:
    """Check every parameter and build the query; raises ParamError on the first problem."""
    pairs = list(items)
    resolved: list[tuple[str, str]] = []  # the pairs with concept labels turned into concept ids
    single: dict[str, str] = {}
    filters: dict[str, list[str]] = {}
    facets: list[str] = []
    for name, value in pairs:
        resolved.append((name, value))
        if name not in SEARCH_PARAMETERS:
            raise ParamError(
                f"unknown parameter {name[:60]!r}; use {', '.join(SEARCH_PARAMETERS)}", name[:60]
            )
        if name in SINGLE_PARAMETERS:
            if name in single:
                raise ParamError(f"parameter '{name}' is given more than once", name)
            single[name] = value
        elif name == "facet":
            if value not in FACETS:
                raise ParamError(
                    f"unknown facet {value[:60]!r}; use one of {', '.join(FACETS)}", "facet"
                )
            facets.append(value)
        else:
            value = value.strip()
            if not value:
                raise ParamError(f"filter '{name}' needs a value, e.g. {name}=...", name)
            if len(value) > MAX_FILTER_VALUE_LENGTH:
                raise ParamError(
                    f"filter '{name}' is longer than {MAX_FILTER_VALUE_LENGTH} characters", name
                )
            if name in BOOLEAN_FACETS and value not in ("true", "false"):
                raise ParamError(f"filter '{name}' takes true or false, not {value[:40]!r}", name)
            value = resolve_filter(name, value)[0]  # material=серебро is material=silver
            resolved[-1] = (name, value)
            filters.setdefault(name, []).append(value)

    text = single.get("q", "")
    if len(text) > MAX_QUERY_LENGTH:
        raise ParamError(f"parameter 'q' is longer than {MAX_QUERY_LENGTH} characters", "q")
    if "\x00" in text:
        raise ParamError("parameter 'q' contains a NUL character", "q")
    date_from = _year("from", single["from"]) if single.get("from", "").strip() else None
    date_to = _year("to", single["to"]) if single.get("to", "").strip() else None
    if date_from is not None and date_to is not None and date_from > date_to:
        raise ParamError(
            f"'from' ({date_from}) is after 'to' ({date_to}); swap them", "from"
        )
    sort = single.get("sort", "").strip() or "relevance"
    if sort not in SORTS:
        raise ParamError(f"parameter 'sort' must be one of {', '.join(SORTS)}; got {sort[:40]!r}", "sort")
    page = _count("page", single["page"], minimum=1) if single.get("page", "").strip() else 1
    size = (
        _count("size", single["size"], minimum=0, maximum=MAX_PAGE_SIZE)
        if single.get("size", "").strip()
        else default_size
    )
    lang = single.get("lang", "").strip() or DEFAULT_LANG
    if lang not in LANGUAGES:
        raise ParamError(f"parameter 'lang' must be one of {', '.join(LANGUAGES)}; got {lang[:20]!r}", "lang")

    try:
        query = SearchQuery(
            text=text,
            filters=filters,
            date_from=date_from,
            date_to=date_to,
            facets=facets or list(default_facets),
            sort=sort,
            page=page,
            size=size,
        )
        query.check_window()
    except ValidationError as exc:
        message, parameter = _validation_message(exc)
        raise ParamError(message, parameter) from None
    except QueryError as exc:
        raise ParamError(str(exc), "page") from None
    kept = [(n, v) for n, v in resolved if v.strip() and n not in ("page", "facet")]
    return SearchRequest(query=query, lang=lang, params=kept)
