"""Where sample objects come from: towns and find spots in every region, with their labels.

Towns are places ethnographic objects can come from; bare sites (kurgans,
ruined towns, rock-art valleys) only host the archaeology that names them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from config.regions import REGIONS
from demo.samples.labels import Tri

__all__ = [
    "DEFAULT_PLACE_ROLE",
    "PLACES",
    "PLACE_ROLE",
    "REGION_CODES",
    "SITE_NOTES",
    "TOWNS_BY_REGION",
    "Place",
]


@dataclass(frozen=True, slots=True)
class Place:
    kk: str
    ru: str
    en: str
    region: str
    town: bool  # a settlement ethnographic objects can come from (not a bare site)


PLACES: Final[dict[str, Place]] = {
    "almaty": Place("Алматы", "Алматы", "Almaty", "KZ-75", True),
    "astana": Place("Астана", "Астана", "Astana", "KZ-71", True),
    "shymkent": Place("Шымкент", "Шымкент", "Shymkent", "KZ-79", True),
    "semey": Place("Семей", "Семей", "Semey", "KZ-10", True),
    "zhidebai": Place("Жидебай", "Жидебай", "Zhidebai", "KZ-10", True),
    "ayagoz": Place("Аягөз", "Аягоз", "Ayagoz", "KZ-10", True),
    "kokshetau": Place("Көкшетау", "Кокшетау", "Kokshetau", "KZ-11", True),
    "burabay": Place("Бурабай", "Бурабай", "Burabay", "KZ-11", True),
    "aktobe": Place("Ақтөбе", "Актобе", "Aktobe", "KZ-15", True),
    "irgiz": Place("Ырғыз", "Иргиз", "Irgiz", "KZ-15", True),
    "tasty_butak": Place("Тасты-Бұтақ", "Тасты-Бутак", "Tasty-Butak", "KZ-15", False),
    "konaev": Place("Қонаев", "Конаев", "Konayev", "KZ-19", True),
    "esik": Place("Есік", "Иссык", "Issyk", "KZ-19", False),
    "tamgaly": Place("Тамғалы", "Тамгалы", "Tamgaly", "KZ-19", False),
    "atyrau": Place("Атырау", "Атырау", "Atyrau", "KZ-23", True),
    "saraishyk": Place("Сарайшық", "Сарайчик", "Saraishyk", "KZ-23", False),
    "oral": Place("Орал", "Уральск", "Oral", "KZ-27", True),
    "zhympity": Place("Жымпиты", "Жымпиты", "Zhympity", "KZ-27", True),
    "taraz": Place("Тараз", "Тараз", "Taraz", "KZ-31", True),
    "akyrtas": Place("Ақыртас", "Акыртас", "Akyrtas", "KZ-31", False),
    "merke": Place("Мерке", "Мерке", "Merke", "KZ-31", True),
    "taldykorgan": Place("Талдықорған", "Талдыкорган", "Taldykorgan", "KZ-33", True),
    "zharkent": Place("Жаркент", "Жаркент", "Zharkent", "KZ-33", True),
    "eshkiolmes": Place("Ешкіөлмес", "Ешкиольмес", "Eshkiolmes", "KZ-33", False),
    "karaganda": Place("Қарағанды", "Караганда", "Karaganda", "KZ-35", True),
    "karkaraly": Place("Қарқаралы", "Каркаралинск", "Karkaraly", "KZ-35", True),
    "begazy": Place("Беғазы", "Бегазы", "Begazy", "KZ-35", False),
    "kostanay": Place("Қостанай", "Костанай", "Kostanay", "KZ-39", True),
    "torgai": Place("Торғай", "Тургай", "Torgai", "KZ-39", True),
    "alekseevka": Place("Алексеевка", "Алексеевка", "Alekseevka", "KZ-39", False),
    "kyzylorda": Place("Қызылорда", "Кызылорда", "Kyzylorda", "KZ-43", True),
    "syganak": Place("Сығанақ", "Сыгнак", "Syganak", "KZ-43", False),
    "zhankent": Place("Жанкент", "Джанкент", "Zhankent", "KZ-43", False),
    "aktau": Place("Ақтау", "Актау", "Aktau", "KZ-47", True),
    "fort_shevchenko": Place("Форт-Шевченко", "Форт-Шевченко", "Fort-Shevchenko", "KZ-47", True),
    "pavlodar": Place("Павлодар", "Павлодар", "Pavlodar", "KZ-55", True),
    "bayanaul": Place("Баянауыл", "Баянаул", "Bayanaul", "KZ-55", True),
    "petropavl": Place("Петропавл", "Петропавловск", "Petropavl", "KZ-59", True),
    "botai": Place("Ботай", "Ботай", "Botai", "KZ-59", False),
    "turkistan": Place("Түркістан", "Туркестан", "Turkistan", "KZ-61", True),
    "otrar": Place("Отырар", "Отрар", "Otrar", "KZ-61", False),
    "sauran": Place("Сауран", "Сауран", "Sauran", "KZ-61", False),
    "sairam": Place("Сайрам", "Сайрам", "Sairam", "KZ-61", True),
    "arpauzen": Place("Арпаөзен", "Арпа-Узень", "Arpauzen", "KZ-61", False),
    "zhezkazgan": Place("Жезқазған", "Жезказган", "Zhezkazgan", "KZ-62", True),
    "ulytau": Place("Ұлытау", "Улытау", "Ulytau", "KZ-62", True),
    "terekty": Place("Теректі әулие", "Теректы-Аулие", "Terekty Aulie", "KZ-62", False),
    "oskemen": Place("Өскемен", "Усть-Каменогорск", "Oskemen", "KZ-63", True),
    "berel": Place("Берел", "Берель", "Berel", "KZ-63", False),
    "shilikty": Place("Шілікті", "Шиликты", "Shilikty", "KZ-63", False),
}

TOWNS_BY_REGION: Final[dict[str, tuple[str, ...]]] = {
    code: tuple(key for key, p in PLACES.items() if p.region == code and p.town)
    for code in REGIONS
}
REGION_CODES: Final = tuple(sorted(REGIONS))

#: Short notes some find spots add to a description.
SITE_NOTES: Final[dict[str, Tri]] = {
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

PLACE_ROLE: Final[dict[str, Tri]] = {
    "archaeology": ("Табылған жері", "Место находки", "Find spot"),
    "numismatics": ("Табылған жері", "Место находки", "Find spot"),
    "photo": ("Түсірілген жері", "Место съёмки", "Place photographed"),
    "manuscripts": ("Жазылған жері", "Место написания", "Place written"),
}
DEFAULT_PLACE_ROLE: Final[Tri] = ("Жасалған жері", "Место создания", "Place made")
