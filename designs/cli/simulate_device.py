"""``perocav simulate device DESIGN.yaml``: the finite device of a design file (its cavity's sections, pump opening
and recombination zone on its stack) by the coupled-mode device model (``--solver cmt``: analytic unit cells, the
section engine) or by a 2D MEEP run of the whole device with gain under the opening (``--solver meep``)."""

from __future__ import annotations

import time

import typer

from perocav.designs.cli._common import print_json
from perocav.pdk.errors import InputError

SOURCE = "perocav simulate device"
SOLVERS = ("cmt", "meep")


def device(
    design: str = typer.Argument(..., help="Design file with a dfb cavity (its sections, pump and stack)."),
    solver: str = typer.Option("cmt", "--solver", help="cmt (coupled-mode device model) or meep (2D FDTD of the "
                               "whole device, gain below threshold)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Threshold, wavelength and gain margin of the design's finite device."""
    if solver not in SOLVERS:
        raise InputError(f"{solver!r} is not a solver", field="--solver", allowed=", ".join(SOLVERS), source=SOURCE)
    from perocav.designs.device.simulate import simulate_device_design  # lazy: start-up

    t0 = time.perf_counter()
    out = simulate_device_design(design, solver=solver)
    out["wall_time_s"] = time.perf_counter() - t0
    if as_json:
        print_json(out)
        return
    for key, value in out.items():
        if isinstance(value, (list, dict)):
            continue
        print(f"{key:40s} {value:.6g}" if isinstance(value, float) else f"{key:40s} {value}")


def register(simulate_app: typer.Typer) -> None:
    simulate_app.command("device")(device)
