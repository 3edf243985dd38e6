"""Specification of the word tables the mappings read from packaged data files.

A word table is reviewed like code and versioned like a mapping: a changed
table changes how records are read, so the stored records must be re-mapped.
These tests pin each file's content to its ``version`` so that an edit cannot
slip in without a decision about versions.
"""

from __future__ import annotations

import hashlib

import pytest

from mappings.data_files import DataFileError, data_path, load_yaml, mapping_of, strings_of, version_of
from mappings.date_tokens import DATE_WORDS_VERSION
from mappings.lido_terms import LIDO_TERMS_VERSION
from mappings.vocabulary import VOCABULARY_VERSION

#: file under mappings/ -> (its version key, sha256 of its bytes).  When a test
#: below fails: if the edit changes how any record is read, bump the file's
#: version and the MAPPING_VERSION of the mappings named in its header; then
#: put the new digest here.
PINNED = {
    "data/date_words.yaml": ("date-words/1", "6485d0a5197cd5dc6e79b67cefbeffcb2889bf70764a4cf1634220d9f875aed7"),
    "vocabulary/terms.yaml": ("vocab/1", "d8e3c276152b35ee7d48eb840d1f8f58ccff8489c723ad554835750f9c11d2a0"),
    "data/lido_terms.yaml": ("lido-terms/1", "4b8e649a805f6053517cc08f22ec61fadbd136cccce272bbe4d308eea171f6b5"),
}


@pytest.mark.parametrize("relative", sorted(PINNED))
def test_a_data_file_changes_only_together_with_its_version(relative: str) -> None:
    version, digest = PINNED[relative]
    table = load_yaml(relative)
    assert version_of(table, relative) == version
    actual = hashlib.sha256(data_path(relative).read_bytes()).hexdigest()
    assert actual == digest, f"{relative} changed: decide on its version (see PINNED), then pin {actual}"


@pytest.mark.parametrize("relative", sorted(PINNED))
def test_a_data_file_says_what_it_holds_before_anything_else(relative: str) -> None:
    first_line = data_path(relative).read_text("utf-8").splitlines()[0]
    assert first_line.startswith("# ")


def test_the_readers_report_the_version_of_the_tables_they_loaded() -> None:
    assert DATE_WORDS_VERSION == PINNED["data/date_words.yaml"][0]
    assert LIDO_TERMS_VERSION == PINNED["data/lido_terms.yaml"][0]
    assert VOCABULARY_VERSION == PINNED["vocabulary/terms.yaml"][0]


def test_a_table_of_the_wrong_shape_is_refused_with_its_place_named() -> None:
    with pytest.raises(DataFileError, match=r"date_words.yaml: months"):
        mapping_of(["january"], "date_words.yaml: months")
    with pytest.raises(DataFileError, match=r"exact_words.century"):
        strings_of(["в", 7], "exact_words.century")
    with pytest.raises(DataFileError, match="version"):
        version_of({"months": {}}, "date_words.yaml")
