"""The union index: a projection of the store that researchers search (FTS5 or a search cluster)."""
