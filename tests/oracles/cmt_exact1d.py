"""Exact 1D plane-wave optics of layer stacks (normal incidence): characteristic matrices, Bloch
bands of a periodic stack, and lasing poles of a finite stack with uniform gain.

This is the independent reference for coupled-mode theory: it solves the wave equation
E'' + k0^2 n(z)^2 E = 0 exactly for a piecewise-constant n(z) (no slowly-varying envelopes, no
Fourier truncation). Convention: E ~ exp(+i k0 n z); gain is Im(n) < 0, amplitude gain
alpha = -k0 Im(n). Lengths in nm.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import brentq

from perocav.fdtd.models.roots import grid_roots_2d


def layer_matrix(*, n, thickness_nm: float, wavelength_nm) -> np.ndarray:
    """Characteristic matrix of one layer acting on U = (E, E' / k0), broadcast over n and
    wavelength_nm (arrays of the same shape); shape (..., 2, 2), determinant 1."""
    n = np.asarray(n, dtype=complex)
    k0 = 2.0 * np.pi / np.asarray(wavelength_nm, dtype=float)
    phi = k0 * n * thickness_nm
    c, s = np.cos(phi), np.sin(phi)
    out = np.empty(np.broadcast(n, phi).shape + (2, 2), dtype=complex)
    out[..., 0, 0] = c
    out[..., 0, 1] = s / n
    out[..., 1, 0] = -n * s
    out[..., 1, 1] = c
    return out


def stack_matrix(*, indices: Sequence, thicknesses_nm: Sequence[float], wavelength_nm) -> np.ndarray:
    """Product of layer matrices, first layer first: U(end) = M U(start)."""
    total = None
    for n, d in zip(indices, thicknesses_nm):
        m = layer_matrix(n=n, thickness_nm=d, wavelength_nm=wavelength_nm)
        total = m if total is None else m @ total
    if total is None:
        raise ValueError("empty stack")
    return total


def bloch_half_trace(*, indices: Sequence[float], thicknesses_nm: Sequence[float], wavelength_nm) -> np.ndarray:
    """(1/2) Tr M of one period = cos(K Lambda) of the Bloch wave; |.| > 1 inside a gap."""
    m = stack_matrix(indices=indices, thicknesses_nm=thicknesses_nm, wavelength_nm=wavelength_nm)
    return 0.5 * np.real(m[..., 0, 0] + m[..., 1, 1])


def bloch_gap_edges_nm(
    *, indices: Sequence[float], thicknesses_nm: Sequence[float], order: int, points: int = 4001
) -> tuple[float, float]:
    """(short, long) wavelength edges [nm] of the order-m gap of a lossless periodic stack,
    where (1/2) Tr M = (-1)^m; found by scanning the window around the Bragg wavelength and
    refining the crossings with brentq."""
    period = float(sum(thicknesses_nm))
    n_avg = float(np.dot(indices, thicknesses_nm)) / period
    lam_b = 2.0 * n_avg * period / order
    lam = np.linspace(lam_b * (1 - 0.45 / order), lam_b * (1 + 0.45 / order), points)
    target = (-1.0) ** order

    def f(x):
        return float(bloch_half_trace(indices=indices, thicknesses_nm=thicknesses_nm, wavelength_nm=x)) - target

    vals = target * (bloch_half_trace(indices=indices, thicknesses_nm=thicknesses_nm, wavelength_nm=lam) - target)
    inside = vals > 0
    if not inside.any():
        raise ValueError("no gap found near the Bragg wavelength")
    centre = int(np.argmin(np.abs(lam - lam_b)))
    idx = np.flatnonzero(inside)
    i0 = idx[np.argmin(np.abs(idx - centre))]
    lo = i0
    while lo > 0 and inside[lo - 1]:
        lo -= 1
    hi = i0
    while hi < len(lam) - 1 and inside[hi + 1]:
        hi += 1
    if lo == 0 or hi == len(lam) - 1:
        raise ValueError("gap wider than the scan window")
    return brentq(f, lam[lo - 1], lam[lo], xtol=1e-12), brentq(f, lam[hi], lam[hi + 1], xtol=1e-12)


Segment = tuple[Sequence[float], Sequence[float], int]
"""(indices, thicknesses_nm, repeats): a period of layers repeated ``repeats`` times."""


def segments_matrix(*, segments: Sequence[Segment], wavelength_nm, extra_index=0.0) -> np.ndarray:
    """Matrix of consecutive periodic segments, each a period matrix raised to its repeat count
    (repeated squaring); ``extra_index`` (e.g. -1j alpha / k0) is added to every layer index."""
    total = None
    for indices, thicknesses, repeats in segments:
        period = stack_matrix(
            indices=[n + extra_index for n in indices], thicknesses_nm=thicknesses, wavelength_nm=wavelength_nm
        )
        m = np.linalg.matrix_power(period, int(repeats))
        total = m if total is None else m @ total
    if total is None:
        raise ValueError("no segments")
    return total


def lasing_residual(*, segments: Sequence[Segment], n_outside: float, wavelength_nm, alpha_per_cm) -> np.ndarray:
    """Outgoing-waves-only condition of a finite stack with uniform amplitude gain alpha [1/cm]
    in every layer and in the outer media (index n_outside, same gain): zero at a lasing pole
    (a pole of transmission). Normalised to order one; broadcast over wavelength and alpha."""
    lam = np.asarray(wavelength_nm, dtype=float)
    k0 = 2.0 * np.pi / lam
    dn = -1j * np.asarray(alpha_per_cm, dtype=float) * 1e-7 / k0  # Im(n) = -alpha / k0 (k0 in 1/nm)
    n_out = n_outside + dn
    m = segments_matrix(segments=segments, wavelength_nm=lam, extra_index=dn)
    # left: only a wave leaving to -z, U = (1, -i n_out); right: it must be (1, +i n_out) up to scale
    v1 = m[..., 0, 0] - 1j * n_out * m[..., 0, 1]
    v2 = m[..., 1, 0] - 1j * n_out * m[..., 1, 1]
    return (v2 - 1j * n_out * v1) / (np.abs(v2) + np.abs(n_out * v1))


def lasing_poles(
    *,
    segments: Sequence[Segment],
    n_outside: float,
    wavelength_bounds_nm: tuple[float, float],
    alpha_bounds_per_cm: tuple[float, float],
    grid: tuple[int, int] = (81, 41),
) -> list[tuple[float, float]]:
    """(wavelength_nm, alpha_per_cm) of the lasing poles of the stack inside the given window,
    grid-seeded 2D root search, sorted by alpha."""

    def residual(lam, alpha):
        return lasing_residual(segments=segments, n_outside=n_outside, wavelength_nm=lam, alpha_per_cm=alpha)

    roots = grid_roots_2d(
        residual, x_bounds=wavelength_bounds_nm, y_bounds=alpha_bounds_per_cm, nx=grid[0], ny=grid[1], dedupe_tol=1e-9
    )
    return sorted(roots, key=lambda r: (r[1], r[0]))
