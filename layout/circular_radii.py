"""Radii of a circular cell (ring_resonator, disk_resonator, circular_grating) measured on its polygons.

The cut runs along the +x axis, where the regular polygons of ``layout.shapes`` present an edge at exactly the drawn
apothem radius, so the intervals equal the radii the cell was drawn with (its ``info``). The effective-index WGM
estimate (``fdtd.models.circular.wgm_estimate``) and the cylindrical FDTD cell (``fdtd.meep.geometry_cyl``) read them here.
"""

from __future__ import annotations

import gdsfactory as gf
import klayout.db as kdb

from perocav.pdk.units import NM_PER_UM


def grating_radii_nm(component: gf.Component, *, layer: str = "GRATING") -> list[tuple[int, int]]:
    """Sorted radial intervals (nm) of the component's polygons on ``layer``, measured along the +x axis."""
    region = kdb.Region(component.begin_shapes_rec(gf.get_layer(layer))).merged()
    if region.is_empty():
        return []
    right = region.bbox().right
    ray = kdb.Region(kdb.Box(0, -1, right + 1, 1))
    pieces = sorted((p.bbox().left, p.bbox().right) for p in (region & ray).merged().each())
    dbu_nm = component.kcl.dbu * NM_PER_UM
    return [(round(a * dbu_nm), round(b * dbu_nm)) for a, b in pieces]
