"""The text analysis every index shares: which keys and stems a document and a query are cut into.

The folding itself lives in ``mappings.text`` (Kazakh Cyrillic / Latin 2021 and
older variants, Russian е/ё, case, Snowball stems); this module decides how the
index applies it, so the embedded FTS5 index and the engines index exactly the
same tokens and a query meets a document the same way on every backend.
"""

from __future__ import annotations

import re

from mappings.text import query_terms, stems, tokens

__all__ = ["document_keys", "document_stems", "query_keys", "query_words"]

# A query word as mappings.text cuts raw tokens (apostrophes belong to the word: S'ymkent).
_APOSTROPHES = "'’ʼ‘`´ʹ′"
_WORD = re.compile(f"[^\\W_]+(?:[{_APOSTROPHES}]+[^\\W_]+)*[{_APOSTROPHES}]*")


def document_keys(text: str) -> str:
    """Folded search keys of a document's text, space-separated (matched by prefix)."""
    return " ".join(tokens(text))


def document_stems(text: str) -> str:
    """Snowball stems of a document's text, space-separated (Russian and English word forms)."""
    return " ".join(stems(text))


def query_keys(text: str) -> list[tuple[str, str]]:
    """(folded key, stem) per query token: every token must match by key prefix or by stem."""
    return query_terms(text)


def query_words(text: str) -> list[tuple[str, str, str]]:
    """(word as typed, folded key, folded stem) per query token, keys as ``query_keys`` makes them."""
    words: list[tuple[str, str, str]] = []
    for word in _WORD.findall(text):
        words.extend((word, key, stem) for key, stem in query_terms(word))
    return words
