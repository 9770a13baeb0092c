"""Layer numbers (GDS layer, datatype) by name, without importing gdsfactory (fast validation of names)."""

from __future__ import annotations

from perocav.pdk.errors import InputError

Layer = tuple[int, int]

LAYER_NUMBERS: dict[str, Layer] = {
    "GRATING": (1, 0),  # embedded high-index grating features (etched into the substrate, filled, planarized)
    "ITO_BOTTOM": (10, 0),  # bottom electrode (anode)
    "PIXEL_DEF": (20, 0),  # pixel-definition dielectric; its holes are the current-focusing openings
    "PEROVSKITE": (30, 0),  # perovskite (gain) area
    "ITO_TOP": (40, 0),  # top electrode (cathode)
    "METAL": (50, 0),  # probe pads and their leads, outside the optical area
    "ALIGN": (60, 0),  # alignment-mark reference (marks themselves are drawn on every level)
    "TEXT": (66, 0),  # labels (device ids)
    "FLOORPLAN": (64, 0),  # cell outline
    "DIE_FRAME": (99, 0),  # die frame / dicing outline
}

#: The lithography levels, in process order; each gets its own GDS file on a mask.
LITHO_LEVELS: tuple[str, ...] = ("GRATING", "ITO_BOTTOM", "PIXEL_DEF", "PEROVSKITE", "ITO_TOP", "METAL")


def layer_by_name(name: str) -> Layer:
    """(layer, datatype) of a layer name; unknown names raise InputError."""
    try:
        return LAYER_NUMBERS[name]
    except (KeyError, TypeError):
        raise InputError(f"unknown layer {name!r}", field="layer", allowed=", ".join(LAYER_NUMBERS)) from None
