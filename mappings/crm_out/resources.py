"""Rights, media files and the object's page at the museum.

A licence URI is used as is (free text in the uri field is minted as a
concept), the holder is an actor, and the rights label and credit line are
statements.  A medium is a DigitalObject reached through its URL: images,
3D models and videos are representations of the object; audio guides,
virtual tours and documents are about it (``subject_of``).
"""

from __future__ import annotations

from typing import Any

from mappings.core import Media, MediaKind, Rights
from mappings.crm_out.aat import (
    AAT_CREDIT_STATEMENT,
    AAT_DIGITAL_AUDIO,
    AAT_DIGITAL_IMAGE,
    AAT_RIGHTS_STATEMENT,
    AAT_WEB_PAGE,
)
from mappings.crm_out.nodes import Nodes, named_actor, named_term
from mappings.crm_out.uris import digital_object_uri, given_uri

__all__ = ["add_media", "add_object_page", "add_rights"]


def add_rights(nodes: Nodes, target: Any, rights: Rights, slug: str) -> None:
    label = (rights.label or "").strip()
    holder_name = (rights.holder or "").strip()
    credit_line = (rights.credit_line or "").strip()
    licence: Any | None = None
    if rights.uri and rights.uri.strip():
        licence = nodes.concept(nodes.model.Type, named_term(label, rights.uri))
    holder = nodes.actor(named_actor(holder_name)) if holder_name else None
    if licence is not None or holder is not None:
        right = nodes.model.Right(ident=nodes.fragment(slug))
        if licence is not None:
            right.classified_as = licence
        if holder is not None:
            right.possessed_by = holder
        target.subject_to = right
    if label:
        nodes.statement(target, f"{slug}-statement", AAT_RIGHTS_STATEMENT, label)
    if credit_line:
        nodes.statement(target, f"{slug}-credit-line", AAT_CREDIT_STATEMENT, credit_line)


def _digital_object(nodes: Nodes, url: str, mime: str | None, label: str | None) -> Any:
    node = nodes.model.DigitalObject(ident=digital_object_uri(url, base_uri=nodes.base), label=(label or "").strip())
    node.access_point = nodes.model.DigitalObject(ident=url)
    if mime and mime.strip():
        node.format = mime.strip()
    return node


def add_media(nodes: Nodes, obj: Any, media: Media, number: int) -> None:
    url = given_uri(media.url)
    if url is None:
        return  # nothing a client could fetch; the quality report flags it
    digital = _digital_object(nodes, url, media.mime, media.label)
    kind = media.kind
    mime = (media.mime or "").lower()
    if kind is MediaKind.IMAGE:
        digital.classified_as = nodes.aat(AAT_DIGITAL_IMAGE, "Digital Image")
    elif kind is MediaKind.MODEL_3D:
        digital.classified_as = nodes.local_vocab("3d-model")
    elif kind is MediaKind.VIDEO:
        digital.classified_as = nodes.local_vocab("video")
    elif kind is MediaKind.AUDIO:
        digital.classified_as = nodes.aat(AAT_DIGITAL_AUDIO, "Digital Audio")
    elif kind is MediaKind.VIRTUAL_TOUR:
        digital.classified_as = nodes.aat(AAT_WEB_PAGE, "Web Page")
        digital.classified_as = nodes.local_vocab("virtual-tour")
    if media.thumbnail:
        digital.classified_as = nodes.local_vocab("thumbnail")
    if media.rights is not None:
        add_rights(nodes, digital, media.rights, f"media-{number}-rights")
    shows_object = kind in (MediaKind.IMAGE, MediaKind.MODEL_3D, MediaKind.VIDEO) or (
        kind is MediaKind.OTHER and mime.startswith(("image/", "video/", "model/"))
    )
    if shows_object:
        visual = nodes.model.VisualItem(ident=nodes.fragment(f"representation-{number}"))
        visual.digitally_shown_by = digital
        obj.representation = visual
    else:
        # Audio guides, virtual tours, documents: about the object, not images of it.
        text = nodes.model.LinguisticObject(ident=nodes.fragment(f"subject-of-{number}"))
        text.digitally_carried_by = digital
        obj.subject_of = text


def add_object_page(nodes: Nodes, obj: Any) -> None:
    page = nodes.record.links.object_page
    if not page or not page.strip():
        return
    url = given_uri(page)
    if url is None:
        return
    digital = _digital_object(nodes, url, "text/html", None)
    digital.classified_as = nodes.aat(AAT_WEB_PAGE, "Web Page")
    text = nodes.model.LinguisticObject(ident=nodes.fragment("object-page"))
    text.digitally_carried_by = digital
    obj.subject_of = text
