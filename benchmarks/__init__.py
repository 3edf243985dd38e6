"""Runnable speed and memory measurements, each next to a baseline measured in the same run.

Run from the repository root: ``.venv/bin/python -m benchmarks.NAME``.
"""
