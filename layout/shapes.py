"""Polygon helpers in database units (1 dbu = 1 nm): regular polygons that approximate circles."""

from __future__ import annotations

import math

import klayout.db as kdb

#: Largest distance (nm) between a polygon edge and the true circle it approximates.
MAX_SAG_NM = 1.0


def n_vertices(radius_nm: float) -> int:
    """Vertices of a regular polygon approximating a circle of ``radius_nm`` within ``MAX_SAG_NM``;
    a multiple of 8 so that the polygon is symmetric about both axes and the diagonals."""
    if radius_nm <= MAX_SAG_NM:
        return 8
    n = math.pi / math.acos(1.0 - MAX_SAG_NM / radius_nm)
    return max(32, int(math.ceil(n / 8.0)) * 8)


def circle_points(radius_nm: float, n: int, *, cx_nm: int = 0, cy_nm: int = 0) -> list[kdb.Point]:
    """Vertices (nm) of a regular ``n``-gon whose inscribed circle (apothem) has ``radius_nm``.

    Using the apothem makes concentric polygons with the same ``n`` exactly ``r_out - r_in`` apart
    everywhere, so a ring drawn as ``width_nm`` measures ``width_nm`` in DRC (up to grid rounding)."""
    vertex_r = radius_nm / math.cos(math.pi / n)
    pts = []
    for k in range(n):
        a = 2.0 * math.pi * (k + 0.5) / n  # half-step phase: edges (not vertices) face the axes
        pts.append(kdb.Point(cx_nm + round(vertex_r * math.cos(a)), cy_nm + round(vertex_r * math.sin(a))))
    return pts


def disk(radius_nm: float, *, n: int | None = None, cx_nm: int = 0, cy_nm: int = 0) -> kdb.Polygon:
    """Filled circle of ``radius_nm`` (apothem) centred at (cx_nm, cy_nm)."""
    return kdb.Polygon(circle_points(radius_nm, n or n_vertices(radius_nm), cx_nm=cx_nm, cy_nm=cy_nm))


def annulus(inner_nm: float, outer_nm: float, *, n: int | None = None) -> kdb.Polygon:
    """Ring between ``inner_nm`` and ``outer_nm`` (both apothems, same vertex count), centred at 0."""
    n = n or n_vertices(outer_nm)
    poly = kdb.Polygon(circle_points(outer_nm, n))
    poly.insert_hole(circle_points(inner_nm, n))
    return poly
