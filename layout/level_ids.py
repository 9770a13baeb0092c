"""A device's id on every lithography level it is drawn on (issue 26: ids on every level), so each plate and each
process step can be read under the microscope. The METAL id is the device's label (``laser_device``); the other
levels get a copy sized to their own rules, placed where no rule couples it to the device or to another copy:

- GRATING and ITO_BOTTOM left of the METAL label, PIXEL_DEF and ITO_TOP right of it (the bottom electrode's pad is
  on the left, the top one's on the right; the two ITO copies never overlap: no short);
- PEROVSKITE (10 um rule: 70 um letters) above the perovskite film, its space rule away.

Letters have pixels of ``max(MIN_PIXEL_NM, the level's min width and space)``; PIXEL_DEF's are dots (each font pixel
a square, its min space apart), so its letters hold no holes: a hole in the dielectric would be a pixel opening."""

from __future__ import annotations

import math

import klayout.db as kdb

from perocav.layout.font import dotted_region, text_region
from perocav.pdk.rules import DESIGN_RULES

#: smallest letter pixel (nm): 3 um, 21 um high letters (readable with a 10x objective)
MIN_PIXEL_NM = 3_000
#: gap between neighbouring copies and between a copy and the METAL label (nm)
GAP_NM = 10_000
#: the side each small copy takes next to the METAL label, innermost first
LEFT, RIGHT = ("ITO_BOTTOM", "GRATING"), ("PIXEL_DEF", "ITO_TOP")


def _rule_nm(level: str) -> int:
    rule = DESIGN_RULES.layers[level]
    return math.ceil(max(rule.min_width_nm, rule.min_space_nm))


def id_region(text: str, level: str) -> kdb.Region:
    """The id in ``level``'s letters, lower left at (0, 0)."""
    rule = _rule_nm(level)
    if level == "PIXEL_DEF":
        return dotted_region(text, rule, rule)  # 2 um dots 2 um apart: no letter can enclose a hole
    return text_region(text, max(MIN_PIXEL_NM, rule))


def level_id_regions(text: str, levels: tuple[str, ...], *, label_box: kdb.Box,
                     film_box: kdb.Box) -> dict[str, kdb.Region]:
    """{level: the id placed} for the ``levels`` the device is drawn on (METAL excluded: the label is its id):
    the small copies beside ``label_box`` (the METAL label), vertically centred on it; PEROVSKITE centred above
    ``film_box`` (the device's perovskite)."""
    out: dict[str, kdb.Region] = {}
    cy = label_box.center().y
    for side, names in ((-1, LEFT), (1, RIGHT)):
        x = label_box.left - GAP_NM if side < 0 else label_box.right + GAP_NM
        for level in names:
            if level not in levels:
                continue
            r = id_region(text, level)
            b = r.bbox()
            dx = x - b.right if side < 0 else x - b.left
            out[level] = r.moved(dx, cy - b.center().y)
            x += side * (b.width() + GAP_NM)
    if "PEROVSKITE" in levels:
        r = id_region(text, "PEROVSKITE")
        b = r.bbox()
        dy = film_box.top + _rule_nm("PEROVSKITE") - b.bottom
        out["PEROVSKITE"] = r.moved(film_box.center().x - b.center().x, dy)
    return out
