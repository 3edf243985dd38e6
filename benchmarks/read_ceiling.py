"""How fast an OAI-PMH endpoint can be read at all: the ceiling a harvest is measured against.

Two readers that do nothing but read: ``requests`` + ``lxml`` walking the
resumption tokens and counting records (the raw page-read ceiling), and a
plain ``sickle`` loop (what a naive harvester built on sickle would get).
Neither maps, stores or checks anything, so a harvest can at best reach them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import requests
from lxml import etree
from sickle import Sickle

__all__ = ["ReadCeiling", "read_with_lxml", "read_with_sickle"]

_OAI = "{http://www.openarchives.org/OAI/2.0/}"


@dataclass(slots=True)
class ReadCeiling:
    records: int
    pages: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.records / self.seconds if self.seconds else 0.0


def read_with_lxml(url: str, prefix: str = "lido") -> ReadCeiling:
    """Every page of a ListRecords listing with requests + lxml; counts records."""
    started = time.perf_counter()
    records = pages = 0
    params: dict[str, str] = {"verb": "ListRecords", "metadataPrefix": prefix}
    with requests.Session() as http:
        while True:
            response = http.get(url, params=params, timeout=120)
            response.raise_for_status()
            root = etree.fromstring(response.content)
            pages += 1
            records += sum(1 for _ in root.iter(f"{_OAI}record"))
            token = root.find(f".//{_OAI}resumptionToken")
            if token is None or not (token.text or "").strip():
                break
            params = {"verb": "ListRecords", "resumptionToken": token.text.strip()}
    return ReadCeiling(records, pages, time.perf_counter() - started)


def read_with_sickle(url: str, prefix: str = "lido") -> ReadCeiling:
    """A plain sickle loop over ListRecords (records parsed into sickle's Record objects)."""
    started = time.perf_counter()
    records = 0
    for _ in Sickle(url, max_retries=2, timeout=120).ListRecords(metadataPrefix=prefix, ignore_deleted=False):
        records += 1
    return ReadCeiling(records, 0, time.perf_counter() - started)
