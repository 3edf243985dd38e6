"""The catalogue's OAI-PMH provider, harvested over real HTTP with sickle (the harvester's own client)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import requests
from lxml import etree
from sickle import Sickle, oaiexceptions
from sqlalchemy import update

from aggregator.catalogue import Catalogue
from aggregator.oai_pmh.token import ListPosition
from aggregator.store.models import CoreRow, Tombstone
from aggregator.web.api import create_app
from aggregator.web.oai_provider import OaiProvider
from aggregator.web.server import ServerThread
from harvester.raw import RawRecord
from mappings.core import CoreRecord
from mappings.lido_in import map_lido
from mappings.lido_schema import validate_lido
from mappings.oai_dc_in import map_oai_dc
from tests.aggregator.test_api import (
    ATYRAU,
    CENTRAL,
    add_records,
    catalogue_records,
    delete_record,
    open_catalogue,
)

OAI = "{http://www.openarchives.org/OAI/2.0/}"
PREFIX = "oai:catalogue.museums.kz:"
PAGE_SIZE = 2

#: record id -> the datestamp the store is given for it (one per day, the deletion last).
STAMPS = {
    f"{CENTRAL}:1": datetime(2024, 1, 1, 9, 0, 0),
    f"{CENTRAL}:2": datetime(2024, 1, 2, 9, 0, 0),
    f"{ATYRAU}:3": datetime(2024, 1, 3, 9, 0, 0),
    f"{ATYRAU}:КП 12/3": datetime(2024, 1, 3, 9, 0, 0, 500_000),
    f"{ATYRAU}:4": datetime(2024, 1, 5, 12, 30, 15),  # deleted
}
DELETED = f"{ATYRAU}:4"


@dataclass
class Provider:
    catalogue: Catalogue
    url: str
    records: dict[str, CoreRecord]

    @property
    def sickle(self) -> Sickle:
        return Sickle(self.url, max_retries=0, timeout=30)

    def get(self, **params: str) -> etree._Element:
        response = requests.get(self.url, params=params, timeout=30)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/xml")
        return etree.fromstring(response.content)


@pytest.fixture
def provider(tmp_path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Provider]:  # type: ignore[no-untyped-def]
    catalogue = open_catalogue(tmp_path, monkeypatch)
    records = catalogue_records()
    add_records(catalogue, records)
    delete_record(catalogue, next(r for r in records if r.id == DELETED))
    with catalogue.db.session() as session:
        for record_id, stamp in STAMPS.items():
            session.execute(update(CoreRow).where(CoreRow.id == record_id).values(updated_at=stamp))
            session.execute(update(Tombstone).where(Tombstone.id == record_id).values(deleted_at=stamp))
        session.commit()
    with ServerThread(create_app(catalogue, oai_page_size=PAGE_SIZE)) as server:
        yield Provider(catalogue, server.url + "oai", {r.id: r for r in records})
    catalogue.close()


def record_id(oai_identifier: str) -> str:
    assert oai_identifier.startswith(PREFIX)
    return oai_identifier[len(PREFIX) :]


def metadata_bytes(record) -> bytes:  # type: ignore[no-untyped-def]
    metadata = record.xml.find(f"{OAI}metadata")
    return etree.tostring(metadata[0])


# -- Identify, formats, sets ------------------------------------------------------------


def test_identify_promises_seconds_and_persistent_deletions(provider: Provider) -> None:
    identify = provider.sickle.Identify()
    assert identify.protocolVersion == "2.0"
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.deletedRecord == "persistent"
    assert identify.earliestDatestamp == "2024-01-01T09:00:00Z"
    assert identify.baseURL == provider.url
    assert identify.adminEmail


def test_list_metadata_formats_offers_lido_and_oai_dc(provider: Provider) -> None:
    formats = {f.metadataPrefix: f.metadataNamespace for f in provider.sickle.ListMetadataFormats()}
    assert formats == {"lido": "http://www.lido-schema.org", "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/"}
    for_one = list(provider.sickle.ListMetadataFormats(identifier=PREFIX + f"{CENTRAL}:1"))
    assert len(for_one) == 2


def test_list_metadata_formats_for_missing_or_deleted_items_are_errors(provider: Provider) -> None:
    with pytest.raises(oaiexceptions.IdDoesNotExist):
        list(provider.sickle.ListMetadataFormats(identifier=PREFIX + f"{CENTRAL}:404"))
    # sickle has no class for noMetadataFormats (its NoMetadataFormat lacks the s): the base error.
    with pytest.raises(oaiexceptions.OAIError, match="deleted"):
        list(provider.sickle.ListMetadataFormats(identifier=PREFIX + DELETED))
    assert error_codes(provider.get(verb="ListMetadataFormats", identifier=PREFIX + DELETED)) == [
        "noMetadataFormats"
    ]


def test_list_sets_has_one_set_per_museum(provider: Provider) -> None:
    sets = {s.setSpec: s.setName for s in provider.sickle.ListSets()}
    assert sets == {CENTRAL: "Central State Museum", ATYRAU: "Atyrau Regional Museum"}


# -- lists, paging, deletions ------------------------------------------------------------


def test_list_records_pages_through_everything_with_resumption_tokens(provider: Provider) -> None:
    harvested = list(provider.sickle.ListRecords(metadataPrefix="lido"))
    ids = [record_id(r.header.identifier) for r in harvested]
    assert ids == list(STAMPS)  # (datestamp, id) order, the deletion last
    deleted = [r for r in harvested if r.header.deleted]
    assert [record_id(r.header.identifier) for r in deleted] == [DELETED]
    assert deleted[0].xml.find(f"{OAI}metadata") is None
    assert deleted[0].header.datestamp == "2024-01-05T12:30:15Z"
    assert all(r.header.setSpecs in ([CENTRAL], [ATYRAU]) for r in harvested)


def test_tokens_carry_complete_list_size_and_cursor_and_the_last_one_is_empty(provider: Provider) -> None:
    root = provider.get(verb="ListIdentifiers", metadataPrefix="oai_dc")
    cursors, sizes, pages = [], [], 0
    while True:
        pages += 1
        token = root.find(f"{OAI}ListIdentifiers/{OAI}resumptionToken")
        assert token is not None
        cursors.append(int(token.get("cursor")))
        sizes.append(int(token.get("completeListSize")))
        assert len(root.findall(f"{OAI}ListIdentifiers/{OAI}header")) <= PAGE_SIZE
        if not token.text:
            break
        root = provider.get(verb="ListIdentifiers", resumptionToken=token.text)
    assert pages == 3
    assert cursors == [0, 2, 4]
    assert sizes == [5, 5, 5]


def test_a_list_that_fits_one_page_has_no_token(provider: Provider) -> None:
    root = provider.get(verb="ListIdentifiers", metadataPrefix="lido", set=CENTRAL)
    assert len(root.findall(f"{OAI}ListIdentifiers/{OAI}header")) == 2
    assert root.find(f"{OAI}ListIdentifiers/{OAI}resumptionToken") is None


def test_the_same_token_gives_the_same_page(provider: Provider) -> None:
    first = provider.get(verb="ListRecords", metadataPrefix="lido")
    token = first.findtext(f"{OAI}ListRecords/{OAI}resumptionToken")
    again = [
        [h.text for h in provider.get(verb="ListRecords", resumptionToken=token).iter(f"{OAI}identifier")]
        for _ in range(2)
    ]
    assert again[0] == again[1] == [PREFIX + f"{ATYRAU}:3", PREFIX + f"{ATYRAU}:КП 12/3"]


def test_a_record_changed_during_a_harvest_is_delivered_later_not_lost(provider: Provider) -> None:
    first = provider.get(verb="ListIdentifiers", metadataPrefix="lido")
    token = first.findtext(f"{OAI}ListIdentifiers/{OAI}resumptionToken")
    seen = [h.text for h in first.iter(f"{OAI}identifier")]
    with provider.catalogue.db.session() as session:  # a museum edits the first record mid-harvest
        session.execute(
            update(CoreRow).where(CoreRow.id == f"{CENTRAL}:1").values(updated_at=datetime(2024, 2, 1))
        )
        session.commit()
    while token:
        page = provider.get(verb="ListIdentifiers", resumptionToken=token)
        seen += [h.text for h in page.iter(f"{OAI}identifier")]
        token = page.findtext(f"{OAI}ListIdentifiers/{OAI}resumptionToken")
    assert seen[-1] == PREFIX + f"{CENTRAL}:1"
    assert set(seen) == {PREFIX + i for i in STAMPS}


def test_from_and_until_select_by_datestamp_inclusively(provider: Provider) -> None:
    def ids(**params: str) -> list[str]:
        return [record_id(h.identifier) for h in provider.sickle.ListIdentifiers(metadataPrefix="lido", **params)]

    assert ids(**{"from": "2024-01-02", "until": "2024-01-03"}) == [f"{CENTRAL}:2", f"{ATYRAU}:3", f"{ATYRAU}:КП 12/3"]
    assert ids(**{"from": "2024-01-05T12:30:15Z"}) == [DELETED]
    assert ids(until="2024-01-01T09:00:00Z") == [f"{CENTRAL}:1"]
    assert ids(**{"from": "2024-01-03T09:00:00Z", "until": "2024-01-03T09:00:00Z"}) == [
        f"{ATYRAU}:3",
        f"{ATYRAU}:КП 12/3",
    ]
    with pytest.raises(oaiexceptions.NoRecordsMatch):
        ids(**{"from": "2025-01-01"})


def test_set_selects_one_museum_including_its_deletions(provider: Provider) -> None:
    headers = list(provider.sickle.ListIdentifiers(metadataPrefix="oai_dc", set=ATYRAU))
    assert [record_id(h.identifier) for h in headers] == [f"{ATYRAU}:3", f"{ATYRAU}:КП 12/3", DELETED]
    assert [h.deleted for h in headers] == [False, False, True]
    with pytest.raises(oaiexceptions.NoRecordsMatch):
        list(provider.sickle.ListIdentifiers(metadataPrefix="oai_dc", set="kz-no-such-museum"))


# -- GetRecord and round trips -----------------------------------------------------------


def test_get_record_serves_live_records_and_deleted_headers(provider: Provider) -> None:
    live = provider.sickle.GetRecord(identifier=PREFIX + f"{CENTRAL}:1", metadataPrefix="lido")
    assert not live.header.deleted
    assert validate_lido(metadata_bytes(live)) == []
    gone = provider.sickle.GetRecord(identifier=PREFIX + DELETED, metadataPrefix="lido")
    assert gone.header.deleted
    assert gone.xml.find(f"{OAI}metadata") is None


def test_lido_round_trip_keeps_ids_and_titles(provider: Provider) -> None:
    harvested = [r for r in provider.sickle.ListRecords(metadataPrefix="lido") if not r.header.deleted]
    assert len(harvested) == 4
    for item in harvested:
        rid = record_id(item.header.identifier)
        museum_id, _, local_id = rid.partition(":")
        raw = RawRecord(museum_id=museum_id, local_id=local_id, format="lido", payload=metadata_bytes(item))
        mapped = map_lido(raw).record
        original = provider.records[rid]
        assert mapped.id == original.id
        assert {(t.lang, t.value) for t in mapped.titles} == {(t.lang, t.value) for t in original.titles}
        assert validate_lido(raw.payload) == []


def test_oai_dc_round_trip_keeps_ids_titles_and_media(provider: Provider) -> None:
    harvested = [r for r in provider.sickle.ListRecords(metadataPrefix="oai_dc") if not r.header.deleted]
    assert len(harvested) == 4
    for item in harvested:
        rid = record_id(item.header.identifier)
        museum_id, _, local_id = rid.partition(":")
        raw = RawRecord(museum_id=museum_id, local_id=local_id, format="oai_dc", payload=metadata_bytes(item))
        mapped = map_oai_dc(raw).record
        original = provider.records[rid]
        assert mapped.id == original.id
        assert {(t.lang, t.value) for t in mapped.titles} == {(t.lang, t.value) for t in original.titles}
        assert mapped.inventory_number == original.inventory_number
        assert [m.url for m in mapped.media] == [m.url for m in original.media]


# -- errors --------------------------------------------------------------------------------


def error_codes(root: etree._Element) -> list[str]:
    return [e.get("code") for e in root.findall(f"{OAI}error")]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "ListEverything"}, "badVerb"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "Identify", "metadataPrefix": "lido"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "lido", "from": "yesterday"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "lido", "from": "2024-01-01", "until": "2024-01-02T00:00:00Z"},
         "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "lido", "from": "2024-02-01", "until": "2024-01-01"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "lido", "resumptionToken": "abc"}, "badArgument"),
        ({"verb": "GetRecord", "identifier": PREFIX + f"{CENTRAL}:1"}, "badArgument"),
        ({"verb": "ListRecords", "resumptionToken": "not-a-token"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "anything"}, "badResumptionToken"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        ({"verb": "GetRecord", "identifier": PREFIX + f"{CENTRAL}:1", "metadataPrefix": "mods"},
         "cannotDisseminateFormat"),
        ({"verb": "GetRecord", "identifier": "oai:elsewhere:1", "metadataPrefix": "lido"}, "idDoesNotExist"),
        ({"verb": "ListIdentifiers", "metadataPrefix": "lido", "until": "1999-12-31"}, "noRecordsMatch"),
        ({"verb": "ListMetadataFormats", "identifier": PREFIX + DELETED}, "noMetadataFormats"),
    ],
)
def test_protocol_errors_use_the_protocols_codes(provider: Provider, params: dict[str, str], code: str) -> None:
    root = provider.get(**params)
    assert code in error_codes(root)
    assert root.find(f"{OAI}responseDate") is not None
    request = root.find(f"{OAI}request")
    assert request.text == provider.url
    if code in ("badVerb", "badArgument"):
        assert dict(request.attrib) == {}


def test_repeated_verb_and_repeated_argument_are_refused(provider: Provider) -> None:
    verbs = requests.get(provider.url + "?verb=Identify&verb=Identify", timeout=30)
    assert error_codes(etree.fromstring(verbs.content)) == ["badVerb"]
    args = requests.get(provider.url + "?verb=ListSets&resumptionToken=a&resumptionToken=b", timeout=30)
    assert "badArgument" in error_codes(etree.fromstring(args.content))


def test_a_token_naming_an_unknown_format_is_a_bad_token(provider: Provider) -> None:
    forged = ListPosition("marc21", None, None, None, datetime(2024, 1, 1, tzinfo=UTC), "x", 2).encode()
    assert error_codes(provider.get(verb="ListRecords", resumptionToken=forged)) == ["badResumptionToken"]


def test_post_requests_are_answered_like_get(provider: Provider) -> None:
    response = requests.post(
        provider.url,
        data={"verb": "GetRecord", "identifier": PREFIX + f"{CENTRAL}:2", "metadataPrefix": "oai_dc"},
        timeout=30,
    )
    root = etree.fromstring(response.content)
    titles = root.findall(".//{http://purl.org/dc/elements/1.1/}title")
    assert {t.text for t in titles} == {"Алтын адам", "Golden Man"}


def test_identify_names_the_contact_the_ministry_configured(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("EMUSEUM_ADMIN_EMAIL", "oai@museums.example.kz")
    catalogue = open_catalogue(tmp_path, monkeypatch)
    try:
        body = OaiProvider(catalogue).respond([("verb", "Identify")], "http://127.0.0.1/oai")
    finally:
        catalogue.close()
    assert etree.fromstring(body).findtext(f".//{OAI}adminEmail") == "oai@museums.example.kz"


def test_arguments_with_characters_xml_cannot_carry_get_bad_argument_not_a_crash(provider: Provider) -> None:
    root = provider.get(verb="GetRecord", metadataPrefix="lido", identifier="\x01x")
    errors = list(root.iter(f"{OAI}error"))
    assert {e.get("code") for e in errors} == {"badArgument"}
    assert any("characters XML cannot carry" in (e.text or "") for e in errors)


def test_an_oversized_post_body_is_refused(provider: Provider) -> None:
    response = requests.post(provider.url, data={"verb": "Identify", "pad": "x" * 20_000}, timeout=30)
    assert response.status_code == 413
