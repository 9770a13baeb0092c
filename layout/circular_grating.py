"""Circular (concentric-ring, "bullseye") DFB grating on the GRATING layer, centred at (0, 0)."""

from __future__ import annotations

import gdsfactory as gf

from perocav.layout.checks import at_least, fraction_open, min_space_nm, min_width_nm, on_grid_nm, positive_int
from perocav.layout.shapes import annulus, disk, n_vertices

CELL = "circular_grating"


@gf.cell
def circular_grating(
    period_nm: float = 400,
    duty_cycle: float = 0.5,
    n_rings: int = 50,
    center_radius_nm: float = 1000,
    disk_radius_nm: float = 0,
) -> gf.Component:
    """Concentric high-index rings on GRATING.

    Args:
        period_nm: radial period (nm).
        duty_cycle: fraction of each period that is high-index ring, in (0, 1).
        n_rings: number of rings.
        center_radius_nm: inner radius of the first ring (nm): the central defect.
        disk_radius_nm: radius of a high-index central disk (nm); 0 for none.

    Ring k spans radii [center_radius_nm + k period_nm, ... + round(duty_cycle period_nm)] (apothems of
    regular polygons, see ``shapes.circle_points``). info: ring_inner_radius_nm, ring_outer_radius_nm,
    ring_width_nm, disk_radius_nm, outer_radius_nm, n_vertices.
    """
    period = on_grid_nm(period_nm, field="period_nm", cell=CELL)
    fraction_open(duty_cycle, field="duty_cycle", cell=CELL)
    n = positive_int(n_rings, field="n_rings", cell=CELL)
    r0 = on_grid_nm(center_radius_nm, field="center_radius_nm", cell=CELL)
    rd = on_grid_nm(disk_radius_nm, field="disk_radius_nm", cell=CELL)
    w_min, s_min = min_width_nm("GRATING"), min_space_nm("GRATING")
    at_least(period, w_min + s_min, field="period_nm", cell=CELL, unit="nm",
             why=f"GRATING min width {w_min} nm + min space {s_min} nm")
    width = int(round(duty_cycle * period))
    at_least(width, w_min, field="duty_cycle", cell=CELL, unit="nm ring width", why="GRATING min width")
    at_least(period - width, s_min, field="duty_cycle", cell=CELL, unit="nm gap", why="GRATING min space")
    if rd > 0:
        at_least(2 * rd, w_min, field="disk_radius_nm", cell=CELL, unit="nm diameter", why="GRATING min width")
        at_least(r0 - rd, s_min, field="center_radius_nm", cell=CELL, unit="nm gap to the disk",
                 why="GRATING min space")
    else:
        at_least(rd, 0, field="disk_radius_nm", cell=CELL, unit="nm")
        at_least(2 * r0, s_min, field="center_radius_nm", cell=CELL, unit="nm hole diameter",
                 why="GRATING min space")

    inner = [r0 + k * period for k in range(n)]
    outer = [r + width for r in inner]
    nv = n_vertices(outer[-1])
    c = gf.Component()
    shapes = c.shapes(gf.get_layer("GRATING"))
    if rd > 0:
        shapes.insert(disk(rd, n=nv))
    for ri, ro in zip(inner, outer, strict=True):
        shapes.insert(annulus(ri, ro, n=nv))
    c.info["period_nm"] = period
    c.info["duty_cycle"] = duty_cycle
    c.info["ring_width_nm"] = width
    c.info["ring_inner_radius_nm"] = inner
    c.info["ring_outer_radius_nm"] = outer
    c.info["disk_radius_nm"] = rd
    c.info["outer_radius_nm"] = outer[-1]
    c.info["n_vertices"] = nv
    return c
