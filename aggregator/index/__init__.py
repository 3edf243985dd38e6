"""aggregator/index."""
