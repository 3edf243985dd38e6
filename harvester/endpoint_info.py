"""What an OAI-PMH endpoint says about itself, read leniently.

Identify decides how ``from`` is written (a second-granular ``from`` sent to a
day-granular server is a badArgument, FACTS §9.9) and whether deletions can
be trusted.  Real Identify responses omit or garble fields (§9.20), so every
field has a safe fallback instead of an exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lxml import etree

__all__ = [
    "DAY_GRANULARITY",
    "OAI_NS",
    "SECOND_GRANULARITY",
    "EndpointInfo",
    "endpoint_info_from_identify",
]

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
DAY_GRANULARITY = "YYYY-MM-DD"
SECOND_GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"

DeletedRecordPolicy = Literal["no", "transient", "persistent"]


@dataclass(frozen=True, slots=True)
class EndpointInfo:
    repository_name: str
    granularity: str  # DAY_GRANULARITY or SECOND_GRANULARITY
    deleted_record: DeletedRecordPolicy
    earliest_datestamp: str | None
    response_date: str | None  # the server's clock when it answered Identify
    base_url: str | None = None

    @property
    def day_granular(self) -> bool:
        return self.granularity == DAY_GRANULARITY


def _text(parent: etree._Element, name: str) -> str | None:
    element = parent.find(f"{{{OAI_NS}}}{name}")
    if element is None or element.text is None:
        return None
    return element.text.strip() or None


def endpoint_info_from_identify(root: etree._Element) -> EndpointInfo:
    """Read an Identify response (the ``OAI-PMH`` root element).

    A missing or unknown granularity falls back to days, which every server
    must accept; an unknown deletedRecord falls back to ``transient``, which
    makes the caller rely on full harvests to notice removals.
    """
    identify = root.find(f"{{{OAI_NS}}}Identify")
    if identify is None:
        identify = etree.Element(f"{{{OAI_NS}}}Identify")
    granularity = _text(identify, "granularity")
    if granularity not in (DAY_GRANULARITY, SECOND_GRANULARITY):
        granularity = DAY_GRANULARITY
    deleted = _text(identify, "deletedRecord")
    policy: DeletedRecordPolicy = (
        deleted if deleted in ("no", "transient", "persistent") else "transient"  # type: ignore[assignment]
    )
    return EndpointInfo(
        repository_name=_text(identify, "repositoryName") or "",
        granularity=granularity,
        deleted_record=policy,
        earliest_datestamp=_text(identify, "earliestDatestamp"),
        response_date=_text(root, "responseDate"),
        base_url=_text(identify, "baseURL"),
    )
