"""RCWA of a ``GratingCell`` with meent (TE: E along the grating lines, the MEEP 2D Ez runs' polarization).

meent works in the engineering convention (fields ~ exp(+j omega t), loss = n - j k): every permittivity and
wavelength is conjugated on the way in and every answer on the way out, so callers see physics conventions
(k > 0 absorbs, a decaying pole has Im(lambda) > 0 and Q = Re(lambda) / (2 Im(lambda))).

``reflection``: complex zeroth-order reflection amplitude, R and T at real wavelengths (meent's own solver path).
``mode_function``: D(lambda) = det(G F^-1 + j Kz_top), the mode condition of the whole cell at a given Bloch k and
complex wavelength: F, G are the top-surface E and H (all orders) of the solutions that are outgoing into the
substrate (meent's layer eigenmodes and enhanced transmittance matrices), and j Kz_top adds outgoing waves into the
cover. G F^-1 does not depend on how the layer eigenmodes are normalised or ordered, so D is analytic; each mode,
bright or dark, is a simple zero whatever its coupling to the zeroth order.
"""

from __future__ import annotations

from dataclasses import dataclass

import meent
import numpy as np
from meent.on_numpy.emsolver.transfer_method import transfer_1d_2, transfer_1d_3

from perocav.fdtd.rcwa.cell import GratingCell, level_permittivities, permittivity, toeplitz_permittivity, tooth_fourier


@dataclass(frozen=True)
class Reflection:
    """Zeroth order at normal incidence from the cover: amplitude r (physics convention), R, T (all orders)."""

    wavelength_nm: np.ndarray
    r: np.ndarray
    reflectance: np.ndarray
    transmittance: np.ndarray


def _conv_matrices(cell: GratingCell, *, wavelength_nm: complex, n_harmonics: int) -> list[np.ndarray]:
    """Laurent convolution matrices of every level (top to bottom), physics convention."""
    coeffs = tooth_fourier(duty_cycle=cell.duty_cycle, n_harmonics=n_harmonics)
    return [toeplitz_permittivity(eps_fill=e, eps_tooth=t, coeffs=coeffs)
            for e, t in level_permittivities(cell, wavelength_nm=wavelength_nm)]


def reflection(*, cell: GratingCell, wavelength_nm: np.ndarray, n_harmonics: int) -> Reflection:
    """Normal-incidence (Bloch k = 0) zeroth-order reflection of ``cell`` at real wavelengths [nm], by meent."""
    wls = np.atleast_1d(np.asarray(wavelength_nm, dtype=float))
    r, big_r, big_t = (np.empty(len(wls), dtype=complex), np.empty(len(wls)), np.empty(len(wls)))
    thick = [lev.thickness_nm for lev in cell.levels]
    for i, wl in enumerate(wls):
        eps = np.conj(np.array(_conv_matrices(cell, wavelength_nm=wl, n_harmonics=n_harmonics)))
        n_top, n_bot = (_meent_index(permittivity(spec, wavelength_nm=wl)) for spec in (cell.cover, cell.substrate))
        mee = meent.call_mee(backend=0, pol=0, n_top=n_top, n_bot=n_bot, theta=0.0, fto=[n_harmonics, 0],
                             period=[cell.period_nm, 1.0], wavelength=wl, thickness=thick,
                             type_complex=np.complex128)
        mee.ucell = np.ones((len(thick), 1, 1))  # marks a raster 1D cell; the matrices below replace its content
        res = mee.solve_for_conv(wl, eps, eps, np.linalg.inv(eps))
        r[i] = np.conj(res.res.R_s[0, n_harmonics])
        big_r[i], big_t[i] = float(np.sum(res.de_ri)), float(np.sum(res.de_ti))
    return Reflection(wavelength_nm=wls, r=r, reflectance=big_r, transmittance=big_t)


def _meent_index(eps: complex) -> complex:
    """Cladding index in meent's convention, with a +0 (never -0) imaginary part: meent takes principal square
    roots of n^2 - kx^2, and a -0 would put its evanescent orders on the growing branch."""
    n = complex(np.sqrt(np.conj(complex(eps))))
    return complex(n.real, n.imag + 0.0)


def _kz(n2: complex, kx: np.ndarray, kx_ref: np.ndarray, n2_ref: complex) -> np.ndarray:
    """Normalised kz in a cladding (meent convention), continued from its real-axis branch conj(sqrt(n^2 - kx^2))."""
    ref = np.conj(np.sqrt(n2_ref - kx_ref**2 + 0j))
    s = np.sqrt(n2 - kx**2 + 0j)
    return np.where(np.abs(s - ref) <= np.abs(-s - ref), s, -s)


def mode_function(*, cell: GratingCell, wavelength_nm: complex, n_harmonics: int, k_bloch_per_nm: float = 0.0) -> complex:
    """D(lambda) (see module docstring) at a complex wavelength [nm] and Bloch k [rad/nm]; zero at the cell's modes."""
    lam_phys = complex(wavelength_nm)
    lam = np.conj(lam_phys)  # meent convention
    k0 = 2 * np.pi / lam
    m = np.arange(-n_harmonics, n_harmonics + 1)
    kx = (k_bloch_per_nm + 2 * np.pi * m / cell.period_nm) / k0
    kx_ref = (k_bloch_per_nm + 2 * np.pi * m / cell.period_nm) * lam_phys.real / (2 * np.pi)
    convs = [np.conj(c) for c in _conv_matrices(cell, wavelength_nm=lam_phys, n_harmonics=n_harmonics)]
    n2 = {}
    for key, spec in (("top", cell.cover), ("bot", cell.substrate)):
        n2[key] = (np.conj(permittivity(spec, wavelength_nm=lam_phys)),
                   np.conj(permittivity(spec, wavelength_nm=lam_phys.real)))
    kz_top = _kz(n2["top"][0], kx, kx_ref, n2["top"][1])
    kz_bot = _kz(n2["bot"][0], kx, kx_ref, n2["bot"][1])
    size = len(m)
    f_mat, g_mat, t_mat = np.eye(size, dtype=complex), 1j * np.diag(kz_bot), np.eye(size, dtype=complex)
    for lev, conv in zip(reversed(cell.levels), reversed(convs)):
        w, v, q = transfer_1d_2(0, kx, conv, conv, None)
        _, f_mat, g_mat, t_mat, _, _ = transfer_1d_3(k0, w, v, q, lev.thickness_nm, f_mat, g_mat, t_mat)
    return complex(np.conj(np.linalg.det(g_mat @ np.linalg.inv(f_mat) + 1j * np.diag(kz_top))))
