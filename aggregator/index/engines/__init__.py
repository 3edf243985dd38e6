"""The union index on a search cluster: OpenSearch or Elasticsearch behind one base and one query DSL."""

from aggregator.index.engines.base import EngineIndex
from aggregator.index.engines.url import DEFAULT_PREFIX, EngineLocation, parse_index_url

__all__ = ["DEFAULT_PREFIX", "EngineIndex", "EngineLocation", "parse_index_url"]
