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

from perocav.fdtd.models.dfb.section_matrix import coupled_wave_matrix
from perocav.fdtd.models.roots import analytic_roots
from perocav.pdk.units import CM_PER_UM


@dataclass(frozen=True)
class GratingSection:
    """One uniform piece of grating: length [um], signed kappa [1/cm], harmonic phase theta [rad],
    radiation coupling h [1/cm] (2nd order only; 0 otherwise) and its reactive part h_i [1/cm]:
    h = radiation_per_cm + i radiation_reactive_per_cm (Kazarinov-Henry; h_i shifts the radiating edge
    by -2 h_i in delta and leaves the dark edge where it is)."""

    length_um: float
    kappa_per_cm: float
    phase_rad: float = 0.0
    radiation_per_cm: float = 0.0
    radiation_reactive_per_cm: float = 0.0

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


def uniform_grating(*, length_um: float, kappa_per_cm: float, radiation_per_cm: float = 0.0,
                    radiation_reactive_per_cm: float = 0.0) -> tuple[GratingSection, ...]:
    """A single uniform section."""
    return (GratingSection(length_um=length_um, kappa_per_cm=kappa_per_cm, radiation_per_cm=radiation_per_cm,
                           radiation_reactive_per_cm=radiation_reactive_per_cm),)


def phase_shifted_grating(
    *,
    length_um: float,
    kappa_per_cm: float,
    phase_shift_rad: float,
    position_fraction: float = 0.5,
    radiation_per_cm: float = 0.0,
    radiation_reactive_per_cm: float = 0.0,
) -> tuple[GratingSection, ...]:
    """Two sections with a jump of the coupling-harmonic phase (pi: quarter-wave shift) at
    ``position_fraction`` of the length. The shift adds no length (the grating is displaced)."""
    if not 0.0 < position_fraction < 1.0:
        raise ValueError(f"position_fraction={position_fraction} must be in (0, 1)")
    l1 = length_um * position_fraction
    h = dict(radiation_per_cm=radiation_per_cm, radiation_reactive_per_cm=radiation_reactive_per_cm)
    return (
        GratingSection(length_um=l1, kappa_per_cm=kappa_per_cm, **h),
        GratingSection(length_um=length_um - l1, kappa_per_cm=kappa_per_cm, phase_rad=phase_shift_rad, **h),
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


def _section_matrix(section: GratingSection, g: np.ndarray) -> np.ndarray:
    """exp(A l) of one section as a function of the complex g = alpha - i delta [1/cm],
    broadcast over g; shape (..., 2, 2). Entire in g (``section_matrix.coupled_wave_matrix``)."""
    h = section.radiation_per_cm + 1j * section.radiation_reactive_per_cm
    c = 1j * section.kappa_per_cm + h
    return coupled_wave_matrix(a=np.asarray(g) - h, b=-c * np.exp(1j * section.phase_rad),
                               d=c * np.exp(-1j * section.phase_rad), length_cm=section.length_um * CM_PER_UM)


def _total_matrix(sections: Sequence[GratingSection], g: np.ndarray) -> np.ndarray:
    total = None
    for sec in sections:
        m = _section_matrix(sec, g)
        total = m if total is None else m @ total
    if total is None:
        raise ValueError("sections must not be empty")
    return total


def transfer_matrix(*, sections: Sequence[GratingSection], alpha_per_cm, delta_per_cm) -> np.ndarray:
    """Total transfer matrix (R, S)(L) = T (R, S)(0), broadcast over alpha, delta [1/cm]."""
    g = np.asarray(alpha_per_cm, dtype=float) - 1j * np.asarray(delta_per_cm, dtype=float)
    return _total_matrix(sections, g)


def _search(func_of_gL, *, kappa_L_max: float, n_modes: int, alpha_L_max: float | None) -> list[tuple[float, float]]:
    """Zeros of an analytic threshold function of gL = (alpha - i delta) L: vectorised complex
    Newton (the 2D root search in (alpha L, delta L)) from seeds on a grid, widening the alpha
    window until ``n_modes`` modes with alpha > 0 are found. (alpha L, delta L) by threshold."""
    delta_L_max = kappa_L_max + np.pi * (n_modes / 2.0 + 3.0)
    a_max = 8.0 if alpha_L_max is None else alpha_L_max
    roots: list[tuple[float, float]] = []
    for _ in range(4):
        a_seeds = np.concatenate([[0.02, 0.2], np.arange(0.6, a_max + 1e-9, 0.6)])
        d_seeds = np.arange(-delta_L_max, delta_L_max + 1e-9, np.pi / 4)
        seeds = (a_seeds[:, None] - 1j * d_seeds[None, :]).ravel()

        def accept(z: complex, a_max: float = a_max) -> bool:
            return 1e-12 < z.real <= a_max and abs(z.imag) <= delta_L_max

        found = analytic_roots(func_of_gL, seeds=seeds, accept=accept)
        roots = sorted(((z.real, -z.imag) for z in found), key=lambda r: (round(r[0], 9), r[1]))
        if len(roots) >= n_modes or alpha_L_max is not None:
            break
        a_max *= 2.0
    return roots[:n_modes]


def threshold_modes(
    *, sections: Sequence[GratingSection], n_modes: int = 4, alpha_L_max: float | None = None
) -> list[DfbMode]:
    """Lowest-threshold lasing modes of a grating made of ``sections`` (transfer-matrix method):
    zeros of T22(alpha, delta), found by a 2D root search (complex Newton in alpha - i delta,
    T22 being analytic there) seeded on an (alpha L, delta L) grid; sorted by threshold.
    Modes with alpha <= 0 are dropped. ``alpha_L_max`` fixes the search window (else widened)."""
    length_um = float(sum(s.length_um for s in sections))
    length_cm = length_um * CM_PER_UM
    kappa_L_max = max(abs(s.kappa_per_cm) + s.radiation_per_cm for s in sections) * length_cm
    roots = _search(
        lambda gL: _total_matrix(sections, gL / length_cm)[..., 1, 1],
        kappa_L_max=kappa_L_max, n_modes=n_modes, alpha_L_max=alpha_L_max,
    )
    return [DfbMode(alpha_per_cm=a / length_cm, delta_per_cm=d / length_cm, length_um=length_um) for a, d in roots]


def kogelnik_shank_residual(*, kappa_L: float, g_L):
    """Kogelnik-Shank threshold function of gL = (alpha - i delta) L:
    gamma L cosh(gamma L) - g L sinh(gamma L), gamma^2 = kappa^2 + g^2. Its zeros are the lasing
    modes (equivalently kappa L sinh(gamma L) = +/- i gamma L, g = gamma coth(gamma L)); it is
    odd in gamma, so the square-root branch does not matter, and it is entire in g."""
    gL = np.asarray(g_L, dtype=complex)
    gam = np.sqrt(kappa_L**2 + gL * gL + 0j)
    return gam * np.cosh(gam) - gL * np.sinh(gam)


def kogelnik_shank_modes(*, kappa_L: float, n_modes: int = 4) -> list[tuple[float, float]]:
    """Lowest-threshold (alpha L, delta L) pairs of a uniform index-coupled DFB without facet
    reflections, from the Kogelnik-Shank closed form. Modes come in pairs +/- delta L."""
    return _search(
        lambda gL: kogelnik_shank_residual(kappa_L=kappa_L, g_L=gL),
        kappa_L_max=abs(kappa_L), n_modes=n_modes, alpha_L_max=None,
    )
