"""aggregator/web."""
