"""Fit a material over a wavelength band with MEEP's dispersion model (no meep import here).

MEEP units: lengths in um, frequency f = 1 / wavelength_um. Model (MEEP's Lorentzian susceptibility;
a pole with frequency -> 0 acts as a Drude term):
    eps(f) = eps_inf + sum_n sigma_n f_n^2 / (f_n^2 - f^2 - i f gamma_n)
with sigma_n >= 0, gamma_n >= 0 (passive and stable in MEEP). ``perocav.fdtd.meep.media`` turns a fit into an
``mp.Medium``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares

from perocav.pdk.errors import InputError
from perocav.pdk.materials.material import Material


@dataclass(frozen=True)
class LorentzPole:
    """One susceptibility term in MEEP units (1/um)."""

    frequency: float
    gamma: float
    sigma: float


@dataclass(frozen=True)
class MeepFit:
    """Lorentz-Drude fit of ``material`` over [wavelength_min_nm, wavelength_max_nm] and its error."""

    material: str
    wavelength_min_nm: float
    wavelength_max_nm: float
    eps_inf: float
    poles: tuple[LorentzPole, ...]
    max_error_n: float
    max_error_k: float

    def epsilon(self, *, wavelength_nm: np.ndarray) -> np.ndarray:
        """Model permittivity at ``wavelength_nm``."""
        return _model(np.asarray(self.params()), 1000.0 / np.asarray(wavelength_nm, float))

    def params(self) -> list[float]:
        out = [self.eps_inf]
        for p in self.poles:
            out += [p.frequency, p.gamma, p.sigma]
        return out


def _model(x: np.ndarray, f: np.ndarray) -> np.ndarray:
    eps = np.full(f.shape, x[0], dtype=complex)
    for fn, gn, sn in x[1:].reshape(-1, 3):
        eps = eps + sn * fn**2 / (fn**2 - f**2 - 1j * f * gn)
    return eps


def fit_meep_material(
    *, material: Material, wavelength_min_nm: float, wavelength_max_nm: float, tolerance: float = 2e-3,
    max_poles: int = 3, n_samples: int = 41,
) -> MeepFit:
    """Fewest-pole fit whose max |dn| and |dk| over the band are below ``tolerance`` (else the best found)."""
    if not wavelength_max_nm > wavelength_min_nm:
        raise InputError(f"{wavelength_max_nm} <= {wavelength_min_nm}", field="wavelength_max_nm", allowed="> wavelength_min_nm")
    wl = np.linspace(wavelength_min_nm, wavelength_max_nm, n_samples)
    nk = material.nk(wavelength_nm=wl)
    target = nk**2
    f = 1000.0 / wl
    fc = float(f.mean())
    best: MeepFit | None = None
    if np.max(np.abs(nk.imag)) < tolerance and np.ptp(nk.real) < 2 * tolerance:
        eps0 = float(np.mean(target.real))
        best = _result(material, wl, np.array([eps0]), nk)
        if max(best.max_error_n, best.max_error_k) < tolerance:
            return best
    starts = {
        1: [[1.0, 3 * fc, 0.05 * fc, 1.0], [1.0, 0.3 * fc, 0.3 * fc, 1.0]],
        2: [[1.0, 3 * fc, 0.02 * fc, 1.0, 0.2 * fc, 0.5 * fc, 1.0], [1.0, 2 * fc, 0.1 * fc, 1.0, 1.2 * fc, 0.2 * fc, 0.1]],
        3: [[1.0, 3 * fc, 0.02 * fc, 1.0, 0.2 * fc, 0.5 * fc, 1.0, 1.1 * fc, 0.1 * fc, 0.05]],
    }
    for n_poles in range(1, max_poles + 1):
        for x0 in starts[n_poles]:
            x0 = np.array(x0, dtype=float)
            x0[0] = max(1.0, float(target.real.min()) * 0.5) if target.real.min() > 0 else 1.0
            lo = np.array([1.0] + [1e-4, 0.0, 0.0] * n_poles)
            hi = np.array([np.inf] + [50.0, 50.0, np.inf] * n_poles)

            def resid(x: np.ndarray) -> np.ndarray:
                n_fit = np.sqrt(_model(x, f))
                return np.concatenate([(n_fit.real - nk.real), (n_fit.imag - nk.imag)])

            sol = least_squares(resid, np.clip(x0, lo + 1e-9, None), bounds=(lo, hi), x_scale="jac", max_nfev=4000)
            cand = _result(material, wl, sol.x, nk)
            if best is None or max(cand.max_error_n, cand.max_error_k) < max(best.max_error_n, best.max_error_k):
                best = cand
            if max(best.max_error_n, best.max_error_k) < tolerance:
                return best
    return best


def _result(material: Material, wl: np.ndarray, x: np.ndarray, nk: np.ndarray) -> MeepFit:
    n_fit = np.sqrt(_model(x, 1000.0 / wl))
    poles = tuple(LorentzPole(float(a), float(b), float(c)) for a, b, c in x[1:].reshape(-1, 3))
    return MeepFit(
        material=material.name, wavelength_min_nm=float(wl[0]), wavelength_max_nm=float(wl[-1]),
        eps_inf=float(x[0]), poles=poles,
        max_error_n=float(np.max(np.abs(n_fit.real - nk.real))),
        max_error_k=float(np.max(np.abs(n_fit.imag - nk.imag))),
    )
