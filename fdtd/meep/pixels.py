"""Pixel rules for MEEP grids: enough pixels across the thinnest level, whole pixels per grating period.

No meep import (pure arithmetic on the stack and the period). Units in names: nm, um, px/um.
"""

from __future__ import annotations

import math

from perocav.pdk.errors import InputError
from perocav.pdk.stack import Stack


def thinnest_layer(*, stack: Stack) -> tuple[str, float]:
    """(name, thickness_nm) of the thinnest nonzero optical level."""
    layer = min(stack.optical_layers(), key=lambda l: l.thickness_nm)
    return layer.name, float(layer.thickness_nm)


def min_resolution_px_per_um(*, stack: Stack, min_px_per_layer: float = 4.0) -> float:
    """Resolution that puts ``min_px_per_layer`` pixels across the thinnest level."""
    _, t_nm = thinnest_layer(stack=stack)
    return min_px_per_layer * 1000.0 / t_nm


def check_resolution(*, stack: Stack, resolution_px_per_um: float, min_px_per_layer: float = 4.0,
                     force: bool = False) -> None:
    """InputError naming ``resolution_px_per_um`` and the minimum when the thinnest level gets too few pixels."""
    need = min_resolution_px_per_um(stack=stack, min_px_per_layer=min_px_per_layer)
    if resolution_px_per_um < need - 1e-9 and not force:
        name, t_nm = thinnest_layer(stack=stack)
        raise InputError(
            f"{resolution_px_per_um:g} px/um puts {resolution_px_per_um * t_nm / 1000:.2g} px across the {t_nm:g} nm "
            f"'{name}' layer", field="resolution_px_per_um",
            allowed=f">= {need:g} px/um ({min_px_per_layer:g} px across it), or force")


def whole_pixel_resolution(*, period_nm: float, resolution_px_per_um: float) -> float:
    """Smallest resolution >= the given one that makes one period a whole number of pixels."""
    period_um = period_nm / 1000.0
    px = math.ceil(resolution_px_per_um * period_um - 1e-9)
    return px / period_um
