"""GDS layer map as a gdsfactory LayerEnum; the numbers live in ``perocav.pdk.layer_map``."""

from __future__ import annotations

import gdsfactory as gf

from perocav.pdk.layer_map import LAYER_NUMBERS, LITHO_LEVELS, Layer, layer_by_name

__all__ = ["LAYER", "LITHO_LEVELS", "Layer", "layer_by_name"]


class LAYER(gf.LayerEnum):
    """perocav layer map (GDS layer, datatype); see ``layer_map.LAYER_NUMBERS`` for each level's role."""

    layout = gf.constant(gf.kcl.layout)

    GRATING: Layer = LAYER_NUMBERS["GRATING"]
    ITO_BOTTOM: Layer = LAYER_NUMBERS["ITO_BOTTOM"]
    PIXEL_DEF: Layer = LAYER_NUMBERS["PIXEL_DEF"]
    PEROVSKITE: Layer = LAYER_NUMBERS["PEROVSKITE"]
    ITO_TOP: Layer = LAYER_NUMBERS["ITO_TOP"]
    METAL: Layer = LAYER_NUMBERS["METAL"]
    ALIGN: Layer = LAYER_NUMBERS["ALIGN"]
    TEXT: Layer = LAYER_NUMBERS["TEXT"]
    FLOORPLAN: Layer = LAYER_NUMBERS["FLOORPLAN"]
    DIE_FRAME: Layer = LAYER_NUMBERS["DIE_FRAME"]


assert {m: (LAYER[m].layer, LAYER[m].datatype) for m in LAYER_NUMBERS} == LAYER_NUMBERS
