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
) -> None:
    """Run the default design (designs/default.yaml) end to end plus the stack thickness study."""
    from rich.console import Console

    from perocav.designs.commands.run import run
    from perocav.designs.commands.thickness import print_thickness_summary, run_thickness_study

    console = Console()
    console.rule("default design: designs/default.yaml")
    run(design=default_design_path(), out=out, workers=workers, scheduler=None, no_report=False, no_mask=False,
        no_progress=False, as_json=False, wait=False)
    console.rule("thickness study (paper Fig. 3c)")
    summary = run_thickness_study(perovskite="MAPbI3", gain_per_cm=500.0, min_nm=20.0, max_nm=300.0, step_nm=5.0,
                                  pol="TE", out_dir=out / "thickness_study")
    print_thickness_summary(summary)
    console.print(f"\n[bold]report:[/] {out / 'report.html'}")
    if (out / "mask").is_dir():
        console.print(f"[bold]mask:[/]   {out / 'mask'}")


def register(app: typer.Typer) -> None:
    app.command("main")(main_job)
