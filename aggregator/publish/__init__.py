"""``emuseum publish``: a museum's spreadsheet export served as a standalone OAI-PMH 2.0 data provider.

Most museums have no collection system and so no endpoint; their data sits
in a spreadsheet.  One command serves it the way a collection system would:
LIDO and oai_dc, sets (the export's collections), resumption tokens,
datestamps at seconds granularity that change only when a row's content
changes and survive restarts (``state``), rows that disappear as deleted
records, and with ``--watch`` a replaced export picked up (``watch``).  The
protocol is ``aggregator.oai_pmh``'s, shared with the catalogue's ``/oai``;
reading and mapping are the harvester's and the mappings' own.
"""

from aggregator.publish.export_source import ExportSource, Publication, museum_id_for
from aggregator.publish.snapshot import Changes, Snapshot, build_snapshot, set_spec_for
from aggregator.publish.state import PublishState, RowState, StateError, state_path_for
from aggregator.publish.watch import ExportWatcher

__all__ = [
    "Changes",
    "ExportSource",
    "ExportWatcher",
    "PublishState",
    "Publication",
    "RowState",
    "Snapshot",
    "StateError",
    "build_snapshot",
    "museum_id_for",
    "set_spec_for",
    "state_path_for",
]
