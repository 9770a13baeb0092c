"""MEEP media from PDK materials (the FDTD side of ``perocav.pdk.materials.meep_fit``). Imports meep."""

from __future__ import annotations

import meep as mp

from perocav.pdk.materials.meep_fit import MeepFit


def medium_from_fit(fit: MeepFit) -> mp.Medium:
    """``mp.Medium`` with the fit's eps_inf and Lorentzian susceptibilities, valid over the fitted band."""
    susc = [mp.LorentzianSusceptibility(frequency=p.frequency, gamma=p.gamma, sigma=p.sigma) for p in fit.poles]
    return mp.Medium(
        epsilon=fit.eps_inf,
        E_susceptibilities=susc,
        valid_freq_range=mp.FreqRange(min=1000.0 / fit.wavelength_max_nm, max=1000.0 / fit.wavelength_min_nm),
    )
