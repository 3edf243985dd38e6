"""The controlled values LIDO data uses in the wild, and what they mean to us.

Three spellings of the same concept circulate (FACTS §1.4): legacy path URIs
(``.../eventType/production``), opaque LIDO 1.1 IDs (``lido00007``) and free
text in whatever language the cataloguer spoke.  Every decision a mapping
makes on such a value (is this the production event? a material or a
technique? a thumbnail?) goes through one function here, so that a new
spelling found in a museum's export is added in one place.

IDs without a published label were read off the real examples in
/work/shared/data/lido-real: ``lido00132`` on woods and ivory and
``lido00131`` on engraving (material / technique), ``lido00513``/``lido00514``
on oil tempera and poplar (medium / support, both materials), ``lido00479`` on
colour names (not a material), ``lido00451`` on 350-px copies next to
``lido00464`` 1200-px copies (preview / provided image), ``lido00163`` on
people and ``lido00413`` on an institution, ``lido00475``/``lido01017`` on the
repository holding the inventory number and ``lido01019`` on former ones.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

__all__ = [
    "EventKind",
    "MaterialsTechKind",
    "actor_kind",
    "canonical_measurement_type",
    "canonical_unit",
    "event_kind",
    "is_former_repository",
    "is_current_repository",
    "is_inventory_number_type",
    "is_placeholder",
    "is_thumbnail_representation",
    "materials_tech_kind",
    "normalise_lang",
    "pref_is_preferred",
]

_LIDO_ID = re.compile(r"lido(\d{5})\b")


def _lido_ids(values: list[str]) -> set[str]:
    found: set[str] = set()
    for value in values:
        found.update(_LIDO_ID.findall(value))
    return found


def _fold(text: str) -> str:
    """Case- and accent-insensitive key, so 'Hergestellt', 'hergestellt ' and 'HERGESTELLT' meet."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


# --------------------------------------------------------------------------- language

_ISO639_2_TO_1 = {
    "ara": "ar",
    "aze": "az",
    "bel": "be",
    "bul": "bg",
    "ces": "cs",
    "cze": "cs",
    "chi": "zh",
    "zho": "zh",
    "dan": "da",
    "deu": "de",
    "ger": "de",
    "dut": "nl",
    "nld": "nl",
    "ell": "el",
    "gre": "el",
    "eng": "en",
    "est": "et",
    "fas": "fa",
    "per": "fa",
    "fin": "fi",
    "fra": "fr",
    "fre": "fr",
    "geo": "ka",
    "kat": "ka",
    "heb": "he",
    "hin": "hi",
    "hrv": "hr",
    "hun": "hu",
    "arm": "hy",
    "hye": "hy",
    "ita": "it",
    "jpn": "ja",
    "kaz": "kk",
    "kir": "ky",
    "kor": "ko",
    "lat": "la",
    "lav": "lv",
    "lit": "lt",
    "mon": "mn",
    "nor": "no",
    "pol": "pl",
    "por": "pt",
    "ron": "ro",
    "rum": "ro",
    "rus": "ru",
    "slk": "sk",
    "slo": "sk",
    "slv": "sl",
    "spa": "es",
    "srp": "sr",
    "swe": "sv",
    "tat": "tt",
    "tgk": "tg",
    "tuk": "tk",
    "tur": "tr",
    "uig": "ug",
    "ukr": "uk",
    "urd": "ur",
    "uzb": "uz",
    "vie": "vi",
}

# Exporters that write the language's name instead of its code.
_LANGUAGE_NAMES = {
    "deutsch": "de",
    "german": "de",
    "allemand": "de",
    "немецкий": "de",
    "english": "en",
    "englisch": "en",
    "английский": "en",
    "ағылшын": "en",
    "russian": "ru",
    "russisch": "ru",
    "русский": "ru",
    "орыс": "ru",
    "орысша": "ru",
    "kazakh": "kk",
    "kasachisch": "kk",
    "казахский": "kk",
    "қазақ": "kk",
    "қазақша": "kk",
    "qazaq": "kk",
    "qazaqsha": "kk",
    "french": "fr",
    "français": "fr",
    "francais": "fr",
    "französisch": "fr",
    "italian": "it",
    "italiano": "it",
    "italienisch": "it",
}

_LANG_TAG = re.compile(r"^([a-z]{2,3})(?:-([a-z]{4}))?(?:-[a-z0-9]{1,8})*$")


def normalise_lang(code: str | None) -> str | None:
    """ISO 639-1 where one exists, lowercase; names of languages read as their code.

    Returns None for a missing/blank value (the caller inherits a default) and
    ``und`` for a value that is present but means nothing.  A script subtag is
    kept (``kk-latn``) because Kazakh is written in two scripts.
    """
    if code is None:
        return None
    raw = code.strip().casefold().replace("_", "-")
    if not raw:
        return None
    if raw in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[raw]
    match = _LANG_TAG.match(raw)
    if not match:
        return "und"
    primary, script = match.group(1), match.group(2)
    primary = _ISO639_2_TO_1.get(primary, primary)
    return f"{primary}-{script}" if script else primary


# --------------------------------------------------------------------------- lido:pref

_PREFERRED = {"preferred", "pref", "bevorzugt", "true", "yes", "1"}


def pref_is_preferred(pref: str | None) -> bool:
    """``preferred`` and lido00169 are preferred; alternate/alternative/lido00170/00526 are not."""
    if not pref:
        return False
    value = pref.strip()
    ids = _lido_ids([value])
    if ids:
        return "00169" in ids
    return _fold(value) in _PREFERRED


# --------------------------------------------------------------------------- events


class EventKind(StrEnum):
    """How strongly an event stands for the object's making."""

    PRODUCTION = "production"
    CREATION = "creation"
    CREATION_LIKE = "creation_like"  # design, drawing, photographing: makers, but second choice
    UNSPECIFIED = "unspecified"  # "Event (non-specified)", untyped or unrecognised type
    OTHER = "other"  # acquisition, restoration, provenance, ...: known not to be the making


_PRODUCTION_IDS = {"00007"}
_CREATION_IDS = {"00012"}
_CREATION_LIKE_IDS = {"00224", "00030", "00031", "00032", "00484", "00486", "01127"}
_OTHER_IDS = {
    "00001",
    "00002",
    "00006",
    "00008",
    "00010",
    "00021",
    "00023",
    "00024",
    "00027",
    "00029",
    "00034",
    "00225",
    "00226",
    "00228",
    "00401",
    "00485",
    "01146",
}
_OTHER_PATHS = (
    "/eventtype/acquisition",
    "/eventtype/publication",
    "/eventtype/use",
    "/eventtype/exhibition",
    "/eventtype/provenance",
    "/eventtype/restoration",
    "/eventtype/collecting",
    "/eventtype/finding",
    "/eventtype/modification",
    "/eventtype/destruction",
    "/eventtype/commissioning",
)
_PRODUCTION_WORDS = {
    "production",
    "produktion",
    "herstellung",
    "hergestellt",
    "fabrication",
    "produzione",
    "produccion",
    "manufacture",
    "manufacturing",
    "made",
    "изготовление",
    "изготовлен",
    "изготовлено",
    "производство",
    "произведено",
    "жасалған",
    "жасалуы",
    "жасау",
    "дайындалған",
    "өндіріс",
    "өндірілген",
    "shygarylgan",
    "jasalgan",
}
_CREATION_WORDS = {
    "creation",
    "created",
    "entstehung",
    "entstanden",
    "schöpfung",
    "erschaffung",
    "gezeichnet",
    "gemalt",
    "verfasst",
    "geschrieben",
    "drawn",
    "painted",
    "written",
    "создание",
    "создан",
    "создано",
    "написано",
    "нарисовано",
    "жасалу",
    "құрастырылған",
    "салынған",
    "жазылған",
    "творение",
}
_CREATION_LIKE_WORDS = {
    "design",
    "designing",
    "entwurf",
    "entworfen",
    "gestaltung",
    "проектирование",
    "эскиз",
    "fotografische aufnahme",
    "aufgenommen",
    "aufnahme",
    "photographing",
    "photography",
    "фотосъемка",
    "фотосъёмка",
    "суретке түсіру",
    "druck",
    "gedruckt",
    "printing",
    "printed",
    "гравирование",
    "печать",
}
_OTHER_WORDS = {
    "acquisition",
    "erwerb",
    "erwerbung",
    "ankauf",
    "kauf",
    "schenkung",
    "provenance",
    "provenienz",
    "herkunft",
    "restoration",
    "restaurierung",
    "konservierung",
    "exhibition",
    "ausstellung",
    "use",
    "gebrauch",
    "benutzung",
    "publication",
    "veröffentlichung",
    "publikation",
    "publishing",
    "commissioning",
    "beauftragt",
    "auftrag",
    "finding",
    "fund",
    "gefunden",
    "collecting",
    "sammeln",
    "gesammelt",
    "zuordnung zu einem kuratierten bestand",
    "destruction",
    "zerstörung",
    "приобретение",
    "поступление",
    "провенанс",
    "реставрация",
    "выставка",
    "использование",
    "публикация",
    "находка",
    "сатып алу",
    "түсуі",
    "қалпына келтіру",
    "көрме",
    "пайдалану",
}


def _folded_set(words: set[str]) -> frozenset[str]:
    return frozenset(_fold(w) for w in words)


_F_PRODUCTION = _folded_set(_PRODUCTION_WORDS)
_F_CREATION = _folded_set(_CREATION_WORDS)
_F_CREATION_LIKE = _folded_set(_CREATION_LIKE_WORDS)
_F_OTHER = _folded_set(_OTHER_WORDS)


def event_kind(uris: list[str], labels: list[str]) -> EventKind:
    """Classify an event by its type's URIs (both families) and labels (any language)."""
    ids = _lido_ids(uris)
    paths = " ".join(u.casefold() for u in uris)
    if ids & _PRODUCTION_IDS or "/eventtype/production" in paths:
        return EventKind.PRODUCTION
    if ids & _CREATION_IDS or "/eventtype/creation" in paths:
        return EventKind.CREATION
    folded = {_fold(label) for label in labels if label.strip()}
    if folded & _F_PRODUCTION:
        return EventKind.PRODUCTION
    if folded & _F_CREATION:
        return EventKind.CREATION
    if ids & _CREATION_LIKE_IDS or "/eventtype/design" in paths or folded & _F_CREATION_LIKE:
        return EventKind.CREATION_LIKE
    if ids & _OTHER_IDS or any(p in paths for p in _OTHER_PATHS) or folded & _F_OTHER:
        return EventKind.OTHER
    return EventKind.UNSPECIFIED


# --------------------------------------------------------------------------- materials


class MaterialsTechKind(StrEnum):
    MATERIAL = "material"
    TECHNIQUE = "technique"
    IGNORED = "ignored"  # colour, mark, ...: typed, but neither


_TECHNIQUE_IDS = {"00131"}
_MATERIAL_IDS = {"00132", "00513", "00514", "00515"}
_IGNORED_IDS = {"00479"}
_TECHNIQUE_WORDS = ("techni", "technik", "техник", "method", "verfahren", "способ", "әдіс")
_MATERIAL_WORDS = ("material", "материал", "stoff", "medium", "support", "träger", "матер")
_IGNORED_WORDS = ("colour", "color", "farbe", "цвет", "түс")


def materials_tech_kind(type_value: str | None) -> MaterialsTechKind:
    """termMaterialsTech/@type: legacy URI, lidoNNNNN or free text; untyped means material."""
    if not type_value or not type_value.strip():
        return MaterialsTechKind.MATERIAL
    ids = _lido_ids([type_value])
    if ids & _TECHNIQUE_IDS:
        return MaterialsTechKind.TECHNIQUE
    if ids & _MATERIAL_IDS:
        return MaterialsTechKind.MATERIAL
    if ids & _IGNORED_IDS:
        return MaterialsTechKind.IGNORED
    folded = _fold(type_value)
    if any(w in folded for w in _TECHNIQUE_WORDS):
        return MaterialsTechKind.TECHNIQUE
    if any(w in folded for w in _IGNORED_WORDS):
        return MaterialsTechKind.IGNORED
    return MaterialsTechKind.MATERIAL


# --------------------------------------------------------------------------- actors

_PERSON_IDS = {"00163"}
_ORGANIZATION_IDS = {"00413"}
_PERSON_WORDS = {"person", "personne", "persona", "человек", "лицо", "тұлға", "individual"}
_ORGANIZATION_WORDS = {
    "organization",
    "organisation",
    "corporation",
    "corporate body",
    "körperschaft",
    "institution",
    "group",
    "gruppe",
    "firma",
    "company",
    "организация",
    "ұйым",
}


def actor_kind(type_value: str | None) -> str | None:
    """actor/@type to "person" / "organization" (legacy URIs, lidoNNNNN, free text)."""
    if not type_value or not type_value.strip():
        return None
    ids = _lido_ids([type_value])
    if ids & _PERSON_IDS:
        return "person"
    if ids & _ORGANIZATION_IDS:
        return "organization"
    folded = _fold(type_value)
    last = folded.rstrip("/").rsplit("/", 1)[-1]
    if last in _PERSON_WORDS or folded in _PERSON_WORDS:
        return "person"
    if last in _ORGANIZATION_WORDS or folded in _ORGANIZATION_WORDS:
        return "organization"
    return None


# --------------------------------------------------------------------------- repository


def is_current_repository(type_value: str | None) -> bool:
    if not type_value:
        return False
    ids = _lido_ids([type_value])
    if ids:
        return bool(ids & {"00475", "01017"})
    folded = _fold(type_value)
    return "current" in folded or "aktuell" in folded or "текущ" in folded


def is_former_repository(type_value: str | None) -> bool:
    if not type_value:
        return False
    ids = _lido_ids([type_value])
    if ids:
        return "01019" in ids
    folded = _fold(type_value)
    return any(w in folded for w in ("former", "früher", "ehemalig", "прежн", "бывш"))


def is_inventory_number_type(type_value: str | None) -> bool:
    """workID/@type naming an inventory number (lido00113 or free text in any case)."""
    if not type_value:
        return False
    if "00113" in _lido_ids([type_value]):
        return True
    folded = _fold(type_value)
    return any(w in folded for w in ("invent", "инвент", "accession", "inv.", "inv-nr", "түгендеу"))


# --------------------------------------------------------------------------- resources

_THUMBNAIL_IDS = {"00451"}
_FULL_IDS = {"00464"}


def is_thumbnail_representation(type_value: str | None) -> bool:
    """resourceRepresentation/@type: thumb/preview (free text, legacy, lido00451) are thumbnails."""
    if not type_value:
        return False
    ids = _lido_ids([type_value])
    if ids & _THUMBNAIL_IDS:
        return True
    if ids & _FULL_IDS:
        return False
    folded = _fold(type_value)
    return "thumb" in folded or "preview" in folded or "vorschau" in folded or "миниатюр" in folded


# --------------------------------------------------------------------------- values

_PLACEHOLDER = re.compile(r"^[\s?!.\-–—_/*#]*$")


def is_placeholder(text: str) -> bool:
    """'?', '-', '...' and the like: a cataloguer's 'unknown', not a value."""
    return bool(_PLACEHOLDER.match(text))


_MEASUREMENT_TYPES = {
    "height": "height",
    "höhe": "height",
    "hoehe": "height",
    "высота": "height",
    "биіктігі": "height",
    "биіктік": "height",
    "hauteur": "height",
    "altezza": "height",
    "width": "width",
    "breite": "width",
    "ширина": "width",
    "ені": "width",
    "ен": "width",
    "largeur": "width",
    "larghezza": "width",
    "depth": "depth",
    "tiefe": "depth",
    "глубина": "depth",
    "тереңдігі": "depth",
    "length": "length",
    "länge": "length",
    "laenge": "length",
    "длина": "length",
    "ұзындығы": "length",
    "ұзындық": "length",
    "diameter": "diameter",
    "durchmesser": "diameter",
    "диаметр": "diameter",
    "diamètre": "diameter",
    "weight": "weight",
    "gewicht": "weight",
    "вес": "weight",
    "масса": "weight",
    "салмағы": "weight",
    "салмақ": "weight",
    "poids": "weight",
    "peso": "weight",
    "thickness": "thickness",
    "stärke": "thickness",
    "dicke": "thickness",
    "толщина": "thickness",
    "orientation": "orientation",
    "stempelstellung": "orientation",
}

_UNITS = {
    "cm": "cm",
    "centimetre": "cm",
    "centimeter": "cm",
    "zentimeter": "cm",
    "см": "cm",
    "сантиметр": "cm",
    "mm": "mm",
    "millimetre": "mm",
    "millimeter": "mm",
    "мм": "mm",
    "миллиметр": "mm",
    "m": "m",
    "metre": "m",
    "meter": "m",
    "м": "m",
    "метр": "m",
    "g": "g",
    "gram": "g",
    "gramm": "g",
    "gramme": "g",
    "г": "g",
    "гр": "g",
    "грамм": "g",
    "kg": "kg",
    "kilogram": "kg",
    "kilogramm": "kg",
    "кг": "kg",
    "килограмм": "kg",
    "in": "in",
    "inch": "in",
    "inches": "in",
    "px": "px",
    "pixel": "px",
    "pixels": "px",
}


_F_MEASUREMENT_TYPES = {_fold(k): v for k, v in _MEASUREMENT_TYPES.items()}
_F_UNITS = {_fold(k): v for k, v in _UNITS.items()}


def canonical_measurement_type(labels: list[str]) -> str | None:
    """English key (height, width, ...) when any label is a known name; else the first label."""
    for label in labels:
        key = _F_MEASUREMENT_TYPES.get(_fold(label))
        if key:
            return key
    return labels[0] if labels else None


def canonical_unit(labels: list[str]) -> str | None:
    """Unit symbol (cm, mm, g, ...) when any label is a known unit; else the first label."""
    for label in labels:
        unit = _F_UNITS.get(_fold(label).rstrip("."))
        if unit:
            return unit
    return labels[0] if labels else None
