"""Text label drawn in the 5 x 7 pixel font on a lithography level (readable on the wafer)."""

from __future__ import annotations

import gdsfactory as gf

from perocav.layout.checks import at_least, min_space_nm, min_width_nm, um_on_grid_nm
from perocav.layout.font import COLS, ROWS, SUPPORTED, text_region
from perocav.pdk.errors import InputError
from perocav.pdk.layers import LAYER

CELL = "label"


@gf.cell
def label(text: str = "A01", height_um: float = 42.0, layer: str = "METAL") -> gf.Component:
    """``text`` in the pixel font, lower-left corner at (0, 0).

    Args:
        text: characters from ``font.SUPPORTED`` (letters are upper-cased).
        height_um: character height (um) = 7 pixels; a pixel must obey ``layer``'s min width and space.
        layer: PDK layer name to draw on.

    info: pixel_nm, width_um, height_um, text.
    """
    if layer not in LAYER.__members__:
        raise InputError(f"unknown layer {layer!r}", field="layer", allowed=", ".join(LAYER.__members__), source=CELL)
    bad = sorted({ch for ch in text.upper() if ch not in SUPPORTED})
    if not text or bad:
        raise InputError(f"unsupported characters {bad!r}" if bad else "empty text", field="text",
                         allowed=f"non-empty, from {SUPPORTED!r}", source=CELL)
    h = um_on_grid_nm(height_um, field="height_um", cell=CELL)
    if h % ROWS:
        raise InputError(f"{height_um} um is not a whole number of nm per pixel row", field="height_um",
                         allowed=f"multiples of {ROWS} nm", source=CELL)
    pixel = h // ROWS
    if layer in ("GRATING", "ITO_BOTTOM", "PIXEL_DEF", "PEROVSKITE", "ITO_TOP", "METAL"):
        need = max(min_width_nm(layer), min_space_nm(layer))
        at_least(pixel, need, field="height_um", cell=CELL, unit="nm pixel",
                 why=f"{layer} min width/space; height_um >= {ROWS * need / 1000:g}")
    c = gf.Component()
    c.shapes(gf.get_layer(layer)).insert(text_region(text, pixel))
    c.info["text"] = text.upper()
    c.info["pixel_nm"] = pixel
    c.info["height_um"] = h / 1000
    c.info["width_um"] = (len(text) * (COLS + 1) - 1) * pixel / 1000
    return c
