"""GDS layer map: one layer per lithography level of the device, plus labels, marks and frame."""

from __future__ import annotations

import gdsfactory as gf

Layer = tuple[int, int]


class LAYER(gf.LayerEnum):
    """perocav layer map (GDS layer, datatype)."""

    layout = gf.constant(gf.kcl.layout)

    GRATING: Layer = (1, 0)  # embedded high-index grating features (etched into the substrate, filled, planarized)
    ITO_BOTTOM: Layer = (10, 0)  # bottom electrode (anode)
    PIXEL_DEF: Layer = (20, 0)  # pixel-definition dielectric; its holes are the current-focusing openings
    PEROVSKITE: Layer = (30, 0)  # perovskite (gain) area
    ITO_TOP: Layer = (40, 0)  # top electrode (cathode)
    METAL: Layer = (50, 0)  # probe pads and their leads, outside the optical area
    ALIGN: Layer = (60, 0)  # alignment-mark reference (marks themselves are drawn on every level)
    TEXT: Layer = (66, 0)  # labels (device ids)
    FLOORPLAN: Layer = (64, 0)  # cell outline
    DIE_FRAME: Layer = (99, 0)  # die frame / dicing outline


#: The lithography levels, in process order; each gets its own GDS file on a mask.
LITHO_LEVELS: tuple[str, ...] = ("GRATING", "ITO_BOTTOM", "PIXEL_DEF", "PEROVSKITE", "ITO_TOP", "METAL")


def layer_by_name(name: str) -> Layer:
    """(layer, datatype) of a layer name; unknown names raise InputError."""
    from perocav.pdk.errors import InputError

    try:
        member = LAYER[name]
    except KeyError:
        raise InputError(f"unknown layer {name!r}", field="layer", allowed=", ".join(LAYER.__members__)) from None
    return (member.layer, member.datatype)
