"""Transient Joule heating of a current-focusing PeLED pixel (the seed paper's Fig. 2e), axisymmetric (r, z).

Model: the stack's layers and substrate in z, the circular opening of diameter D in r; heat J V(J) released
uniformly in the gain layer inside the opening during rectangular pulses; constant properties per material
(perocav.pdk.materials.thermal), so the rise scales linearly with J V(J). Substrate bottom on a heat sink, adiabatic
top (air's effusivity is < 1 % of glass's; the cover slab is modelled anyway) and outer wall. Interface (Kapitza)
resistances and the dielectric that defines the opening are neglected. ``geometry="1d"`` drops lateral spreading
(one column of the opening's radius, adiabatic side wall) for comparison.
Units: lengths in um / nm, time in ns at the interface, SI inside; temperatures are rises over the heat sink [K].
"""

from __future__ import annotations

import dataclasses
import math
from functools import lru_cache

from perocav.fdtd.models.thermal.thermal_drive import (
    DiodeDrive,
    PulseTrain,
    check_opening_diameter_um,
    diode_voltage_v,
    photon_turn_on_v,
)
from perocav.fdtd.models.thermal.thermal_grid import GridSettings, ThermalSystem, assemble
from perocav.fdtd.models.thermal.thermal_result import ThermalTransient
from perocav.fdtd.models.thermal.thermal_solver import (
    integrate_pulses,
    integrate_train_by_superposition,
    relative_energy_error,
)
from perocav.fdtd.models.thermal.thermal_stack import ThermalStack, thermal_stack_from_stack
from perocav.pdk.errors import InputError
from perocav.pdk.stack import Stack


def pixel_system(*, tstack: ThermalStack, opening_diameter_um: float, geometry: str = "rz",
                 grid: GridSettings = GridSettings()) -> ThermalSystem:
    """Finite-volume system of the pixel; the radial domain reaches 2 substrate thicknesses past the opening."""
    if geometry not in ("rz", "1d"):
        raise InputError(f"{geometry!r} is not a geometry", field="geometry", allowed="rz, 1d")
    a = opening_diameter_um * 0.5e-6
    depth = sum(s.thickness_m for s in tstack.slabs)
    return assemble(stack=tstack, opening_radius_m=a, r_max_m=a + 2 * depth, settings=grid, one_d=geometry == "1d")


def simulate_heating(*, tstack: ThermalStack, opening_diameter_um: float, power_w_per_cm2: float, train: PulseTrain,
                     geometry: str = "rz", grid: GridSettings = GridSettings(), rtol: float = 1e-6,
                     ambient_k: float = 300.0) -> ThermalTransient:
    """Transient rise of the active layer for areal power ``power_w_per_cm2`` [W/cm^2] in the rectangular pulses of
    ``train``; ``ambient_k`` [K] only flags materials taken out of their data's range. The record's J and V are NaN
    (``pixel_thermal_transient`` sets them)."""
    pulses = train.pulses_simulated
    pulse_s = train.pulse_ns * 1e-9
    period_s = 1e-3 / train.rep_rate_khz if train.rep_rate_khz > 0 else math.inf
    t_end = train.t_end_ns * 1e-9 if train.t_end_ns else 401 * pulse_s  # single pulse: 400 pulse widths of cooling
    system = pixel_system(tstack=tstack, opening_diameter_um=opening_diameter_um, geometry=geometry, grid=grid)
    if pulses > 1:  # a train over whole periods, by superposition of one pulse's response (exact: linear model)
        run = integrate_train_by_superposition(system=system, power_w_per_m2=power_w_per_cm2 * 1e4, pulse_s=pulse_s,
                                               period_s=period_s, n_pulses=pulses, rtol=rtol)
    else:
        run = integrate_pulses(system=system, power_w_per_m2=power_w_per_cm2 * 1e4, pulse_s=pulse_s,
                               period_s=t_end, n_pulses=1, t_end_s=t_end, rtol=rtol)
    peak = float(run.peak_rise_k.max())
    hot_out = tuple(s.material.name for s in tstack.slabs
                    if s.heated and not s.material.temperature_min_k <= ambient_k + peak <= s.material.temperature_max_k)
    return ThermalTransient(
        time_s=run.time_s, peak_rise_k=run.peak_rise_k, mean_rise_k=run.mean_rise_k, pulse_s=pulse_s,
        period_s=period_s, n_pulses=pulses, power_density_w_per_cm2=power_w_per_cm2,
        current_density_a_per_cm2=math.nan, voltage_v=math.nan, opening_diameter_um=opening_diameter_um,
        geometry=geometry, n_cells=system.capacity_j_per_k.size,
        heat_in_j=run.heat_in_j, stored_j=run.stored_j, conducted_out_j=run.conducted_out_j,
        energy_balance_rel_error=relative_energy_error(run), max_temperature_rise_k=peak,
        end_of_pulse_rise_k=run.end_of_pulse_rise_k, materials_out_of_range=hot_out,
    )


def pixel_thermal_transient(*, stack, opening_diameter_um: float, drive: DiodeDrive, train: PulseTrain,
                            substrate_thickness_um: float = 1000.0, geometry: str = "rz",
                            grid: GridSettings = GridSettings()) -> ThermalTransient:
    """Heating of a PDK ``stack``'s gain layer under ``drive`` (J [A/cm^2], V(J) = V_on + J R_s) in the pulses of
    ``train``, opening ``opening_diameter_um`` [um], substrate ``substrate_thickness_um`` [um] on the heat sink."""
    check_opening_diameter_um(opening_diameter_um)
    v_on = drive.turn_on_v if drive.turn_on_v is not None else _stack_turn_on_v(stack)
    v = diode_voltage_v(current_density_a_per_cm2=drive.current_density_a_per_cm2, turn_on_v=v_on,
                        series_resistance_ohm_cm2=drive.series_resistance_ohm_cm2)
    tstack = thermal_stack_from_stack(stack=stack, substrate_thickness_um=substrate_thickness_um)
    run = simulate_heating(tstack=tstack, opening_diameter_um=opening_diameter_um,
                           power_w_per_cm2=drive.current_density_a_per_cm2 * v, train=train, geometry=geometry,
                           grid=grid)
    return dataclasses.replace(run, current_density_a_per_cm2=drive.current_density_a_per_cm2, voltage_v=v)


def _stack_turn_on_v(stack) -> float:
    if stack.emission_wavelength_nm is None:
        raise InputError(f"stack {stack.name!r} has no emission wavelength to set the turn-on voltage",
                         field="turn_on_v", allowed="a voltage >= 0 V, or a stack with emission_wavelength_nm")
    return photon_turn_on_v(wavelength_nm=stack.emission_wavelength_nm)


@lru_cache(maxsize=256)
def _unit_peak_rise(stack_json: str, opening_diameter_um: float, pulse_ns: float, rep_rate_khz: float,
                    n_pulses: int, substrate_thickness_um: float) -> float:
    tstack = thermal_stack_from_stack(stack=Stack.model_validate_json(stack_json),
                                      substrate_thickness_um=substrate_thickness_um)
    train = PulseTrain(pulse_ns=pulse_ns, rep_rate_khz=rep_rate_khz, n_pulses=n_pulses,
                       t_end_ns=None if rep_rate_khz > 0 else pulse_ns * 1.0001)
    run = simulate_heating(tstack=tstack, opening_diameter_um=opening_diameter_um, power_w_per_cm2=1.0, train=train)
    return run.max_temperature_rise_k


def peak_rise_per_power_k_per_w_per_cm2(*, stack, opening_diameter_um: float, pulse_ns: float,
                                        rep_rate_khz: float = 0.0, n_pulses: int = 10,
                                        substrate_thickness_um: float = 1000.0) -> float:
    """Peak rise [K] per areal power [W/cm^2] (the model is linear): one solve per distinct stack and drive,
    cached in the process; the rise of any J is J V(J) times this."""
    return _unit_peak_rise(stack.model_dump_json(), float(opening_diameter_um), float(pulse_ns), float(rep_rate_khz),
                           int(n_pulses if rep_rate_khz > 0 else 1), float(substrate_thickness_um))
