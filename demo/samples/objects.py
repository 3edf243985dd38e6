"""The sample objects of one museum, drawn from the templates with a seeded generator.

Everything is derived from ``random.Random`` seeded with the museum id and the
seed, never from the clock or from ``hash()`` (salted per process), so the
same call yields the same objects on every machine.  The order of the draws
is part of the output: changing it changes every fund.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Final

from config.regions import REGIONS
from demo.samples.actors import ACTORS, Actor
from demo.samples.dating import Spec, choose_dating, iso_year
from demo.samples.labels import by_language
from demo.samples.places import DEFAULT_PLACE_ROLE, PLACE_ROLE, PLACES, REGION_CODES, SITE_NOTES, TOWNS_BY_REGION
from demo.samples.randomness import between, pick
from demo.samples.rights import RIGHTS_IN_COPYRIGHT, RIGHTS_OPEN, RIGHTS_PUBLIC_DOMAIN
from demo.samples.templates import Template, Variant, templates
from demo.samples.vocabulary import COLLECTIONS, INVENTORY_SERIES, MATERIALS, SUBJECTS, TECHNIQUES

__all__ = [
    "DELETED_SHARE",
    "IMAGE_SHARE",
    "MODEL_SHARE_OF_IMAGED",
    "TOUR_SHARE",
    "SampleObject",
    "generate_museum_objects",
]


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


def _choose_place(
    rng: random.Random, template: Template, variant: Variant, region: str
) -> str:
    """A find spot for archaeology, else a town, leaning towards the museum's own region.

    Regional museums collect mostly from their own region, but every fund
    holds gifts and purchases from elsewhere; the lean keeps both true.
    """
    sites = variant.sites or template.sites
    if sites:
        local = [s for s in sites if PLACES[s].region == region]
        if local and rng.random() < 0.6:
            return pick(rng, local)
        return pick(rng, sites)
    towns = TOWNS_BY_REGION.get(region, ())
    if towns and rng.random() < 0.5:
        return pick(rng, towns)
    return pick(rng, TOWNS_BY_REGION[pick(rng, REGION_CODES)])


def _dimensions(rng: random.Random, spec: Spec) -> str:
    """Dimensions as Russian accounting books write them (height first)."""
    kind = spec[0]
    if kind == "coin":
        diameter = between(rng, *spec[1])
        weight = f"{rng.uniform(*spec[2]):.2f}".replace(".", ",")
        return f"диам. {diameter} мм; {weight} г"
    values = [between(rng, lo, hi) for lo, hi in spec[1:]]
    if kind == "l":
        return f"дл. {values[0]} см"
    if kind == "h":
        return f"выс. {values[0]} см"
    if kind == "dia":
        return f"диам. {values[0]} {'мм' if values[0] > 40 else 'см'}"
    return " × ".join(str(v) for v in values) + " см"


def _inventory(template: Template, number: int, rng: random.Random) -> str:
    series = INVENTORY_SERIES.get(template.collection)
    if series is None:
        return f"КП {number}"
    if template.collection == "archaeology":
        return f"КП {number}/{series}-{between(rng, 1, 60)}"
    return f"{series}-{number}"


def _rights(rng: random.Random, creator: Actor | None, template: Template) -> str:
    if creator is not None:
        return RIGHTS_PUBLIC_DOMAIN if creator.public_domain else RIGHTS_IN_COPYRIGHT
    if template.collection in ("photo", "manuscripts"):
        return RIGHTS_PUBLIC_DOMAIN
    uris = [uri for uri, _ in RIGHTS_OPEN]
    return rng.choices(uris, [weight for _, weight in RIGHTS_OPEN])[0]


def _template_weights(region: str) -> list[float]:
    return [t.weight * (4.0 if region in t.home_regions else 1.0) for t in templates()]


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
    chosen = rng.choices(templates(), weights, k=count)
    inventory_start = rng.randrange(1000, 20000)
    objects: list[SampleObject] = []
    for index, template in enumerate(chosen):
        local_id = f"{index + 1:06d}"
        variant = pick(rng, template.variants)
        materials = variant.materials or pick(rng, template.materials)
        techniques = variant.techniques or pick(rng, template.techniques)
        place_key = _choose_place(rng, template, variant, region)
        place = PLACES[place_key]

        actor: Actor | None = None
        creator_pool = variant.creators or template.creators
        if creator_pool and rng.random() < template.creator_share:
            actor = ACTORS[pick(rng, creator_pool)]

        periods = variant.periods or template.site_periods.get(place_key) or template.periods
        spec = pick(rng, periods)
        if spec[0] == "artist":
            spec = ("pick", *actor.active) if actor else ("c", 20, 20)
        dating = choose_dating(spec, rng)
        roll = rng.random()
        style = 0 if roll < _DATE_STYLE_KK else 1 if roll < _DATE_STYLE_KK_OR_RU else 2

        has_image = rng.random() < IMAGE_SHARE
        has_model = has_image and rng.random() < MODEL_SHARE_OF_IMAGED
        has_tour = rng.random() < TOUR_SHARE
        deleted = rng.random() < DELETED_SHARE

        culture = template.site_culture.get(place_key) or template.culture
        role = PLACE_ROLE.get(template.collection, DEFAULT_PLACE_ROLE)
        note = SITE_NOTES.get(place_key)
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
        object_type = by_language(template.object_type)
        if template.type_uri:
            object_type["uri"] = template.type_uri

        # numbers rise with the index and never collide, as in an accessions book
        inventory_number = inventory_start + 2 * index + between(rng, 0, 1)
        modified = _DATESTAMP_BASE + timedelta(seconds=int(rng.random() * _DATESTAMP_SPAN))
        objects.append(
            SampleObject(
                museum_id=museum_id,
                local_id=local_id,
                inventory_number=_inventory(template, inventory_number, rng),
                titles=by_language(variant.title),
                object_type=object_type,
                materials=[by_language(MATERIALS[m]) for m in materials],
                techniques=[by_language(TECHNIQUES[t]) for t in techniques],
                date_display=dating.labels[style],
                earliest=iso_year(dating.earliest),
                latest=iso_year(dating.latest),
                creator=actor.name[0] if actor else None,
                creator_role=by_language(actor.role) if actor else None,
                place=place.kk,
                region=place.region,
                description=description,
                dimensions=_dimensions(rng, variant.dims or template.dims),
                image_url=f"{base}/media/{museum_id}/{local_id}.jpg" if has_image else None,
                model_url=f"{base}/media/{museum_id}/{local_id}.glb" if has_model else None,
                tour_url=f"{base}/tours/{museum_id}/hall-{between(rng, 1, 6)}.html"
                if has_tour
                else None,
                rights=_rights(rng, actor, template),
                deleted=deleted,
                datestamp=modified,
                collection=by_language(COLLECTIONS[template.collection]),
                subjects=[by_language(SUBJECTS[s]) for s in subject_keys],
                culture=by_language(culture) if culture else None,
                date_labels=by_language(dating.labels),
                place_labels=by_language(place_tri),
                creator_labels=by_language(actor.name) if actor else None,
            )
        )
    return objects
