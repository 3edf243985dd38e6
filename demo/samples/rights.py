"""The rights statements sample objects carry, and their short labels."""

from __future__ import annotations

from typing import Final

__all__ = ["RIGHTS_IN_COPYRIGHT", "RIGHTS_LABELS", "RIGHTS_OPEN", "RIGHTS_PUBLIC_DOMAIN"]

RIGHTS_OPEN: Final[tuple[tuple[str, int], ...]] = (
    ("https://creativecommons.org/licenses/by/4.0/", 4),
    ("https://creativecommons.org/licenses/by-sa/4.0/", 2),
    ("https://creativecommons.org/licenses/by-nc/4.0/", 2),
    ("https://creativecommons.org/publicdomain/zero/1.0/", 2),
)
RIGHTS_IN_COPYRIGHT: Final = "https://creativecommons.org/licenses/by-nc-nd/4.0/"
RIGHTS_PUBLIC_DOMAIN: Final = "https://creativecommons.org/publicdomain/mark/1.0/"

RIGHTS_LABELS: Final[dict[str, str]] = {
    "https://creativecommons.org/licenses/by/4.0/": "CC BY 4.0",
    "https://creativecommons.org/licenses/by-sa/4.0/": "CC BY-SA 4.0",
    "https://creativecommons.org/licenses/by-nc/4.0/": "CC BY-NC 4.0",
    "https://creativecommons.org/licenses/by-nc-nd/4.0/": "CC BY-NC-ND 4.0",
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0 1.0",
    "https://creativecommons.org/publicdomain/mark/1.0/": "Public Domain Mark 1.0",
}
