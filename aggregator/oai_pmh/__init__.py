"""OAI-PMH 2.0 out: the protocol handling every data provider we run shares.

``repository`` answers requests over a ``feed.DataSource``; ``router`` puts
it on a FastAPI path; ``token`` is the stateless resumption token;
``oai_dc`` writes simple Dublin Core.  The catalogue's ``/oai``
(``aggregator.web.oai_provider``) and ``emuseum publish``
(``aggregator.publish``) are the two data sources.
"""

from aggregator.oai_pmh.feed import DataSource, FeedItem, FeedView, FeedWindow, RepositoryIdentity, SetEntry
from aggregator.oai_pmh.repository import GRANULARITY, METADATA_FORMATS, OAI_NS, OaiError, OaiRepository
from aggregator.oai_pmh.router import oai_router

__all__ = [
    "GRANULARITY",
    "METADATA_FORMATS",
    "OAI_NS",
    "DataSource",
    "FeedItem",
    "FeedView",
    "FeedWindow",
    "OaiError",
    "OaiRepository",
    "RepositoryIdentity",
    "SetEntry",
    "oai_router",
]
