"""OAI-PMH 2.0 out: the national catalogue as a data provider at ``/oai``.

Europeana-style aggregators, libraries and the museums themselves re-harvest
the union catalogue the same way we harvest the museums.  The protocol is
handled by ``aggregator.oai_pmh`` (shared with ``emuseum publish``); this
module is the catalogue's data source: the store's change feed, one set per
museum (setSpec = museum id) so a museum can take back exactly its own
records, LIDO from ``mappings.lido_out`` and oai_dc with the museum as
publisher and the catalogue's object page as identifier.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from urllib.parse import urlsplit

from fastapi import APIRouter
from lxml import etree

from aggregator.catalogue import Catalogue
from aggregator.oai_pmh import FeedView, OaiRepository, RepositoryIdentity, SetEntry, oai_router
from aggregator.oai_pmh.oai_dc import to_oai_dc_element
from aggregator.web.results import object_path
from mappings.core import CoreRecord
from mappings.lido_out import to_lido_element

__all__ = ["CatalogueSource", "OaiProvider", "create_oai_router"]

REPOSITORY_NAME = "National Museum Catalogue of Kazakhstan"


class CatalogueSource:
    """The store as an OAI-PMH data source (``aggregator.oai_pmh.DataSource``)."""

    def __init__(self, catalogue: Catalogue, *, name: str = REPOSITORY_NAME, admin_email: str | None = None) -> None:
        self.catalogue = catalogue
        host = urlsplit(catalogue.settings.base_uri).hostname or "catalogue.museums.kz"
        self.identity = RepositoryIdentity(
            name=name,
            admin_email=admin_email or catalogue.settings.admin_email or f"catalogue@{host}",
            namespace=host,
            sample_record_id="kz-central-state-museum:KP-1234",
        )

    def feed(self) -> AbstractContextManager[FeedView]:
        return self.catalogue.feed()

    def sets(self) -> list[SetEntry]:
        return [SetEntry(m.id, dict(m.name), m.region) for m in self.catalogue.settings.registry.museums]

    def metadata(self, record: CoreRecord, prefix: str) -> etree._Element:
        if prefix == "lido":
            return to_lido_element(record, record_source=self.identity.name)
        museum = self.catalogue.museum(record.museum_id)
        base = self.catalogue.settings.base_uri.rstrip("/")
        return to_oai_dc_element(
            record,
            publisher=museum.display_name("en") if museum else None,
            object_url=base + object_path(record.id),
        )


class OaiProvider(OaiRepository):
    """The catalogue's OAI-PMH repository."""

    def __init__(
        self,
        catalogue: Catalogue,
        *,
        page_size: int = 100,
        repository_name: str = REPOSITORY_NAME,
        admin_email: str | None = None,
    ) -> None:
        super().__init__(CatalogueSource(catalogue, name=repository_name, admin_email=admin_email), page_size=page_size)


def create_oai_router(catalogue: Catalogue, *, page_size: int = 100) -> APIRouter:
    """The ``/oai`` endpoint (GET and form POST, as the protocol allows both)."""
    return oai_router(
        OaiProvider(catalogue, page_size=page_size),
        description=(
            "Verbs Identify, ListMetadataFormats, ListSets, ListIdentifiers, ListRecords and "
            "GetRecord; formats lido and oai_dc; one set per museum (setSpec = museum id); "
            "deleted records are reported (deletedRecord = persistent)."
        ),
    )
