"""What browser specs need before they look at images: every image asked for and settled.

Reading ``naturalWidth`` right after a page renders races the image requests:
a ``loading="lazy"`` image below the fold is not even requested yet, and one
in flight reads 0 like a broken one.  A slow CI machine loses that race.
"""

from __future__ import annotations

from typing import Any

__all__ = ["settle_images"]


def settle_images(page: Any, timeout_ms: float = 30_000) -> None:
    """Load lazy images now and wait until each has loaded or failed (a failed one still reads 0)."""
    page.evaluate("() => document.querySelectorAll('img[loading=lazy]').forEach(img => img.loading = 'eager')")
    page.wait_for_function("() => [...document.images].every(img => img.complete)", timeout=timeout_ms)
