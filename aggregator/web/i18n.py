"""The interface in Kazakh, Russian and English: UI strings and human labels for facet values.

Researchers in Kazakhstan work in all three languages, so every word the page
itself prints comes from here, and a missing translation falls back to
English instead of printing a key.  Museum data is never translated: it is
shown in the language the museum wrote it in.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "DEFAULT_LANG",
    "LANGUAGES",
    "UI_STRINGS",
    "century_label",
    "lang_preference",
    "roman",
    "ui_strings",
]

LANGUAGES: Final = ("kk", "ru", "en")
DEFAULT_LANG: Final = "kk"

_EN: Final[dict[str, str]] = {
    "site_title": "National Museum Catalogue of Kazakhstan",
    "site_tagline": "Objects from museums in every region, in one search",
    "search": "Search",
    "search_placeholder": "Search objects, in Kazakh, Russian or English",
    "search_label": "Search the catalogue",
    "results": "results",
    "no_results": "No objects match this search.",
    "filters": "Filters",
    "active_filters": "Active filters",
    "remove_filter": "Remove filter",
    "clear_all": "Clear all",
    "facet_region": "Region",
    "facet_museum": "Museum",
    "facet_object_type": "Object type",
    "facet_material": "Material",
    "facet_technique": "Technique",
    "facet_century": "Century",
    "facet_has_image": "Has image",
    "facet_has_3d": "Has 3D model",
    "yes": "yes",
    "no": "no",
    "sort": "Sort",
    "sort_relevance": "Relevance",
    "sort_title": "Title",
    "sort_date": "Date (oldest first)",
    "sort_-date": "Date (newest first)",
    "apply": "Apply",
    "year_from": "From year",
    "year_to": "To year",
    "year_hint": "negative for BCE",
    "previous": "Previous",
    "next": "Next",
    "page": "Page",
    "of": "of",
    "language": "Language",
    "no_image": "No image",
    "model_3d": "3D",
    "back_to_search": "Back to search",
    "not_found": "Not found",
    "object_not_found": "There is no object with this id in the catalogue.",
    "bad_request": "This search cannot be run",
    "server_error": "Something went wrong on our side",
    "titles": "Titles",
    "descriptions": "Descriptions",
    "inscriptions": "Inscriptions",
    "inventory_number": "Inventory number",
    "museum": "Museum",
    "region": "Region",
    "repository": "Repository",
    "object_type": "Object type",
    "classification": "Classification",
    "dating": "Dating",
    "date_display": "Date",
    "earliest": "Earliest",
    "latest": "Latest",
    "places": "Places",
    "culture": "Culture",
    "period": "Period",
    "actors": "People and organisations",
    "role": "role",
    "materials": "Materials",
    "techniques": "Techniques",
    "measurements": "Measurements",
    "subjects": "Subjects",
    "rights": "Rights",
    "rights_holder": "Rights holder",
    "credit_line": "Credit line",
    "media": "Media",
    "images": "Images",
    "models_3d": "3D models",
    "virtual_tours": "Virtual tours",
    "other_media": "Other media",
    "open": "Open",
    "links": "Links",
    "object_page": "Object page at the museum",
    "published_ids": "Published identifiers",
    "provenance": "Record provenance",
    "source_format": "Source format",
    "oai_identifier": "OAI identifier",
    "datestamp": "Datestamp",
    "harvested_at": "Harvested at",
    "mapping_version": "Mapping version",
    "schema_version": "Schema version",
    "exports": "Download this record",
    "export_lido": "LIDO XML",
    "export_jsonld": "Linked Art JSON-LD",
    "export_turtle": "RDF Turtle",
    "export_json": "Core JSON",
    "api_docs": "API",
    "oai_pmh": "OAI-PMH",
    "footer": "Data: the museums of Kazakhstan. Open to researchers through the API and OAI-PMH.",
    "skip_to_results": "Skip to results",
}

_RU: Final[dict[str, str]] = {
    "site_title": "Национальный музейный каталог Казахстана",
    "site_tagline": "Предметы из музеев всех регионов в одном поиске",
    "search": "Найти",
    "search_placeholder": "Поиск предметов на казахском, русском или английском",
    "search_label": "Поиск по каталогу",
    "results": "результатов",
    "no_results": "По этому запросу ничего не найдено.",
    "filters": "Фильтры",
    "active_filters": "Выбранные фильтры",
    "remove_filter": "Убрать фильтр",
    "clear_all": "Сбросить всё",
    "facet_region": "Регион",
    "facet_museum": "Музей",
    "facet_object_type": "Тип предмета",
    "facet_material": "Материал",
    "facet_technique": "Техника",
    "facet_century": "Век",
    "facet_has_image": "Есть изображение",
    "facet_has_3d": "Есть 3D-модель",
    "yes": "да",
    "no": "нет",
    "sort": "Сортировка",
    "sort_relevance": "По релевантности",
    "sort_title": "По названию",
    "sort_date": "По дате (сначала старые)",
    "sort_-date": "По дате (сначала новые)",
    "apply": "Применить",
    "year_from": "С года",
    "year_to": "По год",
    "year_hint": "отрицательный — до н. э.",
    "previous": "Назад",
    "next": "Далее",
    "page": "Страница",
    "of": "из",
    "language": "Язык",
    "no_image": "Нет изображения",
    "model_3d": "3D",
    "back_to_search": "К поиску",
    "not_found": "Не найдено",
    "object_not_found": "В каталоге нет предмета с таким идентификатором.",
    "bad_request": "Этот запрос нельзя выполнить",
    "server_error": "Ошибка на стороне сервера",
    "titles": "Названия",
    "descriptions": "Описания",
    "inscriptions": "Надписи",
    "inventory_number": "Инвентарный номер",
    "museum": "Музей",
    "region": "Регион",
    "repository": "Место хранения",
    "object_type": "Тип предмета",
    "classification": "Классификация",
    "dating": "Датировка",
    "date_display": "Дата",
    "earliest": "Не ранее",
    "latest": "Не позднее",
    "places": "Места",
    "culture": "Культура",
    "period": "Период",
    "actors": "Лица и организации",
    "role": "роль",
    "materials": "Материалы",
    "techniques": "Техники",
    "measurements": "Размеры",
    "subjects": "Сюжеты и темы",
    "rights": "Права",
    "rights_holder": "Правообладатель",
    "credit_line": "Указание источника",
    "media": "Медиа",
    "images": "Изображения",
    "models_3d": "3D-модели",
    "virtual_tours": "Виртуальные туры",
    "other_media": "Другие материалы",
    "open": "Открыть",
    "links": "Ссылки",
    "object_page": "Страница предмета в музее",
    "published_ids": "Опубликованные идентификаторы",
    "provenance": "Происхождение записи",
    "source_format": "Исходный формат",
    "oai_identifier": "Идентификатор OAI",
    "datestamp": "Отметка времени",
    "harvested_at": "Получено",
    "mapping_version": "Версия преобразования",
    "schema_version": "Версия схемы",
    "exports": "Скачать запись",
    "export_lido": "LIDO XML",
    "export_jsonld": "Linked Art JSON-LD",
    "export_turtle": "RDF Turtle",
    "export_json": "JSON (ядро)",
    "api_docs": "API",
    "oai_pmh": "OAI-PMH",
    "footer": "Данные: музеи Казахстана. Открыты исследователям через API и OAI-PMH.",
    "skip_to_results": "К результатам",
}

_KK: Final[dict[str, str]] = {
    "site_title": "Қазақстанның ұлттық музей каталогы",
    "site_tagline": "Барлық өңірлердегі музей заттары бір іздеуде",
    "search": "Іздеу",
    "search_placeholder": "Заттарды қазақ, орыс немесе ағылшын тілінде іздеңіз",
    "search_label": "Каталогтан іздеу",
    "results": "нәтиже",
    "no_results": "Бұл сұрауға сәйкес зат табылмады.",
    "filters": "Сүзгілер",
    "active_filters": "Таңдалған сүзгілер",
    "remove_filter": "Сүзгіні алып тастау",
    "clear_all": "Барлығын тазарту",
    "facet_region": "Өңір",
    "facet_museum": "Музей",
    "facet_object_type": "Зат түрі",
    "facet_material": "Материал",
    "facet_technique": "Техника",
    "facet_century": "Ғасыр",
    "facet_has_image": "Суреті бар",
    "facet_has_3d": "3D үлгісі бар",
    "yes": "иә",
    "no": "жоқ",
    "sort": "Сұрыптау",
    "sort_relevance": "Сәйкестігі бойынша",
    "sort_title": "Атауы бойынша",
    "sort_date": "Күні бойынша (ескісі бірінші)",
    "sort_-date": "Күні бойынша (жаңасы бірінші)",
    "apply": "Қолдану",
    "year_from": "Жылдан бастап",
    "year_to": "Жылға дейін",
    "year_hint": "теріс сан — б.з.д.",
    "previous": "Алдыңғы",
    "next": "Келесі",
    "page": "Бет",
    "of": "/",
    "language": "Тіл",
    "no_image": "Суреті жоқ",
    "model_3d": "3D",
    "back_to_search": "Іздеуге оралу",
    "not_found": "Табылмады",
    "object_not_found": "Каталогта мұндай идентификаторы бар зат жоқ.",
    "bad_request": "Бұл сұрауды орындау мүмкін емес",
    "server_error": "Сервер жағында қате шықты",
    "titles": "Атаулары",
    "descriptions": "Сипаттамалары",
    "inscriptions": "Жазулар",
    "inventory_number": "Түгендеу нөмірі",
    "museum": "Музей",
    "region": "Өңір",
    "repository": "Сақталатын орны",
    "object_type": "Зат түрі",
    "classification": "Жіктелуі",
    "dating": "Мерзімі",
    "date_display": "Күні",
    "earliest": "Ерте шегі",
    "latest": "Кеш шегі",
    "places": "Орындар",
    "culture": "Мәдениет",
    "period": "Кезең",
    "actors": "Тұлғалар мен ұйымдар",
    "role": "рөлі",
    "materials": "Материалдары",
    "techniques": "Техникалары",
    "measurements": "Өлшемдері",
    "subjects": "Тақырыптары",
    "rights": "Құқықтар",
    "rights_holder": "Құқық иесі",
    "credit_line": "Дереккөзді көрсету",
    "media": "Медиа",
    "images": "Суреттер",
    "models_3d": "3D үлгілер",
    "virtual_tours": "Виртуалды турлар",
    "other_media": "Басқа материалдар",
    "open": "Ашу",
    "links": "Сілтемелер",
    "object_page": "Музейдегі зат беті",
    "published_ids": "Жарияланған идентификаторлар",
    "provenance": "Жазбаның шығу тегі",
    "source_format": "Бастапқы формат",
    "oai_identifier": "OAI идентификаторы",
    "datestamp": "Уақыт белгісі",
    "harvested_at": "Алынған уақыты",
    "mapping_version": "Түрлендіру нұсқасы",
    "schema_version": "Схема нұсқасы",
    "exports": "Жазбаны жүктеу",
    "export_lido": "LIDO XML",
    "export_jsonld": "Linked Art JSON-LD",
    "export_turtle": "RDF Turtle",
    "export_json": "JSON (негізгі)",
    "api_docs": "API",
    "oai_pmh": "OAI-PMH",
    "footer": "Деректер: Қазақстан музейлері. Зерттеушілерге API және OAI-PMH арқылы ашық.",
    "skip_to_results": "Нәтижелерге өту",
}

UI_STRINGS: Final[dict[str, dict[str, str]]] = {"kk": _KK, "ru": _RU, "en": _EN}

_ROMAN: Final = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


class _Fallback(dict[str, str]):
    """A lookup that falls back to English, then to the key, so a gap never breaks a page."""

    def __missing__(self, key: str) -> str:
        return _EN.get(key, key)


def ui_strings(lang: str) -> dict[str, str]:
    return _Fallback(UI_STRINGS.get(lang, _EN))


def lang_preference(lang: str) -> tuple[str, ...]:
    """The order in which to pick a label: the reader's language first, then the others."""
    first = lang if lang in LANGUAGES else DEFAULT_LANG
    return (first, *(other for other in ("kk", "ru", "en") if other != first), "und")


def roman(number: int) -> str:
    if number <= 0:
        raise ValueError(f"roman numerals start at 1, not {number}")
    out = []
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def century_label(century: int, lang: str = "en") -> str:
    """``19`` -> "XIX c.", ``-5`` -> "V c. BCE" (ordinal centuries as the index stores them)."""
    if century == 0:
        raise ValueError("there is no century 0")
    numeral = roman(abs(century))
    bce = century < 0
    if lang == "ru":
        return f"{numeral} в. до н. э." if bce else f"{numeral} в."
    if lang == "kk":
        return f"б.з.д. {numeral} ғ." if bce else f"{numeral} ғ."
    return f"{numeral} c. BCE" if bce else f"{numeral} c."
