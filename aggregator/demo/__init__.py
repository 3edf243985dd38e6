"""aggregator/demo."""
