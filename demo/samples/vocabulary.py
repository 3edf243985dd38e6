"""The controlled words of the sample funds: materials, techniques, collections, subjects.

Keys are what the object templates refer to; values are the (kk, ru, en)
labels the records carry.
"""

from __future__ import annotations

from typing import Final

from demo.samples.labels import Tri

__all__ = ["COLLECTIONS", "INVENTORY_SERIES", "MATERIALS", "SUBJECTS", "TECHNIQUES"]

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
INVENTORY_SERIES: Final[dict[str, str]] = {
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
