"""The Getty AAT concepts the output classifies with, and the few local ones.

Linked Art expresses "this name is the primary one", "this text is a
description", "this dimension is a height" by classifying the node with an
AAT concept, so these ids are part of the profile, not a choice of ours.

Source of every id but one: cromulent 1.0.1's vocabulary data
(cromulent/data/vocab_classes.json and vocab_instances.json), which encodes
the Linked Art recommendations; the cromulent name is given for each, and
tests/mappings/test_crm_out.py checks them against the installed package.
"""

from __future__ import annotations

from mappings.crm_out.namespaces import AAT

__all__ = [
    "AAT_ACCESSION_NUMBER",
    "AAT_BRIEF_TEXT",
    "AAT_CREDIT_STATEMENT",
    "AAT_CULTURE",
    "AAT_DESCRIPTION",
    "AAT_DIGITAL_AUDIO",
    "AAT_DIGITAL_IMAGE",
    "AAT_DIMENSION_STATEMENT",
    "AAT_INSCRIPTION",
    "AAT_PRIMARY_NAME",
    "AAT_RIGHTS_STATEMENT",
    "AAT_WEB_PAGE",
    "AAT_WORK_TYPE",
    "DIMENSION_TYPES",
    "LOCAL_VOCAB",
    "STATEMENT_TYPES",
    "UNITS",
]


def _aat_id(number: str) -> str:
    return f"{AAT}{number}"


AAT_PRIMARY_NAME = _aat_id("300404670")  # vocab.PrimaryName "Primary Name"
AAT_ACCESSION_NUMBER = _aat_id("300312355")  # vocab.AccessionNumber
AAT_BRIEF_TEXT = _aat_id("300418049")  # instances["brief text"]: metatype of statements
AAT_DESCRIPTION = _aat_id("300435416")  # vocab.Description
AAT_INSCRIPTION = _aat_id("300435414")  # vocab.InscriptionStatement
AAT_DIMENSION_STATEMENT = _aat_id("300435430")  # vocab.DimensionStatement
AAT_RIGHTS_STATEMENT = _aat_id("300435434")  # vocab.RightsStatement "Copyright/License Statement"
AAT_CREDIT_STATEMENT = _aat_id("300026687")  # vocab.CreditStatement
AAT_WORK_TYPE = _aat_id("300435443")  # instances["work type"]: metatype of object types
AAT_DIGITAL_IMAGE = _aat_id("300215302")  # vocab.DigitalImage
AAT_DIGITAL_AUDIO = _aat_id("300312045")  # vocab.DigitalAudio
AAT_WEB_PAGE = _aat_id("300264578")  # vocab.WebPage
# Not in cromulent's data: "cultures (people)", the metatype Linked Art and
# Getty's own pipelines put on culture terms (seen in thegetty pipeline code
# and linkedart.js tests).
AAT_CULTURE = _aat_id("300055768")

#: Statement types (AAT id -> label); each is itself classified "brief text".
STATEMENT_TYPES: dict[str, str] = {
    AAT_DESCRIPTION: "Description",
    AAT_INSCRIPTION: "Inscription",
    AAT_DIMENSION_STATEMENT: "Dimension Statement",
    AAT_RIGHTS_STATEMENT: "Copyright/License Statement",
    AAT_CREDIT_STATEMENT: "Credit Statement",
}

#: Dimension types (lower-cased source value -> AAT id, label), cromulent
#: vocab.Height / Width / Depth / Diameter / Weight.
DIMENSION_TYPES: dict[str, tuple[str, str]] = {
    "height": (_aat_id("300055644"), "Height"),
    "высота": (_aat_id("300055644"), "Height"),
    "width": (_aat_id("300055647"), "Width"),
    "ширина": (_aat_id("300055647"), "Width"),
    "depth": (_aat_id("300072633"), "Depth"),
    "глубина": (_aat_id("300072633"), "Depth"),
    "diameter": (_aat_id("300055624"), "Diameter"),
    "диаметр": (_aat_id("300055624"), "Diameter"),
    "weight": (_aat_id("300056240"), "Weight"),
    "вес": (_aat_id("300056240"), "Weight"),
    "масса": (_aat_id("300056240"), "Weight"),
}

#: Measurement units (lower-cased, trailing dot dropped -> AAT id, label),
#: cromulent instances "mm", "cm", "meters", "grams", "kilograms", "inches".
UNITS: dict[str, tuple[str, str]] = {
    "mm": (_aat_id("300379097"), "millimeters"),
    "мм": (_aat_id("300379097"), "millimeters"),
    "cm": (_aat_id("300379098"), "centimeters"),
    "см": (_aat_id("300379098"), "centimeters"),
    "m": (_aat_id("300379099"), "meters"),
    "м": (_aat_id("300379099"), "meters"),
    "g": (_aat_id("300379225"), "grams"),
    "г": (_aat_id("300379225"), "grams"),
    "kg": (_aat_id("300379226"), "kilograms"),
    "кг": (_aat_id("300379226"), "kilograms"),
    "in": (_aat_id("300379100"), "inches"),
    "inch": (_aat_id("300379100"), "inches"),
    "inches": (_aat_id("300379100"), "inches"),
}

#: Concepts the catalogue needs but for which no AAT id was verified: they
#: live under ``{base}vocab/`` so nobody mistakes them for Getty's.
LOCAL_VOCAB: dict[str, str] = {
    "3d-model": "3D model",
    "video": "Video",
    "thumbnail": "Thumbnail",
    "virtual-tour": "Virtual tour",
}
