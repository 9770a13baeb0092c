"""The perocav gdsfactory PDK: layers and design rules; ``get_pdk().activate()`` before any cell."""

from __future__ import annotations

from functools import lru_cache

import gdsfactory as gf
from gdsfactory.pdk import Pdk

from perocav.pdk.layers import LAYER


@lru_cache(maxsize=1)
def get_pdk() -> Pdk:
    """The perocav PDK (cells are registered by ``perocav.layout`` when it is imported)."""
    cells: dict = {}
    try:  # layout registers its cells if it is installed beside the PDK
        from perocav.layout import cells as layout_cells  # noqa: PLC0415

        cells = dict(layout_cells)
    except ImportError:
        pass
    return Pdk(name="perocav", version="0.1.0", layers=LAYER, cells=cells, cross_sections={})


def activate() -> Pdk:
    """Activate the perocav PDK (idempotent) and return it."""
    pdk = get_pdk()
    try:
        active = gf.get_active_pdk()
    except ValueError:  # gdsfactory 9 raises when no PDK is active yet
        active = None
    if active is not pdk:
        pdk.activate()
    return pdk
