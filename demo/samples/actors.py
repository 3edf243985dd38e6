"""The makers a sample object may name: real artists, a photographer and a copyist.

Their life and working dates are real; what the demo attributes to them is
generic (genre titles), never a claim about a particular piece.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from demo.samples.labels import Tri

__all__ = ["ACTORS", "Actor"]


@dataclass(frozen=True, slots=True)
class Actor:
    name: Tri
    born: int
    died: int
    active: tuple[int, int]
    role: Tri
    public_domain: bool  # died more than 70 years ago


_PAINTER: Final[Tri] = ("суретші", "художник", "painter")

ACTORS: Final[dict[str, Actor]] = {
    "kasteev": Actor(
        ("Әбілхан Қастеев", "Абылхан Кастеев", "Abylkhan Kasteev"),
        1904, 1973, (1930, 1972), _PAINTER, False,
    ),
    "galymbayeva": Actor(
        ("Айша Ғалымбаева", "Айша Галимбаева", "Aisha Galymbayeva"),
        1917, 2008, (1945, 1995), _PAINTER, False,
    ),
    "telzhanov": Actor(
        ("Қанапия Телжанов", "Канафия Тельжанов", "Kanafiya Telzhanov"),
        1927, 2013, (1952, 2005), _PAINTER, False,
    ),
    "ismailova": Actor(
        ("Гүлфайрус Ысмайылова", "Гульфайрус Исмаилова", "Gulfairus Ismailova"),
        1929, 2013, (1955, 2005), _PAINTER, False,
    ),
    "aitbayev": Actor(
        ("Салихитдин Айтбаев", "Салихитдин Айтбаев", "Salikhitdin Aitbayev"),
        1938, 1994, (1962, 1993), _PAINTER, False,
    ),
    "kenbayev": Actor(
        ("Молдахмет Кенбаев", "Молдахмет Кенбаев", "Moldakhmet Kenbayev"),
        1925, 1999, (1950, 1998), _PAINTER, False,
    ),
    "khludov": Actor(
        ("Николай Хлудов", "Николай Хлудов", "Nikolai Khludov"),
        1850, 1935, (1880, 1934), _PAINTER, True,
    ),
    "dudin": Actor(
        ("Самуил Дудин", "Самуил Дудин", "Samuil Dudin"),
        1863, 1929, (1895, 1915), ("фотограф", "фотограф", "photographer"), True,
    ),
    "murseit": Actor(
        ("Мүрсейіт Бікеұлы", "Мурсеит Бикеулы", "Murseit Bikeuly"),
        1860, 1917, (1905, 1910), ("көшіруші", "переписчик", "copyist"), True,
    ),
}
