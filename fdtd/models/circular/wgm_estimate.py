"""Effective-index estimate of the whispering-gallery (and concentric-ring) resonances of a circular cell under a
stack: slab TE0 n_eff with the grating level all teeth or all fill, then the exact 2D concentric-ring poles
(``models.circular.wgm_analytic``). A quick counter-check of the cylindrical FDTD; ``models.circular.circular_analytic`` is the full,
self-consistent model."""

from __future__ import annotations

import gdsfactory as gf

from perocav.fdtd.models.dispersion.dispersion import region_stack
from perocav.fdtd.models.slab.slab_modes import NoGuidedModeError, solve_slab_mode
from perocav.fdtd.models.circular.wgm_analytic import Resonance2D, resonances_2d
from perocav.layout.circular_radii import grating_radii_nm
from perocav.pdk.stack import Stack
from perocav.pdk.units import NM_PER_UM


def level_neff(*, stack: Stack, wavelength_nm: float, patterned: bool) -> float:
    """TE0 n_eff of the stack with the grating level all feature material (patterned=True) or all fill
    (``models.dispersion.dispersion.region_stack``); without a guided mode, the higher cladding index (the mode is not
    confined there)."""
    region = region_stack(stack=stack, region="tooth" if patterned else "gap")
    profile = region.index_profile(wavelength_nm=wavelength_nm)
    try:
        return float(solve_slab_mode(profile=profile, pol="TE").neff.real)
    except NoGuidedModeError:
        return float(max(profile.n_substrate.real, profile.n_cover.real))


def wgm_estimate(*, component: gf.Component, stack: Stack, m: int, wavelength_min_nm: float,
                 wavelength_max_nm: float, iterations: int = 3) -> list[Resonance2D]:
    """Effective-index WGM estimate: n_eff inside/outside the GRATING features (slab TE0), then the exact 2D
    concentric-ring resonances (Hz: the slab TE field lies in the plane), re-evaluating n_eff at the result."""
    feats = tuple((a / NM_PER_UM, b / NM_PER_UM) for a, b in grating_radii_nm(component))
    if not feats:
        raise ValueError("component has no polygons on GRATING")
    radii: list[float] = []
    for a, b in feats:
        radii.extend([a, b] if a > 0 else [b])
    wl = 0.5 * (wavelength_min_nm + wavelength_max_nm)
    found: list[Resonance2D] = []
    for _ in range(iterations):
        n_in = level_neff(stack=stack, wavelength_nm=wl, patterned=True)
        n_out = level_neff(stack=stack, wavelength_nm=wl, patterned=False)
        indices = []
        for a, _b in feats:
            if a > 0:
                indices.append(n_out)
            indices.append(n_in)
        indices.append(n_out)
        found = resonances_2d(m=m, radii_um=radii, indices=indices, freq_min=NM_PER_UM / wavelength_max_nm,
                              freq_max=NM_PER_UM / wavelength_min_nm, pol="Hz")
        if not found:
            return []
        best = max(found, key=lambda r: r.q)
        if abs(best.wavelength_nm - wl) < 0.01:
            break
        wl = best.wavelength_nm
    return found
