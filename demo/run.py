"""``make demo``: the whole national catalogue on one machine, in well under a minute.

Starts one sample museum per region on 127.0.0.1 (OAI-PMH with LIDO, OAI-PMH
with oai_dc only, and CSV exports in Windows-1251), harvests them into a fresh
embedded database, changes and deletes a few records at the sources, harvests
again incrementally, and shows what researchers would find.
"""

from __future__ import annotations

import os
import shutil
import time
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml
from rich.console import Console
from rich.table import Table

from aggregator.catalogue import Catalogue
from aggregator.dumps.build import build_dumps
from aggregator.harvest_pool import default_workers
from aggregator.index.query import SearchQuery
from aggregator.ops.service import Operations
from config.regions import REGIONS
from demo.media_server import MediaServer
from demo.night import run_troubled_night
from demo.oai_endpoint import EndpointRecord, OaiEndpoint
from demo.samples import (
    SAMPLE_MUSEUMS,
    SampleObject,
    generate_museum_objects,
    to_accounting_row,
    to_lido,
    to_oai_dc,
    write_csv,
)

__all__ = ["DemoMuseum", "demo_museums", "run_demo"]

SOURCE_CYCLE = ("lido", "lido", "oai_dc", "csv")


@dataclass(slots=True)
class DemoMuseum:
    id: str
    name: dict[str, str]
    region: str
    city: str | None
    kind: str  # lido | oai_dc | csv


def demo_museums() -> list[DemoMuseum]:
    """The named sample museums first, then one regional museum for every other region."""
    museums: list[DemoMuseum] = []
    used_regions: set[str] = set()
    for n, entry in enumerate(SAMPLE_MUSEUMS):
        museums.append(DemoMuseum(entry["id"], entry["name"], entry["region"], entry.get("city"), SOURCE_CYCLE[n % 4]))
        used_regions.add(entry["region"])
    for code, region in REGIONS.items():
        if code in used_regions:
            continue
        slug = region.en.lower().replace(" region", "").replace(" ", "-")
        museums.append(
            DemoMuseum(
                id=f"kz-{slug}-regional-museum",
                name={
                    "kk": f"{region.kk} тарихи-өлкетану музейі",
                    "ru": f"Историко-краеведческий музей ({region.ru})",
                    "en": f"{region.en} Museum of Local History",
                },
                region=code,
                city=region.centre or region.en,
                kind=SOURCE_CYCLE[len(museums) % 4],
            )
        )
    return museums


def _endpoint_records(objects: list[SampleObject], museum: DemoMuseum) -> list[EndpointRecord]:
    name = museum.name.get("en", museum.id)
    records = []
    for obj in objects:
        metadata = (
            {}
            if obj.deleted
            else (
                {"lido": to_lido(obj, name), "oai_dc": to_oai_dc(obj)}
                if museum.kind == "lido"
                else {"oai_dc": to_oai_dc(obj)}
            )
        )
        records.append(
            EndpointRecord(
                identifier=f"oai:{museum.id}.museums.kz:{obj.local_id}",
                datestamp=obj.datestamp,
                deleted=obj.deleted,
                metadata=metadata,
            )
        )
    return records


def _print_search(console: Console, catalogue: Catalogue, label: str, query: SearchQuery) -> None:
    result = catalogue.search(query)
    console.print(f"\n[bold]{label}[/bold]: {result.total} records")
    for hit in result.hits[:3]:
        date = f" ({hit.date_display})" if hit.date_display else ""
        console.print(f"  {hit.id}  {hit.title}{date}", markup=False, highlight=False)
    for facet, values in result.facets.items():
        console.print(
            f"  [{facet}] " + ", ".join(f"{v.value} ({v.count})" for v in values[:8]),
            markup=False,
            highlight=False,
        )


def run_demo(
    workdir: Path,
    *,
    count: int = 400,
    serve: bool = True,
    port: int = 8000,
    console: Console | None = None,
    broken_museum: str | None = None,
    held_museum: str | None = None,
) -> None:
    console = console or Console()
    workdir = workdir.resolve()
    if workdir.exists():
        shutil.rmtree(workdir)
    (workdir / "exports").mkdir(parents=True)
    museums = demo_museums()
    per_museum = max(10, count // 4)
    started = time.monotonic()
    with ExitStack() as stack:
        # The museums' media host: real photographs and 3D models for the media proxy to fetch.
        media = stack.enter_context(MediaServer())
        entries, endpoints, objects_of = [], {}, {}
        for n, museum in enumerate(museums):
            objects = generate_museum_objects(
                museum.id,
                per_museum,
                seed=1000 + n,
                region=museum.region,
                base_url=f"{media.url}{museum.id}/",
            )
            objects_of[museum.id] = objects
            if museum.kind == "csv":
                path = workdir / "exports" / f"{museum.id}.csv"
                write_csv(path, [to_accounting_row(o) for o in objects if not o.deleted])
                source = {
                    "type": "csv",
                    "url": path.as_uri(),
                    "profile": "ru-accounting",
                    "encoding": "auto",
                }
            else:
                endpoint = OaiEndpoint(
                    _endpoint_records(objects, museum),
                    name=museum.name.get("en", museum.id),
                    formats=["lido", "oai_dc"] if museum.kind == "lido" else ["oai_dc"],
                    batch_size=50,
                )
                stack.enter_context(endpoint)
                endpoints[museum.id] = endpoint
                source = {"type": "oai-pmh", "url": endpoint.url}
            entries.append(
                {
                    "id": museum.id,
                    "name": museum.name,
                    "region": museum.region,
                    "city": museum.city,
                    "source": source,
                }
            )
        _write_lido_sample(workdir / "exports" / "sample.lido.xml", museums, objects_of)
        config = workdir / "config"
        config.mkdir()
        (config / "museums.yaml").write_text(
            yaml.safe_dump({"museums": entries}, allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
        environment = {
            "EMUSEUM_CONFIG": _shown(config),
            "EMUSEUM_DATABASE_URL": f"sqlite:///{_shown(workdir / 'emuseum.db')}",
            # The sample museums live on this machine: their endpoints and media host on loopback, their
            # exports in the demo's folder; the harvester and the media proxy refuse both by default.
            "EMUSEUM_ALLOW_SOURCE_NETWORKS": "127.0.0.0/8,::1/128",
            "EMUSEUM_FILE_SOURCES_DIR": _shown(workdir / "exports"),
            # The operator token of the dashboard (/admin) and of harvests started over the API.
            "EMUSEUM_API_TOKEN": os.environ.get("EMUSEUM_API_TOKEN") or "demo-operator-token",
        }
        os.environ.update(environment)
        os.environ["EMUSEUM_INDEX_URL"] = "sqlite"
        os.environ["EMUSEUM_MEDIA_CACHE"] = str(workdir / "media-cache")
        catalogue = stack.enter_context(Catalogue.open(config))
        console.print(
            f"Started {len(endpoints)} OAI-PMH endpoints and wrote "
            f"{len(museums) - len(endpoints)} CSV exports on 127.0.0.1 "
            f"for {len(museums)} museums in {len(REGIONS)} regions."
        )
        ops = Operations(catalogue)  # harvests with the runs' trend snapshots (the dashboard's sparklines)
        summaries = ops.harvest(None, workers=default_workers())
        first = time.monotonic() - started
        console.print(f"First harvest of {len(museums)} museums took {first:.1f}s")

        # The museums edit and delete some records; the nightly harvest is incremental.
        changed = 0
        later = datetime.now(UTC) + timedelta(seconds=2)
        for museum_id, endpoint in endpoints.items():
            museum = next(m for m in museums if m.id == museum_id)
            objects = objects_of[museum_id]
            for obj in objects[:3]:
                obj.titles["en"] = obj.titles.get("en", "") + " (restored)"
                obj.datestamp = later
                changed += 1
            for obj in objects[3:4]:
                obj.deleted = True
                obj.datestamp = later
            endpoint.set_records(_endpoint_records(objects, museum))
        incremental = ops.harvest([m for m in endpoints], workers=default_workers())
        console.print(f"Incremental harvest after {changed} edits and {len(endpoints)} deletions at the sources:")
        table = Table("museum", "source", "first run", "incremental run")
        by_id = {s.museum_id: s for s in incremental}
        for summary, museum in zip(summaries, museums, strict=True):
            inc = by_id.get(museum.id)
            table.add_row(
                museum.id,
                museum.kind,
                f"{summary.status}: {summary.new} new, {summary.failed} failed",
                f"{inc.new} new, {inc.updated} updated, {inc.unchanged} unchanged, {inc.deleted} deleted"
                if inc
                else "-",
            )
        console.print(table)
        statuses = catalogue.status()
        console.print(
            f"Catalogue: {sum(s.active for s in statuses)} active records, "
            f"{sum(s.deleted for s in statuses)} deleted, {sum(s.quarantined for s in statuses)} quarantined."
        )
        _print_search(
            console,
            catalogue,
            "Kazakh Latin 'kebeje' (finds Cyrillic «кебеже»)",
            SearchQuery(text="kebeje", facets=["museum"]),
        )
        _print_search(
            console,
            catalogue,
            "Russian 'серебро' (silver)",
            SearchQuery(text="серебро", facets=["object_type"]),
        )
        _print_search(
            console,
            catalogue,
            "English 'gold', before the common era",
            SearchQuery(text="gold", date_to=0, facets=["century"]),
        )
        _print_search(
            console,
            catalogue,
            "All records with a 3D model, by region",
            SearchQuery(filters={"has_3d": ["true"]}, facets=["region", "material"]),
        )
        # The nightly bulk dumps, so that the "Download the catalogue" page offers files.
        dumping = time.monotonic()
        built = build_dumps(catalogue, workers=default_workers())
        megabytes = sum(entry.bytes for entry in built.entries) / 1024**2
        console.print(
            f"\nBulk dumps for researchers ({', '.join(entry.format for entry in built.entries)}; "
            f"{megabytes:.1f} MiB, {time.monotonic() - dumping:.1f}s) in {built.folder}, "
            f"listed on http://127.0.0.1:{port}/dumps",
            highlight=False,
        )
        if broken_museum or held_museum:
            run_troubled_night(
                catalogue,
                console,
                broken=broken_museum,
                held=held_museum,
                endpoints=endpoints,
                objects_of=objects_of,
                exports=workdir / "exports",
                records_of=lambda museum_id, objs: _endpoint_records(
                    objs, next(m for m in museums if m.id == museum_id)
                ),
                workers=default_workers(),
            )
        console.print(f"\nDemo finished in {time.monotonic() - started:.1f}s; database: {workdir / 'emuseum.db'}")
        console.print("To point the emuseum command at the demo's store and museums, run:", highlight=False)
        console.print(
            "  export " + " ".join(f"{k}={v}" for k, v in environment.items()),
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        console.print(
            f"The harvest dashboard: http://127.0.0.1:{port}/admin (token {environment['EMUSEUM_API_TOKEN']}); "
            f"metrics: http://127.0.0.1:{port}/metrics",
            markup=False,
            highlight=False,
        )
        if serve:
            _serve(catalogue, console, port)


def _write_lido_sample(path: Path, museums: list[DemoMuseum], objects_of: dict[str, list[SampleObject]]) -> None:
    """A LIDO export file of the first LIDO museum, for `emuseum map` (the README's example)."""
    museum = next(m for m in museums if m.kind == "lido")
    name = museum.name.get("en", museum.id)
    records = b"".join(to_lido(obj, name) for obj in objects_of[museum.id][:5] if not obj.deleted)
    path.write_bytes(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<lido:lidoWrap xmlns:lido="http://www.lido-schema.org">'
        + records
        + b"</lido:lidoWrap>\n"
    )


def _shown(path: Path) -> str:
    """A path as short as it can be said from here (relative when under the current folder)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _serve(catalogue: Catalogue, console: Console, port: int) -> None:
    from aggregator.web.server import serve

    serve(catalogue, host="127.0.0.1", port=port, console=console)
