"""T22 of a device and its slopes in the two real unknowns (pumped intensity gain g_p, common detuning delta), for
many devices or many trial points at once. Section j has the coupled-wave matrix A_j = [[c_j, b_j], [d_j, -c_j]]
(physics.md section 8, ``sections``) with

    c_j = (p_j g_p + g0_j) / 2 - i (delta + delta0_j) - h_j,  b_j = (i kappa_j - h_j) e^{-2 i phi_j},
    d_j = -(i kappa_j - h_j) e^{+2 i phi_j},

p_j = 1 when pumped. T = M_S ... M_1, M_j = exp(A_j l_j) (``dfb.section_matrix``); lasing: T22 = 0. T22 is entire
in each of g_p and delta, but not in g_p - 2 i delta jointly when some sections are unpumped: the slopes d/dg_p
and d/ddelta are carried separately (forward mode along the product), for a 2D real Newton.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from perocav.fdtd.models.device.sections import DeviceSection
from perocav.fdtd.models.dfb.section_matrix import propagator_parts
from perocav.pdk.units import CM_PER_UM


@dataclass(frozen=True)
class SectionArrays:
    """Coefficients of N devices with S sections each, arrays (N, S): lengths [cm], p/2 (0 or 0.5), the part of
    c_j that depends on neither unknown [1/cm], b_j and d_j [1/cm]. N = 1 broadcasts against any number of points."""

    length_cm: np.ndarray
    half_pumped: np.ndarray
    base: np.ndarray
    b: np.ndarray
    d: np.ndarray

    @classmethod
    def from_columns(cls, *, length_um, kappa_per_cm, radiation_per_cm, radiation_reactive_per_cm, phase_rad,
                     pumped, gain_per_cm, detuning_offset_per_cm) -> "SectionArrays":
        """From (N, S) arrays in the units of ``DeviceSection``'s fields (no checks here)."""
        cols = [np.atleast_2d(np.asarray(v, dtype=float)) for v in (
            length_um, kappa_per_cm, radiation_per_cm, radiation_reactive_per_cm, phase_rad, pumped, gain_per_cm,
            detuning_offset_per_cm)]
        length, kappa, h_r, h_i, phi, pump, gain, offset = np.broadcast_arrays(*cols)
        h = h_r + 1j * h_i
        coupling = 1j * kappa - h
        return cls(length_cm=length * CM_PER_UM, half_pumped=0.5 * pump, base=0.5 * gain - 1j * offset - h,
                   b=coupling * np.exp(-2j * phi), d=-coupling * np.exp(2j * phi))

    @classmethod
    def from_sections(cls, sections: Sequence[DeviceSection]) -> "SectionArrays":
        """One device (N = 1)."""
        names = ("length_um", "kappa_per_cm", "radiation_per_cm", "radiation_reactive_per_cm", "phase_rad", "pumped",
                 "gain_per_cm", "detuning_offset_per_cm")
        return cls.from_columns(**{n: [[float(getattr(s, n)) for s in sections]] for n in names})

    def take(self, rows: np.ndarray) -> "SectionArrays":
        """The devices ``rows`` (a single device stays as it is: it broadcasts)."""
        if self.length_cm.shape[0] == 1:
            return self
        return SectionArrays(*(getattr(self, f)[rows] for f in ("length_cm", "half_pumped", "base", "b", "d")))

    @property
    def n_sections(self) -> int:
        return self.length_cm.shape[1]


def _section(arr: SectionArrays, j: int, g_p, delta, slopes: bool = True, stable: bool = True):
    """(c, M11, M22, s, r, dM11/dc, dM22/dc) of section j at the points: c_j, the diagonal of M_j, sinh/gamma, the
    slope factor of s and the diagonal's slopes (``propagator_parts``)."""
    c = arr.base[:, j] + arr.half_pumped[:, j] * g_p - 1j * delta
    return (c, *propagator_parts(a=c, bd=arr.b[:, j] * arr.d[:, j], length_cm=arr.length_cm[:, j], slopes=slopes,
                                 stable=stable))


def t22(arr: SectionArrays, g_p, delta, *, stable: bool = True) -> np.ndarray:
    """T22 at points g_p [1/cm], delta [1/cm] (shape (N,) or broadcasting with the arrays' N); ``stable`` False: a
    cheaper form whose small values can be rounding noise under strong gain or loss (for seeding only)."""
    w1, w2 = 0.0 + 0j, 1.0 + 0j  # T (0, 1)^T: the second column of the product
    for j in range(arr.n_sections):
        _, m11, m22, s, *_ = _section(arr, j, g_p, delta, slopes=False, stable=stable)
        w1, w2 = m11 * w1 + arr.b[:, j] * s * w2, arr.d[:, j] * s * w1 + m22 * w2
    return w2


def t22_with_slopes(arr: SectionArrays, g_p, delta) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(T22, dT22/dg_p, dT22/ddelta) at the points; dM/dc = c l s I + c r A + s diag(1, -1)."""
    w1, w2 = 0.0 + 0j, 1.0 + 0j
    u1 = u2 = v1 = v2 = 0.0 + 0j  # d/dg_p and d/ddelta of (w1, w2)
    for j in range(arr.n_sections):
        c, m11, m22, s, r, dm11, dm22 = _section(arr, j, g_p, delta)
        b, d, hp = arr.b[:, j], arr.d[:, j], arr.half_pumped[:, j]
        cr = c * r
        m12, m21 = b * s, d * s
        n1 = dm11 * w1 + cr * b * w2  # (dM/dc) w, dM/dc = c l s I + c r A + s diag(1, -1)
        n2 = cr * d * w1 + dm22 * w2
        u1, u2 = hp * n1 + m11 * u1 + m12 * u2, hp * n2 + m21 * u1 + m22 * u2
        v1, v2 = -1j * n1 + m11 * v1 + m12 * v2, -1j * n2 + m21 * v1 + m22 * v2
        w1, w2 = m11 * w1 + m12 * w2, m21 * w1 + m22 * w2
    return w2, u2, v2


def total_matrix(arr: SectionArrays, g_p, delta) -> np.ndarray:
    """The whole product T = M_S ... M_1, shape (..., 2, 2) (for checks and field profiles)."""
    total = None
    for j in range(arr.n_sections):
        _, m11, m22, s, *_ = _section(arr, j, g_p, delta, slopes=False)
        m = np.stack([np.stack([m11, arr.b[:, j] * s], -1), np.stack([arr.d[:, j] * s, m22], -1)], -2)
        total = m if total is None else m @ total
    return total
