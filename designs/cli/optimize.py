"""``perocav optimize``: search a design file's ``optimize:`` variables with the coupled-mode device model, climb
the fidelity ladder (RCWA cells, finite-device FDTD), the optimum's tolerance, its die."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from perocav.designs.cli._common import check_out_dir, print_json
from perocav.designs.cli._console import make_console
from perocav.designs.lock import output_lock
from perocav.pdk.errors import InputError


def optimize(
    design: Path = typer.Argument(..., help="Design file (YAML) with an optimize: section."),
    out: Optional[Path] = typer.Option(None, "-o", "--out", help="Output folder (default: out/<design name>_optimize)."),
    workers: Optional[int] = typer.Option(None, "--workers", help="Worker processes (default: all cores)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler: local, local:N or tcp://HOST:PORT."),
    fdtd: Optional[bool] = typer.Option(None, "--fdtd/--no-fdtd",
                                        help="Finite-device FDTD of the optimum (default: optimize.refine.fdtd)."),
    tolerance: Optional[bool] = typer.Option(None, "--tolerance/--no-tolerance",
                                             help="Tolerance analysis of the optimum (default: optimize.tolerance given)."),
    no_mask: bool = typer.Option(False, "--no-mask", help="Skip the die of the optimum."),
    no_progress: bool = typer.Option(False, "--no-progress", help="No progress bar."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as one JSON object."),
    wait: bool = typer.Option(False, "--wait", help="If another run is writing the output folder, wait for it."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace another design's results in the folder."),
) -> None:
    """Optimise a device (optuna TPE over the coupled-mode device model, cached and resumable), re-evaluate the
    best with RCWA cells and the finite-device FDTD, and put the optimum on the die with its bracket."""
    from perocav.designs.executor import check_executor_options
    from perocav.designs.optimize.run import OptimizeOptions, run_optimize
    from perocav.designs.spec import load_design

    spec = load_design(design)
    if spec.optimize is None:
        raise InputError("no optimize: section", field="optimize", source=str(design),
                         allowed="optimize: {variables: {NAME: {low, high}}, ...} (docs/tutorial-6-optimise-a-device.md)")
    out_dir = out or Path("out") / f"{spec.name}_optimize"
    check_out_dir(out_dir)
    check_executor_options(workers=workers, scheduler=scheduler)
    options = OptimizeOptions(workers=workers, scheduler=scheduler, progress=not (no_progress or as_json),
                              mask=not no_mask, fdtd=fdtd, tolerance=tolerance, overwrite=overwrite)
    with output_lock(out_dir, wait=wait):
        summary = run_optimize(spec, out_dir=out_dir, options=options, source=design)
    if as_json:
        print_json(summary.to_dict())
        return
    print_optimize_summary(summary, make_console())


def print_optimize_summary(s, c) -> None:
    """The optimisation in a few lines, each number with its model."""
    c.print(f"[bold]{s.design}[/]: {s.n_trials} trials ({s.feasible} feasible), {s.computed} evaluations computed, "
            f"{s.from_cache} from cache, {s.wall_time_s:.1f} s; study {s.study}")
    if s.best is None:
        c.print("[yellow]no trial satisfies the constraints[/]")
        return
    values = ", ".join(f"{k}={v:.5g}" for k, v in s.best.values.items())
    c.print(f"best trial {s.best.number}: {values}")
    c.print(f"  J_th = {s.best.score.objective:.4g} (device CMT, analytic cells)")
    if s.ladder is not None:
        c.print(f"  ladder: {s.ladder.moved}")
    if s.tolerance is not None:
        t = s.tolerance
        worst = ", ".join(f"{k} {v:+.1%}" for k, v in t.worst_rise_by_parameter.items())
        c.print(f"  tolerance: J_th {t.jth_min_a_per_cm2:.4g} to {t.jth_max_a_per_cm2:.4g} A/cm^2 over "
                f"{len(t.perturbed)} perturbed designs; worst rise one at a time: {worst} ({t.model})")
    for name, path in s.files.items():
        c.print(f"  {name:14s} {path}")


def register(app: typer.Typer) -> None:
    app.command("optimize")(optimize)
