"""``perocav main``: the README's main job on the default design."""

from __future__ import annotations

from pathlib import Path

import typer


def main_job(
    out: Path = typer.Option(Path("out/main"), "-o", "--out", help="Output folder."),
) -> None:
    """Run the main job: mode of the default (transparent MAPbI3) stack and the thickness study."""
    from rich.console import Console

    from perocav.designs.commands.thickness import print_thickness_summary, run_thickness_study
    from perocav.designs.io import write_json_atomic
    from perocav.fdtd.slab_modes import solve_slab_mode
    from perocav.pdk.stacks import get_stack

    console = Console()
    stack = get_stack("transparent")
    mode = solve_slab_mode(profile=stack.index_profile(wavelength_nm=stack.emission_wavelength_nm), pol="TE")
    console.print(
        f"[bold]{stack.name}[/] TE0 at {stack.emission_wavelength_nm:g} nm: n_eff = {mode.neff.real:.5f}, "
        f"alpha = {mode.loss_per_cm:.1f} 1/cm, Gamma(perovskite) = {mode.confinement['perovskite']:.3f} (field), "
        f"{mode.confinement_power['perovskite']:.3f} (power)"
    )
    summary = run_thickness_study(perovskite="MAPbI3", gain_per_cm=500.0, min_nm=20.0, max_nm=300.0, step_nm=5.0,
                                  pol="TE", out_dir=out)
    print_thickness_summary(summary)
    write_json_atomic(out / "summary.json", {"stack_mode": {
        "stack": stack.name, "neff_real": mode.neff.real, "neff_imag": mode.neff.imag,
        "loss_per_cm": mode.loss_per_cm, "confinement": mode.confinement}, "thickness_study": summary})
    console.print(f"summary: {out / 'summary.json'}")


def register(app: typer.Typer) -> None:
    app.command("main")(main_job)
