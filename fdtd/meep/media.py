"""MEEP media from PDK materials and ``Medium2D`` specs (the FDTD side of ``perocav.pdk.materials.meep_fit``).
Imports meep. The one place where a material becomes an ``mp.Medium`` for the 2D, cylindrical and 3D runners."""

from __future__ import annotations

from collections.abc import Callable

import meep as mp
import numpy as np

from perocav.fdtd.meep.geometry_2d import Medium2D
from perocav.fdtd.models.lorentzian_gain import lorentzian_gain
from perocav.pdk.materials import resolve_material
from perocav.pdk.materials.meep_fit import MeepFit, fit_meep_material
from perocav.pdk.units import NM_PER_UM


def medium_from_fit(fit: MeepFit) -> mp.Medium:
    """``mp.Medium`` with the fit's eps_inf and Lorentzian susceptibilities, valid over the fitted band."""
    susc = [mp.LorentzianSusceptibility(frequency=p.frequency, gamma=p.gamma, sigma=p.sigma) for p in fit.poles]
    return mp.Medium(
        epsilon=fit.eps_inf,
        E_susceptibilities=susc,
        valid_freq_range=mp.FreqRange(min=1000.0 / fit.wavelength_max_nm, max=1000.0 / fit.wavelength_min_nm),
    )


def meep_medium(*, medium: Medium2D, wavelength_min_nm: float, wavelength_max_nm: float,
                dispersive: bool = False, freeze_wavelength_nm: float | None = None,
                gain_width_fraction: float | None = None) -> mp.Medium:
    """``mp.Medium`` of ``medium``: a Lorentz fit over the band when ``dispersive`` (PDK materials that are
    not lossless), otherwise the constant index at ``freeze_wavelength_nm`` (default: the band-centre frequency),
    with Im(n) as a D conductivity; a gaining one (Im n < 0) with ``gain_width_fraction`` set gets instead a
    negative-sigma Lorentzian centred there, gamma = that fraction x f (``models.lorentzian_gain``: the same
    complex eps at the centre, no gain far from it)."""
    f_c_per_um = 0.5 * (NM_PER_UM / wavelength_min_nm + NM_PER_UM / wavelength_max_nm)
    if freeze_wavelength_nm is not None:
        f_c_per_um = NM_PER_UM / freeze_wavelength_nm
    if medium.index is not None:
        n = complex(medium.index)
    elif medium.blend_fraction:
        if dispersive:
            raise ValueError("a blended (duty-averaged) medium is non-dispersive only")
        lam = NM_PER_UM / f_c_per_um
        e1 = complex(resolve_material(medium.material).nk(wavelength_nm=lam)) ** 2
        e2 = complex(resolve_material(medium.blend_material).nk(wavelength_nm=lam)) ** 2
        n = complex(np.sqrt((1 - medium.blend_fraction) * e1 + medium.blend_fraction * e2))
    else:
        material = resolve_material(medium.material)
        if dispersive and not medium.lossless:
            fit = fit_meep_material(material=material, wavelength_min_nm=wavelength_min_nm,
                                    wavelength_max_nm=wavelength_max_nm)
            return medium_from_fit(fit)
        n = complex(material.nk(wavelength_nm=NM_PER_UM / f_c_per_um))
    if medium.lossless:
        n = complex(n.real, 0.0)
    eps = n * n
    if eps.real < 1.0:  # MEEP's non-dispersive medium with epsilon < 1 (a frozen metal) is unstable at Courant 0.5
        name = medium.material if medium.index is None else f"constant index {n:.4g}"
        raise ValueError(f"{name}: Re(eps) = {eps.real:.4g} at {NM_PER_UM / f_c_per_um:.1f} nm cannot be a frozen "
                         f"(non-dispersive) MEEP medium (allowed: Re(eps) >= 1; run it dispersive, as a Lorentz fit)")
    if eps.imag == 0:
        return mp.Medium(epsilon=eps.real)
    if eps.imag < 0 and gain_width_fraction is not None:
        line = lorentzian_gain(eps_imag=eps.imag, centre_per_um=f_c_per_um, width_fraction=gain_width_fraction)
        return mp.Medium(epsilon=eps.real, E_susceptibilities=[mp.LorentzianSusceptibility(
            frequency=line.frequency_per_um, gamma=line.gamma_per_um, sigma=line.sigma)])
    return mp.Medium(epsilon=eps.real, D_conductivity=2 * np.pi * f_c_per_um * eps.imag / eps.real)


def media_lookup(*, wavelength_min_nm: float, wavelength_max_nm: float, dispersive: bool = False,
                 freeze_wavelength_nm: float | None = None,
                 gain_width_fraction: float | None = None) -> Callable[[Medium2D], mp.Medium]:
    """``Medium2D -> mp.Medium`` (``meep_medium`` with these band settings), one ``mp.Medium`` per distinct spec."""
    cache: dict[Medium2D, mp.Medium] = {}

    def med(m: Medium2D) -> mp.Medium:
        if m not in cache:
            cache[m] = meep_medium(medium=m, wavelength_min_nm=wavelength_min_nm,
                                   wavelength_max_nm=wavelength_max_nm, dispersive=dispersive,
                                   freeze_wavelength_nm=freeze_wavelength_nm,
                                   gain_width_fraction=gain_width_fraction)
        return cache[m]

    return med
