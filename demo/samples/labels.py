"""Labels in the three languages every sample object carries (kk, ru, en)."""

from __future__ import annotations

from typing import Final

__all__ = ["LANGS", "Tri", "by_language"]

Tri = tuple[str, str, str]  # (kk, ru, en)

LANGS: Final = ("kk", "ru", "en")


def by_language(tri: Tri) -> dict[str, str]:
    # a fresh dict per object: callers (the demo's update simulation) may edit them
    return {"kk": tri[0], "ru": tri[1], "en": tri[2]}
