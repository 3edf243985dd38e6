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
from mappings.event_types import EVENT_TYPES_VERSION
from mappings.lido_terms import LIDO_TERMS_VERSION
from mappings.vocabulary import VOCABULARY_VERSION

#: file under mappings/ -> (its version key, sha256 of its bytes).  When a test
#: below fails: if the edit changes how any record is read, bump the file's
#: version and the MAPPING_VERSION of the mappings named in its header; then
#: put the new digest here.
PINNED = {
    "data/date_words.yaml": ("date-words/1", "6485d0a5197cd5dc6e79b67cefbeffcb2889bf70764a4cf1634220d9f875aed7"),
    "data/lido_terms.yaml": ("lido-terms/2", "0474c5ff1673f586c010777a32604fb380783aceb40be47b3f3b9ffd66cd9659"),
    "data/event_types.yaml": ("event-types/1", "9cbee13985310ff2a09bf785784f173309cab5c12afaa1a5d880e3b02eb9c978"),
}

#: The concept vocabulary: one version for all its files (VOCABULARY_VERSION in mappings/vocabulary.py).
VOCABULARY = (
    "vocab/2",
    {
        "vocabulary/classifications.yaml": "a51ffe15e11782d018ca1f13ecc29cde88411fbea5c8684c068dd1c6061e8fd6",
        "vocabulary/cultures.yaml": "2f31f782e25ba36abd72a734221a652de3eb955f944461ebdea314b6d46db51b",
        "vocabulary/display.yaml": "2c96d21b4a48f50a11e3543f986c583751316f2470b46a350c7ec0da7f7e3676",
        "vocabulary/materials.yaml": "d83bb7318927b8126446d9b501dafdb0dc35c377071e9acfadf37f13dca52531",
        "vocabulary/object_types.yaml": "e6abe2778c3af9f97e676343313e498c79a243f58a432d9635ff7829d54a6399",
        "vocabulary/places.yaml": "400d705d9382a6a61884b0f9199a10753a3dda6aa9b9c089829de0c9f4efcfdc",
        "vocabulary/subjects.yaml": "c1e7c1846eb5f1b0f56e54d94a2bb6db52a6d505ea98aac42c0ca0a7da40f44f",
        "vocabulary/techniques.yaml": "bbd5ec17842f16c48b1638c047de8aba676250a388eb8d32c544fa1a2fc4e54e",
    },
)


@pytest.mark.parametrize("relative", sorted(VOCABULARY[1]))
def test_a_vocabulary_file_changes_only_together_with_the_vocabulary_version(relative: str) -> None:
    version, digests = VOCABULARY
    assert VOCABULARY_VERSION == version
    actual = hashlib.sha256(data_path(relative).read_bytes()).hexdigest()
    assert actual == digests[relative], (
        f"{relative} changed: bump VOCABULARY_VERSION (stored records are then re-mapped), then pin {actual}"
    )


@pytest.mark.parametrize("relative", sorted(PINNED))
def test_a_data_file_changes_only_together_with_its_version(relative: str) -> None:
    version, digest = PINNED[relative]
    table = load_yaml(relative)
    assert version_of(table, relative) == version
    actual = hashlib.sha256(data_path(relative).read_bytes()).hexdigest()
    assert actual == digest, f"{relative} changed: decide on its version (see PINNED), then pin {actual}"


@pytest.mark.parametrize("relative", sorted([*PINNED, *VOCABULARY[1]]))
def test_a_data_file_says_what_it_holds_before_anything_else(relative: str) -> None:
    first_line = data_path(relative).read_text("utf-8").splitlines()[0]
    assert first_line.startswith("# ")


def test_the_readers_report_the_version_of_the_tables_they_loaded() -> None:
    assert DATE_WORDS_VERSION == PINNED["data/date_words.yaml"][0]
    assert LIDO_TERMS_VERSION == PINNED["data/lido_terms.yaml"][0]
    assert EVENT_TYPES_VERSION == PINNED["data/event_types.yaml"][0]


def test_a_table_of_the_wrong_shape_is_refused_with_its_place_named() -> None:
    with pytest.raises(DataFileError, match=r"date_words.yaml: months"):
        mapping_of(["january"], "date_words.yaml: months")
    with pytest.raises(DataFileError, match=r"exact_words.century"):
        strings_of(["в", 7], "exact_words.century")
    with pytest.raises(DataFileError, match="version"):
        version_of({"months": {}}, "date_words.yaml")
