"""Coupled-mode thresholds of a sectioned DFB whose sections differ in gain: the pumped ones have modal intensity
gain g_p (the unknown) + their background, the others their background only (negative = loss). The finite-device
FDTD's coupled-mode reference (and its gain-level guess) until ``fdtd.models.device`` lands; same equations as
``cmt_dfb`` (its section matrix), with a per-section amplitude gain a_j = (g_p [pumped] + gain_j) / 2 and detuning
delta + delta_j. A root of T22 in the two real unknowns (g_p, delta) by Newton from the fully pumped modes.
Units: 1/cm, um.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import root

from perocav.fdtd.models.dfb.cmt_dfb import GratingSection, _section_matrix, threshold_modes


@dataclass(frozen=True)
class PumpedSection:
    """A grating section (``cmt_dfb.GratingSection``: length, signed kappa, harmonic phase, h, h_i), whether it is
    pumped, its fixed modal intensity gain [1/cm] (negative: loss) and its Bragg detuning offset [1/cm]."""

    grating: GratingSection
    pumped: bool
    gain_per_cm: float = 0.0
    detuning_offset_per_cm: float = 0.0


@dataclass(frozen=True)
class PartialMode:
    """A lasing mode: threshold modal intensity gain of the pumped sections and detuning [1/cm]."""

    threshold_modal_gain_per_cm: float
    detuning_per_cm: float


def t22(sections: Sequence[PumpedSection], g_p: float, delta: float) -> complex:
    """T22 of the device at pumped modal gain ``g_p`` and detuning ``delta`` [1/cm]."""
    total = np.eye(2, dtype=complex)
    for s in sections:
        a = 0.5 * ((g_p if s.pumped else 0.0) + s.gain_per_cm)
        total = _section_matrix(s.grating, np.asarray(a - 1j * (delta + s.detuning_offset_per_cm))) @ total
    return complex(total[1, 1])


def _seeds(sections: Sequence[PumpedSection], n_seeds: int) -> list[tuple[float, float]]:
    """(g_p, delta) guesses: the fully pumped, lossless modes with their gain scaled to the pumped share."""
    length = sum(s.grating.length_um for s in sections)
    pumped = sum(s.grating.length_um for s in sections if s.pumped)
    if pumped <= 0:
        raise ValueError("no section is pumped")
    background = sum(s.gain_per_cm * s.grating.length_um for s in sections) / length
    modes = threshold_modes(sections=[s.grating for s in sections], n_modes=n_seeds)
    return [((m.power_gain_per_cm - background) * length / pumped, m.delta_per_cm) for m in modes]


def partial_threshold_modes(*, sections: Sequence[PumpedSection], n_modes: int = 2,
                            n_seeds: int = 6) -> list[PartialMode]:
    """Lowest-threshold modes (by g_p), distinct to 1e-6 relative; fewer if Newton finds fewer."""
    found: list[PartialMode] = []
    for g0, d0 in _seeds(sections, n_seeds):
        scale = max(abs(g0), 1.0)

        def resid(x: np.ndarray) -> list[float]:
            v = t22(sections, x[0] * scale, x[1] * scale)
            return [v.real, v.imag]

        sol = root(resid, [g0 / scale, d0 / scale], method="hybr", options={"xtol": 1e-12})
        if not sol.success:
            continue
        g, d = float(sol.x[0] * scale), float(sol.x[1] * scale)
        if not (math.isfinite(g) and abs(t22(sections, g, d)) < 1e-6 * (1 + abs(g))):
            continue
        if all(abs(g - m.threshold_modal_gain_per_cm) > 1e-6 * scale or abs(d - m.detuning_per_cm) > 1e-3
               for m in found):
            found.append(PartialMode(threshold_modal_gain_per_cm=g, detuning_per_cm=d))
    return sorted(found, key=lambda m: m.threshold_modal_gain_per_cm)[:n_modes]

