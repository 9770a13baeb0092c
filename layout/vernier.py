"""Vernier: a GRATING comb and a comb on another level with a slightly larger pitch, to read overlay."""

from __future__ import annotations

import gdsfactory as gf
import klayout.db as kdb

from perocav.layout.checks import at_least, min_space_nm, min_width_nm, on_grid_nm, one_of, positive_int, um_on_grid_nm
from perocav.pdk.layers import LITHO_LEVELS

CELL = "vernier"


@gf.cell
def vernier(
    level: str = "ITO_BOTTOM",
    n_lines: int = 11,
    pitch_um: float = 20.0,
    step_nm: float = 200,
    line_length_um: float = 30.0,
    axis: str = "x",
) -> gf.Component:
    """Two facing combs, centre lines on x = 0: GRATING lines (pitch pitch_um) below y = 0, ``level``
    lines (pitch pitch_um + step_nm) above; the line where both align reads the overlay error in
    steps of step_nm. Lines are half a pitch wide; the centre GRATING line is twice as long. ``axis`` "y": the
    same combs turned by 90 degrees (lines along x, GRATING left of x = 0), reading the overlay in y.

    info: level, n_lines, pitch_um, step_nm, grating_line_x_um, level_line_x_um.
    """
    one_of(level, LITHO_LEVELS[1:], field="level", cell=CELL)
    one_of(axis, ("x", "y"), field="axis", cell=CELL)
    n = positive_int(n_lines, field="n_lines", cell=CELL)
    if n % 2 == 0:
        n += 1
    p = um_on_grid_nm(pitch_um, field="pitch_um", cell=CELL)
    step = on_grid_nm(step_nm, field="step_nm", cell=CELL)
    length = um_on_grid_nm(line_length_um, field="line_length_um", cell=CELL)
    w = p // 2
    for lv in ("GRATING", level):
        at_least(w, min_width_nm(lv), field="pitch_um", cell=CELL, unit="nm line width", why=f"{lv} min width")
        at_least(p - w, min_space_nm(lv), field="pitch_um", cell=CELL, unit="nm line space", why=f"{lv} min space")
    at_least(length, max(min_width_nm("GRATING"), min_width_nm(level)), field="line_length_um", cell=CELL, unit="nm")
    c = gf.Component()
    g, t = c.shapes(gf.get_layer("GRATING")), c.shapes(gf.get_layer(level))
    half = n // 2
    gx = [k * p for k in range(-half, half + 1)]
    tx = [k * (p + step) for k in range(-half, half + 1)]
    turn = kdb.Trans(1, False, 0, 0) if axis == "y" else kdb.Trans()  # 90 degrees: the y vernier
    for x in gx:
        g.insert(kdb.Box(x - w // 2, -length * (2 if x == 0 else 1), x - w // 2 + w, 0).transformed(turn))
    for x in tx:
        t.insert(kdb.Box(x - w // 2, 0, x - w // 2 + w, length).transformed(turn))
    c.info["level"] = level
    c.info["axis"] = axis
    c.info["n_lines"] = n
    c.info["pitch_um"] = p / 1000
    c.info["step_nm"] = step
    c.info["grating_line_x_um"] = [x / 1000 for x in gx]
    c.info["level_line_x_um"] = [x / 1000 for x in tx]
    return c
