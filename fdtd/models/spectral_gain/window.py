"""The gain window as a result of the material spectrum: the wavelengths where the perovskite's material gain
g(lambda, N, T) can exceed a loss floor at some density up to the ceiling. g rises with N at every wavelength, so
that is where g(lambda, N_max, T) > floor. Its blue edge lies just red of hc / Delta_mu(N_max) (Bernard-Duraffourg:
g changes sign exactly there), its red edge where the Urbach tail alpha0 falls to the floor. Among several Bragg
roots in the window the spectrum favours the one where the gain reaches the floor at the lowest density (the first
to turn to gain as the pump rises): ``onset_density_per_cm3``."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.optimize import brentq

from perocav.fdtd.models.spectral_gain.absorption import HC_EV_NM
from perocav.fdtd.models.spectral_gain.carriers import delta_mu_ev
from perocav.fdtd.models.spectral_gain.params import BandEdge, band_edge
from perocav.fdtd.models.spectral_gain.spectrum import gain_per_cm
from perocav.fdtd.models.spectral_gain.threshold import N_CEILING_PER_CM3, N_MIN_PER_CM3
from perocav.pdk.errors import InputError

#: default loss floor [1/cm of material gain]: no thin-film DFB needs less (a long grating's mirror loss and the
#: cladding's absorption are a few 1/cm of modal gain, the gain layer's confinement 0.3-0.8; the default design's
#: winners need ~400-600 1/cm). Red of where alpha0 falls below it the film cannot reach any threshold.
LOSS_FLOOR_PER_CM = 10.0
#: default film temperature of the window [K] (the gain model's default)
WINDOW_TEMPERATURE_K = 300.0
#: the red end of the search [Urbach energies below the gap]: alpha0 is down by exp(-30) ~ 1e-13 there, so with a
#: floor of 0 (g > 0 anywhere red of Delta_mu: the tail never vanishes) the window stops here
RED_SEARCH_URBACH = 30.0
_STEP_NM = 0.25


@dataclass(frozen=True)
class GainWindow:
    """Wavelength window [nm] where resonances are solved: ``source`` "spectrum" (g(lambda, N_max, T) > floor of
    ``perovskite``), "user" (the stack's ``gain_window_nm``), "caller" (a window passed in) or "emission"
    (emission_wavelength_nm +- 4 %, a gain layer without a spectrum). ``reason`` says which and why.
    ``perovskite``, ``temperature_k`` [K], ``max_density_per_cm3``, ``loss_floor_per_cm`` [1/cm]: the spectrum that
    picks among several roots (``perovskite`` None: no spectrum, several roots are an error)."""

    low_nm: float
    high_nm: float
    source: str
    reason: str
    perovskite: str | None = None
    temperature_k: float = WINDOW_TEMPERATURE_K
    max_density_per_cm3: float = N_CEILING_PER_CM3
    loss_floor_per_cm: float = LOSS_FLOOR_PER_CM

    @property
    def window_nm(self) -> tuple[float, float]:
        return self.low_nm, self.high_nm


def _edge(name: str | BandEdge) -> BandEdge:
    if isinstance(name, BandEdge):
        return name
    edge = band_edge(name)
    if edge is None:
        raise InputError(f"{name!r} has no gain spectrum", field="perovskite", allowed="MAPbI3, MAPbI3_Ball, CsPbBr3")
    return edge


def gain_window_nm(*, perovskite: str | BandEdge, temperature_k: float = WINDOW_TEMPERATURE_K,
                   max_density_per_cm3: float = N_CEILING_PER_CM3,
                   loss_floor_per_cm: float = LOSS_FLOOR_PER_CM) -> GainWindow:
    """Where g(lambda, N <= ``max_density_per_cm3``, ``temperature_k``) of ``perovskite`` can exceed
    ``loss_floor_per_cm`` [1/cm] (edges to 1e-6 nm); an InputError where it cannot anywhere. ``perovskite``: a PDK
    name or a ``BandEdge`` (e.g. with another Urbach energy)."""
    edge = _edge(perovskite)
    name = perovskite if isinstance(perovskite, str) else edge.name
    return _window(edge, name, float(temperature_k), float(max_density_per_cm3), float(loss_floor_per_cm))


@lru_cache(maxsize=128)
def _window(edge: BandEdge, perovskite: str, temperature_k: float, n_max: float, floor: float) -> GainWindow:
    dmu = float(delta_mu_ev(edge=edge, density_per_cm3=n_max, temperature_k=temperature_k))
    red_ev = min(edge.gap_ev, edge.exciton_ev) - RED_SEARCH_URBACH * edge.urbach_ev
    wl = np.arange(HC_EV_NM / dmu - 1.0, HC_EV_NM / red_ev + _STEP_NM, _STEP_NM)

    def excess(lam: float) -> float:
        return float(gain_per_cm(edge=edge, wavelength_nm=lam, density_per_cm3=n_max,
                                 temperature_k=temperature_k)) - floor

    g = gain_per_cm(edge=edge, wavelength_nm=wl, density_per_cm3=n_max, temperature_k=temperature_k) - floor
    peak = int(np.argmax(g))
    what = f"g(lambda, N <= {n_max:.2g} cm^-3, {temperature_k:g} K) of {perovskite} exceeds {floor:g} 1/cm"
    if g[peak] <= 0:
        raise InputError(f"no gain window: no wavelength where {what}", field="max_density_per_cm3",
                         allowed=f"a density above {n_max:.2g} cm^-3, or a lower loss floor")
    below = np.flatnonzero(g[:peak] <= 0)
    lo_i = int(below[-1]) if below.size else 0
    above = np.flatnonzero(g[peak:] <= 0)
    hi_i = peak + int(above[0]) if above.size else wl.size - 1
    low = brentq(excess, wl[lo_i], wl[lo_i + 1], xtol=1e-7) if g[lo_i] <= 0 else float(wl[lo_i])
    high = brentq(excess, wl[hi_i - 1], wl[hi_i], xtol=1e-7) if g[hi_i] <= 0 else float(wl[hi_i])
    tail = "" if g[hi_i] <= 0 else f" (and red of it down to the search's end, {RED_SEARCH_URBACH:g} E_U below the gap)"
    reason = (f"gain window {low:.1f}-{high:.1f} nm: where {what}{tail}; blue edge at Delta_mu(N_max) = "
              f"{dmu:.3f} eV ({HC_EV_NM / dmu:.1f} nm)")
    return GainWindow(low_nm=float(low), high_nm=float(high), source="spectrum", reason=reason, perovskite=perovskite,
                      temperature_k=temperature_k, max_density_per_cm3=n_max, loss_floor_per_cm=floor)


def onset_density_per_cm3(*, perovskite: str | BandEdge, wavelength_nm, gain_per_cm_target: float = LOSS_FLOOR_PER_CM,
                          temperature_k: float = WINDOW_TEMPERATURE_K,
                          max_density_per_cm3: float = N_CEILING_PER_CM3) -> np.ndarray:
    """Lowest N [cm^-3] where g(lambda, N, T) reaches ``gain_per_cm_target`` at each wavelength (array; inf where the
    ceiling does not reach it): bisection in ln N (g rises with N), 1e-9 relative."""
    edge = _edge(perovskite)
    wl = np.atleast_1d(np.asarray(wavelength_nm, dtype=float))
    lo = np.full(wl.shape, math.log(N_MIN_PER_CM3))
    hi = np.full(wl.shape, math.log(max_density_per_cm3))

    def reached(ln_n):
        return gain_per_cm(edge=edge, wavelength_nm=wl, density_per_cm3=np.exp(ln_n),
                           temperature_k=temperature_k) >= gain_per_cm_target

    ok_hi, ok_lo = reached(hi), reached(lo)
    for _ in range(48):
        mid = 0.5 * (lo + hi)
        up = reached(mid)
        hi, lo = np.where(up, mid, hi), np.where(up, lo, mid)
    return np.where(ok_lo, N_MIN_PER_CM3, np.where(ok_hi, np.exp(hi), np.inf))
