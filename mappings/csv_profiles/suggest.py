"""A first profile for a museum's export, proposed from its header row (``emuseum profile suggest``).

Writing a profile by hand means knowing the core fields; a museum knows its
columns.  Each header is matched, after case folding and without punctuation
and language markers ("Атауы (каз.)", "title_ru"), against the column names
the shipped profiles already read and a table of names museums use in
Kazakh, Russian and English (``data/column_names.yaml``).  The suggestion is
a valid profile (it is checked by loading it) with every header it could
not place listed, for a person to finish.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import yaml

from mappings.csv_profiles.profile import CsvProfile, available_profiles, load_profile
from mappings.data_files import load_yaml, mapping_of, strings_of

__all__ = ["Suggestion", "suggest_profile"]

_PUNCTUATION = re.compile(r"[\s_\-–—.,:;()\[\]{}\"'«»/\\]+")
_KAZAKH_LETTERS = re.compile(r"[әғқңөұүһі]", re.I)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_MULTI = frozenset({"object_type", "classification", "techniques", "subjects", "actors", "production.places"})


def _words(text: str) -> list[str]:
    return [w for w in _PUNCTUATION.split(text.casefold().replace("ё", "е")) if w]


@dataclass(frozen=True, slots=True)
class _Known:
    field: str  # a TargetField, or "id"
    options: tuple[tuple[str, Any], ...] = ()


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, _Known], dict[str, str]]:
    """Folded column name -> what it feeds; language marker word -> language."""
    table = load_yaml("data/column_names.yaml")
    known: dict[str, _Known] = {}
    for profile_name in available_profiles():  # what the shipped profiles read comes first
        profile = load_profile(profile_name)
        for rule in profile.columns:
            rule_options: dict[str, Any] = {}
            if rule.split:
                rule_options["split"] = rule.split
            if rule.kind is not None:
                rule_options["kind"] = rule.kind.value
            if rule.template is not None:
                rule_options["template"] = rule.template
            for name in rule.column:
                key = " ".join(_words(name))
                known.setdefault(key, _Known(rule.field, tuple(sorted(rule_options.items()))))
        for name in profile.id_column:
            known.setdefault(" ".join(_words(name)), _Known("inventory_number"))
    for key, entry in mapping_of(table["fields"], "fields").items():
        entry = mapping_of(entry, f"fields.{key}")
        options = tuple(sorted(mapping_of(entry.get("options", {}), f"fields.{key}.options").items()))
        for name in strings_of(entry["names"], f"fields.{key}.names"):
            known.setdefault(" ".join(_words(name)), _Known(str(entry.get("field", key)), options))
    languages: dict[str, str] = {}
    for lang, markers in mapping_of(table["languages"], "languages").items():
        for marker in strings_of(markers, f"languages.{lang}"):
            languages[" ".join(_words(marker))] = lang
    return known, languages


def _split_language(words: list[str], languages: dict[str, str]) -> tuple[list[str], str | None]:
    """The header's words without a trailing (or leading) language marker, and that language."""
    for size in (2, 1):
        if len(words) > size and " ".join(words[-size:]) in languages:
            return words[:-size], languages[" ".join(words[-size:])]
        if len(words) > size and " ".join(words[:size]) in languages:
            return words[size:], languages[" ".join(words[:size])]
    return words, None


def _default_language(headers: list[str]) -> str | None:
    """The profile's default text language, guessed from the headers' letters.

    A letter only Kazakh has (ә, ғ, қ, ң, ө, ұ, ү, һ, і) says kk; other Cyrillic
    says ru; Latin headers say nothing about the cells (left unset: "und").
    """
    if any(_KAZAKH_LETTERS.search(h) for h in headers):
        return "kk"
    return "ru" if any(_CYRILLIC.search(h) for h in headers) else None


@dataclass(slots=True)
class Suggestion:
    profile: CsvProfile
    matched: dict[str, str] = field(default_factory=dict)  # header -> field (language)
    unmatched: list[str] = field(default_factory=list)

    def to_yaml(self) -> str:
        """The profile as YAML in the shipped profiles' style (one flow mapping per rule), with notes."""
        data = self.profile.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
        rules = data.pop("columns", [])
        for rule in rules:
            if len(rule["column"]) == 1:
                rule["column"] = rule["column"][0]
        head = [
            f"# Profile suggested by `emuseum profile suggest` for the export's {len(self.matched)} recognised "
            "column(s).",
            "# Check each rule, then use it with --profile FILE (or source.profile in museums.yaml).",
        ]
        head += [f"# not mapped: {h!r} (add a rule if it holds something the catalogue should show)"
                 for h in self.unmatched]  # fmt: skip
        body = yaml.safe_dump({"name": self.profile.name, **data}, allow_unicode=True, sort_keys=False, width=1000)
        lines = [yaml.safe_dump(r, allow_unicode=True, sort_keys=False, default_flow_style=True, width=1000).strip()
                 for r in rules]  # fmt: skip
        return "\n".join(head) + "\n" + body + "columns:\n" + "".join(f"  - {line}\n" for line in lines)


def suggest_profile(headers: list[str], name: str) -> Suggestion:
    """A profile reading ``headers`` as well as the known column names allow; raises ValueError without an id."""
    known, languages = _tables()
    rules: list[dict[str, Any]] = []
    id_columns: list[str] = []
    matched: dict[str, str] = {}
    unmatched: list[str] = []
    for header in headers:
        if not header.strip() or header.strip().startswith("column "):
            continue
        words, lang = _split_language(_words(header), languages)
        found = known.get(" ".join(words)) or known.get(" ".join(_words(header)))
        if found is None:
            unmatched.append(header)
            continue
        if found.field == "id":
            id_columns.append(header)
            matched[header] = "id"
            continue
        if found.field == "inventory_number":
            id_columns.append(header)
        rule: dict[str, Any] = {"column": header, "field": found.field, **dict(found.options)}
        if lang is not None:
            rule["lang"] = lang
        if found.field in _MULTI:
            rule.setdefault("split", ";")
        rules.append(rule)
        matched[header] = found.field + (f" ({lang})" if lang else "")
    if not id_columns:
        raise ValueError(
            "no column looks like an inventory number or an id (e.g. «Инв. №», «Түгендеу нөмірі», "
            f"«inventory_number»); headers: {', '.join(headers[:30])}"
        )
    data: dict[str, Any] = {
        "name": name,
        "description": "Suggested from the export's header row; check before use.",
        "id_column": id_columns,
        "columns": rules,
    }
    lang = _default_language(list(matched))
    if lang is not None:
        data["lang"] = lang
    profile = CsvProfile.model_validate(data)  # the suggestion must be a profile that loads
    return Suggestion(profile, matched, unmatched)
