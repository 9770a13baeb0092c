"""The unexcited gain layer's absorption alpha0(lambda) [1/cm] that the device model puts outside the opening and in
the unpumped part of the film: the material spectrum's band edge with its Urbach tail (``models.spectral_gain``,
the one truth below the gap) for a PDK perovskite, else 4 pi k / lambda of the layer's material data."""

from __future__ import annotations

import math
from collections.abc import Callable

from perocav.fdtd.models.spectral_gain.absorption import absorption_per_cm, energy_ev
from perocav.fdtd.models.spectral_gain.params import band_edge
from perocav.pdk.materials import resolve_material
from perocav.pdk.stack import Stack


def alpha0_function(stack: Stack) -> Callable[[float], float]:
    """alpha0(lambda_nm) [1/cm] of the unexcited gain layer: the material spectrum's band edge with its Urbach tail
    for a PDK perovskite, else 4 pi k / lambda of the layer's material data."""
    layer = stack.layer(stack.gain_layer)
    edge = band_edge(layer.material) if isinstance(layer.material, str) else None
    if edge is not None:
        return lambda lam: float(absorption_per_cm(edge=edge, energy_ev=energy_ev(wavelength_nm=lam)))
    mat = resolve_material(layer.material)
    return lambda lam: 4.0 * math.pi * mat.nk(wavelength_nm=lam).imag / (lam * 1e-7)


