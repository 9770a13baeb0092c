"""Angular spectrum of a field sampled on a line parallel to the device (pure numpy): the spatial Fourier transform
F(k_x) = sum_i w_i E(x_i) e^{-i k_x x_i} of the DFT field E_z on the line, and the power per unit angle of the plane
waves it holds in the line's medium (index n, k = k0 n, sin(theta) = k_x / k). For a TE (E_z) plane wave the flux
across the line per d k_x is k_y |F|^2 / (2 pi omega) (MEEP units, mu = 1), k_y = k cos(theta); with
d k_x = k cos(theta) d theta the power per radian is k^2 cos^2(theta) |F|^2 / (2 pi omega). Only |k_x| < k carries
power away (the guided mode's evanescent tail, k_x > k, does not). Lengths um, wavelengths nm.

Also the power absorbed (or generated) in lossy (gaining) blocks from a DFT field on a 2D region: omega Im(eps) |E|^2
per area in the units of MEEP's flux, Re(E* x H) (time-harmonic Poynting theorem, e^{-i omega t}); with MEEP's
D-conductivity media frozen at f_c, omega Im(eps(omega)) = 2 pi f_c Im(eps_frozen) at every frequency.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from perocav.fdtd.models.device.farfield import FarField

#: points on the full sin(theta) in (-1, 1) grid used for the total propagating power
TOTAL_POINTS = 4001


@dataclass(frozen=True)
class LineSpectrum:
    """The far field of a line field (``FarField``: power per radian as a share of the line's propagating power) and
    that propagating power [MEEP flux units, per unit length out of plane]."""

    far_field: FarField
    propagating_flux: float


def _transform(x_um: np.ndarray, w_um: np.ndarray, field: np.ndarray, k_per_um: np.ndarray) -> np.ndarray:
    return np.exp(-1j * np.outer(k_per_um, x_um)) @ (w_um * field)


def line_spectrum(*, x_um: Sequence[float], weight_um: Sequence[float], field: Sequence[complex], wavelength_nm: float,
                  n_medium: float, sin_max: float | None = None, n_angles: int = 2001) -> LineSpectrum:
    """Angular spectrum of ``field`` (E_z at ``x_um`` with quadrature weights ``weight_um``) in a lossless medium of
    index ``n_medium``: power per radian on |sin theta| <= ``sin_max`` (default min(1, 20 lambda / (n L)), L the
    line length; odd ``n_angles`` puts normal incidence on the grid) as a share of the whole propagating power."""
    x, w, e = (np.asarray(v) for v in (x_um, weight_um, field))
    if not (x.shape == w.shape == e.shape and x.ndim == 1 and x.size > 1):
        raise ValueError("x_um, weight_um and field must be 1D arrays of one length (> 1)")
    if not (n_medium > 0 and wavelength_nm > 0):
        raise ValueError(f"n_medium={n_medium} and wavelength_nm={wavelength_nm} must be > 0")
    lam_um = wavelength_nm * 1e-3
    k = 2.0 * np.pi * n_medium / lam_um
    omega = 2.0 * np.pi / lam_um
    length = float(x.max() - x.min())
    s_max = min(1.0, 20.0 * lam_um / (n_medium * length)) if sin_max is None else sin_max
    if not 0 < s_max <= 1.0:
        raise ValueError(f"sin_max={s_max} must be in (0, 1]")
    # the whole propagating power: int k^2 cos^2 |F|^2 / (2 pi omega) d theta = int k^2 cos |F|^2 / (2 pi omega) du
    u = np.linspace(-1.0, 1.0, TOTAL_POINTS)
    dens = k * k * np.sqrt(1.0 - u * u) * abs(_transform(x, w, e, k * u)) ** 2 / (2.0 * np.pi * omega)
    total = float(np.sum(0.5 * (dens[1:] + dens[:-1]) * np.diff(u)))
    if not total > 0:
        raise ValueError("the line field carries no propagating power")
    s = np.linspace(-s_max, s_max, n_angles)
    cos_t = np.sqrt(1.0 - s * s)
    per_rad = k * k * cos_t ** 2 * abs(_transform(x, w, e, k * s)) ** 2 / (2.0 * np.pi * omega)
    ff = FarField(theta_deg=np.degrees(np.arcsin(s)), power_per_rad=per_rad / total, n_out=float(n_medium),
                  wavelength_nm=float(wavelength_nm), length_um=length)
    return LineSpectrum(far_field=ff, propagating_flux=total)


@dataclass(frozen=True)
class LossyBlock:
    """A block x0..x1, y0..y1 [um] (edges inclusive: MEEP samples conductivities at grid points, a point on an edge
    counts as inside) with the imaginary part of its frozen permittivity (> 0 absorbing, < 0 gaining)."""

    x0_um: float
    x1_um: float
    y0_um: float
    y1_um: float
    eps_imag: float


def im_eps_map(*, x_um: np.ndarray, y_um: np.ndarray, blocks: Sequence[LossyBlock], tol_um: float = 1e-6) -> np.ndarray:
    """Im(eps) on the grid x_um x y_um ([x, y]); later blocks override earlier ones (MEEP's object order); blocks
    must be listed in the geometry's order, lossless ones included with eps_imag 0 so that they override too."""
    out = np.zeros((len(x_um), len(y_um)))
    xx, yy = np.meshgrid(np.asarray(x_um), np.asarray(y_um), indexing="ij")
    for b in blocks:
        inside = ((xx >= b.x0_um - tol_um) & (xx <= b.x1_um + tol_um) & (yy >= b.y0_um - tol_um)
                  & (yy <= b.y1_um + tol_um))
        out[inside] = b.eps_imag
    return out


def absorbed_power(*, field: np.ndarray, weight_um2: np.ndarray, eps_imag: np.ndarray, freeze_frequency_per_um: float,
                   mask: np.ndarray | None = None) -> tuple[float, float]:
    """(absorbed, generated) power [MEEP flux units] of a DFT field on a 2D region (``field``, ``weight_um2`` and
    ``eps_imag`` on one [x, y] grid), over ``mask`` (default: everywhere): 2 pi f_c Im(eps) |E|^2 integrated over
    the absorbing (Im eps > 0) and the gaining (Im eps < 0, sign flipped) points."""
    dens = 2.0 * np.pi * freeze_frequency_per_um * eps_imag * abs(np.asarray(field)) ** 2 * weight_um2
    if mask is not None:
        dens = np.where(mask, dens, 0.0)
    return float(np.sum(dens[dens > 0])), float(-np.sum(dens[dens < 0]))
