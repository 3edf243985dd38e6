"""The nightly harvest as a watched service: run health, passes, the morning report, alerts, metrics.

Nothing here harvests or maps; it reads what the pipeline recorded (runs with
their figures, the store's counts, quality summaries) and turns it into what
the ministry reads: a light per museum, a report per night, an alert per
cause, numbers for Prometheus.
"""

__all__: list[str] = []
