"""Deterministic sample collections for the demo's museum endpoints.

The demo has to show the catalogue doing its real job, so the sample funds
look like real Kazakh funds: the same few object names over and over with
qualifiers (a fund holds forty «Кебеже», not forty unique things), Kazakh
titles in Cyrillic with the Kazakh letters, Russian as the working language
of the accounting books, dates written the way each tradition writes them
(«XIX ғ.», «XIX в.», «V-IV вв. до н.э.», «ca. 1920»), archaeology reaching
back to the Bronze Age, and places spread over all twenty regions.

Everything is derived from ``random.Random`` seeded with the museum id and the
seed, never from the clock or from ``hash()`` (salted per process), so the
same call yields the same bytes on every machine.  Apart from
:func:`write_csv` nothing here touches the disk or the network.

Artists, the copyist Mürseyit Bikeuly and the photographer Samuil Dudin are
real people with their real life dates; the titles given to their "works"
are generic genre titles, not claims about particular pieces.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final, TypeVar

from lxml import etree

from config.regions import REGIONS

__all__ = [
    "ACCOUNTING_HEADERS",
    "SAMPLE_MUSEUMS",
    "SampleObject",
    "generate_museum_objects",
    "to_accounting_row",
    "to_lido",
    "to_oai_dc",
    "write_csv",
]

Tri = tuple[str, str, str]  # (kk, ru, en)
Spec = tuple[Any, ...]  # a period, measurement or narrowing spec of the catalogue below
_T = TypeVar("_T")
_LANGS: Final = ("kk", "ru", "en")

# --------------------------------------------------------------------------- the object


@dataclass(slots=True)
class SampleObject:
    """One object of a sample fund, in the shape a museum system would hold it.

    ``titles``, ``object_type``, ``description`` and the ``*_labels`` fields
    are keyed by language (kk, ru, en); ``object_type`` may carry a ``uri``.
    ``date_display`` is the date as catalogued (one of ``date_labels``),
    ``earliest``/``latest`` are ISO years with astronomical numbering
    (500 BCE = ``-0499``).
    """

    museum_id: str
    local_id: str
    inventory_number: str
    titles: dict[str, str]
    object_type: dict[str, str]
    materials: list[dict[str, str]]
    techniques: list[dict[str, str]]
    date_display: str
    earliest: str
    latest: str
    creator: str | None
    creator_role: dict[str, str] | None
    place: str
    region: str
    description: dict[str, str]
    dimensions: str
    image_url: str | None
    model_url: str | None
    tour_url: str | None
    rights: str
    deleted: bool
    datestamp: datetime
    collection: dict[str, str] = field(default_factory=dict)
    subjects: list[dict[str, str]] = field(default_factory=list)
    culture: dict[str, str] | None = None
    date_labels: dict[str, str] = field(default_factory=dict)
    place_labels: dict[str, str] = field(default_factory=dict)
    creator_labels: dict[str, str] | None = None


# --------------------------------------------------------------------------- randomness


def _pick(rng: random.Random, items: Sequence[_T]) -> _T:
    """``rng.choice`` without its rejection sampling: a few times faster, equally stable."""
    return items[int(rng.random() * len(items))]


def _between(rng: random.Random, lo: int, hi: int) -> int:
    return lo + int(rng.random() * (hi - lo + 1))


# --------------------------------------------------------------------------- vocabularies


def _labels(tri: Tri) -> dict[str, str]:
    # a fresh dict per object: callers (the demo's update simulation) may edit them
    return {"kk": tri[0], "ru": tri[1], "en": tri[2]}


MATERIALS: Final[dict[str, Tri]] = {
    "wood": ("ағаш", "дерево", "wood"),
    "silver": ("күміс", "серебро", "silver"),
    "gold": ("алтын", "золото", "gold"),
    "leather": ("тері", "кожа", "leather"),
    "felt": ("киіз", "войлок", "felt"),
    "ceramic": ("қыш", "керамика", "ceramic"),
    "stone": ("тас", "камень", "stone"),
    "textile": ("мата", "ткань", "textile"),
    "bone": ("сүйек", "кость", "bone"),
    "wool": ("жүн", "шерсть", "wool"),
    "bronze": ("қола", "бронза", "bronze"),
    "copper": ("мыс", "медь", "copper"),
    "iron": ("темір", "железо", "iron"),
    "coral": ("маржан", "коралл", "coral"),
    "horsehair": ("жылқы қылы", "конский волос", "horsehair"),
    "velvet": ("барқыт", "бархат", "velvet"),
    "silk": ("жібек", "шёлк", "silk"),
    "feathers": ("үкі қауырсыны", "перья филина", "eagle-owl feathers"),
    "canvas": ("кенеп", "холст", "canvas"),
    "oil": ("майлы бояу", "масло", "oil paint"),
    "cardboard": ("картон", "картон", "cardboard"),
    "paper": ("қағаз", "бумага", "paper"),
    "watercolour": ("акварель", "акварель", "watercolour"),
    "ink": ("сия", "чернила", "ink"),
    "photo_paper": ("фотоқағаз", "фотобумага", "photographic paper"),
    "granite": ("гранит", "гранит", "granite"),
    "sandstone": ("құмтас", "песчаник", "sandstone"),
}

TECHNIQUES: Final[dict[str, Tri]] = {
    "carving": ("ою", "резьба", "carving"),
    "inlay": ("инкрустация", "инкрустация", "inlay"),
    "painting": ("сырлау", "роспись", "painting"),
    "casting": ("құю", "литьё", "casting"),
    "forging": ("соғу", "ковка", "forging"),
    "chasing": ("бедерлеу", "чеканка", "chasing"),
    "embossing": ("басып өрнектеу", "тиснение", "embossing"),
    "engraving": ("гравировка", "гравировка", "engraving"),
    "filigree": ("филигрань", "скань", "filigree"),
    "gilding": ("алтын жалату", "золочение", "gilding"),
    "niello": ("қаралау", "чернение", "niello"),
    "felting": ("киіз басу", "валяние", "felting"),
    "quilting": ("сырып тігу", "стёжка", "quilting"),
    "applique": ("аппликация", "аппликация", "appliqué"),
    "embroidery": ("кестелеу", "вышивка", "embroidery"),
    "weaving": ("тоқу", "ткачество", "weaving"),
    "braiding": ("өру", "плетение", "braiding"),
    "striking": ("теңге соғу", "чеканка монет", "striking"),
    "wheel": ("шарықта жасау", "гончарный круг", "wheel-throwing"),
    "modelling": ("қолмен илеу", "лепка", "hand-modelling"),
    "glazing": ("глазурьлеу", "глазурование", "glazing"),
    "stone_carving": ("тас қашау", "резьба по камню", "stone carving"),
    "pecking": ("қашап салу", "выбивка", "pecking"),
    "knapping": ("тас өңдеу", "обработка камня", "knapping"),
    "oil_painting": ("майлы бояумен салу", "масляная живопись", "oil painting"),
    "watercolour_painting": ("акварельмен салу", "акварель", "watercolour painting"),
    "photo_print": ("фотобасылым", "фотопечать", "photographic print"),
    "handwriting": ("қолмен жазу", "рукописный текст", "handwriting"),
    "calligraphy": ("каллиграфия", "каллиграфия", "calligraphy"),
}

COLLECTIONS: Final[dict[str, Tri]] = {
    "ethnography": ("Этнография", "Этнография", "Ethnography"),
    "textile": ("Киіз және тоқыма бұйымдар", "Войлок и ткани", "Felt and textiles"),
    "costume": ("Киім-кешек", "Одежда и головные уборы", "Costume"),
    "jewellery": ("Зергерлік бұйымдар", "Ювелирные изделия", "Jewellery"),
    "horse": ("Ат әбзелдері", "Конское снаряжение", "Horse equipment"),
    "music": ("Музыкалық аспаптар", "Музыкальные инструменты", "Musical instruments"),
    "archaeology": ("Археология", "Археология", "Archaeology"),
    "numismatics": ("Нумизматика", "Нумизматика", "Numismatics"),
    "painting": ("Кескіндеме", "Живопись", "Painting"),
    "photo": ("Фотоқұжаттар", "Фотодокументы", "Photographs"),
    "manuscripts": (
        "Қолжазбалар мен сирек кітаптар",
        "Рукописи и редкие книги",
        "Manuscripts and rare books",
    ),
}

#: Inventory series per collection, as accounting books number them.
_INVENTORY_SERIES: Final[dict[str, str]] = {
    "archaeology": "А",
    "numismatics": "Н",
    "painting": "Ж",
    "photo": "Ф",
    "manuscripts": "Р",
}

SUBJECTS: Final[dict[str, Tri]] = {
    "nomadic_life": ("Көшпелі тұрмыс", "Кочевой быт", "Nomadic life"),
    "yurt": ("Киіз үй", "Юрта", "Yurt"),
    "kumis": ("Қымыз", "Кумыс", "Kumis"),
    "music": ("Дәстүрлі музыка", "Традиционная музыка", "Traditional music"),
    "horse": ("Жылқы мәдениеті", "Культура коневодства", "Horse culture"),
    "jewellery": ("Зергерлік өнер", "Ювелирное искусство", "Jewellery art"),
    "costume": ("Ұлттық киім", "Национальная одежда", "Traditional dress"),
    "felt": ("Киіз өнері", "Войлочное искусство", "Felt art"),
    "wedding": ("Үйлену тойы", "Свадебный обряд", "Wedding customs"),
    "saka": ("Сақтар", "Саки", "Saka"),
    "animal_style": ("Аң стилі", "Звериный стиль", "Animal style"),
    "turkic": ("Түркі қағанаты", "Тюркский каганат", "Turkic Khaganate"),
    "rock_art": ("Жартас өнері", "Наскальное искусство", "Rock art"),
    "bronze_age": ("Қола дәуірі", "Бронзовый век", "Bronze Age"),
    "eneolithic": ("Энеолит", "Энеолит", "Eneolithic"),
    "medieval_towns": ("Ортағасырлық қалалар", "Средневековые города", "Medieval towns"),
    "silk_road": ("Ұлы Жібек жолы", "Великий Шёлковый путь", "Great Silk Road"),
    "golden_horde": ("Алтын Орда", "Золотая Орда", "Golden Horde"),
    "landscape": ("Пейзаж", "Пейзаж", "Landscape"),
    "portrait": ("Портрет", "Портрет", "Portrait"),
    "genre": ("Тұрмыстық жанр", "Бытовой жанр", "Genre scene"),
    "still_life": ("Натюрморт", "Натюрморт", "Still life"),
    "soviet": ("Кеңестік кезең", "Советский период", "Soviet period"),
    "architecture": ("Сәулет", "Архитектура", "Architecture"),
    "literature": ("Қазақ әдебиеті", "Казахская литература", "Kazakh literature"),
    "abai": ("Абай Құнанбайұлы", "Абай Кунанбаев", "Abai Kunanbayev"),
    "genealogy": ("Шежіре", "Родословие", "Genealogy"),
    "arabic_script": ("Араб жазуы", "Арабская графика", "Arabic script"),
}


@dataclass(frozen=True, slots=True)
class _Place:
    kk: str
    ru: str
    en: str
    region: str
    town: bool  # a settlement ethnographic objects can come from (not a bare site)


PLACES: Final[dict[str, _Place]] = {
    "almaty": _Place("Алматы", "Алматы", "Almaty", "KZ-75", True),
    "astana": _Place("Астана", "Астана", "Astana", "KZ-71", True),
    "shymkent": _Place("Шымкент", "Шымкент", "Shymkent", "KZ-79", True),
    "semey": _Place("Семей", "Семей", "Semey", "KZ-10", True),
    "zhidebai": _Place("Жидебай", "Жидебай", "Zhidebai", "KZ-10", True),
    "ayagoz": _Place("Аягөз", "Аягоз", "Ayagoz", "KZ-10", True),
    "kokshetau": _Place("Көкшетау", "Кокшетау", "Kokshetau", "KZ-11", True),
    "burabay": _Place("Бурабай", "Бурабай", "Burabay", "KZ-11", True),
    "aktobe": _Place("Ақтөбе", "Актобе", "Aktobe", "KZ-15", True),
    "irgiz": _Place("Ырғыз", "Иргиз", "Irgiz", "KZ-15", True),
    "tasty_butak": _Place("Тасты-Бұтақ", "Тасты-Бутак", "Tasty-Butak", "KZ-15", False),
    "konaev": _Place("Қонаев", "Конаев", "Konayev", "KZ-19", True),
    "esik": _Place("Есік", "Иссык", "Issyk", "KZ-19", False),
    "tamgaly": _Place("Тамғалы", "Тамгалы", "Tamgaly", "KZ-19", False),
    "atyrau": _Place("Атырау", "Атырау", "Atyrau", "KZ-23", True),
    "saraishyk": _Place("Сарайшық", "Сарайчик", "Saraishyk", "KZ-23", False),
    "oral": _Place("Орал", "Уральск", "Oral", "KZ-27", True),
    "zhympity": _Place("Жымпиты", "Жымпиты", "Zhympity", "KZ-27", True),
    "taraz": _Place("Тараз", "Тараз", "Taraz", "KZ-31", True),
    "akyrtas": _Place("Ақыртас", "Акыртас", "Akyrtas", "KZ-31", False),
    "merke": _Place("Мерке", "Мерке", "Merke", "KZ-31", True),
    "taldykorgan": _Place("Талдықорған", "Талдыкорган", "Taldykorgan", "KZ-33", True),
    "zharkent": _Place("Жаркент", "Жаркент", "Zharkent", "KZ-33", True),
    "eshkiolmes": _Place("Ешкіөлмес", "Ешкиольмес", "Eshkiolmes", "KZ-33", False),
    "karaganda": _Place("Қарағанды", "Караганда", "Karaganda", "KZ-35", True),
    "karkaraly": _Place("Қарқаралы", "Каркаралинск", "Karkaraly", "KZ-35", True),
    "begazy": _Place("Беғазы", "Бегазы", "Begazy", "KZ-35", False),
    "kostanay": _Place("Қостанай", "Костанай", "Kostanay", "KZ-39", True),
    "torgai": _Place("Торғай", "Тургай", "Torgai", "KZ-39", True),
    "alekseevka": _Place("Алексеевка", "Алексеевка", "Alekseevka", "KZ-39", False),
    "kyzylorda": _Place("Қызылорда", "Кызылорда", "Kyzylorda", "KZ-43", True),
    "syganak": _Place("Сығанақ", "Сыгнак", "Syganak", "KZ-43", False),
    "zhankent": _Place("Жанкент", "Джанкент", "Zhankent", "KZ-43", False),
    "aktau": _Place("Ақтау", "Актау", "Aktau", "KZ-47", True),
    "fort_shevchenko": _Place("Форт-Шевченко", "Форт-Шевченко", "Fort-Shevchenko", "KZ-47", True),
    "pavlodar": _Place("Павлодар", "Павлодар", "Pavlodar", "KZ-55", True),
    "bayanaul": _Place("Баянауыл", "Баянаул", "Bayanaul", "KZ-55", True),
    "petropavl": _Place("Петропавл", "Петропавловск", "Petropavl", "KZ-59", True),
    "botai": _Place("Ботай", "Ботай", "Botai", "KZ-59", False),
    "turkistan": _Place("Түркістан", "Туркестан", "Turkistan", "KZ-61", True),
    "otrar": _Place("Отырар", "Отрар", "Otrar", "KZ-61", False),
    "sauran": _Place("Сауран", "Сауран", "Sauran", "KZ-61", False),
    "sairam": _Place("Сайрам", "Сайрам", "Sairam", "KZ-61", True),
    "arpauzen": _Place("Арпаөзен", "Арпа-Узень", "Arpauzen", "KZ-61", False),
    "zhezkazgan": _Place("Жезқазған", "Жезказган", "Zhezkazgan", "KZ-62", True),
    "ulytau": _Place("Ұлытау", "Улытау", "Ulytau", "KZ-62", True),
    "terekty": _Place("Теректі әулие", "Теректы-Аулие", "Terekty Aulie", "KZ-62", False),
    "oskemen": _Place("Өскемен", "Усть-Каменогорск", "Oskemen", "KZ-63", True),
    "berel": _Place("Берел", "Берель", "Berel", "KZ-63", False),
    "shilikty": _Place("Шілікті", "Шиликты", "Shilikty", "KZ-63", False),
}

_TOWNS_BY_REGION: Final[dict[str, tuple[str, ...]]] = {
    code: tuple(key for key, p in PLACES.items() if p.region == code and p.town)
    for code in REGIONS
}
_REGION_CODES: Final = tuple(sorted(REGIONS))


@dataclass(frozen=True, slots=True)
class _Actor:
    name: Tri
    born: int
    died: int
    active: tuple[int, int]
    role: Tri
    public_domain: bool  # died more than 70 years ago


_PAINTER: Final[Tri] = ("суретші", "художник", "painter")

ACTORS: Final[dict[str, _Actor]] = {
    "kasteev": _Actor(
        ("Әбілхан Қастеев", "Абылхан Кастеев", "Abylkhan Kasteev"),
        1904, 1973, (1930, 1972), _PAINTER, False,
    ),
    "galymbayeva": _Actor(
        ("Айша Ғалымбаева", "Айша Галимбаева", "Aisha Galymbayeva"),
        1917, 2008, (1945, 1995), _PAINTER, False,
    ),
    "telzhanov": _Actor(
        ("Қанапия Телжанов", "Канафия Тельжанов", "Kanafiya Telzhanov"),
        1927, 2013, (1952, 2005), _PAINTER, False,
    ),
    "ismailova": _Actor(
        ("Гүлфайрус Ысмайылова", "Гульфайрус Исмаилова", "Gulfairus Ismailova"),
        1929, 2013, (1955, 2005), _PAINTER, False,
    ),
    "aitbayev": _Actor(
        ("Салихитдин Айтбаев", "Салихитдин Айтбаев", "Salikhitdin Aitbayev"),
        1938, 1994, (1962, 1993), _PAINTER, False,
    ),
    "kenbayev": _Actor(
        ("Молдахмет Кенбаев", "Молдахмет Кенбаев", "Moldakhmet Kenbayev"),
        1925, 1999, (1950, 1998), _PAINTER, False,
    ),
    "khludov": _Actor(
        ("Николай Хлудов", "Николай Хлудов", "Nikolai Khludov"),
        1850, 1935, (1880, 1934), _PAINTER, True,
    ),
    "dudin": _Actor(
        ("Самуил Дудин", "Самуил Дудин", "Samuil Dudin"),
        1863, 1929, (1895, 1915), ("фотограф", "фотограф", "photographer"), True,
    ),
    "murseit": _Actor(
        ("Мүрсейіт Бікеұлы", "Мурсеит Бикеулы", "Murseit Bikeuly"),
        1860, 1917, (1905, 1910), ("көшіруші", "переписчик", "copyist"), True,
    ),
}

# --------------------------------------------------------------------------- dates

_ROMAN: Final = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)


def _roman(number: int) -> str:
    out = []
    for value, letters in _ROMAN:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


def _iso_year(year: int) -> str:
    """Astronomical year as ISO 8601 text: 1 BCE is 0000, 500 BCE is -0499."""
    return f"-{-year:04d}" if year < 0 else f"{year:04d}"


def _century_span(century: int) -> tuple[int, int]:
    """Astronomical first and last year of a century; negative centuries are BCE.

    The project's convention (mappings/dates.py): the 19th century is
    1800-1899 as cataloguers use it, the 5th century BCE is 500-401 BCE.
    """
    if century > 0:
        return max(1, 100 * (century - 1)), 100 * century - 1
    n = -century  # the n-th century BCE runs from 100n BCE to 100(n-1)+1 BCE
    return 1 - 100 * n, -100 * (n - 1)


@dataclass(frozen=True, slots=True)
class _Dating:
    """A date as three catalogue traditions write it, with its ISO bounds."""

    labels: Tri
    earliest: int
    latest: int


def _centuries(first: int, last: int, dash: str) -> _Dating:
    lo, _ = _century_span(first)
    _, hi = _century_span(last)
    bce = first < 0
    a, b = _roman(abs(first)), _roman(abs(last))
    ea, eb = _ordinal(abs(first)), _ordinal(abs(last))
    if first == last:
        kk = f"б.з.д. {a} ғ." if bce else f"{a} ғ."
        ru = f"{a} в. до н.э." if bce else f"{a} в."
        en = f"{ea} century BCE" if bce else f"{ea} century"
    else:
        kk = f"б.з.д. {a}{dash}{b} ғғ." if bce else f"{a}{dash}{b} ғғ."
        ru = f"{a}{dash}{b} вв. до н.э." if bce else f"{a}{dash}{b} вв."
        en = f"{ea}{dash}{eb} century BCE" if bce else f"{ea}{dash}{eb} century"
    return _Dating((kk, ru, en), lo, hi)


def _millennium_bce(n: int) -> _Dating:
    r = _roman(n)
    labels = (f"б.з.д. {r} мыңжылдық", f"{r} тыс. до н.э.", f"{_ordinal(n)} millennium BCE")
    return _Dating(labels, 1 - 1000 * n, -1000 * (n - 1))


def _part_of_century(part: str, century: int) -> _Dating:
    lo, hi = _century_span(century)
    r, o = _roman(century), _ordinal(century)
    first = hi - 99  # thirds of the century, as mappings/dates.py reads them
    if part == "early":
        return _Dating((f"{r} ғ. басы", f"начало {r} в.", f"early {o} century"), lo, first + 32)
    if part == "mid":
        labels = (f"{r} ғ. ортасы", f"середина {r} в.", f"mid-{o} century")
        return _Dating(labels, first + 33, first + 65)
    return _Dating((f"{r} ғ. соңы", f"конец {r} в.", f"late {o} century"), first + 66, hi)


def _years(first: int, last: int, dash: str) -> _Dating:
    if first == last:
        return _Dating((f"{first} ж.", f"{first} г.", f"{first}"), first, last)
    span = f"{first}{dash}{last}"
    return _Dating((f"{span} жж.", f"{span} гг.", span), first, last)


def _circa(year: int) -> _Dating:
    # not widened: the museum gave one year, and mappings/dates.py keeps it so
    labels = (f"шамамен {year} ж.", f"ок. {year} г.", f"ca. {year}")
    return _Dating(labels, year, year)


def _decade(year: int) -> _Dating:
    return _Dating((f"{year}-жылдар", f"{year}-е гг.", f"{year}s"), year, year + 9)


_FIXED_DATINGS: dict[Spec, _Dating] = {}


def _dating(spec: Spec, rng: random.Random) -> _Dating:
    """Turn a period spec of the catalogue below into a concrete dating.

    Specs: ``("c", first, last)`` centuries (negative = BCE), ``("m", n)`` the
    n-th millennium BCE, ``("early"|"mid"|"late", century)``, ``("y", a, b)``
    exact years, ``("pick", lo, hi)`` a year, a circa, a decade or a span
    inside lo..hi.
    """
    dash = "-" if rng.random() < 0.6 else "–"
    kind = spec[0]
    if kind != "pick":
        key = (*spec, dash)
        dating = _FIXED_DATINGS.get(key)
        if dating is None:
            dating = _FIXED_DATINGS[key] = _fixed_dating(spec, dash)
        return dating
    lo, hi = spec[1], spec[2]
    year = _between(rng, lo, hi)
    roll = rng.random()
    if roll < 0.6:
        return _years(year, year, dash)
    # a decade or a span must not spill out of lo..hi (an artist's working life)
    if roll < 0.8:
        return _circa(year)
    decade = year - year % 10
    if roll < 0.9 and lo <= decade and decade + 9 <= hi:
        return _decade(decade)
    end = min(hi, year + _between(rng, 1, 10))
    return _years(year, end, dash)


def _fixed_dating(spec: Spec, dash: str) -> _Dating:
    kind = spec[0]
    if kind == "c":
        return _centuries(spec[1], spec[2], dash)
    if kind == "m":
        return _millennium_bce(spec[1])
    if kind in ("early", "mid", "late"):
        return _part_of_century(kind, spec[1])
    if kind == "y":
        return _years(spec[1], spec[2], dash)
    raise ValueError(f"unknown period spec {spec!r}")


# --------------------------------------------------------------------------- the catalogue


@dataclass(frozen=True, slots=True)
class _Variant:
    """A title a fund repeats; may narrow the template's materials, dates, places, makers."""

    title: Tri
    materials: tuple[str, ...] | None = None
    techniques: tuple[str, ...] | None = None
    periods: tuple[Spec, ...] | None = None
    sites: tuple[str, ...] | None = None
    creators: tuple[str, ...] | None = None
    subjects: tuple[str, ...] | None = None
    dims: Spec | None = None


def _v(kk: str, ru: str, en: str, **narrowing: Spec) -> _Variant:
    return _Variant((kk, ru, en), **narrowing)


@dataclass(frozen=True, slots=True)
class _Template:
    key: str
    collection: str
    object_type: Tri
    variants: tuple[_Variant, ...]
    materials: tuple[tuple[str, ...], ...]  # alternatives
    techniques: tuple[tuple[str, ...], ...]  # alternatives
    periods: tuple[Spec, ...]
    description: Tri
    dims: Spec
    type_uri: str | None = None
    sites: tuple[str, ...] | None = None  # None: a household object from anywhere
    site_periods: dict[str, tuple[Spec, ...]] = field(default_factory=dict)
    site_culture: dict[str, Tri] = field(default_factory=dict)
    culture: Tri | None = None
    creators: tuple[str, ...] = ()
    creator_share: float = 0.0
    subjects: tuple[str, ...] = ()
    weight: float = 1.0
    home_regions: tuple[str, ...] = ()


_ETHNO_DATES: Final = (("c", 19, 19), ("late", 19), ("early", 20), ("mid", 19), ("c", 19, 20))
_SAKA: Final[Tri] = ("Сақ мәдениеті", "сакская культура", "Saka culture")
_ANDRONOVO: Final[Tri] = ("Андронов мәдениеті", "андроновская культура", "Andronovo culture")

TEMPLATES: Final[tuple[_Template, ...]] = (
    _Template(
        "kebeje", "ethnography",
        ("Кебеже", "Кебеже (ларь для продуктов)", "Kebeje (food chest)"),
        (
            _v("Кебеже", "Кебеже", "Kebeje"),
            _v("Ою-өрнекті кебеже", "Кебеже с резным орнаментом", "Kebeje with carved ornament"),
            _v(
                "Сүйекпен әшекейленген кебеже", "Кебеже с костяной инкрустацией",
                "Kebeje inlaid with bone", materials=("wood", "bone"),
                techniques=("carving", "inlay"),
            ),
            _v("Аяқты кебеже", "Кебеже на ножках", "Kebeje on legs"),
        ),
        (("wood",), ("wood", "iron")),
        (("carving",), ("carving", "painting")),
        _ETHNO_DATES,
        (
            "Азық-түлік сақтауға арналған ағаш сандық.",
            "Деревянный ларь для хранения продуктов.",
            "Wooden chest for storing food.",
        ),
        ("hwd", (45, 80), (50, 90), (35, 55)),
        subjects=("nomadic_life", "yurt"), weight=3.0,
    ),
    _Template(
        "sandyq", "ethnography", ("Сандық", "Сундук", "Chest"),
        (
            _v("Сандық", "Сундук", "Chest"),
            _v(
                "Темірмен қапталған сандық", "Сундук, окованный железом", "Iron-bound chest",
                materials=("wood", "iron"), techniques=("forging",),
            ),
            _v(
                "Күміспен әшекейленген сандық", "Сундук с серебряными накладками",
                "Chest with silver mounts", materials=("wood", "silver"),
                techniques=("carving", "chasing"),
            ),
            _v("Бояулы сандық", "Расписной сундук", "Painted chest", techniques=("painting",)),
        ),
        (("wood",), ("wood", "leather")),
        (("carving",),),
        _ETHNO_DATES,
        (
            "Киім-кешек пен бағалы заттарды сақтауға арналған сандық.",
            "Сундук для хранения одежды и ценных вещей.",
            "Chest for keeping clothes and valuables.",
        ),
        ("hwd", (40, 70), (70, 120), (40, 60)),
        subjects=("nomadic_life", "yurt"), weight=2.5,
    ),
    _Template(
        "asatayaq", "ethnography",
        ("Асатаяқ", "Асатаяк (посох с подвесками)", "Asatayaq (staff with pendants)"),
        (
            _v("Асатаяқ", "Асатаяк", "Asatayaq"),
            _v(
                "Сылдырмақты асатаяқ", "Асатаяк с металлическими подвесками",
                "Asatayaq with jingling pendants",
            ),
        ),
        (("wood", "iron"), ("wood", "silver")),
        (("carving", "forging"), ("carving",)),
        _ETHNO_DATES,
        (
            "Бақсылар мен жыраулар ұстаған, басына сылдырмақ тағылған таяқ.",
            "Посох с металлическими подвесками, атрибут баксы и жырау.",
            "Staff hung with jingling metal pendants, carried by baksy healers and zhyrau bards.",
        ),
        ("l", (80, 120)),
        subjects=("music", "nomadic_life"), weight=0.6,
    ),
    _Template(
        "dombyra", "music", ("Домбыра", "Домбра", "Dombra"),
        (
            _v("Домбыра", "Домбра", "Dombra"),
            _v("Екі ішекті домбыра", "Двухструнная домбра", "Two-stringed dombra"),
            _v(
                "Ою-өрнекті домбыра", "Домбра с орнаментом", "Ornamented dombra",
                materials=("wood", "bone"), techniques=("carving", "inlay"),
            ),
        ),
        (("wood",), ("wood", "bone")),
        (("carving",),),
        (("late", 19), ("early", 20), ("c", 20, 20), ("pick", 1900, 1960)),
        (
            "Қазақтың екі ішекті шертпелі аспабы.",
            "Двухструнный щипковый инструмент казахов.",
            "Two-stringed plucked lute of the Kazakhs.",
        ),
        ("l", (85, 110)),
        subjects=("music",), weight=1.5,
    ),
    _Template(
        "kobyz", "music", ("Қобыз", "Кобыз", "Kobyz"),
        (
            _v("Қобыз", "Кобыз", "Kobyz"),
            _v("Қылқобыз", "Кыл-кобыз", "Kyl-kobyz (horsehair fiddle)"),
        ),
        (("wood", "leather", "horsehair"),),
        (("carving",),),
        (("c", 19, 19), ("late", 19), ("early", 20)),
        (
            "Ішектері жылқы қылынан тартылған, ысқышпен ойналатын көне аспап.",
            "Древний смычковый инструмент со струнами из конского волоса.",
            "Ancient bowed instrument with strings of horsehair.",
        ),
        ("l", (60, 75)),
        subjects=("music",), weight=0.8,
    ),
    _Template(
        "kiiz_ui", "ethnography",
        ("Киіз үй бөлігі", "Деталь юрты", "Yurt component"),
        (
            _v("Шаңырақ", "Шанырак (купольный круг юрты)", "Shanyraq (yurt crown)"),
            _v("Кереге", "Кереге (решётчатая стена юрты)", "Kerege (lattice wall of a yurt)"),
            _v("Уық", "Уык (купольная жердь юрты)", "Uyq (roof pole of a yurt)"),
            _v(
                "Сықырлауық", "Сыкырлауык (двустворчатая дверь юрты)",
                "Syqyrlauyq (double door of a yurt)", techniques=("carving", "painting"),
            ),
            _v(
                "Туырлық", "Туырлык (войлочное покрытие стен юрты)",
                "Tuyrlyq (felt wall cover of a yurt)", materials=("felt", "wool"),
                techniques=("felting",),
            ),
        ),
        (("wood",),),
        (("carving",), ("carving", "painting")),
        _ETHNO_DATES,
        (
            "Қазақ киіз үйінің құрамдас бөлігі.",
            "Составная часть казахской юрты.",
            "Component of a Kazakh yurt.",
        ),
        ("hwd", (30, 200), (40, 180), (3, 20)),
        subjects=("yurt", "nomadic_life"), weight=1.8,
    ),
    _Template(
        "tekemet", "textile", ("Текемет", "Текемет (войлочный ковёр)", "Tekemet (felt rug)"),
        (
            _v("Текемет", "Текемет", "Tekemet"),
            _v(
                "Қошқар мүйіз өрнекті текемет", "Текемет с орнаментом «кошкар мюйиз»",
                "Tekemet with the 'ram's horn' pattern",
            ),
        ),
        (("felt", "wool"),),
        (("felting",),),
        _ETHNO_DATES,
        (
            "Өрнегі киізге басу арқылы түсірілген кілем.",
            "Войлочный ковёр с вваленным узором.",
            "Felt rug with the pattern pressed into the felt.",
        ),
        ("lw", (200, 400), (120, 220)),
        subjects=("felt", "yurt"), weight=1.5,
    ),
    _Template(
        "syrmaq", "textile",
        ("Сырмақ", "Сырмак (стёганый войлочный ковёр)", "Syrmaq (quilted felt rug)"),
        (
            _v("Сырмақ", "Сырмак", "Syrmaq"),
            _v("Ою-өрнекті сырмақ", "Сырмак с орнаментом", "Ornamented syrmaq"),
            _v(
                "Қошқар мүйіз өрнекті сырмақ", "Сырмак с орнаментом «кошкар мюйиз»",
                "Syrmaq with the 'ram's horn' pattern",
            ),
        ),
        (("felt", "wool"),),
        (("quilting", "applique"), ("quilting",)),
        _ETHNO_DATES,
        (
            "Түрлі түсті киізден қиып құралып, сырып тігілген кілем.",
            "Ковёр из цветного войлока в мозаичной технике, простёганный.",
            "Rug of coloured felt pieces joined in mosaic technique and quilted.",
        ),
        ("lw", (200, 450), (120, 250)),
        subjects=("felt", "yurt"), weight=1.5,
    ),
    _Template(
        "tuskiiz", "textile",
        ("Тұскиіз", "Тускииз (настенный ковёр)", "Tuskiiz (wall hanging)"),
        (
            _v("Тұскиіз", "Тускииз", "Tuskiiz"),
            _v("Кестелі тұскиіз", "Вышитый тускииз", "Embroidered tuskiiz"),
            _v(
                "Барқыт тұскиіз", "Тускииз из бархата", "Velvet tuskiiz",
                materials=("velvet", "silk"),
            ),
        ),
        (("textile", "silk"), ("velvet", "silk"), ("felt", "wool")),
        (("embroidery",),),
        _ETHNO_DATES,
        (
            "Киіз үйде төсек үстіне ілінетін кестелі кілем.",
            "Вышитый настенный ковёр, который вешали над постелью в юрте.",
            "Embroidered wall hanging hung above the bed in a yurt.",
        ),
        ("lw", (150, 300), (90, 180)),
        subjects=("felt", "yurt", "wedding"), weight=1.3,
    ),
    _Template(
        "saukele", "costume",
        ("Сәукеле", "Саукеле (свадебный головной убор)", "Saukele (bridal headdress)"),
        (
            _v("Сәукеле", "Саукеле", "Saukele"),
            _v("Маржанды сәукеле", "Саукеле с кораллами", "Saukele with coral"),
        ),
        (("felt", "velvet", "silver", "coral"), ("felt", "silk", "silver")),
        (("embroidery", "filigree"), ("embroidery", "chasing")),
        _ETHNO_DATES,
        (
            "Қалыңдықтың ұзатылар кезде киетін биік бас киімі.",
            "Высокий головной убор невесты.",
            "Tall headdress worn by a bride.",
        ),
        ("h", (60, 90)),
        subjects=("costume", "wedding"), weight=0.6,
    ),
    _Template(
        "shapan", "costume", ("Шапан", "Чапан", "Chapan (robe)"),
        (
            _v("Шапан", "Чапан", "Chapan"),
            _v("Барқыт шапан", "Бархатный чапан", "Velvet chapan", materials=("velvet",)),
            _v("Кестелі шапан", "Чапан с вышивкой", "Embroidered chapan"),
        ),
        (("textile",), ("velvet", "silk")),
        (("embroidery",), ("weaving",)),
        (("late", 19), ("early", 20), ("pick", 1900, 1950)),
        ("Ер адамның сырт киімі.", "Мужская верхняя одежда.", "Man's outer robe."),
        ("l", (110, 140)),
        subjects=("costume",), weight=1.0,
    ),
    _Template(
        "taqiya", "costume", ("Тақия", "Тюбетейка", "Taqiya (skullcap)"),
        (
            _v("Тақия", "Тюбетейка", "Skullcap"),
            _v("Кестелі тақия", "Тюбетейка с вышивкой", "Embroidered skullcap"),
            _v(
                "Үкілі тақия", "Тюбетейка с пером филина", "Skullcap with eagle-owl feathers",
                materials=("velvet", "feathers"),
            ),
        ),
        (("velvet", "silk"), ("textile",)),
        (("embroidery",),),
        (("late", 19), ("early", 20), ("pick", 1900, 1960)),
        ("Жеңіл бас киім.", "Лёгкий головной убор.", "Light cap."),
        ("dia", (15, 20)),
        subjects=("costume",), weight=1.0,
    ),
    _Template(
        "alqa", "jewellery", ("Алқа", "Алка (нагрудное украшение)", "Alqa (breast ornament)"),
        (
            _v("Алқа", "Алка", "Alqa"),
            _v(
                "Маржанды алқа", "Алка с кораллами", "Alqa with coral",
                materials=("silver", "coral"),
            ),
            _v("Күміс алқа", "Серебряная алка", "Silver alqa"),
        ),
        (("silver",), ("silver", "coral")),
        (("filigree", "engraving"), ("chasing", "gilding"), ("casting", "niello")),
        _ETHNO_DATES,
        (
            "Әйелдердің кеудеге тағатын әшекейі.",
            "Женское нагрудное украшение.",
            "Woman's breast ornament.",
        ),
        ("hw", (15, 35), (12, 25)),
        subjects=("jewellery", "costume"), weight=1.2,
    ),
    _Template(
        "bilezik", "jewellery", ("Білезік", "Браслет", "Bracelet"),
        (
            _v("Білезік", "Браслет", "Bracelet"),
            _v("Күміс білезік", "Серебряный браслет", "Silver bracelet"),
            _v(
                "Өрнекті білезік", "Браслет с гравированным орнаментом",
                "Bracelet with engraved ornament", techniques=("engraving",),
            ),
            _v(
                "Маржан көзді білезік", "Браслет со вставками коралла", "Bracelet set with coral",
                materials=("silver", "coral"),
            ),
        ),
        (("silver",),),
        (("casting", "engraving"), ("filigree",), ("chasing", "niello")),
        _ETHNO_DATES,
        (
            "Әйелдердің қолға тағатын әшекейі.",
            "Женское украшение для руки.",
            "Woman's wrist ornament.",
        ),
        ("dia", (55, 75)),
        subjects=("jewellery",), weight=1.4,
    ),
    _Template(
        "syrga", "jewellery", ("Сырға", "Серьги", "Earrings"),
        (
            _v("Сырға", "Серьги", "Pair of earrings"),
            _v("Күміс сырға", "Серебряные серьги", "Silver earrings"),
            _v(
                "Алтын жалатылған сырға", "Серьги с позолотой", "Gilded earrings",
                techniques=("filigree", "gilding"),
            ),
            _v("Салпыншақ сырға", "Серьги с подвесками", "Earrings with pendants"),
        ),
        (("silver",), ("silver", "coral")),
        (("filigree",), ("casting", "engraving")),
        _ETHNO_DATES,
        (
            "Әйелдердің құлаққа тағатын әшекейі.",
            "Женское украшение для ушей.",
            "Woman's ear ornaments.",
        ),
        ("h", (4, 12)),
        subjects=("jewellery",), weight=1.2,
    ),
    _Template(
        "er_toqym", "horse", ("Ер-тоқым", "Седло", "Saddle"),
        (
            _v("Ер-тоқым", "Седло", "Saddle"),
            _v(
                "Күміспен әшекейленген ер", "Седло с серебряными накладками",
                "Saddle with silver mounts", materials=("wood", "leather", "silver"),
                techniques=("chasing", "niello"),
            ),
            _v("Қазақы ер", "Казахское седло", "Kazakh saddle"),
            _v("Әйелдер ері", "Женское седло", "Woman's saddle"),
        ),
        (("wood", "leather"), ("wood", "leather", "iron")),
        (("carving",), ("carving", "embossing")),
        _ETHNO_DATES,
        (
            "Ат ерттеуге арналған ер мен тоқым.",
            "Седло с потником для верховой езды.",
            "Riding saddle with saddle-cloth.",
        ),
        ("hwd", (25, 40), (30, 45), (50, 65)),
        subjects=("horse",), weight=1.2,
    ),
    _Template(
        "qamshy", "horse", ("Қамшы", "Камча (плеть)", "Qamshy (riding whip)"),
        (
            _v("Қамшы", "Камча", "Riding whip"),
            _v("Сегіз өрім қамшы", "Камча восьмижильного плетения", "Eight-strand braided whip"),
            _v(
                "Сүйек сапты қамшы", "Камча с костяной рукоятью", "Whip with bone handle",
                materials=("leather", "bone"),
            ),
        ),
        (("leather", "wood"),),
        (("braiding",),),
        _ETHNO_DATES,
        ("Өрілген былғары қамшы.", "Плеть из плетёной кожи.", "Whip of braided leather."),
        ("l", (60, 110)),
        subjects=("horse",), weight=1.0,
    ),
    _Template(
        "torsyq", "ethnography", ("Торсық", "Торсык (кожаный сосуд)", "Torsyq (leather flask)"),
        (
            _v("Торсық", "Торсык", "Torsyq"),
            _v("Бедерлі торсық", "Торсык с тиснёным орнаментом", "Torsyq with embossed ornament"),
        ),
        (("leather",),),
        (("embossing",),),
        _ETHNO_DATES,
        (
            "Қымыз құюға арналған былғары ыдыс.",
            "Кожаный сосуд для кумыса.",
            "Leather vessel for kumis.",
        ),
        ("hwd", (25, 45), (18, 30), (8, 15)),
        subjects=("kumis", "nomadic_life"), weight=1.0,
    ),
    _Template(
        "saba", "ethnography", ("Саба", "Саба (сосуд для кумыса)", "Saba (kumis skin)"),
        (
            _v("Саба", "Саба", "Saba"),
            _v("Ою-өрнекті саба", "Саба с орнаментом", "Ornamented saba"),
        ),
        (("leather",), ("leather", "wood")),
        (("embossing",),),
        _ETHNO_DATES,
        (
            "Қымыз ашытуға арналған үлкен былғары ыдыс.",
            "Большой кожаный сосуд для приготовления кумыса.",
            "Large leather vessel for fermenting kumis.",
        ),
        ("hwd", (60, 110), (40, 70), (30, 50)),
        subjects=("kumis", "nomadic_life"), weight=0.7,
    ),
    # ----------------------------------------------------------------- archaeology
    _Template(
        "saka_gold", "archaeology", ("Әшекей", "Украшение", "Ornament"),
        (
            _v(
                "Барыс бейнелі алтын тақташа", "Золотая бляшка в виде барса",
                "Gold plaque in the form of a snow leopard",
            ),
            _v(
                "Арқар бейнелі алтын тақташа", "Золотая бляшка с изображением архара",
                "Gold plaque depicting an argali",
            ),
            _v(
                "Қанатты тұлпар бейнелі алтын әшекей", "Золотое украшение в виде крылатого коня",
                "Gold ornament in the form of a winged horse",
            ),
            _v("Алтын жапсырма", "Золотая нашивка", "Gold appliqué plaque"),
            _v(
                "Бұғы бейнелі тақташа", "Бляшка в виде оленя", "Plaque in the form of a deer",
                materials=("bronze", "gold"), techniques=("casting", "gilding"),
            ),
        ),
        (("gold",),),
        (("casting", "chasing"), ("chasing",)),
        (("c", -5, -4),),
        (
            "Сақ зергерлерінің «аң стилінде» жасаған бұйымы.",
            "Изделие сакских ювелиров в «зверином стиле».",
            "Saka goldwork in the 'animal style'.",
        ),
        ("hw", (2, 9), (2, 8)),
        sites=("esik", "berel", "shilikty"),
        site_periods={
            "esik": (("c", -5, -4),),
            "berel": (("c", -4, -3),),
            "shilikty": (("c", -8, -7),),
        },
        culture=_SAKA, subjects=("saka", "animal_style"), weight=1.5,
        home_regions=("KZ-19", "KZ-63", "KZ-75", "KZ-71"),
    ),
    _Template(
        "balbal", "archaeology", ("Тас мүсін", "Каменное изваяние", "Stone statue"),
        (
            _v("Балбал тас", "Балбал", "Balbal stone"),
            _v(
                "Ер адам бейнеленген тас мүсін", "Каменное изваяние воина",
                "Stone statue of a warrior",
            ),
            _v(
                "Қолында ыдысы бар тас мүсін", "Изваяние с сосудом в руке",
                "Stone statue holding a vessel",
            ),
        ),
        (("granite",), ("stone",)),
        (("stone_carving",),),
        (("c", 6, 8), ("c", 7, 9), ("c", 6, 7)),
        (
            "Көне түркілердің ғұрыптық қоршауы жанына қойылған тас мүсін.",
            "Каменное изваяние, стоявшее у поминальной оградки древних тюрков.",
            "Stone statue that stood at an early Turkic memorial enclosure.",
        ),
        ("hwd", (60, 180), (25, 50), (15, 35)),
        sites=("merke", "ulytau", "karkaraly", "zharkent", "oskemen"),
        culture=("Көне түркі мәдениеті", "древнетюркская культура", "Early Turkic culture"),
        subjects=("turkic",), weight=0.9, home_regions=("KZ-31", "KZ-62", "KZ-35"),
    ),
    _Template(
        "petroglyph", "archaeology", ("Жартас суреті", "Петроглиф", "Petroglyph"),
        (
            _v(
                "Күн басты бейне салынған тас", "Камень с изображением солнцеголового",
                "Stone with a sun-headed figure", sites=("tamgaly", "eshkiolmes"),
            ),
            _v(
                "Арқар бейнеленген жартас суреті", "Петроглиф с изображением архара",
                "Petroglyph depicting an argali",
            ),
            _v(
                "Түйе бейнеленген жартас суреті", "Петроглиф с изображением верблюда",
                "Petroglyph depicting a camel",
            ),
            _v(
                "Аңшылық көрінісі бейнеленген жартас суреті", "Петроглиф со сценой охоты",
                "Petroglyph with a hunting scene",
            ),
        ),
        (("sandstone",), ("stone",)),
        (("pecking",),),
        (("c", -14, -13), ("c", -13, -11), ("c", -8, -5)),
        (
            "Жартасқа қашап салынған суреті бар тас.",
            "Фрагмент скалы с выбитым изображением.",
            "Rock fragment with a pecked image.",
        ),
        ("hwd", (30, 120), (30, 150), (10, 40)),
        sites=("tamgaly", "eshkiolmes", "terekty", "arpauzen"),
        subjects=("rock_art", "bronze_age"), weight=0.8,
        home_regions=("KZ-19", "KZ-33", "KZ-62"),
    ),
    _Template(
        "bronze_pottery", "archaeology", ("Ыдыс", "Сосуд", "Vessel"),
        (
            _v("Қыш ыдыс", "Керамический сосуд", "Ceramic vessel"),
            _v(
                "Геометриялық өрнекті қыш ыдыс", "Сосуд с геометрическим орнаментом",
                "Vessel with geometric ornament",
            ),
            _v("Құмыра", "Горшок", "Pot"),
        ),
        (("ceramic",),),
        (("modelling",),),
        (("c", -17, -14), ("c", -15, -12)),
        (
            "Қола дәуірінің қолмен илеп жасалған қыш ыдысы.",
            "Лепной сосуд эпохи бронзы.",
            "Hand-made pottery vessel of the Bronze Age.",
        ),
        ("hwd", (10, 30), (12, 28), (12, 28)),
        sites=("begazy", "alekseevka", "tasty_butak"),
        site_periods={"begazy": (("c", -12, -9),)},
        site_culture={
            "begazy": (
                "Беғазы-Дәндібай мәдениеті", "бегазы-дандыбаевская культура",
                "Begazy-Dandybai culture",
            ),
        },
        culture=_ANDRONOVO, subjects=("bronze_age",), weight=1.0,
        home_regions=("KZ-35", "KZ-39", "KZ-15"),
    ),
    _Template(
        "botai", "archaeology", ("Еңбек құралы", "Орудие труда", "Tool"),
        (
            _v("Тас құрал", "Каменное орудие", "Stone tool"),
            _v("Тас жебе ұшы", "Каменный наконечник стрелы", "Stone arrowhead"),
            _v(
                "Жылқы сүйегінен жасалған тескіш", "Проколка из кости лошади",
                "Awl made of horse bone", materials=("bone",), techniques=("carving",),
            ),
        ),
        (("stone",),),
        (("knapping",),),
        (("m", 4),),
        (
            "Энеолит дәуірінің еңбек құралы.",
            "Орудие труда эпохи энеолита.",
            "Tool of the Eneolithic period.",
        ),
        ("l", (3, 15)),
        sites=("botai",),
        culture=("Ботай мәдениеті", "ботайская культура", "Botai culture"),
        subjects=("eneolithic", "horse"), weight=0.5, home_regions=("KZ-59", "KZ-11"),
    ),
    _Template(
        "urban_ceramics", "archaeology", ("Ыдыс", "Сосуд", "Vessel"),
        (
            _v(
                "Глазурьленген тостаған", "Поливная чаша", "Glazed bowl",
                techniques=("wheel", "glazing"), dims=("hwd", (6, 12), (14, 30), (14, 30)),
            ),
            _v("Құмыра", "Кувшин", "Jug"),
            _v(
                "Хұм", "Хум", "Khum (storage jar)", techniques=("wheel",),
                dims=("hwd", (60, 130), (40, 80), (40, 80)),
            ),
            _v("Шырағдан", "Светильник", "Oil lamp"),
            _v(
                "Өрнекті тостаған", "Чаша с росписью", "Bowl with painted ornament",
                techniques=("wheel", "painting", "glazing"),
                dims=("hwd", (6, 12), (14, 30), (14, 30)),
            ),
        ),
        (("ceramic",),),
        (("wheel", "glazing"), ("wheel",), ("modelling",)),
        (("c", 9, 12), ("c", 10, 12), ("c", 13, 14), ("c", 14, 15)),
        (
            "Ортағасырлық қала тұрғындарының қыш бұйымы.",
            "Керамическое изделие средневековой городской культуры.",
            "Pottery of the medieval urban culture.",
        ),
        ("hwd", (8, 35), (8, 25), (8, 25)),
        sites=("otrar", "sauran", "sairam", "turkistan", "syganak", "zhankent", "taraz", "akyrtas"),
        subjects=("medieval_towns", "silk_road"), weight=2.0, home_regions=("KZ-61", "KZ-43"),
    ),
    _Template(
        "coin", "numismatics", ("Теңге", "Монета", "Coin"),
        (
            _v(
                "Отырарда соғылған мыс теңге", "Медная монета отрарского чекана",
                "Copper coin struck at Otrar", materials=("copper",), periods=(("c", 13, 13),),
                sites=("otrar",),
            ),
            _v(
                "Алтын Орда күміс дирхемі", "Серебряный дирхем Золотой Орды",
                "Silver dirham of the Golden Horde", materials=("silver",),
                periods=(("c", 14, 14),), subjects=("golden_horde", "silk_road"),
            ),
            _v(
                "Өзбек хан дирхемі", "Дирхем хана Узбека", "Dirham of Özbeg Khan",
                materials=("silver",), periods=(("y", 1313, 1341),),
                subjects=("golden_horde",),
            ),
            _v(
                "Сарайшықта соғылған мыс пұл", "Медный пул чекана Сарайчика",
                "Copper pul struck at Saraishyk", materials=("copper",),
                periods=(("c", 14, 14),), sites=("saraishyk",), subjects=("golden_horde",),
            ),
            _v(
                "Қарахан дирхемі", "Караханидский дирхем", "Karakhanid dirham",
                periods=(("c", 11, 12),),
            ),
        ),
        (("silver",), ("copper",)),
        (("striking",),),
        (("c", 13, 14),),
        (
            "Ұлы Жібек жолы бойындағы ақша айналымының куәсі.",
            "Свидетельство денежного обращения на Великом Шёлковом пути.",
            "Evidence of money circulation along the Great Silk Road.",
        ),
        ("coin", (14, 26), (0.6, 4.5)),
        type_uri="http://vocab.getty.edu/aat/300037222",
        sites=("otrar", "sauran", "saraishyk", "taraz", "syganak", "turkistan"),
        subjects=("silk_road",), weight=2.0, home_regions=("KZ-61", "KZ-23", "KZ-31"),
    ),
    # ----------------------------------------------------------------- fine art, documents
    _Template(
        "painting", "painting", ("Кескіндеме туындысы", "Картина", "Painting"),
        (
            _v("Таулы пейзаж", "Горный пейзаж", "Mountain landscape", subjects=("landscape",)),
            _v("Жайлауда", "На джайляу", "On the summer pasture", subjects=("genre",)),
            _v(
                "Алатау бөктерінде", "В предгорьях Алатау", "In the foothills of the Alatau",
                subjects=("landscape",),
            ),
            _v("Қыз портреті", "Портрет девушки", "Portrait of a girl", subjects=("portrait",)),
            _v(
                "Шопан портреті", "Портрет чабана", "Portrait of a shepherd",
                subjects=("portrait",),
            ),
            _v("Ауылда", "В ауле", "In the aul", subjects=("genre",)),
            _v("Натюрморт", "Натюрморт", "Still life", subjects=("still_life",)),
            _v("Көкпар", "Кокпар", "Kokpar", subjects=("genre", "horse")),
            _v("Медеу", "Медеу", "Medeu", subjects=("landscape",)),
        ),
        (("canvas", "oil"), ("canvas", "oil"), ("cardboard", "oil"), ("paper", "watercolour")),
        (("oil_painting",),),
        (("artist",),),
        (
            "Қазақстан бейнелеу өнерінің туындысы.",
            "Произведение изобразительного искусства Казахстана.",
            "Work of Kazakhstan's fine art.",
        ),
        ("hw", (35, 150), (45, 200)),
        type_uri="http://vocab.getty.edu/aat/300033618",
        sites=("almaty",),
        creators=("kasteev", "galymbayeva", "telzhanov", "ismailova", "aitbayev", "kenbayev",
                  "khludov"),
        creator_share=1.0, weight=1.8, home_regions=("KZ-75", "KZ-71"),
    ),
    _Template(
        "photograph", "photo", ("Фотосурет", "Фотография", "Photograph"),
        (
            _v(
                "Көшпелі ауыл", "Кочевой аул", "Nomadic aul", periods=(("pick", 1895, 1915),),
                creators=("dudin",),
            ),
            _v(
                "Киіз үй тігу", "Установка юрты", "Putting up a yurt",
                periods=(("pick", 1895, 1915),), creators=("dudin",), subjects=("yurt",),
            ),
            _v(
                "Қазақ отбасы", "Казахская семья", "Kazakh family",
                periods=(("pick", 1900, 1935),),
            ),
            _v(
                "Түйе керуені", "Караван верблюдов", "Camel caravan",
                periods=(("pick", 1900, 1930),),
            ),
            _v(
                "Қожа Ахмет Ясауи кесенесі", "Мавзолей Ходжи Ахмеда Ясави",
                "Mausoleum of Khoja Ahmed Yasawi", periods=(("pick", 1900, 1935),),
                sites=("turkistan",), subjects=("architecture",),
            ),
            _v(
                "Түрксіб құрылысы", "Строительство Турксиба", "Construction of the Turksib railway",
                periods=(("pick", 1927, 1930),), sites=("semey", "almaty", "ayagoz"),
                subjects=("soviet",),
            ),
            _v(
                "Тың игерушілер", "Целинники", "Virgin Lands settlers",
                periods=(("pick", 1954, 1962),), sites=("kokshetau", "kostanay", "petropavl"),
                subjects=("soviet",),
            ),
        ),
        (("photo_paper",),),
        (("photo_print",),),
        (("pick", 1900, 1935),),
        (
            "Қазақстан тарихын құжаттайтын фотосурет.",
            "Фотография по истории Казахстана.",
            "Photograph documenting the history of Kazakhstan.",
        ),
        ("hw", (9, 30), (12, 40)),
        type_uri="http://vocab.getty.edu/aat/300046300",
        creator_share=0.5, subjects=("nomadic_life",), weight=1.5,
    ),
    _Template(
        "manuscript", "manuscripts", ("Қолжазба", "Рукопись", "Manuscript"),
        (
            _v(
                "Абай өлеңдерінің қолжазба көшірмесі", "Рукописный список стихов Абая",
                "Manuscript copy of Abai's poems",
                periods=(("y", 1905, 1905), ("y", 1907, 1907), ("y", 1910, 1910)),
                sites=("semey", "zhidebai"), creators=("murseit",),
                subjects=("abai", "literature"),
            ),
            _v(
                "Шежіре", "Шежире (родословная)", "Shezhire (genealogy)",
                periods=(("c", 19, 19), ("late", 19)), subjects=("genealogy",),
            ),
            _v(
                "Араб графикасындағы қолжазба кітап", "Рукописная книга арабским письмом",
                "Manuscript book in Arabic script", periods=(("c", 18, 19), ("c", 19, 19)),
                techniques=("handwriting", "calligraphy"),
            ),
            _v("Хат", "Письмо", "Letter", periods=(("early", 20), ("pick", 1900, 1930))),
        ),
        (("paper", "ink"),),
        (("handwriting",),),
        (("c", 19, 19),),
        (
            "Араб графикасымен жазылған қолжазба.",
            "Рукопись арабской графикой.",
            "Manuscript written in Arabic script.",
        ),
        ("hw", (18, 35), (11, 25)),
        type_uri="http://vocab.getty.edu/aat/300028569",
        creator_share=1.0, subjects=("arabic_script",), weight=1.0, home_regions=("KZ-10",),
    ),
)

#: Short notes some find spots add to a description.
_SITE_NOTES: Final[dict[str, Tri]] = {
    "esik": (
        "«Алтын адам» жерленген Есік қорғаны олжаларының қатарынан.",
        "Из находок кургана Иссык, где было открыто погребение «Золотого человека».",
        "From the finds of the Issyk kurgan, burial of the 'Golden Man'.",
    ),
    "berel": (
        "Берел қорымындағы патша қорғандарынан табылған.",
        "Найдено в царских курганах могильника Берель.",
        "Found in the royal kurgans of the Berel burial ground.",
    ),
}

_PLACE_ROLE: Final[dict[str, Tri]] = {
    "archaeology": ("Табылған жері", "Место находки", "Find spot"),
    "numismatics": ("Табылған жері", "Место находки", "Find spot"),
    "photo": ("Түсірілген жері", "Место съёмки", "Place photographed"),
    "manuscripts": ("Жазылған жері", "Место написания", "Place written"),
}
_DEFAULT_PLACE_ROLE: Final[Tri] = ("Жасалған жері", "Место создания", "Place made")

_RIGHTS_OPEN: Final[tuple[tuple[str, int], ...]] = (
    ("https://creativecommons.org/licenses/by/4.0/", 4),
    ("https://creativecommons.org/licenses/by-sa/4.0/", 2),
    ("https://creativecommons.org/licenses/by-nc/4.0/", 2),
    ("https://creativecommons.org/publicdomain/zero/1.0/", 2),
)
_RIGHTS_IN_COPYRIGHT: Final = "https://creativecommons.org/licenses/by-nc-nd/4.0/"
_RIGHTS_PUBLIC_DOMAIN: Final = "https://creativecommons.org/publicdomain/mark/1.0/"

RIGHTS_LABELS: Final[dict[str, str]] = {
    "https://creativecommons.org/licenses/by/4.0/": "CC BY 4.0",
    "https://creativecommons.org/licenses/by-sa/4.0/": "CC BY-SA 4.0",
    "https://creativecommons.org/licenses/by-nc/4.0/": "CC BY-NC 4.0",
    "https://creativecommons.org/licenses/by-nc-nd/4.0/": "CC BY-NC-ND 4.0",
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0 1.0",
    "https://creativecommons.org/publicdomain/mark/1.0/": "Public Domain Mark 1.0",
}

#: Shares a national aggregator sees in practice: many records without pictures.
IMAGE_SHARE: Final = 0.40
MODEL_SHARE_OF_IMAGED: Final = 0.25  # 3D models are made of photographed objects: ~10% overall
TOUR_SHARE: Final = 0.03
DELETED_SHARE: Final = 0.05
#: How often the catalogue writes a date the Kazakh, the Russian or the English way.
_DATE_STYLE_KK: Final = 0.40
_DATE_STYLE_KK_OR_RU: Final = 0.85
_DATESTAMP_BASE: Final = datetime(2023, 3, 1, tzinfo=UTC)
_DATESTAMP_SPAN: Final = 700 * 24 * 3600  # seconds

SAMPLE_MUSEUMS: Final[list[dict[str, Any]]] = [
    {
        "id": "csm-almaty",
        "name": {
            "kk": "Қазақстан Республикасының Орталық мемлекеттік музейі",
            "ru": "Центральный государственный музей Республики Казахстан",
            "en": "Central State Museum of the Republic of Kazakhstan",
        },
        "region": "KZ-75",
        "city": "Almaty",
    },
    {
        "id": "otrar-reserve",
        "name": {
            "kk": "«Отырар» мемлекеттік археологиялық музей-қорығы",
            "ru": "Государственный археологический музей-заповедник «Отырар»",
            "en": "Otrar State Archaeological Museum-Reserve",
        },
        "region": "KZ-61",
        "city": "Shauildir",
    },
    {
        "id": "karaganda-regional",
        "name": {
            "kk": "Қарағанды облыстық тарихи-өлкетану музейі",
            "ru": "Карагандинский областной историко-краеведческий музей",
            "en": "Karaganda Regional Museum of Local History",
        },
        "region": "KZ-35",
        "city": "Karaganda",
    },
    {
        "id": "national-museum",
        "name": {
            "kk": "Қазақстан Республикасының Ұлттық музейі",
            "ru": "Национальный музей Республики Казахстан",
            "en": "National Museum of the Republic of Kazakhstan",
        },
        "region": "KZ-71",
        "city": "Astana",
    },
]

# --------------------------------------------------------------------------- generation


def _choose_place(
    rng: random.Random, template: _Template, variant: _Variant, region: str
) -> str:
    """A find spot for archaeology, else a town, leaning towards the museum's own region.

    Regional museums collect mostly from their own region, but every fund
    holds gifts and purchases from elsewhere; the lean keeps both true.
    """
    sites = variant.sites or template.sites
    if sites:
        local = [s for s in sites if PLACES[s].region == region]
        if local and rng.random() < 0.6:
            return _pick(rng, local)
        return _pick(rng, sites)
    towns = _TOWNS_BY_REGION.get(region, ())
    if towns and rng.random() < 0.5:
        return _pick(rng, towns)
    return _pick(rng, _TOWNS_BY_REGION[_pick(rng, _REGION_CODES)])


def _dimensions(rng: random.Random, spec: Spec) -> str:
    """Dimensions as Russian accounting books write them (height first)."""
    kind = spec[0]
    if kind == "coin":
        diameter = _between(rng, *spec[1])
        weight = f"{rng.uniform(*spec[2]):.2f}".replace(".", ",")
        return f"диам. {diameter} мм; {weight} г"
    values = [_between(rng, lo, hi) for lo, hi in spec[1:]]
    if kind == "l":
        return f"дл. {values[0]} см"
    if kind == "h":
        return f"выс. {values[0]} см"
    if kind == "dia":
        return f"диам. {values[0]} {'мм' if values[0] > 40 else 'см'}"
    return " × ".join(str(v) for v in values) + " см"


def _inventory(template: _Template, number: int, rng: random.Random) -> str:
    series = _INVENTORY_SERIES.get(template.collection)
    if series is None:
        return f"КП {number}"
    if template.collection == "archaeology":
        return f"КП {number}/{series}-{_between(rng, 1, 60)}"
    return f"{series}-{number}"


def _rights(rng: random.Random, creator: _Actor | None, template: _Template) -> str:
    if creator is not None:
        return _RIGHTS_PUBLIC_DOMAIN if creator.public_domain else _RIGHTS_IN_COPYRIGHT
    if template.collection in ("photo", "manuscripts"):
        return _RIGHTS_PUBLIC_DOMAIN
    uris = [uri for uri, _ in _RIGHTS_OPEN]
    return rng.choices(uris, [weight for _, weight in _RIGHTS_OPEN])[0]


def _template_weights(region: str) -> list[float]:
    return [t.weight * (4.0 if region in t.home_regions else 1.0) for t in TEMPLATES]


def generate_museum_objects(
    museum_id: str, count: int, *, seed: int, region: str, base_url: str
) -> list[SampleObject]:
    """``count`` objects of one sample museum; the same arguments give the same objects.

    ``region`` is the museum's ISO 3166-2:KZ code: it tilts the fund towards
    local material (Otrar gets Otrar pottery) without making it exclusive.
    ``base_url`` is where the demo serves media (images, .glb models, tours).
    """
    if region not in REGIONS:
        raise ValueError(f"museum {museum_id}: unknown region {region!r} (ISO 3166-2:KZ code)")
    rng = random.Random(f"emuseum-demo:{museum_id}:{seed}")
    base = base_url.rstrip("/")
    weights = _template_weights(region)
    chosen = rng.choices(TEMPLATES, weights, k=count)
    inventory_start = rng.randrange(1000, 20000)
    objects: list[SampleObject] = []
    for index, template in enumerate(chosen):
        local_id = f"{index + 1:06d}"
        variant = _pick(rng, template.variants)
        materials = variant.materials or _pick(rng, template.materials)
        techniques = variant.techniques or _pick(rng, template.techniques)
        place_key = _choose_place(rng, template, variant, region)
        place = PLACES[place_key]

        actor: _Actor | None = None
        creator_pool = variant.creators or template.creators
        if creator_pool and rng.random() < template.creator_share:
            actor = ACTORS[_pick(rng, creator_pool)]

        periods = variant.periods or template.site_periods.get(place_key) or template.periods
        spec = _pick(rng, periods)
        if spec[0] == "artist":
            spec = ("pick", *actor.active) if actor else ("c", 20, 20)
        dating = _dating(spec, rng)
        roll = rng.random()
        style = 0 if roll < _DATE_STYLE_KK else 1 if roll < _DATE_STYLE_KK_OR_RU else 2

        has_image = rng.random() < IMAGE_SHARE
        has_model = has_image and rng.random() < MODEL_SHARE_OF_IMAGED
        has_tour = rng.random() < TOUR_SHARE
        deleted = rng.random() < DELETED_SHARE

        culture = template.site_culture.get(place_key) or template.culture
        role = _PLACE_ROLE.get(template.collection, _DEFAULT_PLACE_ROLE)
        note = _SITE_NOTES.get(place_key)
        place_tri = (place.kk, place.ru, place.en)
        text = template.description
        if note:
            text = (f"{text[0]} {note[0]}", f"{text[1]} {note[1]}", f"{text[2]} {note[2]}")
        description = {
            "kk": f"{text[0]} {role[0]}: {place.kk}.",
            "ru": f"{text[1]} {role[1]}: {place.ru}.",
            "en": f"{text[2]} {role[2]}: {place.en}.",
        }
        subject_keys = dict.fromkeys((*(variant.subjects or ()), *template.subjects))
        object_type = _labels(template.object_type)
        if template.type_uri:
            object_type["uri"] = template.type_uri

        # numbers rise with the index and never collide, as in an accessions book
        inventory_number = inventory_start + 2 * index + _between(rng, 0, 1)
        modified = _DATESTAMP_BASE + timedelta(seconds=int(rng.random() * _DATESTAMP_SPAN))
        objects.append(
            SampleObject(
                museum_id=museum_id,
                local_id=local_id,
                inventory_number=_inventory(template, inventory_number, rng),
                titles=_labels(variant.title),
                object_type=object_type,
                materials=[_labels(MATERIALS[m]) for m in materials],
                techniques=[_labels(TECHNIQUES[t]) for t in techniques],
                date_display=dating.labels[style],
                earliest=_iso_year(dating.earliest),
                latest=_iso_year(dating.latest),
                creator=actor.name[0] if actor else None,
                creator_role=_labels(actor.role) if actor else None,
                place=place.kk,
                region=place.region,
                description=description,
                dimensions=_dimensions(rng, variant.dims or template.dims),
                image_url=f"{base}/media/{museum_id}/{local_id}.jpg" if has_image else None,
                model_url=f"{base}/media/{museum_id}/{local_id}.glb" if has_model else None,
                tour_url=f"{base}/tours/{museum_id}/hall-{_between(rng, 1, 6)}.html"
                if has_tour
                else None,
                rights=_rights(rng, actor, template),
                deleted=deleted,
                datestamp=modified,
                collection=_labels(COLLECTIONS[template.collection]),
                subjects=[_labels(SUBJECTS[s]) for s in subject_keys],
                culture=_labels(culture) if culture else None,
                date_labels=_labels(dating.labels),
                place_labels=_labels(place_tri),
                creator_labels=_labels(actor.name) if actor else None,
            )
        )
    return objects


# --------------------------------------------------------------------------- LIDO 1.0

LIDO_NS: Final = "http://www.lido-schema.org"
_XML_LANG: Final = "{http://www.w3.org/XML/1998/namespace}lang"
_XSI_NS: Final = "http://www.w3.org/2001/XMLSchema-instance"
_LIDO_SCHEMA_LOCATION: Final = f"{LIDO_NS} http://www.lido-schema.org/schema/v1.0/lido-v1.0.xsd"
_TERMS: Final = "http://terminology.lido-schema.org/"


def _l(name: str) -> str:
    return f"{{{LIDO_NS}}}{name}"


def _sub(
    parent: etree._Element, name: str, text: str | None = None, **attrs: str
) -> etree._Element:
    element = etree.SubElement(parent, _l(name))
    for key, value in attrs.items():
        element.set(_XML_LANG if key == "lang" else _l(key), value)
    if text is not None:
        element.text = text
    return element


def _terms(parent: etree._Element, labels: dict[str, str], *, uri: str | None = None) -> None:
    if uri:
        _sub(parent, "conceptID", uri, type="URI")
    for lang in _LANGS:
        if lang in labels:
            _sub(parent, "term", labels[lang], lang=lang)


def _appellations(parent: etree._Element, labels: dict[str, str]) -> None:
    for i, lang in enumerate(lang for lang in _LANGS if lang in labels):
        _sub(parent, "appellationValue", labels[lang], lang=lang,
             pref="preferred" if i == 0 else "alternate")


def _legal_body(parent: etree._Element, name: str, museum_name: str) -> None:
    # the name comes in whatever language the caller chose, so no xml:lang
    _sub(_sub(_sub(parent, name), "legalBodyName"), "appellationValue", museum_name)


def _resource(wrap: etree._Element, url: str, mime: str, kind: str, rights: str) -> None:
    resource = _sub(wrap, "resourceSet")
    representation = _sub(
        resource, "resourceRepresentation",
        type=f"{_TERMS}resourceRepresentation_type/provided_representation",
    )
    _sub(representation, "linkResource", url, formatResource=mime)
    _terms(_sub(resource, "resourceType"), {"en": kind})
    rights_element = _sub(resource, "rightsResource")
    label = RIGHTS_LABELS.get(rights, rights)
    _terms(_sub(rights_element, "rightsType"), {"en": label}, uri=rights)


def to_lido(obj: SampleObject, museum_name: str) -> bytes:
    """One ``lido:lido`` element (LIDO 1.0, UTF-8, no XML declaration).

    Written the way Kazakh museums' exports look: one descriptive block in
    Kazakh whose values carry their own xml:lang for kk, ru and en, the
    production event with a date the catalogue displays plus ISO bounds, the
    place with its region's ISO 3166-2 code, and media as resource sets.
    """
    root = etree.Element(_l("lido"), nsmap={"lido": LIDO_NS, "xsi": _XSI_NS})
    root.set(f"{{{_XSI_NS}}}schemaLocation", _LIDO_SCHEMA_LOCATION)
    _sub(root, "lidoRecID", f"{obj.museum_id}/{obj.local_id}", type="local", source=museum_name)
    category = _sub(root, "category")
    _sub(category, "conceptID", "http://www.cidoc-crm.org/crm-concepts/E22", type="URI")
    _sub(category, "term", "Man-Made Object", lang="en")

    descriptive = _sub(root, "descriptiveMetadata", lang="kk")
    classification = _sub(descriptive, "objectClassificationWrap")
    work_type = _sub(_sub(classification, "objectWorkTypeWrap"), "objectWorkType")
    _terms(work_type, obj.object_type, uri=obj.object_type.get("uri"))
    if obj.collection:
        classes = _sub(classification, "classificationWrap")
        _terms(_sub(classes, "classification", type="collection"), obj.collection)

    identification = _sub(descriptive, "objectIdentificationWrap")
    _appellations(_sub(_sub(identification, "titleWrap"), "titleSet"), obj.titles)
    repository = _sub(_sub(identification, "repositoryWrap"), "repositorySet", type="current")
    _legal_body(repository, "repositoryName", museum_name)
    _sub(repository, "workID", obj.inventory_number, type="inventory number")
    description = _sub(_sub(identification, "objectDescriptionWrap"), "objectDescriptionSet")
    for lang in _LANGS:
        if lang in obj.description:
            _sub(description, "descriptiveNoteValue", obj.description[lang], lang=lang)
    measurements = _sub(_sub(identification, "objectMeasurementsWrap"), "objectMeasurementsSet")
    _sub(measurements, "displayObjectMeasurements", obj.dimensions, lang="ru")

    event = _sub(_sub(_sub(descriptive, "eventWrap"), "eventSet"), "event")
    event_type = _sub(event, "eventType")
    _terms(event_type, {"en": "Production"}, uri=f"{_TERMS}eventType/production")
    if obj.creator:
        in_role = _sub(_sub(event, "eventActor"), "actorInRole")
        actor = _sub(in_role, "actor", type="person")
        _appellations(_sub(actor, "nameActorSet"), obj.creator_labels or {"kk": obj.creator})
        if obj.creator_role:
            _terms(_sub(in_role, "roleActor"), obj.creator_role)
    if obj.culture:
        _terms(_sub(event, "culture"), obj.culture)
    event_date = _sub(event, "eventDate")
    _sub(event_date, "displayDate", obj.date_display)
    date = _sub(event_date, "date")
    _sub(date, "earliestDate", obj.earliest)
    _sub(date, "latestDate", obj.latest)
    place = _sub(_sub(event, "eventPlace"), "place")
    _appellations(_sub(place, "namePlaceSet"), obj.place_labels or {"kk": obj.place})
    region = REGIONS.get(obj.region)
    part = _sub(place, "partOfPlace", politicalEntity="region")
    _sub(part, "placeID", obj.region, type="ISO 3166-2")
    if region is not None:
        names = {"kk": region.kk, "ru": region.ru, "en": region.en}
        _appellations(_sub(part, "namePlaceSet"), names)
    nation = _sub(part, "partOfPlace", politicalEntity="nation")
    _sub(nation, "placeID", "KZ", type="ISO 3166-1")
    _appellations(
        _sub(nation, "namePlaceSet"), {"kk": "Қазақстан", "ru": "Казахстан", "en": "Kazakhstan"}
    )
    if obj.materials or obj.techniques:
        materials_tech = _sub(_sub(event, "eventMaterialsTech"), "materialsTech")
        for material in obj.materials:
            term = _sub(materials_tech, "termMaterialsTech", type="material")
            _terms(term, material)
        for technique in obj.techniques:
            term = _sub(materials_tech, "termMaterialsTech", type="technique")
            _terms(term, technique)

    if obj.subjects:
        subjects = _sub(_sub(descriptive, "objectRelationWrap"), "subjectWrap")
        for subject in obj.subjects:
            concept = _sub(_sub(_sub(subjects, "subjectSet"), "subject"), "subjectConcept")
            _terms(concept, subject)

    administrative = _sub(root, "administrativeMetadata", lang="kk")
    rights_set = _sub(_sub(administrative, "rightsWorkWrap"), "rightsWorkSet")
    _terms(_sub(rights_set, "rightsType"), {"en": RIGHTS_LABELS.get(obj.rights, obj.rights)},
           uri=obj.rights)
    _legal_body(rights_set, "rightsHolder", museum_name)
    record = _sub(administrative, "recordWrap")
    _sub(record, "recordID", obj.local_id, type="local")
    _terms(_sub(record, "recordType"), {"en": "item"}, uri=f"{_TERMS}recordType/item")
    _legal_body(record, "recordSource", museum_name)
    info = _sub(record, "recordInfoSet")
    _sub(info, "recordMetadataDate", obj.datestamp.strftime("%Y-%m-%dT%H:%M:%SZ"), type="modified")
    media = [
        (obj.image_url, "image/jpeg", "image"),
        (obj.model_url, "model/gltf-binary", "3D model"),
        (obj.tour_url, "text/html", "virtual tour"),
    ]
    if any(url for url, _, _ in media):
        wrap = _sub(administrative, "resourceWrap")
        for url, mime, kind in media:
            if url:
                _resource(wrap, url, mime, kind, obj.rights)
    return etree.tostring(root, encoding="UTF-8", xml_declaration=False)


# --------------------------------------------------------------------------- oai_dc

OAI_DC_NS: Final = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS: Final = "http://purl.org/dc/elements/1.1/"
_OAI_DC_SCHEMA_LOCATION: Final = f"{OAI_DC_NS} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"


def to_oai_dc(obj: SampleObject) -> bytes:
    """One ``oai_dc:dc`` element: what a museum without LIDO export offers.

    Simple Dublin Core flattens the record, as real oai_dc feeds do: materials
    and dimensions both land in dc:format, the inventory number and the image
    URL both in dc:identifier, the place in dc:coverage.
    """
    root = etree.Element(
        f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": _XSI_NS}
    )
    root.set(f"{{{_XSI_NS}}}schemaLocation", _OAI_DC_SCHEMA_LOCATION)

    def dc(name: str, text: str, lang: str | None = None) -> None:
        element = etree.SubElement(root, f"{{{DC_NS}}}{name}")
        element.text = text
        if lang:
            element.set(_XML_LANG, lang)

    for lang in _LANGS:
        if lang in obj.titles:
            dc("title", obj.titles[lang], lang)
    if obj.creator:
        dc("creator", obj.creator)
    for subject in obj.subjects:
        for lang in _LANGS:
            dc("subject", subject[lang], lang)
    for lang in _LANGS:
        if lang in obj.description:
            dc("description", obj.description[lang], lang)
    dc("date", obj.date_display)
    for lang in _LANGS:
        if lang in obj.object_type:
            dc("type", obj.object_type[lang], lang)
    dc("type", "PhysicalObject")
    for lang in _LANGS:
        names = [m[lang] for m in obj.materials if lang in m]
        if names:
            dc("format", ", ".join(names), lang)
    dc("format", obj.dimensions)
    dc("identifier", obj.inventory_number)
    if obj.image_url:
        dc("identifier", obj.image_url)
    for url in (obj.model_url, obj.tour_url):
        if url:
            dc("relation", url)
    labels = obj.place_labels or {"kk": obj.place}
    for lang in _LANGS:
        if lang in labels:
            dc("coverage", labels[lang], lang)
    dc("rights", obj.rights)
    return etree.tostring(root, encoding="UTF-8", xml_declaration=False)


# --------------------------------------------------------------------------- CSV

ACCOUNTING_HEADERS: Final[tuple[str, ...]] = (
    "Инв. №",
    "Наименование",
    "Наименование (каз.)",
    "Наименование (англ.)",
    "Тип предмета",
    "Коллекция",
    "Материал",
    "Техника",
    "Датировка",
    "Размеры",
    "Автор",
    "Место создания",
    "Описание",
    "Изображение",
    "3D-модель",
    "Права",
)


def to_accounting_row(obj: SampleObject) -> dict[str, str]:
    """A row of the 'ru-accounting' export: Russian values, Kazakh and English titles aside.

    Accounting books are kept in Russian, so type, materials, date and place
    are the Russian labels; an unknown maker is an empty cell, not a made-up
    «неизвестный мастер».
    """
    dating = obj.date_labels.get("ru", obj.date_display)
    place = obj.place_labels.get("ru", obj.place)
    creator = (obj.creator_labels or {}).get("ru", obj.creator or "")
    values = (
        obj.inventory_number,
        obj.titles.get("ru", ""),
        obj.titles.get("kk", ""),
        obj.titles.get("en", ""),
        obj.object_type.get("ru", ""),
        obj.collection.get("ru", ""),
        ", ".join(m["ru"] for m in obj.materials),
        "; ".join(t["ru"] for t in obj.techniques),
        dating,
        obj.dimensions,
        creator,
        place,
        obj.description.get("ru", ""),
        obj.image_url or "",
        obj.model_url or "",
        obj.rights,
    )
    return dict(zip(ACCOUNTING_HEADERS, values, strict=True))


#: What Windows-1251 exports do with characters the code page lacks: the
#: Kazakh letters fall back to their Russian look-alikes, «×» to Cyrillic «х».
_SINGLE_BYTE_FALLBACK: Final[dict[str, str]] = {
    "ә": "а", "Ә": "А", "ғ": "г", "Ғ": "Г", "қ": "к", "Қ": "К", "ң": "н", "Ң": "Н",
    "ө": "о", "Ө": "О", "ұ": "у", "Ұ": "У", "ү": "у", "Ү": "У", "һ": "х", "Һ": "Х",
    "і": "и", "І": "И", "×": "х",
}


def _fallback_table(encoding: str) -> dict[int, str]:
    table: dict[int, str] = {}
    for char, substitute in _SINGLE_BYTE_FALLBACK.items():
        try:
            char.encode(encoding)
        except UnicodeEncodeError:
            table[ord(char)] = substitute
    return table


def write_csv(
    path: Path,
    rows: Sequence[dict[str, str]],
    *,
    encoding: str = "cp1251",
    delimiter: str = ";",
) -> None:
    """Write rows the way an Excel export on a Russian-locale Windows would.

    Characters the encoding cannot hold are replaced as such exports do
    (Kazakh letters by Russian look-alikes, anything else by «?»), so the
    demo's CSV path meets the same losses real museum files have.  Headers
    are the first row's keys; an empty export still gets the accounting
    headers because real empty exports keep their header line.
    """
    headers = list(rows[0]) if rows else list(ACCOUNTING_HEADERS)
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(
        buffer, fieldnames=headers, delimiter=delimiter, lineterminator="\r\n", extrasaction="raise"
    )
    writer.writeheader()
    writer.writerows(rows)
    text = buffer.getvalue().translate(_fallback_table(encoding))
    path.write_bytes(text.encode(encoding, errors="replace"))
