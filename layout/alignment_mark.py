"""Alignment marks: one box-in-cross site per level, aligning that level to the GRATING level."""

from __future__ import annotations

from collections.abc import Sequence

import gdsfactory as gf
import klayout.db as kdb

from perocav.layout.checks import at_least, min_space_nm, min_width_nm, one_of, um_on_grid_nm
from perocav.pdk.layers import LITHO_LEVELS

CELL = "alignment_mark"


@gf.cell
def alignment_mark(
    levels: Sequence[str] = LITHO_LEVELS[1:],
    cross_width_um: float = 4.0,
    square_um: float = 20.0,
    gap_um: float = 5.0,
    pitch_um: float = 120.0,
) -> gf.Component:
    """A row of sites along +x, site k centred at (k pitch_um, 0): a GRATING cross (arm width
    cross_width_um) with four squares of side square_um on level ``levels[k]`` in its quadrants, gap_um
    from the arms; an ALIGN box outlines each site.

    info: levels, site_x_um (site centres), cross_length_um.
    """
    for i, lv in enumerate(levels):
        one_of(lv, LITHO_LEVELS[1:], field=f"levels[{i}]", cell=CELL)
    cw = um_on_grid_nm(cross_width_um, field="cross_width_um", cell=CELL)
    sq = um_on_grid_nm(square_um, field="square_um", cell=CELL)
    gap = um_on_grid_nm(gap_um, field="gap_um", cell=CELL)
    pitch = um_on_grid_nm(pitch_um, field="pitch_um", cell=CELL)
    if cw % 2:
        cw += 1
    at_least(cw, min_width_nm("GRATING"), field="cross_width_um", cell=CELL, unit="nm", why="GRATING min width")
    for lv in levels:
        at_least(sq, min_width_nm(lv), field="square_um", cell=CELL, unit="nm", why=f"{lv} min width")
        at_least(cw + 2 * gap, min_space_nm(lv), field="gap_um", cell=CELL, unit="nm between squares",
                 why=f"{lv} min space")
    half = cw // 2 + gap + sq + gap  # half length of the cross arms
    at_least(pitch, 2 * half + 2 * gap + min_space_nm("GRATING"), field="pitch_um", cell=CELL, unit="nm",
             why="sites must not touch")
    c = gf.Component()
    grating, align = c.shapes(gf.get_layer("GRATING")), c.shapes(gf.get_layer("ALIGN"))
    for k, lv in enumerate(levels):
        x = k * pitch
        cross = kdb.Region(kdb.Box(x - half, -cw // 2, x + half, cw // 2))
        cross.insert(kdb.Box(x - cw // 2, -half, x + cw // 2, half))
        grating.insert(cross.merged())
        squares = c.shapes(gf.get_layer(lv))
        a, b = cw // 2 + gap, cw // 2 + gap + sq
        for sx in (-1, 1):
            for sy in (-1, 1):
                squares.insert(
                    kdb.Box(min(x + sx * a, x + sx * b), min(sy * a, sy * b),
                            max(x + sx * a, x + sx * b), max(sy * a, sy * b)))
        align.insert(kdb.Box(x - half - gap, -half - gap, x + half + gap, half + gap))
    c.info["levels"] = list(levels)
    c.info["site_x_um"] = [k * pitch / 1000 for k in range(len(levels))]
    c.info["cross_length_um"] = 2 * half / 1000
    return c
