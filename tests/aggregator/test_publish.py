"""emuseum publish's data source: persistent datestamps, deletions, sets, watching, over the shared OAI-PMH."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from fastapi import FastAPI
from lxml import etree
from sickle import Sickle

from aggregator.oai_pmh import FeedWindow, OaiRepository, oai_router
from aggregator.publish import ExportSource, ExportWatcher, Publication, PublishState, StateError, state_path_for
from aggregator.web.server import ServerThread

OAI = "{http://www.openarchives.org/OAI/2.0/}"
HEADER = "id,title_ru,object_type,classification\n"


def publication(tmp_path: Path, text: str, state: Path | None = None) -> Publication:
    export = tmp_path / "fund.csv"
    export.write_text(HEADER + text, encoding="utf-8")
    return Publication(
        export=export,
        profile="generic",
        state_path=state_path_for(export, state),
        museum_id="kz-fund",
        name="Fund",
        namespace="fund.museum.kz",
        admin_email="admin@fund.museum.kz",
    )


def stamps(source: ExportSource) -> dict[str, tuple[datetime, bool]]:
    snapshot = source.snapshot
    with source.feed() as feed:
        items = feed.items(FeedWindow(), None, 1000)
    assert len(items) == snapshot.live + snapshot.deleted
    return {i.record_id: (i.stamp, i.deleted) for i in items}


def test_datestamps_change_only_with_content_and_survive_restarts(tmp_path: Path) -> None:
    pub = publication(tmp_path, "KP-1,Кебеже,chest,Этнография\nKP-2,Ковёр,carpet,Этнография\n")
    first = ExportSource(pub)
    assert first.reload().line() == "new 2, changed 0, unchanged 0, deleted 0"
    before = stamps(first)
    time.sleep(1.1)  # datestamps have seconds granularity
    restarted = ExportSource(pub)  # a new process reads the state file
    assert restarted.reload().line() == "new 0, changed 0, unchanged 2, deleted 0"
    assert stamps(restarted) == before
    pub.export.write_text(HEADER + "KP-1,Кебеже расписной,chest,Этнография\n", encoding="utf-8")
    changes = restarted.reload()
    assert changes.line() == "new 0, changed 1, unchanged 0, deleted 1"
    after = stamps(restarted)
    assert after["KP-1"][0] > before["KP-1"][0] and after["KP-2"] == (after["KP-1"][0], True)
    time.sleep(1.1)
    assert ExportSource(pub).reload().line() == "new 0, changed 0, unchanged 1, deleted 0"  # still deleted, same stamp
    again = ExportSource(pub)
    again.reload()
    assert stamps(again)["KP-2"] == after["KP-2"]
    assert PublishState.load(pub.state_path, "fund.csv").records["KP-2"].deleted


def test_state_in_its_own_folder_and_a_broken_state_named(tmp_path: Path) -> None:
    pub = publication(tmp_path, "KP-1,Кебеже,chest,\n", state=tmp_path / "state")
    ExportSource(pub).reload()
    assert pub.state_path == tmp_path / "state" / "fund.csv.oai-state.json" and pub.state_path.is_file()
    pub.state_path.write_text("{not json", encoding="utf-8")
    with pytest.raises(StateError, match="move it aside"):
        ExportSource(pub).reload()


def test_rows_the_mapping_refuses_are_reported_not_published(tmp_path: Path) -> None:
    source = ExportSource(publication(tmp_path, "KP-1,Кебеже,chest,\nKP-2,,,\n,Без номера,bowl,\n"))
    changes = source.reload()
    assert source.snapshot.live == 1
    assert any("row 4: no value in id column" in note for note in changes.notes)
    assert any(note.startswith("row KP-2 not published") for note in changes.notes)


def test_harvested_with_sickle_sets_tokens_and_deletions(tmp_path: Path) -> None:
    rows = "".join(f"KP-{n},Предмет {n},bowl,{'Этнография' if n % 2 else 'Нумизматика'}\n" for n in range(1, 8))
    source = ExportSource(publication(tmp_path, rows))
    source.reload()
    source.publication.export.write_text(HEADER + rows.replace("KP-7,Предмет 7,bowl,Этнография\n", ""), "utf-8")
    source.reload()
    app = FastAPI()
    app.include_router(oai_router(OaiRepository(source, page_size=3)))
    with ServerThread(app) as server:
        sickle = Sickle(server.url + "oai", max_retries=0, timeout=30)
        headers = list(sickle.ListIdentifiers(metadataPrefix="lido"))
        assert [h.identifier for h in headers][-1] == "oai:fund.museum.kz:KP-7" and headers[-1].deleted
        assert len(headers) == 7
        sets = {s.setSpec for s in sickle.ListSets()}
        assert sets == {"ethnography", "numismatics"}
        ethnography = [h.identifier for h in sickle.ListIdentifiers(metadataPrefix="oai_dc", set="ethnography")]
        assert ethnography == [f"oai:fund.museum.kz:KP-{n}" for n in (1, 3, 5, 7)]
        record = sickle.GetRecord(identifier="oai:fund.museum.kz:KP-1", metadataPrefix="lido")
        titles = record.xml.findall(".//{http://www.lido-schema.org}appellationValue")
        assert "Предмет 1" in [t.text for t in titles]
        later = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%d")
        params = {"verb": "ListRecords", "metadataPrefix": "lido", "from": later}
        empty = etree.fromstring(requests.get(server.url + "oai", params=params, timeout=30).content)
        assert empty.find(f"{OAI}error").get("code") == "noRecordsMatch"


def test_the_watcher_reloads_a_replaced_file_and_keeps_the_old_version_of_a_broken_one(tmp_path: Path) -> None:
    source = ExportSource(publication(tmp_path, "KP-1,Кебеже,chest,\n"))
    source.reload()
    seen: list[str] = []
    watcher = ExportWatcher(source, interval=0.05, on_reload=lambda c, f: seen.append(c.line() if c else f"failed {f}"))
    with_watch = watcher.start()
    try:
        source.publication.export.write_text(HEADER + "KP-1,Кебеже,chest,\nKP-2,Ковёр,carpet,\n", encoding="utf-8")
        deadline = time.monotonic() + 10
        while not seen and time.monotonic() < deadline:
            time.sleep(0.05)
        assert seen == ["new 1, changed 0, unchanged 1, deleted 0"] and source.snapshot.live == 2
        source.publication.export.write_bytes(b"")  # a half-copied file
        while len(seen) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert seen[1].startswith("failed") and source.snapshot.live == 2
    finally:
        with_watch.stop()
