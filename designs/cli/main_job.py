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
    summary = run_thickness_study(perovskite="MAPbI3", gain_per_cm=500.0,
                                  scan=ThicknessScan(min_nm=20.0, max_nm=300.0, step_nm=5.0), pol="TE",
                                  out_dir=out / "thickness_study")
    print_thickness_summary(summary)
    console.print(f"\n[bold]report:[/] {out / 'report.html'}")
    if (out / "mask").is_dir():
        console.print(f"[bold]mask:[/]   {out / 'mask'}")


def print_verified_summary(*, out: Path, console) -> None:
    """Analytic vs FDTD, one row per FDTD-verified design of the run in ``out`` (ranked first)."""
    import math

    import pandas as pd
    from rich.table import Table

    path = out / "results.parquet"
    if not path.is_file():
        return
    df = pd.read_parquet(path)
    if "fidelity" not in df:
        return
    ver = df[df["fidelity"] == "fdtd"].sort_values("rank")
    if ver.empty:
        console.print("[yellow]no FDTD-verified design (see fdtd_error in results.csv)")
        return

    def f(v, fmt: str) -> str:
        return "-" if v is None or (isinstance(v, float) and not math.isfinite(v)) else format(v, fmt)

    t = Table(title="FDTD-verified designs: analytic (coupled-mode) vs MEEP unit cell", title_justify="left")
    for col in ("rank", "period [nm]", "duty", "edges analytic [nm]", "edges FDTD [nm]", "max |diff| [nm]",
                "kappa an./FDTD [1/cm]", "Q short / long", "J_th [A/cm2]", "converged"):
        t.add_column(col, justify="right")
    for _, r in ver.iterrows():
        diff = max(abs(r["edge_short_nm"] - r["analytic.stopband_short_nm"]),
                   abs(r["edge_long_nm"] - r["analytic.stopband_long_nm"]))
        t.add_row(f(r["rank"], "d"), f(r["p.period_nm"], "g"), f(r["p.duty_cycle"], "g"),
                  f"{f(r['analytic.stopband_short_nm'], '.2f')} / {f(r['analytic.stopband_long_nm'], '.2f')}",
                  f"{f(r['edge_short_nm'], '.2f')} / {f(r['edge_long_nm'], '.2f')}", f(diff, ".2f"),
                  f"{f(abs(r['analytic.kappa_per_cm']), '.0f')} / {f(abs(r['kappa_per_cm']), '.0f')}",
                  f"{f(r['q_short'], '.0f')} / {f(r['q_long'], '.0f')}",
                  f(r["threshold_current_density_a_per_cm2"], ".3g"), "yes" if r.get("converged") else "no")
    console.print(t)


def register(app: typer.Typer) -> None:
    app.command("main")(main_job)
