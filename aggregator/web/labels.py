"""Interface words added for issue 10 (concepts, media, IIIF, 3D, the phone layout), in kk / ru / en.

They extend ``aggregator.web.i18n`` without editing it while its tables move
to a data file; ``page_strings`` is what templates get: these words over
i18n's, with i18n's English-then-key fallback for anything missing.
"""

from __future__ import annotations

from typing import Final

from aggregator.web.i18n import ui_strings

__all__ = ["ADDED_STRINGS", "page_strings"]

ADDED_STRINGS: Final[dict[str, dict[str, str]]] = {
    "en": {
        "show_filters": "Filters",
        "active_count": "active",
        "as_catalogued": "as catalogued",
        "in_museum_words": "museum's term",
        "licence": "Licence",
        "iiif_manifest": "IIIF manifest",
        "iiif_hint": "open in any IIIF viewer",
        "model_viewer": "Interactive 3D model: drag to turn, pinch or scroll to zoom",
        "download_model": "Download the 3D model (glTF)",
        "open_tour": "Open the virtual tour",
        "image_unavailable": "Image unavailable",
        "open_image": "Open the large image",
        "image_of": "Image of",
        "pager_gap": "pages in between",
        "facet_technique": "Technique",
    },
    "ru": {
        "show_filters": "Фильтры",
        "active_count": "выбрано",
        "as_catalogued": "в источнике",
        "in_museum_words": "термин музея",
        "licence": "Лицензия",
        "iiif_manifest": "Манифест IIIF",
        "iiif_hint": "открывается в любом просмотрщике IIIF",
        "model_viewer": "Интерактивная 3D-модель: поворот перетаскиванием, масштаб колесом или жестом",
        "download_model": "Скачать 3D-модель (glTF)",
        "open_tour": "Открыть виртуальный тур",
        "image_unavailable": "Изображение недоступно",
        "open_image": "Открыть большое изображение",
        "image_of": "Изображение:",
        "pager_gap": "пропущенные страницы",
        "facet_technique": "Техника",
    },
    "kk": {
        "show_filters": "Сүзгілер",
        "active_count": "таңдалған",
        "as_catalogued": "дереккөзде",
        "in_museum_words": "музей термині",
        "licence": "Лицензия",
        "iiif_manifest": "IIIF манифесі",
        "iiif_hint": "кез келген IIIF қарау құралында ашылады",
        "model_viewer": "Интерактивті 3D үлгі: бұру үшін сүйреңіз, үлкейту үшін дөңгелекті айналдырыңыз",
        "download_model": "3D үлгіні жүктеп алу (glTF)",
        "open_tour": "Виртуалды турды ашу",
        "image_unavailable": "Сурет қолжетімсіз",
        "open_image": "Үлкен суретті ашу",
        "image_of": "Сурет:",
        "pager_gap": "аралықтағы беттер",
        "facet_technique": "Техника",
    },
}


def page_strings(lang: str) -> dict[str, str]:
    """Every interface word of a page in ``lang`` (i18n's, then these); falls back to English, then the key."""
    strings = ui_strings(lang)
    strings.update(ADDED_STRINGS.get(lang, ADDED_STRINGS["en"]))
    return strings
