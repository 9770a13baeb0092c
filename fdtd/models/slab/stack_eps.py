"""Permittivities of a stack's grating regions at many wavelengths at once (numpy), exactly as
``Stack.index_profile`` builds them one wavelength at a time (patterned levels as permittivity averages, the gain
layer's k dropped when ``gain_layer_lossless``). The RCWA unit cell (``rcwa.cell``) builds the same tooth / fill
permittivities one (complex) wavelength at a time; ``tests/fdtd/rcwa/test_cell_vs_stack_eps.py`` keeps the two equal."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from perocav.fdtd.models.dispersion.dispersion import grating_layer
from perocav.pdk.materials import resolve_material
from perocav.pdk.stack import Stack


@dataclass(frozen=True)
class StackEps:
    """(N, R) permittivities (substrate, optical layers bottom to top, cover), layer thicknesses (nm), names."""

    eps: np.ndarray
    thickness_nm: np.ndarray
    names: tuple[str, ...]  # "substrate", layers..., "cover"


def region_eps(*, stack: Stack, region: str, wavelength_nm: np.ndarray, duty_cycle: np.ndarray | None = None) -> StackEps:
    """``region``: 'tooth' (grating level all teeth), 'gap' (all fill), 'average' (teeth fraction ``duty_cycle``,
    one value per wavelength), 'stack' (as is)."""
    wl = np.asarray(wavelength_nm, dtype=float)
    layers = stack.optical_layers()
    gname = grating_layer(stack).name if region != "stack" else None
    cols = [resolve_material(stack.substrate).nk(wavelength_nm=wl)]
    for layer in layers:
        n = resolve_material(layer.material).nk(wavelength_nm=wl)
        if layer.name == gname:
            nf = resolve_material(layer.fill_material).nk(wavelength_nm=wl)
            if region == "gap":
                n = nf
            elif region == "average":
                d = np.asarray(duty_cycle, dtype=float)
                n = np.sqrt(d * n**2 + (1 - d) * nf**2)
        elif layer.fill_material is not None:
            f = layer.fill_fraction
            n = np.sqrt(f * n**2 + (1 - f) * resolve_material(layer.fill_material).nk(wavelength_nm=wl) ** 2)
        if layer.role == "gain" and stack.gain_layer_lossless:
            n = n.real + 0j
        cols.append(n)
    cols.append(resolve_material(stack.cover).nk(wavelength_nm=wl))
    n_all = np.stack([np.broadcast_to(np.asarray(c, dtype=complex), wl.shape) for c in cols], axis=1)
    names = ("substrate", *(layer.name for layer in layers), "cover")
    return StackEps(eps=n_all**2, thickness_nm=np.array([layer.thickness_nm for layer in layers], dtype=float),
                    names=names)
