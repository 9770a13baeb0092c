"""Coupling coefficient kappa of a rectangular grating (coupled-mode theory, analytic).

Conventions used throughout ``perocav.fdtd.cmt_*``:

* The grating is rectangular; ``duty`` is the fraction of the period occupied by the region
  labelled *high* (``neff_high`` / ``d_eps = eps_high - eps_low``), whatever its actual index.
  The origin of the period is the centre of that region, so every Fourier coefficient is real.
* Order ``m`` couples through the m-th harmonic: Bragg condition ``m lambda_B = 2 n_avg Lambda``.
* kappa is returned *signed*: its sign is the sign of the m-th harmonic of the index (or
  permittivity) profile. Threshold gains depend on kappa**2 only; the sign decides which band
  edge of a 2nd-order grating radiates (see ``cmt_radiation``).

Units: lengths in nm in, kappa in 1/cm out.
"""

from __future__ import annotations

import numpy as np
from scipy.integrate import trapezoid

from perocav.pdk.units import NM_PER_CM


def average_index(*, neff_high: float, neff_low: float, duty: float) -> float:
    """Duty-weighted mean index D n_h + (1 - D) n_l (the DC term of the index profile)."""
    return duty * neff_high + (1.0 - duty) * neff_low


def bragg_wavelength_nm(*, n_avg: float, period_nm: float, order: int) -> float:
    """Bragg wavelength of order m: m lambda_B = 2 n_avg Lambda."""
    return 2.0 * n_avg * period_nm / order


def harmonic_factor(*, duty: float, order: int) -> float:
    """sin(m pi D) / (m pi): the m-th complex-exponential Fourier coefficient of a unit step
    of duty D centred on the origin (the cosine-series coefficient is twice this)."""
    return float(np.sin(order * np.pi * duty) / (order * np.pi))


def index_harmonic(*, neff_high: float, neff_low: float, duty: float, order: int) -> float:
    """Cosine amplitude n1_m = 2 dn sin(m pi D) / (m pi) of the rectangular index profile
    n(z) = n_avg + sum_m n1_m cos(2 pi m z / Lambda); dn = neff_high - neff_low (signed)."""
    return 2.0 * (neff_high - neff_low) * harmonic_factor(duty=duty, order=order)


def kappa_from_indices_per_cm(
    *, neff_high: float, neff_low: float, duty: float, period_nm: float, order: int
) -> float:
    """Signed kappa_m = pi n1_m / lambda_B [1/cm] from the effective indices of the two grating
    regions (effective-index picture: the grating is a 1D index profile along propagation)."""
    n_avg = average_index(neff_high=neff_high, neff_low=neff_low, duty=duty)
    lam_nm = bragg_wavelength_nm(n_avg=n_avg, period_nm=period_nm, order=order)
    n1 = index_harmonic(neff_high=neff_high, neff_low=neff_low, duty=duty, order=order)
    return float(np.pi * n1 / lam_nm * NM_PER_CM)


def kappa_from_overlap_per_cm(
    *,
    z_nm: np.ndarray,
    field_sq: np.ndarray,
    d_eps: np.ndarray,
    duty: float,
    order: int,
    n_eff: float,
    wavelength_nm: float,
    weights: np.ndarray | None = None,
) -> float:
    """Signed TE kappa [1/cm] from the transverse overlap of the unperturbed mode with the grating:

        kappa = k0^2 / (2 beta) * int d_eps_m(z) |E|^2 dz / int |E|^2 dz,
        d_eps_m(z) = d_eps(z) sin(m pi D) / (m pi),

    where ``d_eps(z) = eps_high(z) - eps_low(z)`` is the full permittivity step of the grating
    layer (zero outside it), ``field_sq`` is |E_y|^2 of the TE mode on the same ``z_nm`` grid,
    ``n_eff`` its effective index (beta = n_eff k0) and ``wavelength_nm`` the (Bragg) wavelength.
    d_eps_m is the complex-exponential Fourier coefficient, which makes a uniform medium
    (|E|^2 = const, d_eps = 2 n dn) give exactly kappa = 2 dn sin(pi D) / lambda.
    Only the real part of ``d_eps`` is used (gain/loss coupling is not modelled); TM modes
    need the E_z / D_z weighting and are not handled. ``weights``: quadrature weights on ``z_nm`` (e.g. Simpson per
    layer); default the trapezoid rule.
    """
    z = np.asarray(z_nm, dtype=float)
    e2 = np.asarray(field_sq, dtype=float)
    de = np.real(np.asarray(d_eps))
    if z.shape != e2.shape or z.shape != de.shape:
        raise ValueError("z_nm, field_sq and d_eps must have the same shape")
    k0 = 2.0 * np.pi / wavelength_nm
    integral = (lambda f: trapezoid(f, z)) if weights is None else (lambda f: float(np.dot(weights, f)))
    overlap = integral(de * e2) / integral(e2)
    kappa_per_nm = k0 / (2.0 * n_eff) * harmonic_factor(duty=duty, order=order) * overlap
    return float(kappa_per_nm * NM_PER_CM)


def delta_from_wavelength_per_cm(
    *, wavelength_nm: float, bragg_wavelength_nm: float, group_index: float
) -> float:
    """Detuning delta = beta - beta_B [1/cm] to first order: delta = 2 pi n_g (1/lambda - 1/lambda_B)."""
    return float(2.0 * np.pi * group_index * (1.0 / wavelength_nm - 1.0 / bragg_wavelength_nm) * NM_PER_CM)


def wavelength_from_delta_nm(*, delta_per_cm: float, bragg_wavelength_nm: float, group_index: float) -> float:
    """Wavelength [nm] of detuning delta = beta - beta_B, linear in frequency with a constant
    group index n_g of the guided mode: 1/lambda = 1/lambda_B + delta / (2 pi n_g). To first order
    this is lambda = lambda_B - delta lambda_B^2 / (2 pi n_g); it is the exact inverse of
    ``delta_from_wavelength_per_cm``. delta > 0 is the short-wavelength side."""
    inv = 1.0 / bragg_wavelength_nm + delta_per_cm / NM_PER_CM / (2.0 * np.pi * group_index)
    return float(1.0 / inv)


def stopband_edges_nm(*, kappa_per_cm: float, bragg_wavelength_nm: float, group_index: float) -> tuple[float, float]:
    """(short, long) stopband edges [nm] of an infinite grating: delta = +/- |kappa|
    (width lambda^2 |kappa| / (pi n_g))."""
    k = abs(kappa_per_cm)
    short = wavelength_from_delta_nm(delta_per_cm=k, bragg_wavelength_nm=bragg_wavelength_nm, group_index=group_index)
    long_ = wavelength_from_delta_nm(delta_per_cm=-k, bragg_wavelength_nm=bragg_wavelength_nm, group_index=group_index)
    return short, long_
