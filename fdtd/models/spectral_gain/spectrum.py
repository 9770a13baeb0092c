"""Gain and spontaneous emission from the absorption (van Roosbroeck-Shockley / Lasher-Stern; Wuerfel's generalized
Planck law): g(E, N) = alpha0(E) [f_c(E_c) - f_v(E_v)], the transition's electron and hole energies split by the
reduced mass (E_c - E_g = (E - E_g) mu / m_e, E_v = -(E - E_g) mu / m_h; applied to tail states too). Hence
g(E, 0) = -alpha0(E) exactly, gain exactly where E < Delta_mu (Bernard-Duraffourg), and
r_sp(E) ~ alpha0(E) E^2 / (exp((E - Delta_mu) / kT) - 1)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from perocav.fdtd.models.spectral_gain.absorption import HC_EV_NM, absorption_per_cm, energy_ev
from perocav.fdtd.models.spectral_gain.carriers import K_B_EV_PER_K, delta_mu_ev, fermi_levels_ev
from perocav.fdtd.models.spectral_gain.params import BandEdge

#: temperatures the model takes [K] (parabolic bands, fixed gap: a room-temperature model with a margin)
TEMPERATURE_RANGE_K = (150.0, 450.0)


def inversion_factor(*, edge: BandEdge, energy_ev, density_per_cm3, temperature_k: float):
    """f_c - f_v at the transition of photon energy E (-1 at N = 0, > 0 exactly where E < Delta_mu)."""
    kt = K_B_EV_PER_K * temperature_k
    e = np.asarray(energy_ev, dtype=float)
    f_c, f_v = fermi_levels_ev(edge=edge, density_per_cm3=density_per_cm3, temperature_k=temperature_k)
    mu = edge.reduced_mass_m0
    e_c = edge.gap_ev + (e - edge.gap_ev) * mu / edge.electron_mass_m0
    e_v = -(e - edge.gap_ev) * mu / edge.hole_mass_m0
    with np.errstate(over="ignore"):
        occ_c = 1.0 / (1.0 + np.exp((e_c - f_c) / kt))
        occ_v = 1.0 / (1.0 + np.exp((e_v - f_v) / kt))
    return occ_c - occ_v


def gain_per_cm(*, edge: BandEdge, wavelength_nm, density_per_cm3, temperature_k: float = 300.0):
    """Material gain g(lambda, N, T) [1/cm] (negative: absorption); broadcasts wavelength against density."""
    e = energy_ev(wavelength_nm=wavelength_nm)
    return absorption_per_cm(edge=edge, energy_ev=e) * inversion_factor(
        edge=edge, energy_ev=e, density_per_cm3=density_per_cm3, temperature_k=temperature_k)


def spontaneous_emission(*, edge: BandEdge, wavelength_nm, density_per_cm3, temperature_k: float = 300.0):
    """Spontaneous emission per photon energy (arbitrary units) of the generalized Planck law."""
    e = energy_ev(wavelength_nm=wavelength_nm)
    kt = K_B_EV_PER_K * temperature_k
    dmu = delta_mu_ev(edge=edge, density_per_cm3=density_per_cm3, temperature_k=temperature_k)
    return absorption_per_cm(edge=edge, energy_ev=e) * e**2 / np.expm1((e - dmu) / kt)


@dataclass(frozen=True)
class GainSpectrum:
    """g(lambda) at one density and temperature: wavelengths nm, gains 1/cm, Delta_mu eV, peak nm and 1/cm."""

    material: str
    density_per_cm3: float
    temperature_k: float
    wavelength_nm: tuple[float, ...]
    gain_per_cm: tuple[float, ...]
    delta_mu_ev: float
    peak_wavelength_nm: float
    peak_gain_per_cm: float


def spectrum_grid_nm(*, edge: BandEdge, step_nm: float = 0.25) -> np.ndarray:
    """Wavelengths from 150 meV above to 200 meV below the gap (>= 60 nm around it for both perovskites)."""
    lo, hi = HC_EV_NM / (edge.gap_ev + 0.15), HC_EV_NM / (edge.gap_ev - 0.2)
    return np.arange(np.floor(lo), np.ceil(hi) + step_nm / 2, step_nm)


def peak_wavelength_nm(*, edge: BandEdge, density_per_cm3: float, temperature_k: float = 300.0,
                       step_nm: float = 0.25) -> float:
    """Wavelength [nm] of the largest g on ``spectrum_grid_nm`` (the peak of ``gain_spectrum``, without the record)."""
    wl = spectrum_grid_nm(edge=edge, step_nm=step_nm)
    g = gain_per_cm(edge=edge, wavelength_nm=wl, density_per_cm3=density_per_cm3, temperature_k=temperature_k)
    return float(wl[int(np.argmax(g))])


def gain_band_nm(*, spectrum: GainSpectrum, loss_per_cm: float = 0.0) -> tuple[float, float] | None:
    """The wavelength band [nm] where g exceeds ``loss_per_cm`` in ``spectrum`` (the gain window as a result, at
    one density; None where it does not anywhere). g is single-peaked in lambda, so the band is one interval."""
    wl, g = np.asarray(spectrum.wavelength_nm), np.asarray(spectrum.gain_per_cm)
    above = np.flatnonzero(g > loss_per_cm)
    return None if above.size == 0 else (float(wl[above[0]]), float(wl[above[-1]]))


def gain_spectrum(*, edge: BandEdge, density_per_cm3: float, temperature_k: float = 300.0,
                  wavelength_nm=None) -> GainSpectrum:
    """g(lambda) on ``wavelength_nm`` (default ``spectrum_grid_nm``) with its peak (the largest g on the grid)."""
    wl = spectrum_grid_nm(edge=edge) if wavelength_nm is None else np.asarray(wavelength_nm, dtype=float)
    g = gain_per_cm(edge=edge, wavelength_nm=wl, density_per_cm3=density_per_cm3, temperature_k=temperature_k)
    i = int(np.argmax(g))
    dmu = float(delta_mu_ev(edge=edge, density_per_cm3=density_per_cm3, temperature_k=temperature_k))
    return GainSpectrum(material=edge.name, density_per_cm3=float(density_per_cm3), temperature_k=float(temperature_k),
                        wavelength_nm=tuple(float(w) for w in wl), gain_per_cm=tuple(float(x) for x in g),
                        delta_mu_ev=dmu, peak_wavelength_nm=float(wl[i]), peak_gain_per_cm=float(g[i]))
