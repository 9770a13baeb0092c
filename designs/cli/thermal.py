"""``perocav thermal``: transient Joule heating of a pixel under current pulses (the seed paper's Fig. 2e)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import typer

from perocav.designs.cli._common import parse_overrides, print_json
from perocav.pdk.errors import InputError

SOURCE = "perocav thermal"
_OPTIONS = {
    "opening_diameter_um": "--opening-diameter-um", "current_density_a_per_cm2": "--current-density-a-per-cm2",
    "pulse_ns": "--pulse-ns", "rep_rate_khz": "--rep-rate-khz", "n_pulses": "--pulses", "turn_on_v": "--turn-on-v",
    "substrate_thickness_um": "--substrate-thickness-um", "geometry": "--geometry",
}


def _as_option(err: InputError) -> InputError:
    """Name the command-line option (not the keyword) in a model's InputError."""
    return InputError(err.problem, field=_OPTIONS.get(err.field, err.field), allowed=err.allowed, source=SOURCE)


def _check_voltage_options(turn_on_v: float | None, series_resistance_ohm_cm2: float) -> None:
    if turn_on_v is not None and not (math.isfinite(turn_on_v) and 0 <= turn_on_v <= 10):
        raise InputError(f"{turn_on_v} is not allowed", field="--turn-on-v", allowed="0-10 V", source=SOURCE)
    if not (math.isfinite(series_resistance_ohm_cm2) and 0 <= series_resistance_ohm_cm2 <= 10):
        raise InputError(f"{series_resistance_ohm_cm2} is not allowed", field="--series-resistance-ohm-cm2",
                         allowed="0-10 Ohm cm^2", source=SOURCE)


@dataclass(frozen=True)
class ThermalOptions:
    """The ``perocav thermal`` options as given (``run_thermal`` checks them, naming the options): stack name or
    YAML file, NAME=NM thickness overrides, opening [um], current densities [A/cm^2], pulse width [ns], repetition
    rate [kHz] (0: one pulse), pulses in a train, V_on [V] (None: h nu / q), R_s [Ohm cm^2], substrate [um],
    geometry (rz or 1d)."""

    stack_name: str
    thickness: tuple[str, ...] | None
    opening_diameter_um: float
    current_densities_a_per_cm2: tuple[float, ...]
    pulse_ns: float
    rep_rate_khz: float
    n_pulses: int
    turn_on_v: float | None
    series_resistance_ohm_cm2: float
    substrate_thickness_um: float
    geometry: str


def run_thermal(options: ThermalOptions) -> tuple[object, list]:
    """Validate everything first, then one transient per current density."""
    from perocav.fdtd.models.thermal.thermal import pixel_thermal_transient
    from perocav.fdtd.models.thermal.thermal_drive import DiodeDrive, PulseTrain, check_drive_inputs
    from perocav.fdtd.models.thermal.thermal_stack import thermal_stack_from_stack
    from perocav.pdk.stack_file import resolve_stack

    o = options
    _check_voltage_options(o.turn_on_v, o.series_resistance_ohm_cm2)
    stack = resolve_stack(o.stack_name, thickness_nm=parse_overrides(list(o.thickness or ()), option="--thickness"))
    try:
        for j in o.current_densities_a_per_cm2:
            check_drive_inputs(opening_diameter_um=o.opening_diameter_um, current_density_a_per_cm2=j,
                               pulse_ns=o.pulse_ns, rep_rate_khz=o.rep_rate_khz, n_pulses=o.n_pulses)
        train = PulseTrain(pulse_ns=o.pulse_ns, rep_rate_khz=o.rep_rate_khz, n_pulses=o.n_pulses)
        thermal_stack_from_stack(stack=stack, substrate_thickness_um=o.substrate_thickness_um)
        runs = [pixel_thermal_transient(
            stack=stack, opening_diameter_um=o.opening_diameter_um, train=train,
            drive=DiodeDrive(current_density_a_per_cm2=j, turn_on_v=o.turn_on_v,
                             series_resistance_ohm_cm2=o.series_resistance_ohm_cm2),
            substrate_thickness_um=o.substrate_thickness_um, geometry=o.geometry)
            for j in o.current_densities_a_per_cm2]
    except InputError as err:
        raise (_as_option(err) if err.source == "input" else err) from None
    return stack, runs


def thermal(
    stack: str = typer.Option(..., "--stack", help="Built-in stack name or a stack YAML file; the gain layer is heated."),
    opening_diameter_um: float = typer.Option(50.0, "--opening-diameter-um", help="Current-focusing opening [um]."),
    current_density: list[float] = typer.Option(..., "--current-density-a-per-cm2", help="Current density [A/cm^2] (repeatable)."),
    pulse_ns: float = typer.Option(1000.0, "--pulse-ns", help="Rectangular pulse width [ns]."),
    rep_rate_khz: float = typer.Option(0.0, "--rep-rate-khz", help="Repetition rate [kHz]; 0 = one pulse."),
    n_pulses: int = typer.Option(10, "--pulses", help="Pulses simulated in a train (with --rep-rate-khz)."),
    turn_on_v: Optional[float] = typer.Option(None, "--turn-on-v", help="Diode turn-on voltage [V]; default h nu / q of the emission."),
    series_resistance_ohm_cm2: float = typer.Option(5e-3, "--series-resistance-ohm-cm2", help="Area-specific series resistance [Ohm cm^2]: V = V_on + J R_s."),
    substrate_thickness_um: float = typer.Option(1000.0, "--substrate-thickness-um", help="Substrate on the heat sink [um]."),
    geometry: str = typer.Option("rz", "--geometry", help="rz (axisymmetric) or 1d (no lateral spreading)."),
    thickness: Optional[list[str]] = typer.Option(None, "--thickness", help="Override a layer thickness: NAME=NM (repeatable)."),
    plot: Optional[Path] = typer.Option(None, "--plot", help="Write rise versus time to this PNG."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Temperature rise of the active layer under rectangular current pulses: peak rise [K], time to 60 K,
    cool-down time, energy balance; axisymmetric (r, z) heat equation, scipy BDF on a graded grid."""
    stack_obj, runs = run_thermal(ThermalOptions(
        stack_name=stack, thickness=tuple(thickness) if thickness is not None else None,
        opening_diameter_um=opening_diameter_um, current_densities_a_per_cm2=tuple(current_density),
        pulse_ns=pulse_ns, rep_rate_khz=rep_rate_khz, n_pulses=n_pulses, turn_on_v=turn_on_v,
        series_resistance_ohm_cm2=series_resistance_ohm_cm2, substrate_thickness_um=substrate_thickness_um,
        geometry=geometry))
    result = {"stack": stack_obj.name, "gain_layer": stack_obj.gain_layer,
              "series_resistance_ohm_cm2": series_resistance_ohm_cm2, "runs": [r.summary() for r in runs]}
    if plot is not None:
        from perocav.designs.report.plots_thermal import plot_heating

        plot_heating(transients=runs, path=plot, title=(
            f"{stack_obj.name}: {opening_diameter_um:g} um opening, {pulse_ns:g} ns pulses"
            + (f" at {rep_rate_khz:g} kHz" if rep_rate_khz else "") + f" ({geometry})"))
        result["plot"] = str(plot)
    if as_json:
        print_json(result)
        return
    _print_table(result)


def _print_table(result: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table("J [A/cm^2]", "V [V]", "J V [W/cm^2]", "max rise [K]", "time to 60 K [ns]",
                  "cool-down to 5 % [us]", "energy balance", title=f"{result['stack']} (heated: {result['gain_layer']})")
    for r in result["runs"]:
        t60 = r["time_to_60k_ns"]
        cool = r["cooldown_to_5pct_us"]
        table.add_row(f"{r['current_density_a_per_cm2']:g}", f"{r['voltage_v']:.3g}", f"{r['power_density_w_per_cm2']:.3g}",
                      f"{r['max_temperature_rise_k']:.3g}", "never" if math.isinf(t60) else f"{t60:.0f}",
                      "> window" if math.isinf(cool) else f"{cool:.3g}", f"{r['energy_balance_rel_error']:.1e}")
    console = Console()
    console.print(table)
    if "plot" in result:
        console.print(f"plot: {result['plot']}")


def register(app: typer.Typer) -> None:
    app.command("thermal")(thermal)
