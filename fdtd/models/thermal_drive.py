"""Electrical drive of the pixel: rectangular current pulses and the diode voltage V(J) = V_on + J R_s.

Defaults (stated, see docs/thermal.md):
- ``turn_on_v`` None -> the photon energy of the emission, h c / (q lambda) (1.59 V at 780 nm, 2.36 V at 525 nm):
  a light-emitting diode cannot emit photons of energy h nu below V = h nu / q.
- ``series_resistance_ohm_cm2`` 5e-3 Ohm cm^2: assumed (6.6 V at 1 kA/cm^2 for MAPbI3). The seed paper's own
  parameters (its Fig. S1) are not available; pulsed PeLEDs at kA/cm^2 are driven with several volts to tens of
  volts (Zhao et al., Adv. Mater. 33, 2104867 (2021); Kim et al., Nat. Commun. 9, 4893 (2018)).
"""

from __future__ import annotations

import math
from typing import Literal, Union

from pydantic import Field, field_validator, model_validator

from perocav.pdk.bounds import StrictModel
from perocav.pdk.errors import InputError
from perocav.pdk.units import HC_EV_NM

DEFAULT_SERIES_RESISTANCE_OHM_CM2 = 5e-3


class PulseDrive(StrictModel):
    """Drive of the pixel (a design file's ``drive`` section): pulse width, repetition rate, diode V(J).

    pulse_ns: rectangular pulse width [ns]; rep_rate_khz: 0 = a single pulse, else a train of ``n_pulses``;
    turn_on_v [V] (None: emission photon energy); series_resistance_ohm_cm2: area-specific series resistance;
    opening_diameter_um: the current-focusing opening [um], or "cavity" (in a design file: the cavity's own size,
    DFB length or circular cavity diameter, so long cavities heat a larger area); substrate_thickness_um: substrate
    on the heat sink [um].
    """

    pulse_ns: float = Field(1000.0, ge=1e-3, le=1e7, allow_inf_nan=False)
    rep_rate_khz: float = Field(0.0, ge=0, le=1e5, allow_inf_nan=False)
    n_pulses: int = Field(10, ge=1, le=200)
    turn_on_v: float | None = Field(None, ge=0, le=10, allow_inf_nan=False)
    series_resistance_ohm_cm2: float = Field(DEFAULT_SERIES_RESISTANCE_OHM_CM2, ge=0, le=10, allow_inf_nan=False)
    opening_diameter_um: Union[float, Literal["cavity"]] = 50.0
    substrate_thickness_um: float = Field(1000.0, ge=1, le=1e5, allow_inf_nan=False)

    @field_validator("opening_diameter_um", mode="before")
    @classmethod
    def _opening(cls, v):
        ok = v == "cavity" or (isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
                               and 0.1 <= v <= 1e4)
        if not ok:
            raise InputError(f"{v!r} is not an opening", field="opening_diameter_um",
                             allowed="a diameter 0.1-1e4 um, or cavity (the cavity's own size)")
        return v

    @field_validator("rep_rate_khz")
    @classmethod
    def _rate(cls, v: float) -> float:
        if 0 < v < 1e-3:
            raise InputError(f"{v!r} is not allowed", field="rep_rate_khz", allowed="0 (one pulse) or 1e-3 to 1e5 kHz")
        return v

    @model_validator(mode="after")
    def _pulse_fits_period(self) -> "PulseDrive":
        check_pulse_in_period(pulse_ns=self.pulse_ns, rep_rate_khz=self.rep_rate_khz)
        return self

    @property
    def pulses_simulated(self) -> int:
        return 1 if self.rep_rate_khz == 0 else self.n_pulses


def check_pulse_in_period(*, pulse_ns: float, rep_rate_khz: float, field: str = "pulse_ns") -> None:
    """A pulse must be shorter than the period 1e6 / rep_rate_khz ns."""
    if rep_rate_khz > 0 and pulse_ns >= 1e6 / rep_rate_khz:
        period_ns = 1e6 / rep_rate_khz
        raise InputError(f"{pulse_ns:g} ns is not shorter than the period {period_ns:g} ns of {rep_rate_khz:g} kHz",
                         field=field, allowed=f"0 < pulse < {period_ns:g} ns (duty < 1)", relative=True)


def photon_turn_on_v(*, wavelength_nm: float) -> float:
    """h nu / q [V] of the emission at ``wavelength_nm``."""
    return HC_EV_NM / wavelength_nm


def diode_voltage_v(*, current_density_a_per_cm2: float, turn_on_v: float, series_resistance_ohm_cm2: float) -> float:
    """V(J) = V_on + J R_s [V] (J in A/cm^2, R_s in Ohm cm^2)."""
    return turn_on_v + current_density_a_per_cm2 * series_resistance_ohm_cm2
