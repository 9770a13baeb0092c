"""Temperature rise of every design at its own threshold current density, for ranking and the report.

The heat model is linear, so the rise at J_th is J_th V(J_th) times the rise per W/cm^2 of the design's stack under
the design file's ``drive`` (pulse width, repetition rate, opening): one heat solve per distinct stack (layer
thicknesses) per process, not per design. The columns are derived from cached records at ranking time, so changing
the ``drive`` section re-ranks without re-running the optics (and leaves the result cache untouched).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from perocav.designs.cavities import family
from perocav.fdtd.models.thermal.thermal import peak_rise_per_power_k_per_w_per_cm2, pixel_thermal_transient
from perocav.fdtd.models.thermal.thermal_drive import DiodeDrive, photon_turn_on_v
from perocav.fdtd.models.thermal.thermal_stack import thermal_stack_from_stack
from perocav.pdk.errors import InputError

#: columns added to the results table (units in the names)
RISE = "temperature_rise_at_threshold_k"
VOLTAGE = "drive_voltage_at_threshold_v"
POWER = "drive_power_at_threshold_w_per_cm2"
OPENING = "heated_opening_diameter_um"


def _stack_turn_on_v(stack, drive) -> float:
    if drive.turn_on_v is not None:
        return drive.turn_on_v
    if stack.emission_wavelength_nm is None:
        raise InputError(f"stack {stack.name!r} has no emission wavelength", field="drive.turn_on_v",
                         allowed="a voltage 0-10 V (or a stack with emission_wavelength_nm)")
    return photon_turn_on_v(wavelength_nm=stack.emission_wavelength_nm)


def check_drive(spec) -> None:
    """Stop at load time if the drive cannot be evaluated on the design's stack (a material without thermal data,
    no emission wavelength for the default turn-on voltage)."""
    if spec.drive is None:
        return
    stack = spec.stack.resolve()
    try:
        thermal_stack_from_stack(stack=stack, substrate_thickness_um=spec.drive.substrate_thickness_um)
    except InputError as err:
        raise InputError(f"{err.problem} (the drive section needs it)", field=f"stack.{err.field}",
                         allowed=err.allowed) from None
    _stack_turn_on_v(stack, spec.drive)


def cavity_size_um(cavity) -> float:
    """The cavity's own size [um] for ``opening_diameter_um: cavity`` (its family's: DFB grating length, circular
    outer diameter)."""
    return family(cavity).size_um(cavity)


def opening_um(point, drive) -> float:
    """The heated opening of a design [um]: the drive's diameter, or the cavity's size (at least 1 um)."""
    d = cavity_size_um(point.cavity) if drive.opening_diameter_um == "cavity" else drive.opening_diameter_um
    return float(min(max(d, 1.0), 1e4))


def rise_per_power(stack, drive, *, opening_diameter_um: float) -> float:
    """Peak rise [K] per W/cm^2 of the stack under ``drive`` with this opening (cached per process)."""
    return peak_rise_per_power_k_per_w_per_cm2(
        stack=stack, opening_diameter_um=opening_diameter_um, pulse_ns=drive.pulse_ns,
        rep_rate_khz=drive.rep_rate_khz, n_pulses=drive.pulses_simulated,
        substrate_thickness_um=drive.substrate_thickness_um)


#: openings of one stack farther apart than this ratio get their own heat solves; in between, log-D interpolation
NODE_RATIO = 1.6


def rise_per_power_at(stack, drive, diameters_um) -> dict[float, float]:
    """Rise per W/cm^2 at each opening: exact for up to 3 distinct openings, else interpolated in log D between
    heat solves at openings NODE_RATIO apart (within 0.7 % for 1-10 us pulses at D = 2-50 um, where the rise
    changes fastest with D; see the test)."""
    d = np.unique(np.asarray(list(diameters_um), dtype=float))
    if d.size <= 3:
        return {float(x): rise_per_power(stack, drive, opening_diameter_um=float(x)) for x in d}
    n = int(math.ceil(math.log(d[-1] / d[0]) / math.log(NODE_RATIO))) + 1
    nodes = np.geomspace(d[0], d[-1], max(n, 2))
    vals = [rise_per_power(stack, drive, opening_diameter_um=float(x)) for x in nodes]
    return {float(x): float(np.interp(np.log(x), np.log(nodes), vals)) for x in d}


def add_thermal_columns(df, *, points, drive, j_column: str = "threshold_current_density_a_per_cm2"):
    """Add RISE, VOLTAGE, POWER, OPENING to the table (row i is ``points[i]``); NaN where there is no finite J_th."""
    rise, volt, power, opening = (np.full(len(df), math.nan) for _ in range(4))
    if drive is None or j_column not in df:
        return df.assign(**{RISE: rise, VOLTAGE: volt, POWER: power, OPENING: opening})
    j_all = pd.to_numeric(df[j_column], errors="coerce").to_numpy(dtype=float, na_value=math.nan)
    rows: dict[str, list[int]] = {}
    for i, point in enumerate(points):
        if math.isfinite(j_all[i]) and j_all[i] > 0 and df["status"].iloc[i] == "ok":
            rows.setdefault(point.stack.model_dump_json(), []).append(i)
    for idx in rows.values():
        stack = points[idx[0]].stack.resolve()
        v_on = _stack_turn_on_v(stack, drive)
        per_w = rise_per_power_at(stack, drive, [opening_um(points[i], drive) for i in idx])
        for i in idx:
            opening[i] = opening_um(points[i], drive)
            volt[i] = v_on + j_all[i] * drive.series_resistance_ohm_cm2
            power[i] = j_all[i] * volt[i]
            rise[i] = power[i] * per_w[opening[i]]
    return df.assign(**{RISE: rise, VOLTAGE: volt, POWER: power, OPENING: opening})


def best_design_transients(*, stack, drive, j_th: float, opening_diameter_um: float, factors=(0.5, 1.0, 2.0)):
    """Rise versus time of the best design at ``factors`` x J_th (the report's Fig. 2e analogue)."""
    currents = [f * j_th for f in factors if f * j_th <= 1e6]
    if not currents:
        return []
    v_on, r_s, train = _stack_turn_on_v(stack, drive), drive.series_resistance_ohm_cm2, drive.pulse_train()
    return [pixel_thermal_transient(
        stack=stack, opening_diameter_um=opening_diameter_um, train=train,
        drive=DiodeDrive(current_density_a_per_cm2=j, turn_on_v=v_on, series_resistance_ohm_cm2=r_s),
        substrate_thickness_um=drive.substrate_thickness_um) for j in currents]
