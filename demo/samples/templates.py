"""The object templates a sample fund is drawn from.

A template is one kind of object a Kazakh fund holds many of (kebeje,
dombyra, Saka gold plaque...) with the titles it repeats, and what a title
may narrow: materials, dates, places, makers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from demo.samples.dating import Spec
from demo.samples.labels import Tri

__all__ = ["TEMPLATES", "Template", "Variant"]


@dataclass(frozen=True, slots=True)
class Variant:
    """A title a fund repeats; may narrow the template's materials, dates, places, makers."""

    title: Tri
    materials: tuple[str, ...] | None = None
    techniques: tuple[str, ...] | None = None
    periods: tuple[Spec, ...] | None = None
    sites: tuple[str, ...] | None = None
    creators: tuple[str, ...] | None = None
    subjects: tuple[str, ...] | None = None
    dims: Spec | None = None


def _v(kk: str, ru: str, en: str, **narrowing: Spec) -> Variant:
    return Variant((kk, ru, en), **narrowing)


@dataclass(frozen=True, slots=True)
class Template:
    key: str
    collection: str
    object_type: Tri
    variants: tuple[Variant, ...]
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

TEMPLATES: Final[tuple[Template, ...]] = (
    Template(
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
    Template(
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
    Template(
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
    Template(
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
    Template(
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
    Template(
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
    Template(
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
    Template(
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
    Template(
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
    Template(
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
    Template(
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
    Template(
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
    Template(
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
    Template(
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
    Template(
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
    Template(
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
    Template(
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
    Template(
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
    Template(
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
    Template(
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
    Template(
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
    Template(
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
    Template(
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
    Template(
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
    Template(
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
    Template(
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
    Template(
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
    Template(
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
    Template(
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
