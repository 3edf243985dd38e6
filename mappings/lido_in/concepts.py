"""Concepts, names and languages: the shapes every subject of a LIDO record reuses.

LIDO says "a term, maybe with an id, maybe in several languages" in one way
(conceptID / term / skos:Concept) and "a name" in another (appellationValue,
legalBodyName).  Object types, materials, roles, cultures, subjects and rights
types all use them, so they are read here once.  The reader also keeps the
record's warnings: every subject module reports through ``warn``, and its
sources: every subject module says through ``source`` which elements gave
which core field (the record's field-level provenance).
"""

from __future__ import annotations

from collections.abc import Iterable

from mappings.core import Term
from mappings.lido_in.elements import (
    URI,
    Element,
    attr,
    children,
    dedupe,
    first,
    first_uri,
    inline_text,
    local,
    wildcard,
)
from mappings.lido_terms import is_placeholder, normalise_lang, pref_is_preferred
from mappings.report import Issue

__all__ = ["ConceptReader", "Sources", "add_sources"]

#: Core field path -> the elements its value was read from.
Sources = dict[str, list[Element]]


def add_sources(sources: Sources, field_path: str, *elements: Element | None) -> None:
    """Add elements to ``sources[field_path]`` (Nones skipped)."""
    found = [el for el in elements if el is not None]
    if found:
        sources.setdefault(field_path, []).extend(found)


class ConceptReader:
    """Reads concepts and names of one record; collects its warnings and the sources of its fields."""

    def __init__(self) -> None:
        self.issues: list[Issue] = []
        self.sources: Sources = {}

    def source(self, field_path: str, *elements: Element | None) -> None:
        """Note that ``field_path`` of the core record was read from these elements."""
        add_sources(self.sources, field_path, *elements)

    def warn(self, field_name: str, message: str) -> None:
        issue = Issue(field_name, message)
        if issue not in self.issues:
            self.issues.append(issue)

    def lang(self, el: Element, default: str) -> str:
        """The element's xml:lang as an ISO 639-1 code, else ``default``; nonsense is 'und'."""
        raw = attr(el, "lang")
        lang = normalise_lang(raw)
        if lang is None:
            return default
        if lang == "und" and raw and raw.strip().casefold() != "und":
            self.warn(f"{local(el.tag)}/@xml:lang", f"{raw.strip()!r} is not an ISO 639 code; read as 'und'")
        return lang

    def concept(self, el: Element | None, default_lang: str, field_name: str) -> Term | None:
        """conceptID/term and embedded skos:Concept of one concept element, as a Term."""
        if el is None:
            return None
        uris: list[str] = []
        candidates: list[tuple[bool, bool, str, str]] = []  # (added, not preferred, lang, label)
        for child in el:
            tag = local(child.tag)
            if tag == "conceptID":
                value = inline_text(child)
                if value:
                    uris.append(value)
            elif tag == "term":
                value = inline_text(child)
                if not value:
                    continue
                if is_placeholder(value):
                    self.warn(field_name, f"placeholder term {value!r} ignored")
                    continue
                added = (attr(child, "addedSearchTerm") or "").strip().casefold() == "yes"
                preferred = pref_is_preferred(attr(child, "pref"))
                candidates.append((added, not preferred, self.lang(child, default_lang), value))
            elif tag == "Concept":
                about = (attr(child, "about") or "").strip()
                if about:
                    uris.append(about)
                for label in child.iterchildren(wildcard("prefLabel")):
                    value = inline_text(label)
                    if value:
                        candidates.append((False, False, self.lang(label, default_lang), value))
        if not candidates and len(el) == 0 and inline_text(el):
            # LIDO 1.0 text-only elements (measurementType, unit) and sloppy concepts
            candidates.append((False, False, self.lang(el, default_lang), inline_text(el)))
        labels: dict[str, str] = {}
        has_primary = any(not added for added, _, _, _ in candidates)
        for added, _, lang, value in sorted(candidates, key=lambda c: (c[0], c[1])):
            if added and has_primary:
                continue
            if URI.match(value) and uris:
                continue  # a label that only repeats the URI says nothing
            labels.setdefault(lang, value)
        uri = first_uri(uris)
        if not labels and uri is None:
            return None
        return Term(labels=labels, uri=uri)

    def concepts(
        self,
        elements: Iterable[Element],
        lang: str,
        field_name: str,
        sources: Sources | None = None,
        field_path: str = "",
    ) -> list[Term]:
        """The terms of these concept elements; those that gave one are noted in ``sources``."""
        terms: list[Term] = []
        for el in elements:
            term = self.concept(el, lang, field_name)
            if term is None:
                continue
            terms.append(term)
            if sources is not None:
                sources.setdefault(field_path, []).append(el)
        return dedupe(terms)

    def appellation(self, owner: Element | None, lang: str) -> str | None:
        """The name of an appellation set: in the block's language, else preferred, else first."""
        values = [v for v in children(owner, "appellationValue") if inline_text(v)]
        if not values:
            return None
        for value in values:
            if normalise_lang(attr(value, "lang")) == lang:
                return inline_text(value)
        for value in values:
            if pref_is_preferred(attr(value, "pref")):
                return inline_text(value)
        return inline_text(values[0])

    def legal_body_name(self, legal_body: Element | None, lang: str) -> str | None:
        return self.appellation(first(legal_body, "legalBodyName"), lang)
