"""``perocav main``: the README's main job, the default design end to end."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Optional

import typer


def default_design_path() -> Path:
    """The shipped default design file."""
    return Path(str(resources.files("perocav.designs") / "default.yaml"))


def main_job(
    out: Path = typer.Option(Path("out/main"), "-o", "--out", help="Output folder."),
    workers: Optional[int] = typer.Option(None, "--workers", help="Worker processes (default: all cores)."),
    overwrite: bool = typer.Option(False, "--overwrite",
                                   help="Replace another design's finished results in the output folder."),
) -> None:
    """Run the default design (designs/default.yaml) end to end plus the stack thickness study. An earlier main
    job's results in the folder (the default design of an earlier version: same name) are replaced."""
    from perocav.designs.cli._console import make_console

    from perocav.designs.cli.run import run
    from perocav.designs.cli.thickness import ThicknessScan, print_thickness_summary, run_thickness_study
    from perocav.designs.run_folder import finished_design
    from perocav.pdk.yaml_io import read_yaml_mapping

    console = make_console()
    console.rule("default design: designs/default.yaml")
    done = finished_design(out) if out.is_dir() else None
    name = read_yaml_mapping(default_design_path(), keys_hint="name").get("name")
    own = done is not None and done[0] == name  # the main job's own folder, from an earlier version
    run(design=default_design_path(), out=out, workers=workers, scheduler=None, no_report=False, no_mask=False,
        no_progress=False, as_json=False, wait=False, overwrite=overwrite or own)
    print_verified_summary(out=out, console=console)
    console.rule("thickness study (paper Fig. 3c)")
    scan = ThicknessScan(min_nm=20.0, max_nm=300.0, step_nm=5.0)
    summary = run_thickness_study(perovskite="MAPbI3", gain_per_cm=500.0, scan=scan, pol="TE",
                                  out_dir=out / "thickness_study", solved=stored_thickness_rows(out, scan))
    print_thickness_summary(summary)
    console.print(f"\n[bold]report:[/] {out / 'report.html'}")
    if (out / "mask").is_dir():
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


def print_verified_summary(*, out: Path, console) -> None:
    """Analytic vs FDTD, one row per FDTD-verified design of the run in ``out`` (ranked first); the analytic
    numbers come from the run's long table (``results_long.parquet``)."""
    import math

    import pandas as pd
    from rich.table import Table

    from perocav.designs.table import stage_value

    path, long_path = out / "results.parquet", out / "results_long.parquet"
    if not (path.is_file() and long_path.is_file()):
        return
    df, long = pd.read_parquet(path), pd.read_parquet(long_path)
    if "model" not in df:
        return
    ver = df[df["model"] == "fdtd"].sort_values("rank")
    if ver.empty:
        console.print("[yellow]no FDTD-verified design (see fdtd_error in results.csv)")
        return

    def f(v, fmt: str) -> str:
        return "-" if v is None or (isinstance(v, float) and not math.isfinite(v)) else format(v, fmt)

    t = Table(title="FDTD-verified designs: analytic (coupled-mode) vs MEEP unit cell", title_justify="left")
    for col in ("rank", "period [nm]", "duty", "edges analytic [nm]", "edges FDTD [nm]", "max |diff| [nm]",
                "|kappa| an./FDTD [1/cm]", "Q edges FDTD short / long", "J_th FDTD [A/cm2]", "converged"):
        t.add_column(col, justify="right")
    for _, r in ver.iterrows():
        a = {q: stage_value(long, key=r["key"], stage="analytic", quantity=q)
             for q in ("stopband_short_nm", "stopband_long_nm", "kappa_per_cm")}
        a = {k: math.nan if v is None else v for k, v in a.items()}
        diff = max(abs(r["band_edge_short_nm"] - a["stopband_short_nm"]),
                   abs(r["band_edge_long_nm"] - a["stopband_long_nm"]))
        t.add_row(f(r["rank"], "d"), f(r["period_nm"], "g"), f(r["duty_cycle"], "g"),
                  f"{f(a['stopband_short_nm'], '.2f')} / {f(a['stopband_long_nm'], '.2f')}",
                  f"{f(r['band_edge_short_nm'], '.2f')} / {f(r['band_edge_long_nm'], '.2f')}", f(diff, ".2f"),
                  f"{f(abs(a['kappa_per_cm']), '.0f')} / {f(abs(r['kappa_per_cm']), '.0f')}",
                  f"{f(r['q_edge_short'], '.0f')} / {f(r['q_edge_long'], '.0f')}",
                  f(r["threshold_current_density_a_per_cm2"], ".3g"), "yes" if r.get("converged") else "no")
    console.print(t)


def register(app: typer.Typer) -> None:
    app.command("main")(main_job)
