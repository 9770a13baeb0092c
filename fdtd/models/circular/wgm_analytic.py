"""Exact 2D resonances of concentric dielectric rings (disk, ring, circular grating in an effective-index picture).

psi = E_z ("Ez", E normal to the plane) or H_z ("Hz"); psi and p dpsi/dr are continuous (p = 1 for Ez, 1/n^2 for
Hz). The centre field is regular (J_m); (psi, p dpsi/dr) is carried outwards through each region in the J_m/Y_m
basis (well conditioned, inverted with the Wronskian); outside only the outgoing H1_m wave may remain, imposed as a
log-derivative condition (no cancellation between exponentially large and small parts at high m). Resonances are
complex frequencies with Im f < 0 (exp(-i omega t)); Q = Re f / (-2 Im f). Units: MEEP's, lengths in um and
f = 1 / wavelength_um.

Also the textbook estimate for thin rings: the circular resonance condition m lambda = 2 pi R n_eff with n_eff of the
ring's cross-section as a planar slab.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy.special import h1vp, hankel1, jv, jvp, yv

from perocav.pdk.errors import InputError


@dataclass(frozen=True)
class Resonance2D:
    """One resonance of azimuthal order m: frequency (1/um), wavelength (nm) and radiation Q."""

    m: int
    freq: complex
    wavelength_nm: float
    q: float


def _check(radii_um: Sequence[float], indices: Sequence[complex], pol: str) -> None:
    if len(indices) != len(radii_um) + 1:
        raise InputError("need one more index than radii (the outside)", field="indices", allowed="len(radii) + 1")
    if not radii_um or any(b <= a for a, b in zip(radii_um, radii_um[1:])) or radii_um[0] <= 0:
        raise InputError(f"{list(radii_um)} must increase from > 0", field="radii_um", allowed="0 < r1 < r2 < ...")
    if pol not in ("Ez", "Hz"):
        raise InputError(f"{pol!r}", field="pol", allowed="Ez, Hz")


def _bessel_jy(m, x):
    """(J_m, Y_m, J_m', Y_m') at x from J_{m-1}, J_m, Y_{m-1}, Y_m (Z_m' = Z_{m-1} - m Z_m / x): four Bessel calls
    instead of six."""
    j, y, j1, y1 = jv(m, x), yv(m, x), jv(m - 1, x), yv(m - 1, x)
    return j, y, j1 - m * j / x, y1 - m * y / x


def _layer_matrix(k, n, r0, r1, m, p):
    """Maps (psi, p dpsi/dr) at r0 to r1 inside a uniform region of index n (J/Y basis, Wronskian inverse)."""
    x0, x1 = k * n * r0, k * n * r1
    j0, y0, dj0, dy0 = _bessel_jy(m, x0)
    j1, y1, dj1, dy1 = _bessel_jy(m, x1)
    c = p * k * n
    wr = 2.0 / (np.pi * x0)  # J Y' - J' Y at x0
    a_psi, a_phi = dy0 / wr, -y0 / (c * wr)  # coefficient of J: A = a_psi psi + a_phi phi
    b_psi, b_phi = -dj0 / wr, j0 / (c * wr)  # coefficient of Y
    return ((j1 * a_psi + y1 * b_psi, j1 * a_phi + y1 * b_phi),
            (c * (dj1 * a_psi + dy1 * b_psi), c * (dj1 * a_phi + dy1 * b_phi)))


def _boundary(freq, m, radii_um, indices, pol):
    """(psi, phi, c) at the outermost interface, carried out from the regular centre; phi = p dpsi/dr."""
    k = 2 * np.pi * np.asarray(freq, dtype=complex)
    pfac = (lambda n: 1.0) if pol == "Ez" else (lambda n: 1.0 / n**2)
    n0 = indices[0]
    x = k * n0 * radii_um[0]
    psi, phi = jv(m, x), pfac(n0) * k * n0 * jvp(m, x)
    for j in range(1, len(radii_um)):
        norm = np.maximum(np.abs(psi), np.abs(phi))
        psi, phi = psi / norm, phi / norm
        (t11, t12), (t21, t22) = _layer_matrix(k, indices[j], radii_um[j - 1], radii_um[j], m, pfac(indices[j]))
        psi, phi = t11 * psi + t12 * phi, t21 * psi + t22 * phi
    nn = indices[-1]
    return psi, phi, pfac(nn) * k * nn, k * nn * radii_um[-1]


def characteristic(*, freq, m: int, radii_um: Sequence[float], indices: Sequence[complex], pol: str = "Ez",
                   kind: str = "ratio"):
    """Zero at a resonance (scalar or array of frequencies in 1/um). ``kind="ratio"``: a/b of the outside field
    a J_m + b H1_m (deep real-axis dips for low-Q modes); ``kind="mismatch"``: (out psi - phi) / (|phi| + |out psi|)
    with out the outgoing log-derivative (no poles: shows very high-Q modes). Both are formed from O(1) numbers,
    without cancelling huge Y_m against tiny J_m at high m. ``kind="both"``: both stacked (one transfer)."""
    with np.errstate(all="ignore"):
        psi, phi, c, x = _boundary(freq, m, radii_um, indices, pol)
        h = hankel1(m, x)
        num = c * h1vp(m, x) / h * psi - phi
        if kind == "mismatch":
            f = num / (np.abs(phi) + np.abs(num + phi))
        elif kind == "both":
            f = np.stack([num * h / (jv(m, x) * phi - c * jvp(m, x) * psi), num / (np.abs(phi) + np.abs(num + phi))])
        else:
            f = num * h / (jv(m, x) * phi - c * jvp(m, x) * psi)
    f = np.where(np.isfinite(f), f, np.inf)
    return complex(f) if np.ndim(f) == 0 else f


def _refine_many(func, f0: np.ndarray, tol: float = 1e-13, max_iter: int = 60) -> np.ndarray:
    """Secant iterations for many starting points at once (``func`` is vectorised over frequency)."""
    if f0.size == 0:
        return f0
    x0 = f0.astype(complex)
    x1 = x0 * (1 + 1e-5) - 1e-6j * np.abs(x0)
    y0, y1 = func(x0), func(x1)
    active = np.ones(x0.shape, bool)
    for _ in range(max_iter):
        with np.errstate(all="ignore"):
            step = y1 * (x1 - x0) / (y1 - y0)
        step = np.where(active & np.isfinite(step), step, 0)
        x0, y0 = np.where(active, x1, x0), np.where(active, y1, y0)
        x1 = x1 - step
        bad = ~np.isfinite(x1) | (x1.real <= 0)
        x1 = np.where(bad, np.nan, x1)
        active &= ~bad & (np.abs(step) > tol * np.abs(x1))
        if not active.any():
            break
        y1 = np.where(active, func(np.where(active, x1, x0)), y1)
    return x1


def resonances_2d(*, m: int, radii_um: Sequence[float], indices: Sequence[complex], freq_min: float,
                  freq_max: float, pol: str = "Ez", n_scan: int = 400) -> list[Resonance2D]:
    """Resonances of order ``m`` with Re f in [freq_min, freq_max] (1/um): every local minimum of the pole-free
    mismatch and every local extremum of |a/b| on the real axis seeds a complex secant search; only true roots
    (|mismatch| < 1e-6, Im f < 0) are kept. Modes closer than the scan step may merge."""
    _check(radii_um, indices, pol)

    def func(z):
        return characteristic(freq=z, m=m, radii_um=radii_um, indices=indices, pol=pol)

    def mismatch(z):
        return characteristic(freq=z, m=m, radii_um=radii_um, indices=indices, pol=pol, kind="mismatch")

    f = np.linspace(freq_min, freq_max, n_scan)
    ratio, mis = np.abs(func(f)), np.abs(mismatch(f))
    seeds = set()
    for i in range(1, n_scan - 1):
        if mis[i] < mis[i - 1] and mis[i] <= mis[i + 1]:  # the pole-free mismatch dips at every resonance
            seeds.add(i)
        if (ratio[i] - ratio[i - 1]) * (ratio[i + 1] - ratio[i]) < 0:  # a/b: dip (zero) or peak (nearby pole)
            seeds.add(i)
    starts = [f[i] for i in sorted(seeds)]
    found: list[Resonance2D] = []
    roots = _refine_many(func, np.array([complex(x, -1e-4 * x) for x in starts]))
    for root in roots:
        if not np.isfinite(root) or not (freq_min <= root.real <= freq_max) or root.imag >= 0:
            continue
        if abs(mismatch(root)) > 1e-6 or any(abs(root - r.freq) < 1e-9 * abs(root) for r in found):
            continue
        found.append(Resonance2D(m=m, freq=complex(root), wavelength_nm=1000.0 / root.real,
                                 q=root.real / (-2 * root.imag)))
    return sorted(found, key=lambda r: r.freq.real)


def ring_estimate_wavelength_nm(*, m: int, radius_um: float, n_eff: float) -> float:
    """Circular resonance condition m lambda = 2 pi R n_eff (R: radius of the mode's path)."""
    if m < 1:
        raise InputError(f"{m}", field="m", allowed=">= 1")
    return 2 * np.pi * radius_um * n_eff / m * 1000.0
