"""Deterministic sample collections for the demo's museum endpoints.

The demo has to show the catalogue doing its real job, so the sample funds
look like real Kazakh funds: the same few object names over and over with
qualifiers (a fund holds forty «Кебеже», not forty unique things), Kazakh
titles in Cyrillic with the Kazakh letters, Russian as the working language
of the accounting books, dates written the way each tradition writes them
(«XIX ғ.», «XIX в.», «V-IV вв. до н.э.», «ca. 1920»), archaeology reaching
back to the Bronze Age, and places spread over all twenty regions.

Everything is derived from ``random.Random`` seeded with the museum id and the
seed, never from the clock or from ``hash()`` (salted per process), so the
same call yields the same bytes on every machine.  Apart from
:func:`write_csv` nothing here touches the disk or the network.

Artists, the copyist Mürseyit Bikeuly and the photographer Samuil Dudin are
real people with their real life dates; the titles given to their "works"
are generic genre titles, not claims about particular pieces.

The package is split by noun (objects, places, actors, dating, templates and
one module per output format); importers use only the names re-exported here.
"""

from __future__ import annotations

from demo.samples.accounting_csv import ACCOUNTING_HEADERS, to_accounting_row, write_csv
from demo.samples.lido import to_lido
from demo.samples.museums import SAMPLE_MUSEUMS
from demo.samples.oai_dc import to_oai_dc
from demo.samples.objects import SampleObject, generate_museum_objects

__all__ = [
    "ACCOUNTING_HEADERS",
    "SAMPLE_MUSEUMS",
    "SampleObject",
    "generate_museum_objects",
    "to_accounting_row",
    "to_lido",
    "to_oai_dc",
    "write_csv",
]
