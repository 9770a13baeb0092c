"""Electrical drive of the pixel: rectangular current pulses (``PulseTrain``; a design file's ``PulseDrive``), the
diode voltage V(J) = V_on + J R_s (``DiodeDrive``) and the drive input ranges (``check_drive_inputs``).

Defaults (stated, see docs/thermal.md):
- ``turn_on_v`` None -> the photon energy of the emission, h c / (q lambda) (1.59 V at 780 nm, 2.36 V at 525 nm):
  a light-emitting diode cannot emit photons of energy h nu below V = h nu / q.
- ``series_resistance_ohm_cm2`` 5e-3 Ohm cm^2: assumed (6.6 V at 1 kA/cm^2 for MAPbI3). The seed paper's own
  parameters (its Fig. S1) are not available; pulsed PeLEDs at kA/cm^2 are driven with several volts to tens of
  volts (Zhao et al., Adv. Mater. 33, 2104867 (2021); Kim et al., Nat. Commun. 9, 4893 (2018)).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
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

    def pulse_train(self) -> "PulseTrain":
        """The pulses of this drive as a PulseTrain (``n_pulses`` = the pulses simulated)."""
        return PulseTrain(pulse_ns=self.pulse_ns, rep_rate_khz=self.rep_rate_khz, n_pulses=self.pulses_simulated)


#: input ranges: field -> (low, high, low excluded, allowed text)
DRIVE_RANGES = {
    "opening_diameter_um": (0.1, 1e4, False, "0.1-1e4 um"),
    "current_density_a_per_cm2": (0.0, 1e6, True, "0 < J <= 1e6 A/cm^2"),
    "pulse_ns": (1e-3, 1e7, False, "1e-3 to 1e7 ns"),
    "rep_rate_khz": (1e-3, 1e5, False, "0 (one pulse) or 1e-3 to 1e5 kHz"),
}


def _check_range(value, field: str) -> None:
    lo, hi, lo_open, allowed = DRIVE_RANGES[field]
    number = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if not number or value < lo or (lo_open and value == lo) or value > hi:
        raise InputError(f"{value!r} is not allowed", field=field, allowed=allowed)


def check_opening_diameter_um(opening_diameter_um: float) -> None:
    """InputError unless the opening is 0.1-1e4 um."""
    _check_range(opening_diameter_um, "opening_diameter_um")


def check_pulse_inputs(*, pulse_ns: float, rep_rate_khz: float, n_pulses: int) -> None:
    """One-line InputError naming the first bad pulse input (width, rate, count, width within the period)."""
    _check_range(pulse_ns, "pulse_ns")
    if rep_rate_khz != 0:
        _check_range(rep_rate_khz, "rep_rate_khz")
    if isinstance(n_pulses, bool) or not isinstance(n_pulses, int) or not 1 <= n_pulses <= 200:
        raise InputError(f"{n_pulses!r} is not allowed", field="n_pulses", allowed="1-200")
    check_pulse_in_period(pulse_ns=pulse_ns, rep_rate_khz=rep_rate_khz)


def check_drive_inputs(*, opening_diameter_um: float, current_density_a_per_cm2: float, pulse_ns: float,
                       rep_rate_khz: float, n_pulses: int) -> None:
    """One-line InputError naming the first bad drive input."""
    check_opening_diameter_um(opening_diameter_um)
    _check_range(current_density_a_per_cm2, "current_density_a_per_cm2")
    check_pulse_inputs(pulse_ns=pulse_ns, rep_rate_khz=rep_rate_khz, n_pulses=n_pulses)


@dataclass(frozen=True)
class PulseTrain:
    """Rectangular pulses of width ``pulse_ns`` [ns]: one pulse if ``rep_rate_khz`` [kHz] is 0, else a train of
    ``n_pulses`` whole periods. ``t_end_ns`` [ns]: the simulated window of a single pulse (None: 401 pulse widths,
    i.e. 400 widths of cooling); a train always covers its whole periods. Validated on construction (InputError)."""

    pulse_ns: float
    rep_rate_khz: float = 0.0
    n_pulses: int = 1
    t_end_ns: float | None = None

    def __post_init__(self) -> None:
        check_pulse_inputs(pulse_ns=self.pulse_ns, rep_rate_khz=self.rep_rate_khz, n_pulses=self.n_pulses)
        t_end = self.t_end_ns
        if t_end is not None and not (isinstance(t_end, (int, float)) and not isinstance(t_end, bool)
                                      and math.isfinite(t_end) and t_end > 0):
            raise InputError(f"{t_end!r} is not allowed", field="t_end_ns", allowed="None or a time > 0 ns")

    @property
    def pulses_simulated(self) -> int:
        """Pulses integrated: ``n_pulses`` for a train, 1 for a single pulse."""
        return self.n_pulses if self.rep_rate_khz > 0 else 1


@dataclass(frozen=True)
class DiodeDrive:
    """Electrical drive at one current density ``current_density_a_per_cm2`` [A/cm^2] (0 < J <= 1e6, validated):
    V(J) = V_on + J R_s with ``turn_on_v`` [V] (None: the stack's emission photon energy) and
    ``series_resistance_ohm_cm2`` [Ohm cm^2]."""

    current_density_a_per_cm2: float
    turn_on_v: float | None = None
    series_resistance_ohm_cm2: float = DEFAULT_SERIES_RESISTANCE_OHM_CM2

    def __post_init__(self) -> None:
        _check_range(self.current_density_a_per_cm2, "current_density_a_per_cm2")


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
