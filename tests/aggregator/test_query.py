"""The query model refuses what no backend can answer, with a reason a researcher can act on.

(Search behaviour itself is specified once for every backend in test_search_backends.py.)
"""

from __future__ import annotations

import pytest

from aggregator.index.fts import fts_match_expression
from aggregator.index.query import QueryError, SearchQuery, parse_filters


def test_unknown_filters_and_facets_are_refused_naming_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown filter 'colour'; use one of museum, region"):
        SearchQuery(filters={"colour": ["red"]})
    with pytest.raises(ValueError, match="unknown facet 'colour'"):
        SearchQuery(facets=["colour"])


def test_yes_no_filters_take_only_true_or_false() -> None:
    assert SearchQuery(filters={"has_3d": ["true"]}).filters == {"has_3d": ["true"]}
    with pytest.raises(ValueError, match="has_image takes true or false"):
        SearchQuery(filters={"has_image": ["yes"]})


def test_paging_is_bounded() -> None:
    with pytest.raises(ValueError):
        SearchQuery(size=101)
    with pytest.raises(QueryError, match="narrow the search with filters"):
        SearchQuery(page=1000, size=100).check_window()


def test_cli_filters_are_name_value_pairs() -> None:
    assert parse_filters(["region=KZ-75", "region=KZ-19", "material=wood"]) == {
        "region": ["KZ-75", "KZ-19"],
        "material": ["wood"],
    }
    with pytest.raises(QueryError, match="not NAME=VALUE"):
        parse_filters(["KZ-75"])


def test_fts_expression_quotes_every_word_so_user_text_is_never_syntax() -> None:
    expression = fts_match_expression('ковёр OR "NEAR" *')
    assert expression is not None
    assert " AND " in expression and "OR (" not in expression.split(" AND ")[0][1:]
    assert all(part.startswith("(keys : \"") for part in expression.split(" AND "))
    assert fts_match_expression('"*()') is None
