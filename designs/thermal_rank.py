"""Temperature rise of every design at its own threshold current density, for ranking and the report.

The heat model is linear, so the rise at J_th is J_th V(J_th) times the rise per W/cm^2 of the design's stack under
the design file's ``drive`` (pulse width, repetition rate, opening): one heat solve per distinct stack (layer
thicknesses) per process, not per design. The columns are derived from cached records at ranking time, so changing
the ``drive`` section re-ranks without re-running the optics (and leaves the result cache untouched).
"""

from __future__ import annotations

import math

from perocav.pdk.errors import InputError

#: columns added to the results table (units in the names)
RISE = "temperature_rise_at_threshold_k"
VOLTAGE = "drive_voltage_at_threshold_v"
POWER = "drive_power_at_threshold_w_per_cm2"


def _stack_turn_on_v(stack, drive) -> float:
    from perocav.fdtd.models.thermal_drive import photon_turn_on_v

    if drive.turn_on_v is not None:
        return drive.turn_on_v
    if stack.emission_wavelength_nm is None:
        raise InputError(f"stack {stack.name!r} has no emission wavelength", field="drive.turn_on_v",
                         allowed="a voltage 0-10 V (or a stack with emission_wavelength_nm)")
    return photon_turn_on_v(wavelength_nm=stack.emission_wavelength_nm)


def check_drive(spec) -> None:
    """Stop at load time if the drive cannot be evaluated on the design's stack (a material without thermal data,
    no emission wavelength for the default turn-on voltage)."""
    from perocav.fdtd.models.thermal_stack import thermal_stack_from_stack

    if spec.drive is None:
        return
    stack = spec.stack.resolve()
    try:
        thermal_stack_from_stack(stack=stack, substrate_thickness_um=spec.drive.substrate_thickness_um)
    except InputError as err:
        raise InputError(f"{err.problem} (the drive section needs it)", field=f"stack.{err.field}",
                         allowed=err.allowed) from None
    _stack_turn_on_v(stack, spec.drive)


def rise_per_power(stack, drive) -> float:
    """Peak rise [K] per W/cm^2 of the stack under ``drive`` (cached per process)."""
    from perocav.fdtd.models.thermal import peak_rise_per_power_k_per_w_per_cm2

    return peak_rise_per_power_k_per_w_per_cm2(
        stack=stack, opening_diameter_um=drive.opening_diameter_um, pulse_ns=drive.pulse_ns,
        rep_rate_khz=drive.rep_rate_khz, n_pulses=drive.pulses_simulated,
        substrate_thickness_um=drive.substrate_thickness_um)


def add_thermal_columns(df, *, points, drive, j_column: str = "threshold_current_density_a_per_cm2"):
    """Add RISE, VOLTAGE, POWER to the table (row i is ``points[i]``); NaN where there is no finite J_th."""
    import numpy as np
    import pandas as pd

    rise, volt, power = (np.full(len(df), math.nan) for _ in range(3))
    if drive is not None and j_column in df:
        per_stack: dict[str, tuple[float, float]] = {}
        j_all = pd.to_numeric(df[j_column], errors="coerce").to_numpy(dtype=float, na_value=math.nan)
        for i, point in enumerate(points):
            j = j_all[i]
            if not (math.isfinite(j) and j > 0) or df["status"].iloc[i] != "ok":
                continue
            key = point.stack.model_dump_json()
            if key not in per_stack:
                stack = point.stack.resolve()
                per_stack[key] = (_stack_turn_on_v(stack, drive), rise_per_power(stack, drive))
            v_on, k_per_w = per_stack[key]
            volt[i] = v_on + j * drive.series_resistance_ohm_cm2
            power[i] = j * volt[i]
            rise[i] = power[i] * k_per_w
    return df.assign(**{RISE: rise, VOLTAGE: volt, POWER: power})


def best_design_transients(*, stack, drive, j_th: float, factors=(0.5, 1.0, 2.0)):
    """Rise versus time of the best design at ``factors`` x J_th (the report's Fig. 2e analogue)."""
    from perocav.fdtd.models.thermal import pixel_thermal_transient

    return [pixel_thermal_transient(
        stack=stack, opening_diameter_um=drive.opening_diameter_um, current_density_a_per_cm2=f * j_th,
        pulse_ns=drive.pulse_ns, rep_rate_khz=drive.rep_rate_khz, n_pulses=drive.pulses_simulated,
        turn_on_v=_stack_turn_on_v(stack, drive), series_resistance_ohm_cm2=drive.series_resistance_ohm_cm2,
        substrate_thickness_um=drive.substrate_thickness_um) for f in factors if f * j_th <= 1e6]
