"""aggregator/store."""
