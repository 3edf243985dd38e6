"""The `emuseum` command for people: a mistake costs one line that says what to do, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from demo.glb import yurt_glb

MUSEUM = {
    "id": "kz-central-state-museum",
    "name": {"kk": "Орталық мемлекеттік музей", "en": "Central State Museum"},
    "region": "KZ-75",
    "source": {"type": "oai-pmh", "url": "http://127.0.0.1:9/oai"},
}


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("cli")
    (folder / "museums.yaml").write_text(yaml.safe_dump({"museums": [MUSEUM]}, allow_unicode=True), encoding="utf-8")
    return {
        **os.environ,
        "EMUSEUM_CONFIG": str(folder),
        "EMUSEUM_DATABASE_URL": f"sqlite:///{folder / 'cat.db'}",
        "EMUSEUM_INDEX_URL": "sqlite",
    }


def emuseum(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aggregator", *args], env=env, capture_output=True, text=True, timeout=120
    )


def error_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    """What a person reads on stderr: not the JSON log lines written off a terminal."""
    return [line for line in result.stderr.splitlines() if line.strip() and not line.startswith('{"time"')]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["search", "--from", "soon"], "error: Invalid value for '--from'"),
        (["harvest", "--bogus"], "error: No such option: --bogus (see "),
        (["frobnicate"], "error: No such command 'frobnicate'"),
        (["search", "--from", "1900", "--to", "1800"], "error: --from (1900) is after --to (1800); swap them"),
        (["quality", "--museum", "UNKNOWN"], "error: unknown museum id 'UNKNOWN'; known: kz-central-state-museum"),
        (["search", "--filter", "region"], "error: filter 'region' is not NAME=VALUE"),
    ],
)
def test_usage_errors_are_one_line_without_a_traceback(env: dict[str, str], args: list[str], expected: str) -> None:
    result = emuseum(env, *args)
    assert result.returncode != 0
    lines = error_lines(result)
    assert len(lines) == 1 and lines[0].startswith(expected), result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_filter_value_is_warned_and_the_search_still_runs(env: dict[str, str]) -> None:
    filters = ["--filter", "material=woood", "--filter", "region=KZ-99", "--filter", "material=серебро"]
    result = emuseum(env, "search", *filters)
    assert result.returncode == 0 and result.stdout.startswith("0 records")
    warnings = [line for line in error_lines(result) if line.startswith("warning:")]
    assert warnings == [
        "warning: material 'woood' is not in the vocabulary; matched as a museum's own term",
        "warning: 'KZ-99' is not an ISO 3166-2:KZ region code (e.g. KZ-75)",
    ]  # серебро is the concept silver: no warning


def test_map_findings_are_never_wrapped_inside_a_path(env: dict[str, str], tmp_path: Path) -> None:
    deep = tmp_path / ("a-rather-long-folder-name-" * 4) / "export.xml"
    deep.parent.mkdir(parents=True)
    deep.write_bytes(yurt_glb())  # not XML at all: one finding naming the file
    result = emuseum({**env, "COLUMNS": "40"}, "map", str(deep), "--format", "lido")
    assert result.returncode != 0
    assert any(str(deep.name) in line for line in error_lines(result)), result.stderr
    assert all(len(line) > 40 for line in error_lines(result))  # one long line, not wrapped at 40 columns


UNMAPPABLE = (
    b'<lido:lidoWrap xmlns:lido="http://www.lido-schema.org"><lido:lido>'
    b"<lido:lidoRecID>x-1</lido:lidoRecID></lido:lido></lido:lidoWrap>"
)
FIND = (
    '<lido:lidoWrap xmlns:lido="http://www.lido-schema.org"><lido:lido>'
    "<lido:lidoRecID>ro-7</lido:lidoRecID>"
    '<lido:descriptiveMetadata xml:lang="ro"><lido:objectClassificationWrap><lido:objectWorkTypeWrap>'
    "<lido:objectWorkType><lido:term>Colier</lido:term></lido:objectWorkType></lido:objectWorkTypeWrap>"
    "</lido:objectClassificationWrap><lido:objectIdentificationWrap><lido:titleWrap><lido:titleSet>"
    "<lido:appellationValue>Colier</lido:appellationValue></lido:titleSet></lido:titleWrap>"
    "<lido:displayStateEditionWrap><lido:displayState>bună</lido:displayState></lido:displayStateEditionWrap>"
    "</lido:objectIdentificationWrap><lido:eventWrap><lido:eventSet><lido:event>"
    '<lido:eventType><lido:term xml:lang="en">Finding</lido:term></lido:eventType>'
    "<lido:eventActor><lido:actorInRole><lido:actor><lido:nameActorSet><lido:appellationValue>Ionescu Maria"
    "</lido:appellationValue></lido:nameActorSet></lido:actor></lido:actorInRole></lido:eventActor>"
    "<lido:eventPlace><lido:place><lido:namePlaceSet><lido:appellationValue>Movila</lido:appellationValue>"
    "</lido:namePlaceSet><lido:partOfPlace><lido:namePlaceSet><lido:appellationValue>Tulcea"
    "</lido:appellationValue></lido:namePlaceSet></lido:partOfPlace></lido:place></lido:eventPlace>"
    "</lido:event></lido:eventSet></lido:eventWrap></lido:descriptiveMetadata></lido:lido></lido:lidoWrap>"
).encode()


@pytest.mark.parametrize("to", ["json", "lido", "jsonld", "turtle"])
def test_map_fails_in_every_output_when_no_record_can_be_mapped(env: dict[str, str], tmp_path: Path, to: str) -> None:
    path = tmp_path / "export.xml"
    path.write_bytes(UNMAPPABLE)
    result = emuseum(env, "map", str(path), "--to", to)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = error_lines(result)
    assert lines[-1] == "error: no record of export.xml could be mapped (1 finding(s) above)"
    assert "record x-1" in lines[0] and "Traceback" not in result.stderr


def test_map_explain_names_each_values_source_element_and_what_was_not_used(
    env: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "find.xml"
    path.write_bytes(FIND)
    result = emuseum(env, "map", str(path), "--explain")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    event = "descriptiveMetadata/eventWrap/eventSet/event"
    assert "  events[0].actors: Ionescu Maria" in lines
    assert lines[lines.index("  events[0].actors: Ionescu Maria") + 1] == (
        f"      <- {event}/eventActor/actorInRole"
    )
    assert "  events[0].places: Movila < Tulcea" in lines
    not_used = lines.index("  not used by the catalogue:")
    state = "descriptiveMetadata/objectIdentificationWrap/displayStateEditionWrap"
    assert f"      {state}" in lines[not_used:]
    as_json = emuseum(env, "map", str(path), "--explain", "--to", "json")
    (record,) = json.loads(as_json.stdout)
    fields = {f["field"]: f for f in record["fields"]}
    assert fields["events[0].type"]["value"].startswith("Finding")
    assert fields["titles"]["sources"] == [
        "descriptiveMetadata/objectIdentificationWrap/titleWrap/titleSet/appellationValue"
    ]
    wrong = emuseum(env, "map", str(path), "--explain", "--to", "turtle")
    assert wrong.returncode != 0 and "use it alone or with --to json" in wrong.stderr
