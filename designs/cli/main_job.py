"""``perocav main``: the README's main job, the default design end to end."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Optional

import typer

from perocav.designs.cli._common import print_json
from perocav.designs.cli._console import make_console


def default_design_path() -> Path:
    """The shipped default design file."""
    return Path(str(resources.files("perocav.designs") / "default.yaml"))


def main_job(
    out: Path = typer.Option(Path("out/main"), "-o", "--out", help="Output folder."),
    workers: Optional[int] = typer.Option(None, "--workers", help="Worker processes (default: all cores)."),
    no_report: bool = typer.Option(False, "--no-report", help="Skip the HTML report."),
    no_mask: bool = typer.Option(False, "--no-mask", help="Skip the mask of the chosen designs."),
    no_progress: bool = typer.Option(False, "--no-progress", help="No progress bar."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object: {run: the run summary, "
                                 "thickness_study: its summary}."),
    overwrite: bool = typer.Option(False, "--overwrite",
                                   help="Replace another design's finished results in the output folder."),
) -> None:
    """Run the default design (designs/default.yaml) end to end plus the stack thickness study. An earlier main
    job's results in the folder (the default design of an earlier version: same name) are replaced."""
    from perocav.designs.cli.run import execute_run, print_run_summary
    from perocav.designs.cli.thickness import ThicknessScan, print_thickness_summary, run_thickness_study
    from perocav.designs.cli.verified_table import print_verified_summary
    from perocav.designs.run_folder import finished_design
    from perocav.pdk.yaml_io import read_yaml_mapping

    console = make_console()
    if not as_json:
        console.rule("default design: designs/default.yaml")
    done = finished_design(out) if out.is_dir() else None
    name = read_yaml_mapping(default_design_path(), keys_hint="name").get("name")
    own = done is not None and done[0] == name  # the main job's own folder, from an earlier version
    summary = execute_run(default_design_path(), out=out, workers=workers, scheduler=None, no_report=no_report,
                          no_mask=no_mask, no_progress=no_progress or as_json, wait=False, overwrite=overwrite or own)
    if not as_json:
        print_run_summary(summary, console)
        print_verified_summary(out=out, console=console)
        console.rule("thickness study (paper Fig. 3c)")
    scan = ThicknessScan(min_nm=20.0, max_nm=300.0, step_nm=5.0)
    thickness = run_thickness_study(perovskite="MAPbI3", gain_per_cm=500.0, scan=scan, pol="TE",
                                    out_dir=out / "thickness_study", solved=stored_thickness_rows(out, scan))
    if as_json:
        print_json({"run": summary.to_dict(), "thickness_study": thickness})
        return
    print_thickness_summary(thickness)
    if (out / "report.html").is_file() and not no_report:
        console.print(f"\n[bold]report:[/] {out / 'report.html'}")
    if (out / "mask").is_dir() and not no_mask:
        console.print(f"[bold]mask:[/]   {out / 'mask'}")


def stored_thickness_rows(out: Path, scan) -> dict:
    """The run's stored thickness curve (studies.json) as the rows of its stack kind, when it is this scan's study
    (same thicknesses, 500 1/cm, TE0, MAPbI3 at 780 nm): the main job does not solve it again."""
    import numpy as np

    from perocav.designs.studies import read_studies

    studies = read_studies(out)
    curve = studies.thickness if studies is not None else None
    if curve is None or not curve.points or curve.gain_per_cm != 500.0:
        return {}
    kind, _, perovskite = curve.stack_name.rpartition("_")
    same = (perovskite == "MAPbI3" and curve.wavelength_nm == 780.0
            and np.array_equal(np.asarray(curve.thickness_nm), scan.thicknesses_nm()))
    return {kind: curve.points} if same else {}


def register(app: typer.Typer) -> None:
    app.command("main")(main_job)
