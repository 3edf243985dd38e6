"""The administrative side: rights, media files and the record's page at the museum.

Media are read from every resourceRepresentation link: a file that is not
http(s) cannot be shown and is skipped with a warning; an HTML page that is
not a virtual tour is the object's page rather than a medium; a URL given as
both thumbnail and full image is a full image.  Rights take the first value
of each kind (licence, label, holder, credit line) across the given sets.
"""

from __future__ import annotations

from mappings.core import Media, Rights
from mappings.lido_in.concepts import ConceptReader
from mappings.lido_in.elements import Element, all_paths, attr, block_text, children, inline_text
from mappings.lido_media import is_http_url, media_kind, normalise_mime, normalise_rights_uri
from mappings.lido_terms import is_thumbnail_representation

__all__ = ["AdminBlock", "Page", "media", "object_page", "rights", "work_rights"]

#: One administrativeMetadata element and the language it is written in.
AdminBlock = tuple[Element, str]
#: An HTML page found among the resources, and its linkResource.
Page = tuple[str, Element]


def rights(reader: ConceptReader, rights_els: list[Element], lang: str, field_name: str) -> Rights | None:
    """One Rights from rightsWorkSet / rightsResource elements: first value of each kind."""
    uri = label = holder = credit = None
    for rights_el in rights_els:
        for rights_type in children(rights_el, "rightsType"):
            term = reader.concept(rights_type, lang, f"{field_name}/rightsType")
            found_uri = None
            candidates = [inline_text(c) for c in children(rights_type, "conceptID")]
            candidates += [(attr(c, "about") or "").strip() for c in children(rights_type, "Concept")]
            for candidate in candidates:
                if not candidate:
                    continue
                checked = normalise_rights_uri(candidate)
                if checked.problem:
                    reader.warn(f"{field_name}/rightsType/conceptID", checked.problem)
                if checked.uri:
                    found_uri = checked.uri
                    break
            term_label = term.label("en", lang) if term and term.labels else None
            if found_uri and uri is None:
                uri, label = found_uri, term_label or label
            elif label is None and term_label:
                label = term_label
        for holder_el in children(rights_el, "rightsHolder"):
            holder = holder or reader.legal_body_name(holder_el, lang)
        for credit_el in children(rights_el, "creditLine"):
            credit = credit or block_text(credit_el) or None
    if not any((uri, label, holder, credit)):
        return None
    return Rights(uri=uri, label=label, holder=holder, credit_line=credit)


def work_rights(reader: ConceptReader, admin_blocks: list[AdminBlock]) -> Rights | None:
    """The rights in the work itself: those of the first administrative block that states any."""
    for admin, lang in admin_blocks:
        sets = all_paths(admin, "rightsWorkWrap", "rightsWorkSet")
        found = rights(reader, sets, lang, "rightsWorkSet")
        if found is not None:
            reader.source("rights", *sets)
            return found
    return None


def media(reader: ConceptReader, admin_blocks: list[AdminBlock]) -> tuple[list[Media], list[Page]]:
    """Media from every resourceRepresentation; also returns text/html pages found there."""
    found: list[Media] = []
    pages: list[Page] = []
    all_thumbs: dict[str, bool] = {}
    for admin, lang in admin_blocks:
        for index, resource in enumerate(all_paths(admin, "resourceWrap", "resourceSet"), start=1):
            _resource(reader, resource, index, lang, found, pages, all_thumbs)
    return (
        [m.model_copy(update={"thumbnail": all_thumbs[m.url]}) for m in found],
        pages,
    )


def _resource(
    reader: ConceptReader,
    resource: Element,
    index: int,
    lang: str,
    found: list[Media],
    pages: list[Page],
    all_thumbs: dict[str, bool],
) -> None:
    representations = children(resource, "resourceRepresentation")
    links = [(r, link) for r in representations for link in children(r, "linkResource")]
    if not links:
        reader.warn(
            "resourceSet/resourceRepresentation/linkResource",
            f"resourceSet {index} has no link",
        )
        return
    hints = [
        label
        for term in reader.concepts(children(resource, "resourceType"), lang, "resourceType")
        for label in [*term.labels.values(), term.uri or ""]
    ]
    descriptions = [inline_text(d) for d in children(resource, "resourceDescription") if inline_text(d)]
    resource_rights = rights(reader, children(resource, "rightsResource"), lang, "rightsResource")
    for representation, link in links:
        url = inline_text(link)
        if not url:
            reader.warn("linkResource", f"empty link in resourceSet {index} skipped")
            continue
        if not is_http_url(url):
            reader.warn("linkResource", f"{url!r} in resourceSet {index} is not an http(s) URL; skipped")
            continue
        mime, recognised = normalise_mime(attr(link, "formatResource"))
        if not recognised:
            reader.warn(
                "linkResource/@formatResource",
                f"{attr(link, 'formatResource')!r} is not a MIME type ({url})",
            )
        rep_type = attr(representation, "type")
        kind = media_kind(url, mime, hints + descriptions, rep_type)
        if mime == "text/html" and kind.value == "other":
            pages.append((url, link))
            continue
        thumbnail = is_thumbnail_representation(rep_type)
        if url in all_thumbs:
            all_thumbs[url] = all_thumbs[url] and thumbnail
            continue
        all_thumbs[url] = thumbnail
        reader.source("media", link)
        found.append(
            Media(
                url=url,
                kind=kind,
                mime=mime,
                label=descriptions[0] if descriptions else None,
                rights=resource_rights,
                thumbnail=thumbnail,
            )
        )


def object_page(reader: ConceptReader, admin_blocks: list[AdminBlock], pages: list[Page]) -> str | None:
    """The object's page at the museum: a recordInfoLink, else an HTML page among the resources."""
    info_links = [
        (inline_text(link), link)
        for admin, _ in admin_blocks
        for link in all_paths(admin, "recordWrap", "recordInfoSet", "recordInfoLink")
    ]
    for url, element in [*info_links, *pages]:
        if is_http_url(url):
            reader.source("links.object_page", element)
            return url
    return None
