"""Field coverage of the LIDO mapping on real records: what we fill against what the source carries.

For each core field: in how many records the source has the LIDO element
that feeds it, and in how many the mapped core record has the field filled.
A field filled less often than its source element is present points at a
mapping gap; more often means it was derived (e.g. dates read from text).

    .venv/bin/python devtools/field_coverage.py [FOLDER ...]   (default: ../shared/data/lido-real)
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from harvester.lido_file import lido_record_id, split_lido
from harvester.raw import RawRecord
from mappings.core import CoreRecord, MediaKind
from mappings.formats import map_raw
from mappings.report import MappingError

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / ".." / "shared" / "data" / "lido-real"

# core field -> (local-name path fragments any of which in the source feeds it, filled?)
FIELDS: dict[str, tuple[tuple[str, ...], Callable[[CoreRecord], bool]]] = {
    "titles": (("titleSet",), lambda r: bool(r.titles)),
    "object_type": (("objectWorkType",), lambda r: bool(r.object_type)),
    "classification": (("classification", "category"), lambda r: bool(r.classification)),
    "descriptions": (("objectDescriptionSet",), lambda r: bool(r.descriptions)),
    "inscriptions": (("inscriptions",), lambda r: bool(r.inscriptions)),
    "inventory_number": (("workID",), lambda r: bool(r.inventory_number)),
    "repository": (("repositoryName",), lambda r: bool(r.repository)),
    "actors": (("eventActor",), lambda r: bool(r.actors)),
    "production.date": (
        ("eventDate",),
        lambda r: bool(r.production and (r.production.earliest or r.production.latest)),
    ),
    "production.places": (("eventPlace",), lambda r: bool(r.production and r.production.places)),
    "materials": (("termMaterialsTech", "displayMaterialsTech"), lambda r: bool(r.materials)),
    "techniques": (("termMaterialsTech",), lambda r: bool(r.techniques)),
    "measurements": (("objectMeasurementsSet",), lambda r: bool(r.measurements)),
    "subjects": (("subjectSet",), lambda r: bool(r.subjects)),
    "rights": (("rightsWorkSet",), lambda r: bool(r.rights)),
    "media (any)": (("linkResource",), lambda r: bool(r.media)),
    "media image": (("linkResource",), lambda r: any(m.kind is MediaKind.IMAGE for m in r.media)),
    "published_ids": (("objectPublishedID",), lambda r: bool(r.links.published_ids)),
    "object_page": (("recordInfoLink",), lambda r: bool(r.links.object_page)),
}


def _local_names(payload: bytes) -> set[str]:
    root = etree.fromstring(payload, etree.XMLParser(resolve_entities=False, no_network=True))
    return {el.tag.rsplit("}", 1)[-1] for el in root.iter() if isinstance(el.tag, str) and el.text is not None}


def coverage(folders: list[Path]) -> tuple[int, dict[str, tuple[int, int]], list[str]]:
    counts = {name: [0, 0] for name in FIELDS}
    failures: list[str] = []
    total = 0
    for path in sorted(p for folder in folders for p in folder.rglob("*.xml")):
        for n, part in enumerate(split_lido(path.read_bytes()), 1):
            try:
                local_id = lido_record_id(part)
            except ValueError:
                local_id = f"{path.stem}-{n}"
            try:
                record = map_raw(RawRecord(museum_id="coverage", local_id=local_id, format="lido", payload=part)).record
            except MappingError as exc:
                failures.append(f"{path.name}: {exc}")
                continue
            total += 1
            present = _local_names(part)
            for name, (elements, filled) in FIELDS.items():
                counts[name][0] += any(e in present for e in elements)
                counts[name][1] += filled(record)
    return total, {k: (v[0], v[1]) for k, v in counts.items()}, failures


def main(argv: list[str]) -> int:
    folders = [Path(a) for a in argv] or [DEFAULT]
    missing = [f for f in folders if not f.is_dir()]
    if missing:
        print(f"no such folder: {', '.join(map(str, missing))}", file=sys.stderr)
        return 1
    total, counts, failures = coverage(folders)
    print(f"{total} records mapped, {len(failures)} failed")
    print(f"{'core field':20} {'source has it':>14} {'filled':>8} {'share filled':>13}")
    for name, (source, filled) in counts.items():
        print(f"{name:20} {source:>14} {filled:>8} {filled / total:>12.0%}")
    for failure in failures:
        print("failed:", failure)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
