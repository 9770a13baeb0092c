"""The DFB grating every solver takes (analytic, RCWA, MEEP): one frozen, validated record."""

from __future__ import annotations

import math
from dataclasses import dataclass

from perocav.pdk.errors import InputError


@dataclass(frozen=True)
class DfbGrating:
    """Linear DFB grating: period (nm), duty cycle (tooth fraction, 0-1), Bragg order (1 or 2), number of periods
    and an optional quarter-wave (pi) phase shift at the centre."""

    period_nm: float
    duty_cycle: float
    order: int = 2
    n_periods: int = 100
    quarter_wave_shift: bool = False

    def __post_init__(self) -> None:
        if not (math.isfinite(self.period_nm) and self.period_nm > 0):
            raise InputError(f"{self.period_nm} must be > 0", field="period_nm", allowed="> 0")
        if not 0 < self.duty_cycle < 1:
            raise InputError(f"{self.duty_cycle} is outside (0, 1)", field="duty_cycle",
                             allowed="0 < duty_cycle < 1")
        if self.order not in (1, 2):
            raise InputError(f"{self.order} is not a grating order", field="order", allowed="1, 2")
        if self.n_periods < 2:
            raise InputError(f"{self.n_periods} periods", field="n_periods", allowed=">= 2")

    @property
    def length_um(self) -> float:
        return self.n_periods * self.period_nm / 1000.0

    @property
    def phase_shift_rad(self) -> float:
        return math.pi if self.quarter_wave_shift else 0.0
