"""One resonance of a ring, disk or circular grating: the record both the analytic model
(``models.circular.circular_analytic``) and the cylindrical FDTD (``fdtd.circular``) return."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class CircularMode:
    """One resonance of azimuthal order m at wavelength_nm with total Q, radiation Q and absorption Q
    (1/Q = 1/Q_radiation + 1/Q_absorption; NaN where not split). A field the source does not compute keeps its
    default.

    Analytic model: q_radiation_frozen (the 2D pole's frozen-index radiation Q; q_radiation is it with dispersion),
    neff_high / neff_low / group_index at the mode's wavelength, residual_nm of the resonance condition (direct slab
    solves if ``checked``, else the n_eff tables) and its secant ``passes``.

    Cylindrical FDTD: confinement (power-weighted, Visser: n_g int_gain Re(n)|E|^2 r / int eps|E|^2 r, NaN without
    fields; ``fdtd.circular_fields``),
    amplitude (probe ring-down), converged (None: unchecked), wavelength_shift_nm / q_fine (the matched mode at the
    convergence resolution, NaN when unchecked or unmatched), freeze_wavelength_nm (where the media were frozen for
    the run that found it), freeze_residual_nm (wavelength_nm - freeze_wavelength_nm), freeze_passes (MEEP runs of
    this m until the tracked mode was self-consistent), tracked (the mode the freezing wavelength was iterated on)
    and q_dispersive (tracked mode: Q with the material's dispersion, Q n_g / n_g,frozen).
    """

    m: int
    wavelength_nm: float
    q: float
    q_radiation: float = math.nan
    q_absorption: float = math.nan
    # analytic model
    q_radiation_frozen: float = math.nan
    neff_high: float = math.nan
    neff_low: float = math.nan
    group_index: float = math.nan
    residual_nm: float = math.nan
    passes: int = 0
    checked: bool = False
    # cylindrical FDTD
    confinement: float = math.nan
    amplitude: float = math.nan
    converged: bool | None = None
    wavelength_shift_nm: float = math.nan
    q_fine: float = math.nan
    freeze_wavelength_nm: float = math.nan
    freeze_residual_nm: float = math.nan
    freeze_passes: int = 0
    tracked: bool = False
    q_dispersive: float = math.nan
