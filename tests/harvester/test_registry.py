"""The museum registry and schedule are checked up front, with errors naming file, museum and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.errors import ConfigError
from config.registry import CsvSource, OaiSource, load_registry
from config.schedules import load_schedule
from config.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]

GOOD = """
museums:
  - id: kz-central-state-museum
    name: {kk: "Орталық мемлекеттік музей", ru: "Центральный государственный музей", en: "Central State Museum"}
    region: KZ-75
    city: Almaty
    source: {type: oai-pmh, url: "http://127.0.0.1:9/oai", metadata_prefix: lido, set: null}
  - id: kz-otrar-reserve
    name: {ru: "Отрар"}
    region: KZ-61
    source: {type: csv, url: "file:///tmp/otrar.csv", profile: generic, encoding: auto}
"""


def _write(tmp_path: Path, text: str, name: str = "museums.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_registry_loads_into_typed_sources(tmp_path: Path) -> None:
    registry = load_registry(_write(tmp_path, GOOD))
    assert registry.ids() == ["kz-central-state-museum", "kz-otrar-reserve"]
    assert isinstance(registry.museums[0].source, OaiSource)
    assert isinstance(registry.museums[1].source, CsvSource)
    assert registry.get("kz-otrar-reserve").display_name("en") == "Отрар"


def test_an_unknown_region_is_reported_with_file_museum_and_field(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("KZ-61", "KZ-YUZ"))
    with pytest.raises(ConfigError) as err:
        load_registry(path)
    message = str(err.value)
    assert (
        str(path) in message and "museum kz-otrar-reserve" in message and "field region" in message
    )
    assert "KZ-YUZ" in message


def test_a_bad_source_field_names_the_museum(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace('url: "http://127.0.0.1:9/oai"', 'url: "ftp://x"'))
    with pytest.raises(
        ConfigError, match=r"museum kz-central-state-museum, field source.oai-pmh.url"
    ):
        load_registry(path)


def test_duplicate_museum_ids_and_bad_ids_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="appears twice"):
        load_registry(_write(tmp_path, GOOD.replace("kz-otrar-reserve", "kz-central-state-museum")))
    with pytest.raises(ConfigError, match="field id"):
        load_registry(_write(tmp_path, GOOD.replace("kz-otrar-reserve", "KZ Otrar")))


def test_broken_yaml_and_missing_file_say_so(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_registry(_write(tmp_path, "museums: [unclosed"))
    with pytest.raises(ConfigError, match="file not found"):
        load_registry(tmp_path / "absent.yaml")


def test_a_schedule_naming_an_unknown_museum_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    _write(tmp_path, GOOD)
    _write(
        tmp_path,
        "jobs:\n  - {name: nightly, cron: '30 1 * * *', museums: [kz-otrar-reserve, kz-nowhere]}\n",
        "schedules.yaml",
    )
    settings = load_settings(tmp_path)
    assert settings.warnings == [
        "schedule job 'nightly' names museum 'kz-nowhere', which is not in the registry"
    ]


def test_a_bad_cron_expression_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "jobs:\n  - {name: nightly, cron: 'every night'}\n", "schedules.yaml")
    with pytest.raises(ConfigError, match="job nightly, field cron: .*crontab"):
        load_schedule(path)


def test_the_shipped_registry_and_schedule_are_valid() -> None:
    settings = load_settings(ROOT / "config")
    assert settings.registry.museums
    assert load_schedule(ROOT / "schedules.yaml").jobs


def test_an_unknown_museum_id_is_answered_with_the_museums_a_person_can_use(tmp_path: Path) -> None:
    small = load_registry(_write(tmp_path, GOOD))
    known = "known: kz-central-state-museum, kz-otrar-reserve"
    assert small.unknown(["kz-nowhere"]) == f"unknown museum id 'kz-nowhere'; {known}"

    # With the national registry's 252 museums, a typo gets the nearest ids, not a list of 252.
    museums = "".join(
        f'  - {{id: kz-museum-{n:03d}, name: {{ru: "Музей {n}"}}, region: KZ-75,'
        f' source: {{type: csv, url: "file:///tmp/{n}.csv", profile: generic}}}}\n'
        for n in range(252)
    )
    national = load_registry(_write(tmp_path, "museums:\n" + museums + GOOD.split("museums:\n", 1)[1]))
    assert national.unknown(["kz-central-state-musem"]) == (
        "unknown museum id 'kz-central-state-musem'; did you mean 'kz-central-state-museum'? "
        "`emuseum status` lists all 254"
    )
    assert national.unknown(["zzz", "kz-otrar"]).startswith(
        "unknown museum ids 'zzz', 'kz-otrar'; did you mean 'kz-otrar-reserve'?"
    )
    assert national.unknown(["zzz"]) == "unknown museum id 'zzz'; `emuseum status` lists all 254"
