"""The perocav gdsfactory PDK: layers, design rules and the registered cells; ``activate()`` before any cell."""

from __future__ import annotations

from functools import lru_cache

import gdsfactory as gf
from gdsfactory.pdk import Pdk

from perocav.pdk.cell_registry import on_new_cells, registered_cells
from perocav.pdk.layers import LAYER


@lru_cache(maxsize=1)
def get_pdk() -> Pdk:
    """The perocav PDK, with the cells registered in ``cell_registry`` (the layout package registers its cells
    there when it is imported, also after this PDK is built)."""
    pdk = Pdk(name="perocav", version="0.1.0", layers=LAYER, cells=registered_cells(), cross_sections={})
    on_new_cells(pdk.cells.update)
    return pdk


def activate() -> Pdk:
    """Activate the perocav PDK (idempotent) and return it; its cells are those of the layout package once that is
    imported (before or after this call: importing any cell imports it)."""
    pdk = get_pdk()
    try:
        active = gf.get_active_pdk()
    except ValueError:  # gdsfactory 9 raises when no PDK is active yet
        active = None
    if active is not pdk:
        pdk.activate()
    return pdk
