"""Small core records for specifications of the store, the index and the outputs."""

from __future__ import annotations

from mappings.core import CoreRecord, LangText, Media, MediaKind, Production, SourceInfo, Term

__all__ = ["make_record"]


def make_record(
    local_id: str,
    *,
    museum_id: str = "kz-test-museum",
    titles: dict[str, str] | None = None,
    object_type: str = "vessel",
    materials: tuple[str, ...] = (),
    earliest: str | None = None,
    latest: str | None = None,
    image: bool = False,
    model: bool = False,
    description: str | None = None,
) -> CoreRecord:
    """A small core record for index and store specifications."""
    return CoreRecord(
        id=f"{museum_id}:{local_id}",
        museum_id=museum_id,
        local_id=local_id,
        inventory_number=f"KP-{local_id}",
        titles=[
            LangText(value=v, lang=k) for k, v in (titles or {"en": f"Object {local_id}"}).items()
        ],
        descriptions=[LangText(value=description, lang="ru")] if description else [],
        object_type=[Term(labels={"en": object_type})],
        materials=[Term(labels={"en": m}) for m in materials],
        production=Production(earliest=earliest, latest=latest) if earliest or latest else None,
        media=[
            *(
                [Media(url=f"https://img.example/{local_id}.jpg", kind=MediaKind.IMAGE)]
                if image
                else []
            ),
            *(
                [Media(url=f"https://img.example/{local_id}.glb", kind=MediaKind.MODEL_3D)]
                if model
                else []
            ),
        ],
        source=SourceInfo(format="lido", mapping_version="test/1"),
    )
