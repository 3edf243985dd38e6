"""Draws from the seeded generator, so that the same call gives the same fund everywhere."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

__all__ = ["between", "pick"]

_T = TypeVar("_T")


def pick(rng: random.Random, items: Sequence[_T]) -> _T:
    """``rng.choice`` without its rejection sampling: a few times faster, equally stable."""
    return items[int(rng.random() * len(items))]


def between(rng: random.Random, lo: int, hi: int) -> int:
    return lo + int(rng.random() * (hi - lo + 1))
