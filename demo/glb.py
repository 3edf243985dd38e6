"""A small yurt as a binary glTF 2.0 file (.glb), written with the standard library.

The demo's museums offer 3D models; the object page shows them in an
interactive viewer, so the demo needs a real model the viewer can load.  A
yurt is a felt wall (a cylinder) under a roof (a cone) with a crown ring: a
few hundred triangles, the same bytes on every machine.
"""

from __future__ import annotations

import json
import math
import struct
from typing import Any

__all__ = ["yurt_glb"]

Vec = tuple[float, float, float]
_SIDES = 32


def _wall(radius: float, height: float) -> tuple[list[Vec], list[Vec], list[int]]:
    positions: list[Vec] = []
    normals: list[Vec] = []
    indices: list[int] = []
    for i in range(_SIDES + 1):
        angle = 2 * math.pi * i / _SIDES
        x, z = math.cos(angle), math.sin(angle)
        positions += [(radius * x, 0.0, radius * z), (radius * x, height, radius * z)]
        normals += [(x, 0.0, z), (x, 0.0, z)]
    for i in range(_SIDES):
        a, b, c, d = 2 * i, 2 * i + 1, 2 * i + 2, 2 * i + 3
        indices += [a, b, c, b, d, c]
    return positions, normals, indices


def _roof(radius: float, base: float, peak: float, crown: float) -> tuple[list[Vec], list[Vec], list[int]]:
    """A cone from the wall's top to a crown ring (shangyraq) below the peak."""
    positions: list[Vec] = []
    normals: list[Vec] = []
    indices: list[int] = []
    slope = math.atan2(radius - crown, peak - base)
    for i in range(_SIDES + 1):
        angle = 2 * math.pi * i / _SIDES
        x, z = math.cos(angle), math.sin(angle)
        normal = (x * math.cos(slope), math.sin(slope), z * math.cos(slope))
        positions += [(radius * x, base, radius * z), (crown * x, peak, crown * z)]
        normals += [normal, normal]
    for i in range(_SIDES):
        a, b, c, d = 2 * i, 2 * i + 1, 2 * i + 2, 2 * i + 3
        indices += [a, c, b, b, c, d]
    centre = len(positions)  # the crown's cover, a flat disc facing up
    positions.append((0.0, peak + 0.02, 0.0))
    normals.append((0.0, 1.0, 0.0))
    for i in range(_SIDES + 1):
        angle = 2 * math.pi * i / _SIDES
        positions.append((crown * math.cos(angle), peak + 0.02, crown * math.sin(angle)))
        normals.append((0.0, 1.0, 0.0))
    for i in range(_SIDES):
        indices += [centre, centre + 2 + i, centre + 1 + i]
    return positions, normals, indices


def _pad(data: bytes, filler: bytes) -> bytes:
    return data + filler * (-len(data) % 4)


def yurt_glb(wall_rgb: tuple[float, float, float] = (0.93, 0.89, 0.80)) -> bytes:
    """The yurt as .glb bytes; ``wall_rgb`` colours the felt (0..1 per channel)."""
    parts = [
        (_wall(1.0, 0.55), [*wall_rgb, 1.0]),
        (_roof(1.02, 0.55, 1.05, 0.18), [0.55, 0.16, 0.12, 1.0]),
    ]
    binary = b""
    views: list[dict[str, Any]] = []
    accessors: list[dict[str, Any]] = []
    primitives: list[dict[str, Any]] = []
    materials: list[dict[str, Any]] = []
    for (positions, normals, indices), colour in parts:
        first = len(accessors)
        for kind, values in (("POSITION", positions), ("NORMAL", normals)):
            chunk = b"".join(struct.pack("<3f", *v) for v in values)
            views.append({"buffer": 0, "byteOffset": len(binary), "byteLength": len(chunk), "target": 34962})
            accessor: dict[str, Any] = {
                "bufferView": len(views) - 1, "componentType": 5126, "count": len(values), "type": "VEC3",
            }  # fmt: skip
            if kind == "POSITION":
                accessor["min"] = [min(v[i] for v in values) for i in range(3)]
                accessor["max"] = [max(v[i] for v in values) for i in range(3)]
            accessors.append(accessor)
            binary += chunk
        chunk = _pad(struct.pack(f"<{len(indices)}H", *indices), b"\x00")
        views.append({"buffer": 0, "byteOffset": len(binary), "byteLength": len(indices) * 2, "target": 34963})
        accessors.append({"bufferView": len(views) - 1, "componentType": 5123, "count": len(indices), "type": "SCALAR"})
        binary += chunk
        materials.append(
            {"pbrMetallicRoughness": {"baseColorFactor": colour, "metallicFactor": 0.0, "roughnessFactor": 0.9},
             "doubleSided": True}
        )  # fmt: skip
        primitives.append(
            {"attributes": {"POSITION": first, "NORMAL": first + 1}, "indices": first + 2,
             "material": len(materials) - 1}
        )  # fmt: skip
    document = {
        "asset": {"version": "2.0", "generator": "emuseum demo (demo/glb.py)"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0, "name": "yurt"}],
        "meshes": [{"name": "yurt", "primitives": primitives}],
        "materials": materials,
        "buffers": [{"byteLength": len(binary)}],
        "bufferViews": views,
        "accessors": accessors,
    }
    json_chunk = _pad(json.dumps(document, separators=(",", ":")).encode("utf-8"), b" ")
    binary = _pad(binary, b"\x00")
    total = 12 + 8 + len(json_chunk) + 8 + len(binary)
    return (
        struct.pack("<4sII", b"glTF", 2, total)
        + struct.pack("<I4s", len(json_chunk), b"JSON")
        + json_chunk
        + struct.pack("<I4s", len(binary), b"BIN\x00")
        + binary
    )
