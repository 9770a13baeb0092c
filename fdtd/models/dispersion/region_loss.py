"""Slowly varying slab quantities of one stack region across a window, sampled and interpolated: the modal
intensity loss alpha(lambda) [1/cm] (2 k0 Im n_eff, with the materials' n,k at each wavelength) and the
waveguide-only group index n_g,frozen(lambda) (every index frozen at lambda: what a non-dispersive run sees).

Used to rank many resonances at once (absorption Q, radiation-Q dispersion correction) without a slab solve per
resonance. Cached per (stack content, region, duty, window, points).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.interpolate import CubicSpline

from perocav.fdtd.models.dispersion.dispersion import Region, frozen_group_index, region_stack
from perocav.fdtd.models.slab.slab_modes import solve_slab_neff
from perocav.pdk.stack import Stack

#: samples across the window (the quantities vary on the scale of the window, not of a resonance)
N_POINTS = 7


@dataclass(frozen=True)
class RegionLoss:
    """alpha [1/cm] and n_g,frozen of one region on a wavelength grid [nm] (cubic interpolation between)."""

    wavelength_nm: tuple[float, ...]
    alpha_per_cm: tuple[float, ...]
    group_index_frozen: tuple[float, ...]

    def alpha(self, *, wavelength_nm):
        """Modal intensity loss [1/cm] at ``wavelength_nm``."""
        return CubicSpline(self.wavelength_nm, self.alpha_per_cm)(wavelength_nm)

    def frozen_group_index(self, *, wavelength_nm):
        """Waveguide-only group index at ``wavelength_nm``."""
        return CubicSpline(self.wavelength_nm, self.group_index_frozen)(wavelength_nm)


def region_loss(*, stack: Stack, region: Region, window_nm: tuple[float, float], duty_cycle: float | None = None,
                n_points: int = N_POINTS) -> RegionLoss:
    """Sampled alpha(lambda) and n_g,frozen(lambda) of ``region`` of ``stack`` over ``window_nm``."""
    key = json.dumps([stack.model_dump(mode="json"), region, duty_cycle, list(window_nm), n_points], sort_keys=True)
    return _loss(key)


@lru_cache(maxsize=128)
def _loss(key: str) -> RegionLoss:
    dump, region, duty, window, n = json.loads(key)
    reg = region_stack(stack=Stack.model_validate(dump), region=region, duty_cycle=duty)
    grid = np.linspace(window[0], window[1], n)
    alpha, ng = [], []
    for wl in grid:
        neff = solve_slab_neff(profile=reg.index_profile(wavelength_nm=wl))
        alpha.append(2 * (2 * np.pi / (wl * 1e-7)) * neff.imag)
        ng.append(frozen_group_index(stack=reg, wavelength_nm=wl))
    return RegionLoss(wavelength_nm=tuple(map(float, grid)), alpha_per_cm=tuple(map(float, alpha)),
                      group_index_frozen=tuple(map(float, ng)))
