"""A museum's spreadsheet export as an OAI-PMH data source (``aggregator.oai_pmh.DataSource``).

``reload`` reads the export (CSV or .xlsx, through the harvester's own
readers and the museum's profile), builds a new snapshot with the state's
persistent datestamps, saves the state and only then swaps the snapshot in:
requests answered meanwhile see the previous version whole.  An export that
cannot be read (half copied, a wrong profile) raises ``ValueError`` and
leaves the published version as it was.
"""

from __future__ import annotations

import hashlib
import re
import threading
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from aggregator.oai_pmh.feed import FeedView, RepositoryIdentity, SetEntry
from aggregator.oai_pmh.oai_dc import to_oai_dc_element
from aggregator.preview import read_export_file
from aggregator.publish.snapshot import Changes, Snapshot, build_snapshot
from aggregator.publish.state import PublishState
from mappings.core import CoreRecord
from mappings.csv_profiles import MAPPING_VERSION, load_profile
from mappings.lido_out import to_lido_element

__all__ = ["ExportSource", "Publication", "museum_id_for"]

_NOT_ID = re.compile(r"[^a-z0-9-]+")


def museum_id_for(export: Path) -> str:
    """A museum id (``[a-z0-9-]``) made from the export's file name, when none is given."""
    slug = _NOT_ID.sub("-", export.stem.lower()).strip("-")
    return slug if slug and slug[0].isalnum() else f"museum-{slug or 'export'}"


@dataclass(frozen=True, slots=True)
class Publication:
    """What the publisher serves and where it keeps its state (from the command line)."""

    export: Path
    profile: str
    state_path: Path
    museum_id: str
    name: str  # repository name (Identify) and the records' publisher
    namespace: str  # OAI identifiers: oai:<namespace>:<row id>
    admin_email: str
    sheet: str | None = None


class ExportSource:
    def __init__(self, publication: Publication) -> None:
        self.publication = publication
        self.identity = RepositoryIdentity(
            name=publication.name,
            admin_email=publication.admin_email,
            namespace=publication.namespace,
            sample_record_id="KP-1234",
        )
        self._lock = threading.Lock()  # one reload at a time
        self._snapshot = Snapshot([], [])

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    def _profile_key(self) -> str:
        profile = load_profile(self.publication.profile)
        return hashlib.sha256(f"{MAPPING_VERSION}\0{profile.model_dump_json()}".encode()).hexdigest()

    def reload(self) -> Changes:
        """Read the export again; raise ValueError (one line) when it cannot be read."""
        publication = self.publication
        with self._lock:
            raws, problems = read_export_file(
                publication.export, publication.profile, publication.museum_id, sheet=publication.sheet
            )
            state = PublishState.load(publication.state_path, publication.export.name)
            snapshot, changes = build_snapshot(raws, state, profile_key=self._profile_key())
            state.save(publication.state_path)
            self._snapshot = snapshot
        changes.notes = [*problems, *changes.notes]
        return changes

    # -- DataSource ----------------------------------------------------------------------
    def feed(self) -> AbstractContextManager[FeedView]:
        return nullcontext(self._snapshot)

    def sets(self) -> list[SetEntry]:
        return self._snapshot.sets

    def metadata(self, record: CoreRecord, prefix: str) -> etree._Element:
        if prefix == "lido":
            return to_lido_element(record, record_source=self.identity.name)
        return to_oai_dc_element(record, publisher=self.identity.name)
