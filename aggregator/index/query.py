"""The query model every index backend answers: one shape for FTS5, OpenSearch and Elasticsearch.

Keeping it backend-neutral is what lets the same behavioural tests run against
each engine and lets the ministry move from the embedded index to a cluster
without researchers noticing.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = [
    "FACETS",
    "BOOLEAN_FACETS",
    "FacetValue",
    "Hit",
    "QueryError",
    "SearchQuery",
    "SearchResult",
    "parse_filters",
]

#: Facet / filter names researchers can use (API, CLI and web page alike).
FACETS: tuple[str, ...] = (
    "museum",
    "region",
    "object_type",
    "material",
    "technique",
    "century",
    "has_image",
    "has_3d",
)
BOOLEAN_FACETS = frozenset({"has_image", "has_3d"})
MAX_PAGE_SIZE = 100
MAX_RESULT_WINDOW = 10_000


class QueryError(ValueError):
    """A search request that cannot be answered as asked; the message says how to fix it."""


class SearchQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = ""
    filters: dict[str, list[str]] = Field(default_factory=dict)
    date_from: int | None = None  # year; negative for BCE (astronomical numbering)
    date_to: int | None = None
    facets: list[str] = Field(default_factory=list)
    sort: Literal["relevance", "title", "date", "-date"] = "relevance"
    page: int = Field(default=1, ge=1)
    size: int = Field(default=20, ge=0, le=MAX_PAGE_SIZE)

    @field_validator("filters")
    @classmethod
    def _known_filters(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for name, values in value.items():
            if name not in FACETS:
                raise ValueError(f"unknown filter {name!r}; use one of {', '.join(FACETS)}")
            if name in BOOLEAN_FACETS:
                for v in values:
                    if v not in ("true", "false"):
                        raise ValueError(f"filter {name} takes true or false, not {v!r}")
        return {k: v for k, v in value.items() if v}

    @field_validator("facets")
    @classmethod
    def _known_facets(cls, value: list[str]) -> list[str]:
        for name in value:
            if name not in FACETS:
                raise ValueError(f"unknown facet {name!r}; use one of {', '.join(FACETS)}")
        return list(dict.fromkeys(value))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    def check_window(self) -> None:
        if self.offset + self.size > MAX_RESULT_WINDOW:
            raise QueryError(
                f"page {self.page} with size {self.size} is beyond the first "
                f"{MAX_RESULT_WINDOW} results; narrow the search with filters"
            )


class Hit(BaseModel):
    id: str
    title: str
    museum_id: str
    region: str
    date_display: str | None = None
    object_type: list[str] = Field(default_factory=list)
    thumbnail: str | None = None
    has_image: bool = False
    has_3d: bool = False
    score: float | None = None


class FacetValue(BaseModel):
    value: str
    count: int


class SearchResult(BaseModel):
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]] = Field(default_factory=dict)
    #: True when facet counts are estimates (the embedded index samples very large result sets).
    facets_approximate: bool = False
    page: int = 1
    size: int = 20


def parse_filters(pairs: list[str]) -> dict[str, list[str]]:
    """``["region=KZ-75", "material=wood"]`` -> ``{"region": ["KZ-75"], "material": ["wood"]}``."""
    filters: dict[str, list[str]] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise QueryError(f"filter {pair!r} is not NAME=VALUE (e.g. region=KZ-75)")
        filters.setdefault(name.strip(), []).append(value.strip())
    return filters
