"""A 1D-grating unit cell under a layer stack, resolved for RCWA at any (complex) wavelength. No meep.

The cell: semi-infinite cover on top, the stack's nonzero levels top to bottom, semi-infinite substrate below;
the grating level has one tooth of ``material`` (width duty x period, centred) in ``fill_material``. Each
wavelength uses the materials' own complex n + i k (physics convention, k > 0 absorbs); a gain layer of a stack
with ``gain_layer_lossless`` gets k = 0, as in every other model. Lengths in nm.

At a complex wavelength lambda_r + i lambda_i (a pole search) the permittivity is continued analytically to first
order: eps(lambda) = eps(lambda_r) + eps'(lambda_r) (lambda - lambda_r), eps' by a central difference over
+-``DERIV_STEP_NM`` (the tabulated data are piecewise linear; the step smooths their kinks).

The analytic screen builds the same tooth / fill permittivities vectorised over wavelength
(``models.slab.stack_eps.region_eps``); they agree to one ulp (``tests/fdtd/rcwa/test_cell_vs_stack_eps.py``), not to the
bit, so neither is built on the other: that would move RCWA results in the last digit.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from perocav.pdk.materials import resolve_material
from perocav.pdk.stack import Stack

DERIV_STEP_NM = 1.0


@dataclass(frozen=True)
class CellLevel:
    """One level: ``tooth`` is None for a uniform level."""

    name: str
    thickness_nm: float
    material: object
    tooth: object | None = None
    lossless: bool = False
    blend_fraction: float | None = None  # set: one uniform level of eps = f eps(tooth) + (1 - f) eps(material)


@dataclass(frozen=True)
class GratingCell:
    """Unit cell of a 1D grating (period_nm, duty_cycle = tooth fraction) under a stack; levels top to bottom."""

    stack_name: str
    period_nm: float
    duty_cycle: float
    levels: tuple[CellLevel, ...]
    cover: object
    substrate: object


def grating_cell(*, stack: Stack, period_nm: float, duty_cycle: float, averaged: bool = False) -> GratingCell:
    """The cell of ``stack`` with its grating level patterned at ``duty_cycle`` (``averaged=True``: the grating level
    is one uniform block of the duty-averaged permittivity, the Bragg centre of the bands)."""
    levels = []
    for layer in reversed(stack.optical_layers()):
        lossless = layer.role == "gain" and stack.gain_layer_lossless
        if layer.role == "grating":
            fill = layer.fill_material
            levels.append(CellLevel(layer.name, float(layer.thickness_nm), fill, tooth=layer.material,
                                    blend_fraction=float(duty_cycle) if averaged else None))
        else:
            levels.append(CellLevel(layer.name, float(layer.thickness_nm), layer.material, lossless=lossless))
    return GratingCell(stack_name=stack.name, period_nm=float(period_nm), duty_cycle=float(duty_cycle),
                       levels=tuple(levels), cover=stack.cover, substrate=stack.substrate)


@lru_cache(maxsize=8192)
def _eps_real_axis(spec: object, wavelength_nm: float, lossless: bool = False) -> complex:
    n = complex(resolve_material(spec).nk(wavelength_nm=wavelength_nm))
    if lossless:
        n = complex(n.real, 0.0)
    return n * n


def permittivity(spec: object, *, wavelength_nm: complex, lossless: bool = False) -> complex:
    """Relative permittivity (physics convention) at a real or complex wavelength (first-order continuation)."""
    lam = complex(wavelength_nm)
    e0 = _eps_real_axis(spec, lam.real, lossless)
    if lam.imag == 0.0:
        return e0
    h = DERIV_STEP_NM
    de = (_eps_real_axis(spec, lam.real + h, lossless) - _eps_real_axis(spec, lam.real - h, lossless)) / (2 * h)
    return e0 + de * 1j * lam.imag


def level_permittivities(cell: GratingCell, *, wavelength_nm: complex) -> list[tuple[complex, complex | None]]:
    """(background eps, tooth eps or None) of each level, top to bottom, physics convention."""
    out = []
    for lev in cell.levels:
        e = permittivity(lev.material, wavelength_nm=wavelength_nm, lossless=lev.lossless)
        t = None if lev.tooth is None else permittivity(lev.tooth, wavelength_nm=wavelength_nm)
        if lev.blend_fraction is not None and t is not None:
            e, t = lev.blend_fraction * t + (1 - lev.blend_fraction) * e, None
        out.append((e, t))
    return out


def tooth_fourier(*, duty_cycle: float, n_harmonics: int) -> np.ndarray:
    """Fourier coefficients c_m, m = -2N..2N, of the centred tooth's indicator function (exact for any duty)."""
    m = np.arange(-2 * n_harmonics, 2 * n_harmonics + 1)
    c = np.where(m == 0, duty_cycle, np.sin(np.pi * m * duty_cycle) / (np.pi * np.where(m == 0, 1, m)))
    return c.astype(complex)


def toeplitz_permittivity(*, eps_fill: complex, eps_tooth: complex | None, coeffs: np.ndarray) -> np.ndarray:
    """Laurent-rule convolution matrix [eps]_{mn} = eps_{m-n} (TE), size 2N+1."""
    size = (len(coeffs) + 1) // 2
    if eps_tooth is None:
        return eps_fill * np.eye(size, dtype=complex)
    n = size // 2
    idx = np.arange(-n, n + 1)
    diff = idx[:, None] - idx[None, :]
    return eps_fill * np.eye(size, dtype=complex) + (eps_tooth - eps_fill) * coeffs[diff + 2 * n]
