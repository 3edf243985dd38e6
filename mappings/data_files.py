"""Reading the word tables and vocabularies packaged with the mappings.

The tables are data a reviewer reads and a cataloguer extends, so they live in
YAML files next to the code (``mappings/data``, ``mappings/vocabulary``), and
the mappings stay pure: the only I/O is this read of a packaged file, once per
process.  A file that does not have the expected shape fails loudly, naming the
file and the key, because a silently empty table would quietly change how
every record is read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

__all__ = ["DataFileError", "data_path", "load_yaml", "mapping_of", "strings_of", "version_of"]

# A path next to this file rather than importlib.resources: an editable install
# can expose ``mappings`` as a namespace package, which resources.files() refuses.
_PACKAGE_DIR = Path(__file__).resolve().parent

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DataFileError(ValueError):
    """A packaged data file is missing a key or has a value of the wrong shape."""


def data_path(relative: str) -> Path:
    """The packaged file at ``relative`` (e.g. ``data/date_words.yaml``) under ``mappings/``."""
    return _PACKAGE_DIR / relative


def load_yaml(relative: str) -> dict[str, Any]:
    """The top-level mapping of a packaged YAML file."""
    path = data_path(relative)
    with path.open(encoding="utf-8") as stream:
        loaded = yaml.load(stream, Loader=_Loader)
    return mapping_of(loaded, relative)


def mapping_of(value: object, where: str) -> dict[str, Any]:
    """``value`` as a mapping with string keys; ``where`` names it in the error."""
    if not isinstance(value, dict):
        raise DataFileError(f"{where}: expected a mapping, found {type(value).__name__}")
    return {str(key): item for key, item in value.items()}


def strings_of(value: object, where: str) -> list[str]:
    """``value`` as a list of non-empty strings; ``where`` names it in the error."""
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise DataFileError(f"{where}: expected a list of non-empty strings")
    return list(value)


def version_of(table: dict[str, Any], where: str) -> str:
    """The file's ``version`` key, which the mapping versions of its readers follow."""
    version = table.get("version")
    if not isinstance(version, str) or not version:
        raise DataFileError(f"{where}: expected a 'version' string")
    return version
