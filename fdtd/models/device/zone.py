"""The recombination zone's share of the gain layer's mode: the power-weighted confinement of a zone of a fraction of
the perovskite's thickness at its hole-side or electron-side interface is the layer's confinement times the zone's
share of the layer's |E|^2 (one index in the layer, so the power weighting cancels in the ratio)."""

from __future__ import annotations

import numpy as np

from perocav.fdtd.models.slab.slab_modes import SlabMode
from perocav.pdk.stack import Stack


def hole_side_is_bottom(stack: Stack) -> bool:
    """True when the holes come from below the gain layer: the hole-transport layer (named ``htl``) lies below it,
    or, without one, the PDK's convention (anode at the bottom)."""
    names = [layer.name for layer in stack.layers]
    gain = stack.gain_layer
    if gain is None:
        raise ValueError(f"stack {stack.name!r} has no gain layer")
    return names.index("htl") < names.index(gain) if "htl" in names else True


def zone_share(*, mode: SlabMode, layer: str, fraction: float, at_bottom: bool) -> float:
    """Fraction of the layer's integral of |E|^2 inside the zone of ``fraction`` of its thickness at its bottom
    (``at_bottom``) or top interface; 1 for the whole layer."""
    if not 0.0 < fraction <= 1.0:
        raise ValueError(f"fraction={fraction} must be in (0, 1]")
    j = mode.names.index(layer)
    per = mode.z_nm.size // len(mode.names)
    z, e2 = mode.z_nm[j * per:(j + 1) * per], mode.e_abs2[j * per:(j + 1) * per]
    if fraction == 1.0:
        return 1.0
    z0, z1 = z[0], z[-1]
    lo, hi = (z0, z0 + fraction * (z1 - z0)) if at_bottom else (z1 - fraction * (z1 - z0), z1)
    return _integral(z, e2, lo, hi) / _integral(z, e2, z0, z1)


def _integral(z: np.ndarray, e2: np.ndarray, lo: float, hi: float, samples: int = 4001) -> float:
    """Integral of the piecewise-linear |E|^2 over [lo, hi] (trapezoid on a fine grid with nodes at both ends)."""
    fine = np.linspace(lo, hi, samples)
    return float(np.trapz(np.interp(fine, z, e2), fine))
