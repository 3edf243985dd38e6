"""Kazakhstan's 20 first-level units with their current ISO 3166-2:KZ codes.

The codes are the numeric ones in force since 2022 (the Debian iso-codes on
many machines still carry the old alphabetic ones, so they are kept here).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["REGIONS", "Region", "region_label"]


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    en: str
    kk: str
    ru: str
    kk_latn: str
    centre: str | None


REGIONS: dict[str, Region] = {
    r.code: r
    for r in (
        Region("KZ-10", "Abai Region", "Абай облысы", "Абайская область", "Abai oblysy", "Semey"),
        Region(
            "KZ-11",
            "Akmola Region",
            "Ақмола облысы",
            "Акмолинская область",
            "Aqmola oblysy",
            "Kokshetau",
        ),
        Region(
            "KZ-15",
            "Aktobe Region",
            "Ақтөбе облысы",
            "Актюбинская область",
            "Aqtöbe oblysy",
            "Aktobe",
        ),
        Region(
            "KZ-19",
            "Almaty Region",
            "Алматы облысы",
            "Алматинская область",
            "Almaty oblysy",
            "Qonaev",
        ),
        Region(
            "KZ-23",
            "Atyrau Region",
            "Атырау облысы",
            "Атырауская область",
            "Atyrau oblysy",
            "Atyrau",
        ),
        Region(
            "KZ-27",
            "West Kazakhstan Region",
            "Батыс Қазақстан облысы",
            "Западно-Казахстанская область",
            "Batys Qazaqstan oblysy",
            "Oral",
        ),
        Region(
            "KZ-31",
            "Jambyl Region",
            "Жамбыл облысы",
            "Жамбылская область",
            "Jambyl oblysy",
            "Taraz",
        ),
        Region(
            "KZ-33",
            "Jetisu Region",
            "Жетісу облысы",
            "Жетысуская область",
            "Jetısu oblysy",
            "Taldykorgan",
        ),
        Region(
            "KZ-35",
            "Karaganda Region",
            "Қарағанды облысы",
            "Карагандинская область",
            "Qarağandy oblysy",
            "Karaganda",
        ),
        Region(
            "KZ-39",
            "Kostanay Region",
            "Қостанай облысы",
            "Костанайская область",
            "Qostanai oblysy",
            "Kostanay",
        ),
        Region(
            "KZ-43",
            "Kyzylorda Region",
            "Қызылорда облысы",
            "Кызылординская область",
            "Qyzylorda oblysy",
            "Kyzylorda",
        ),
        Region(
            "KZ-47",
            "Mangystau Region",
            "Маңғыстау облысы",
            "Мангистауская область",
            "Mañğystau oblysy",
            "Aktau",
        ),
        Region(
            "KZ-55",
            "Pavlodar Region",
            "Павлодар облысы",
            "Павлодарская область",
            "Pavlodar oblysy",
            "Pavlodar",
        ),
        Region(
            "KZ-59",
            "North Kazakhstan Region",
            "Солтүстік Қазақстан облысы",
            "Северо-Казахстанская область",
            "Soltüstık Qazaqstan oblysy",
            "Petropavl",
        ),
        Region(
            "KZ-61",
            "Turkistan Region",
            "Түркістан облысы",
            "Туркестанская область",
            "Türkıstan oblysy",
            "Turkistan",
        ),
        Region(
            "KZ-62",
            "Ulytau Region",
            "Ұлытау облысы",
            "Улытауская область",
            "Ūlytau oblysy",
            "Zhezkazgan",
        ),
        Region(
            "KZ-63",
            "East Kazakhstan Region",
            "Шығыс Қазақстан облысы",
            "Восточно-Казахстанская область",
            "Şyğys Qazaqstan oblysy",
            "Oskemen",
        ),
        Region("KZ-71", "Astana", "Астана", "Астана", "Astana", None),
        Region("KZ-75", "Almaty", "Алматы", "Алматы", "Almaty", None),
        Region("KZ-79", "Shymkent", "Шымкент", "Шымкент", "Şymkent", None),
    )
}


def region_label(code: str, lang: str = "en") -> str:
    region = REGIONS.get(code)
    if region is None:
        return code
    return {"kk": region.kk, "ru": region.ru, "kk-Latn": region.kk_latn}.get(lang, region.en)
