"""The report's and the alerts' words in kk, ru and en, and what a run's error means in plain words.

A museum's technician in Taraz reads Russian or Kazakh, not the harvester's
English one-liners; so a failure is sorted into a kind with a reason and an
advice in each language (``messages.yaml`` beside this module), and the
harvester's own message is kept under it for whoever fixes the server.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import yaml

from aggregator.breaker import parse_hold_reasons

__all__ = ["LANGS", "failure_kind", "failure_words", "held_reason_words", "word"]

LANGS: Final = ("kk", "ru", "en")
_LOADED: Final = yaml.safe_load(Path(__file__).with_name("messages.yaml").read_text(encoding="utf-8"))
_WORDS: Final[dict[str, dict[str, str]]] = _LOADED["words"]
_FAILURES: Final[dict[str, dict[str, dict[str, str]]]] = _LOADED["failures"]

#: (kind, any of these fragments of the harvester's message), first match wins.
_KINDS: Final = (
    ("held", ("held:", "is held (")),
    ("busy", ("already being harvested",)),
    ("interrupted", ("interrupted:", "worker process harvesting it died", "the worker pool broke")),
    ("policy", ("refused before connecting", "only from public addresses", "EMUSEUM_FILE_SOURCES_DIR")),
    ("unreachable", ("unreachable (", "does not resolve", "connection refused")),
    ("deadline", ("time limit reached", "stopped after", "would start after the time limit")),
    ("slow", ("no answer within", "read timeout", "did not arrive in full", "sends too slowly")),
    ("forbidden", ("HTTP 403", "refuses us")),
    ("not_found", ("HTTP 404", "no such address")),
    ("too_large", ("larger than",)),
    ("server_error", ("HTTP 5", "HTTP 429")),
    ("format", ("offers neither", "metadataPrefix", "cannotDisseminateFormat")),
    ("tokens", ("resumption token",)),
    ("export", ("export", "CSV profile")),
    ("bad_response", ("XML", "OAI-PMH", "HTML", "not well-formed", "badArgument", "badVerb")),
)


def failure_kind(message: str | None) -> str:
    text = message or ""
    for kind, fragments in _KINDS:
        if any(fragment in text for fragment in fragments):
            return kind
    return "other"


def failure_words(kind: str, lang: str) -> tuple[str, str]:
    """(reason, advice) for a failure kind in ``lang``."""
    entry = _FAILURES.get(kind, _FAILURES["other"])
    return entry["reason"].get(lang, entry["reason"]["en"]), entry["advice"].get(lang, entry["advice"]["en"])


def word(key: str, lang: str, **values: object) -> str:
    forms = _WORDS.get(key)
    if forms is None:
        return key
    text = forms.get(lang, forms["en"])
    return text.format(**values) if values else text


def held_reason_words(text: str | None, lang: str) -> str:
    """A held run's reason (the breaker's English, as stored) in ``lang``; unknown wording is shown as it is."""
    reasons = parse_hold_reasons(text or "")
    if not reasons:
        return text or ""
    sentence = "; ".join(word(f"hold_{code}", lang, **values) for code, values in reasons)
    return sentence[:1].upper() + sentence[1:]
