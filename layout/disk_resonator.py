"""Whispering-gallery disk resonator in the GRATING layer, centred at (0, 0)."""

from __future__ import annotations

import gdsfactory as gf

from perocav.layout.checks import at_least, min_width_nm, um_on_grid_nm
from perocav.layout.shapes import disk, n_vertices

CELL = "disk_resonator"


@gf.cell
def disk_resonator(radius_um: float = 10.0) -> gf.Component:
    """High-index disk on GRATING.

    Args:
        radius_um: disk radius (um).

    info: radius_nm, n_vertices.
    """
    r = um_on_grid_nm(radius_um, field="radius_um", cell=CELL)
    at_least(2 * r, min_width_nm("GRATING"), field="radius_um", cell=CELL, unit="nm diameter",
             why="GRATING min width")
    nv = n_vertices(r)
    c = gf.Component()
    c.shapes(gf.get_layer("GRATING")).insert(disk(r, n=nv))
    c.info["radius_nm"] = r
    c.info["n_vertices"] = nv
    return c
