"""Result record of a transient heat simulation of the pixel (temperatures are rises over the heat sink, K)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class ThermalTransient:
    """Temperature rise of the active layer versus time under a rectangular pulse (train).

    ``peak_rise_k``: hottest active-layer cell (the centre of the opening); ``mean_rise_k``: volume average of the
    active layer inside the opening. ``energy_balance_rel_error`` = |heat in - stored - conducted out| / heat in.
    """

    time_s: np.ndarray = field(repr=False)
    peak_rise_k: np.ndarray = field(repr=False)
    mean_rise_k: np.ndarray = field(repr=False)
    pulse_s: float
    period_s: float              # inf for a single pulse
    n_pulses: int
    power_density_w_per_cm2: float   # J V(J), areal, inside the opening
    current_density_a_per_cm2: float
    voltage_v: float
    opening_diameter_um: float
    geometry: str                 # "rz" or "1d"
    n_cells: int
    heat_in_j: float
    stored_j: float
    conducted_out_j: float
    energy_balance_rel_error: float
    max_temperature_rise_k: float
    end_of_pulse_rise_k: tuple[float, ...]   # peak rise at the end of each pulse
    materials_out_of_range: tuple[str, ...] = ()

    def time_to_reach_s(self, rise_k: float) -> float:
        """First time [s] the peak rise reaches ``rise_k``; inf if never (linear interpolation)."""
        above = np.nonzero(self.peak_rise_k >= rise_k)[0]
        if above.size == 0:
            return math.inf
        i = int(above[0])
        if i == 0:
            return float(self.time_s[0])
        t0, t1, y0, y1 = self.time_s[i - 1], self.time_s[i], self.peak_rise_k[i - 1], self.peak_rise_k[i]
        return float(t0 + (rise_k - y0) * (t1 - t0) / (y1 - y0))

    def cooldown_time_s(self, *, fraction: float = 0.05) -> float:
        """Time [s] after the last pulse ends until the peak rise falls below ``fraction`` of its maximum;
        inf if the simulated window ends first."""
        t_end = (self.n_pulses - 1) * self.period_s + self.pulse_s if self.n_pulses > 1 else self.pulse_s
        after = self.time_s > t_end
        level = fraction * self.max_temperature_rise_k
        below = np.nonzero(after & (self.peak_rise_k <= level))[0]
        if below.size == 0:
            return math.inf
        i = int(below[0])
        t0, t1, y0, y1 = self.time_s[i - 1], self.time_s[i], self.peak_rise_k[i - 1], self.peak_rise_k[i]
        return float(t0 + (y0 - level) * (t1 - t0) / (y0 - y1) - t_end) if y0 > level else float(t1 - t_end)

    def rise_at_s(self, time_s: float) -> float:
        """Peak rise [K] at ``time_s`` (linear interpolation in the stored samples)."""
        return float(np.interp(time_s, self.time_s, self.peak_rise_k))

    def summary(self) -> dict:
        """Scalars for JSON output (units in the keys)."""
        return {
            "geometry": self.geometry, "opening_diameter_um": self.opening_diameter_um,
            "current_density_a_per_cm2": self.current_density_a_per_cm2, "voltage_v": self.voltage_v,
            "power_density_w_per_cm2": self.power_density_w_per_cm2, "pulse_ns": self.pulse_s * 1e9,
            "rep_rate_khz": 0.0 if math.isinf(self.period_s) else 1e-3 / self.period_s, "n_pulses": self.n_pulses,
            "max_temperature_rise_k": self.max_temperature_rise_k,
            "end_of_pulse_rise_k": list(self.end_of_pulse_rise_k),
            "time_to_60k_ns": self.time_to_reach_s(60.0) * 1e9,
            "cooldown_to_5pct_us": self.cooldown_time_s(fraction=0.05) * 1e6,
            "energy_balance_rel_error": self.energy_balance_rel_error, "n_cells": self.n_cells,
            "materials_out_of_range": list(self.materials_out_of_range),
        }
