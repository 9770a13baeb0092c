"""Die frame: the dicing outline on DIE_FRAME with the die outline on FLOORPLAN, lower-left corner at (0, 0)."""

from __future__ import annotations

import gdsfactory as gf
import klayout.db as kdb

from perocav.layout.checks import at_least, um_on_grid_nm

CELL = "die_frame"


@gf.cell
def die_frame(width_um: float = 5000.0, height_um: float = 5000.0, frame_width_um: float = 50.0) -> gf.Component:
    """Frame of width frame_width_um just inside a width_um x height_um die (um).

    info: die_size_um, frame_width_um, inner_box_um ([xmin, ymin, xmax, ymax] inside the frame).
    """
    w = um_on_grid_nm(width_um, field="width_um", cell=CELL)
    h = um_on_grid_nm(height_um, field="height_um", cell=CELL)
    f = um_on_grid_nm(frame_width_um, field="frame_width_um", cell=CELL)
    at_least(f, 1000, field="frame_width_um", cell=CELL, unit="nm")
    at_least(min(w, h), 4 * f, field="width_um" if w < h else "height_um", cell=CELL, unit="nm",
             why="the die must be larger than its frame")
    c = gf.Component()
    outer = kdb.Region(kdb.Box(0, 0, w, h))
    c.shapes(gf.get_layer("DIE_FRAME")).insert(outer - kdb.Region(kdb.Box(f, f, w - f, h - f)))
    c.shapes(gf.get_layer("FLOORPLAN")).insert(kdb.Box(0, 0, w, h))
    c.info["die_size_um"] = [w / 1000, h / 1000]
    c.info["frame_width_um"] = f / 1000
    c.info["inner_box_um"] = [f / 1000, f / 1000, (w - f) / 1000, (h - f) / 1000]
    return c
