"""What every per-level mask file carries besides its level's shapes: the die frame (dicing outline)
and the level's name ("L2 ITO_BOTTOM"), both drawn on that level so they print on its plate. The
name sits at the top centre of the margin band, in the pixel font, sized to the level's rules."""

from __future__ import annotations

import math

import klayout.db as kdb

from perocav.layout.font import COLS, ROWS, text_region
from perocav.pdk.errors import InputError
from perocav.pdk.layer_map import LITHO_LEVELS
from perocav.pdk.rules import DESIGN_RULES

#: Smallest pixel of the drawn level name (nm): 5 um, 35 um high letters.
MIN_PIXEL_NM = 5_000


def level_title(level: str) -> str:
    """``L<number in process order> <LEVEL>``."""
    return f"L{LITHO_LEVELS.index(level) + 1} {level}"


def level_frame_region(level: str, *, width_nm: int, height_nm: int, frame_nm: int, margin_nm: int,
                       keep_out: kdb.Region | None = None) -> kdb.Region:
    """Frame ring plus the level's title on a die of ``width_nm`` x ``height_nm`` (lower left at 0, 0);
    the title is centred in the top margin band and must not touch ``keep_out`` (the marks there)."""
    rule = DESIGN_RULES.layers[level]
    pixel = max(MIN_PIXEL_NM, math.ceil(rule.min_width_nm), math.ceil(rule.min_space_nm))
    text = level_title(level)
    w, h = (len(text) * (COLS + 1) - 1) * pixel, ROWS * pixel
    band_bottom, band_top = height_nm - frame_nm - margin_nm, height_nm - frame_nm
    x, y = (width_nm - w) // 2, (band_bottom + band_top - h) // 2
    title = text_region(text, pixel).moved(x, y)
    clearance = max(pixel, math.ceil(rule.min_space_nm))
    if h + 2 * clearance > margin_nm or (keep_out is not None and not (
            keep_out & title.sized(clearance)).is_empty()):
        raise InputError(f"no room for the level name {text!r} ({w / 1000:g} x {h / 1000:g} um) at the top centre",
                         field="die.width_um", allowed="a wider die (or a wider margin_um)", source="level_frame")
    ring = kdb.Region(kdb.Box(0, 0, width_nm, height_nm)) - kdb.Region(
        kdb.Box(frame_nm, frame_nm, width_nm - frame_nm, height_nm - frame_nm))
    return (ring + title).merged()
