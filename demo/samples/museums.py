"""The demo's sample museums: ids, names in three languages, region and city."""

from __future__ import annotations

from typing import Any, Final

__all__ = ["SAMPLE_MUSEUMS"]

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
