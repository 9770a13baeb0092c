"""Finite DFB lasers in coupled-wave theory: Kogelnik-Shank closed form and a transfer matrix
for arbitrary sections (phase shifts, piecewise/apodized kappa, 2nd-order radiation).

Coupled-wave equations (forward R, backward S; alpha amplitude gain, delta = beta - beta_B,
theta the phase of the coupling harmonic in a section, h the 2nd-order radiation coupling):

    dR/dz =  (alpha - i delta - h) R - (i kappa + h) e^{+i theta} S
    dS/dz = -(alpha - i delta - h) S + (i kappa + h) e^{-i theta} R

With h = 0 this is Kogelnik & Shank, J. Appl. Phys. 43, 2327 (1972): gamma^2 = kappa^2 +
(alpha - i delta)^2. No facet reflections: lasing means R(0) = 0 and S(L) = 0 with non-zero
output, i.e. the (2,2) element of the total transfer matrix vanishes (a pole of transmission).
Power gain at threshold is 2 alpha. A grating displaced by a fraction f of a period changes the
phase of its m-th harmonic by 2 pi m f; a quarter-wave (lambda/4) shift is theta = pi at any order.
Units: kappa, alpha, delta, h in 1/cm; lengths in um.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from perocav.fdtd.cmt_roots import grid_roots_2d

CM_PER_UM = 1e-4


@dataclass(frozen=True)
class GratingSection:
    """One uniform piece of grating: length [um], signed kappa [1/cm], harmonic phase theta [rad],
    radiation coupling h [1/cm] (2nd order only; 0 otherwise)."""

    length_um: float
    kappa_per_cm: float
    phase_rad: float = 0.0
    radiation_per_cm: float = 0.0

    def __post_init__(self) -> None:
        if not self.length_um > 0:
            raise ValueError(f"length_um={self.length_um} must be > 0")
        if self.radiation_per_cm < 0:
            raise ValueError(f"radiation_per_cm={self.radiation_per_cm} must be >= 0")


@dataclass(frozen=True)
class DfbMode:
    """A lasing mode at threshold: amplitude gain alpha and detuning delta = beta - beta_B [1/cm]."""

    alpha_per_cm: float
    delta_per_cm: float
    length_um: float

    @property
    def power_gain_per_cm(self) -> float:
        return 2.0 * self.alpha_per_cm

    @property
    def alpha_L(self) -> float:
        return self.alpha_per_cm * self.length_um * CM_PER_UM

    @property
    def delta_L(self) -> float:
        return self.delta_per_cm * self.length_um * CM_PER_UM


def uniform_grating(*, length_um: float, kappa_per_cm: float, radiation_per_cm: float = 0.0) -> tuple[GratingSection, ...]:
    """A single uniform section."""
    return (GratingSection(length_um=length_um, kappa_per_cm=kappa_per_cm, radiation_per_cm=radiation_per_cm),)


def phase_shifted_grating(
    *,
    length_um: float,
    kappa_per_cm: float,
    phase_shift_rad: float,
    position_fraction: float = 0.5,
    radiation_per_cm: float = 0.0,
) -> tuple[GratingSection, ...]:
    """Two sections with a jump of the coupling-harmonic phase (pi: quarter-wave shift) at
    ``position_fraction`` of the length. The shift adds no length (the grating is displaced)."""
    if not 0.0 < position_fraction < 1.0:
        raise ValueError(f"position_fraction={position_fraction} must be in (0, 1)")
    l1 = length_um * position_fraction
    return (
        GratingSection(length_um=l1, kappa_per_cm=kappa_per_cm, radiation_per_cm=radiation_per_cm),
        GratingSection(
            length_um=length_um - l1, kappa_per_cm=kappa_per_cm, phase_rad=phase_shift_rad, radiation_per_cm=radiation_per_cm
        ),
    )


def piecewise_grating(
    *, lengths_um: Sequence[float], kappas_per_cm: Sequence[float], phases_rad: Sequence[float] | None = None
) -> tuple[GratingSection, ...]:
    """Sections from parallel lists (apodization: kappa sampled along the cavity)."""
    phases = [0.0] * len(lengths_um) if phases_rad is None else list(phases_rad)
    if not (len(lengths_um) == len(kappas_per_cm) == len(phases)):
        raise ValueError("lengths_um, kappas_per_cm and phases_rad must have the same length")
    return tuple(
        GratingSection(length_um=l, kappa_per_cm=k, phase_rad=p) for l, k, p in zip(lengths_um, kappas_per_cm, phases)
    )


def _section_matrix(section: GratingSection, alpha: np.ndarray, delta: np.ndarray) -> np.ndarray:
    """exp(A l) exp(-|Re gamma l|) for one section, broadcast over alpha, delta [1/cm]; shape (..., 2, 2)."""
    l_cm = section.length_um * CM_PER_UM
    h = section.radiation_per_cm
    a = alpha - 1j * delta - h
    c = 1j * section.kappa_per_cm + h
    b = -c * np.exp(1j * section.phase_rad)
    d = c * np.exp(-1j * section.phase_rad)
    gamma = np.sqrt(a * a + b * d + 0j)
    gl = gamma * l_cm
    # cosh and sinh scaled by exp(-|Re gamma l|): the overall factor does not move the zeros
    # of T22 and keeps large trial gains from overflowing.
    shift = np.abs(gl.real)
    ep, em = np.exp(gl - shift), np.exp(-gl - shift)
    cosh = 0.5 * (ep + em)
    small = np.abs(gl) < 1e-8
    sinhc = np.where(small, l_cm * np.exp(-shift), 0.5 * (ep - em) / np.where(small, 1.0, gamma))
    out = np.empty(np.broadcast(alpha, delta).shape + (2, 2), dtype=complex)
    out[..., 0, 0] = cosh + a * sinhc
    out[..., 0, 1] = b * sinhc
    out[..., 1, 0] = d * sinhc
    out[..., 1, 1] = cosh - a * sinhc
    return out


def transfer_matrix(*, sections: Sequence[GratingSection], alpha_per_cm, delta_per_cm) -> np.ndarray:
    """Total transfer matrix (R, S)(L) = T (R, S)(0), broadcast over alpha, delta [1/cm], up to a
    positive scalar factor per section (overflow guard; zeros and ratios of elements are exact)."""
    alpha = np.asarray(alpha_per_cm, dtype=float)
    delta = np.asarray(delta_per_cm, dtype=float)
    total = None
    for sec in sections:
        m = _section_matrix(sec, alpha, delta)
        total = m if total is None else m @ total
    if total is None:
        raise ValueError("sections must not be empty")
    return total


def _threshold_residual(sections: Sequence[GratingSection], length_cm: float):
    def residual(aL: np.ndarray, dL: np.ndarray) -> np.ndarray:
        t = transfer_matrix(sections=sections, alpha_per_cm=aL / length_cm, delta_per_cm=dL / length_cm)
        norm = np.sqrt(np.sum(np.abs(t) ** 2, axis=(-2, -1)))
        return t[..., 1, 1] / norm

    return residual


def _search(residual, *, kappa_L_max: float, n_modes: int, alpha_L_max: float | None, min_alpha_L: float):
    """Grid-seeded search in (alpha L, delta L), widening the alpha window until n_modes are found."""
    delta_L_max = kappa_L_max + np.pi * (n_modes / 2.0 + 3.0)
    a_max = 8.0 if alpha_L_max is None else alpha_L_max
    for _ in range(4):
        ny = int(np.ceil(2.0 * delta_L_max / 0.15)) + 1
        nx = int(np.ceil(a_max / 0.1)) + 1
        roots = grid_roots_2d(residual, x_bounds=(min_alpha_L, a_max), y_bounds=(-delta_L_max, delta_L_max), nx=nx, ny=ny)
        roots = [r for r in roots if r[0] > 1e-9]
        if len(roots) >= n_modes or alpha_L_max is not None:
            break
        a_max *= 2.0
    roots.sort(key=lambda r: (round(r[0], 9), r[1]))
    return roots[:n_modes]


def threshold_modes(
    *, sections: Sequence[GratingSection], n_modes: int = 4, alpha_L_max: float | None = None
) -> list[DfbMode]:
    """Lowest-threshold lasing modes of a grating made of ``sections`` (transfer-matrix method):
    roots of T22(alpha, delta) = 0 found by a 2D root search seeded on an (alpha L, delta L)
    grid, sorted by threshold. Modes with alpha <= 0 are dropped."""
    length_um = float(sum(s.length_um for s in sections))
    length_cm = length_um * CM_PER_UM
    kappa_L_max = max(abs(s.kappa_per_cm) + s.radiation_per_cm for s in sections) * length_cm
    roots = _search(
        _threshold_residual(sections, length_cm),
        kappa_L_max=kappa_L_max,
        n_modes=n_modes,
        alpha_L_max=alpha_L_max,
        min_alpha_L=0.0,
    )
    return [DfbMode(alpha_per_cm=a / length_cm, delta_per_cm=d / length_cm, length_um=length_um) for a, d in roots]


def kogelnik_shank_residual(*, kappa_L: float, alpha_L, delta_L):
    """Kogelnik-Shank threshold condition gamma L cosh(gamma L) - (alpha - i delta) L sinh(gamma L),
    gamma^2 = kappa^2 + (alpha - i delta)^2, normalised (equivalent to kappa L sinh(gamma L) =
    +/- i gamma L). Odd in gamma, so the branch of the square root does not matter."""
    gL = np.asarray(alpha_L) - 1j * np.asarray(delta_L)
    gam = np.sqrt(kappa_L**2 + gL * gL + 0j)
    shift = np.abs(gam.real)  # scale cosh, sinh by exp(-|Re gamma L|) against overflow
    cosh = 0.5 * (np.exp(gam - shift) + np.exp(-gam - shift))
    sinh = 0.5 * (np.exp(gam - shift) - np.exp(-gam - shift))
    num = gam * cosh - gL * sinh
    den = np.abs(gam * cosh) + np.abs(gL * sinh) + 1e-300
    return num / den


def kogelnik_shank_modes(*, kappa_L: float, n_modes: int = 4) -> list[tuple[float, float]]:
    """Lowest-threshold (alpha L, delta L) pairs of a uniform index-coupled DFB without facet
    reflections, from the Kogelnik-Shank closed form. Modes come in pairs +/- delta L."""

    def residual(aL, dL):
        return kogelnik_shank_residual(kappa_L=kappa_L, alpha_L=aL, delta_L=dL)

    return _search(residual, kappa_L_max=abs(kappa_L), n_modes=n_modes, alpha_L_max=None, min_alpha_L=0.0)
