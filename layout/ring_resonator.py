"""Whispering-gallery ring resonator in the GRATING layer, centred at (0, 0)."""

from __future__ import annotations

import gdsfactory as gf

from perocav.layout.checks import at_least, min_space_nm, min_width_nm, on_grid_nm, um_on_grid_nm
from perocav.layout.shapes import annulus, n_vertices

CELL = "ring_resonator"


@gf.cell
def ring_resonator(outer_radius_um: float = 10.0, width_nm: float = 500) -> gf.Component:
    """High-index ring on GRATING.

    Args:
        outer_radius_um: outer radius of the ring (um); the whispering-gallery modes hug this edge.
        width_nm: radial width of the ring (nm).

    info: outer_radius_nm, inner_radius_nm, center_radius_nm, width_nm, n_vertices.
    """
    ro = um_on_grid_nm(outer_radius_um, field="outer_radius_um", cell=CELL)
    w = on_grid_nm(width_nm, field="width_nm", cell=CELL)
    at_least(w, min_width_nm("GRATING"), field="width_nm", cell=CELL, unit="nm", why="GRATING min width")
    ri = ro - w
    at_least(2 * ri, min_space_nm("GRATING"), field="width_nm", cell=CELL, unit="nm inner diameter",
             why=f"GRATING min space; width must leave a hole, so width_nm <= {ro - min_space_nm('GRATING') // 2}")
    nv = n_vertices(ro)
    c = gf.Component()
    c.shapes(gf.get_layer("GRATING")).insert(annulus(ri, ro, n=nv))
    c.info["outer_radius_nm"] = ro
    c.info["inner_radius_nm"] = ri
    c.info["center_radius_nm"] = (ro + ri) / 2
    c.info["width_nm"] = w
    c.info["n_vertices"] = nv
    return c
