"""``perocav thickness-study``: net modal gain versus perovskite thickness for the four PDK stacks (paper Fig. 3c)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np
import typer
from rich.table import Table

from perocav.designs.cli._common import check_out_dir, print_json
from perocav.designs.cli._console import make_console
from perocav.designs.io import atomic_path
from perocav.pdk.errors import InputError

DEFAULT_KINDS = ("transparent", "conventional", "electrode_free", "grating_above")


@dataclass(frozen=True)
class ThicknessScan:
    """Perovskite thicknesses ``min_nm`` to ``max_nm`` (inclusive) in steps of ``step_nm`` [nm]; checked by
    ``run_thickness_study`` (the command checks its options with ``check_thickness_scan`` first)."""

    min_nm: float
    max_nm: float
    step_nm: float

    def thicknesses_nm(self) -> np.ndarray:
        """The scanned thicknesses [nm]."""
        return np.arange(self.min_nm, self.max_nm + 0.5 * self.step_nm, self.step_nm)


def run_thickness_study(*, perovskite: str, gain_per_cm: float, scan: ThicknessScan, pol: str, out_dir: Path,
                        kinds: tuple[str, ...] = DEFAULT_KINDS, wavelength_nm: float | None = None,
                        contact_material: str | None = None, solved: dict | None = None) -> dict:
    """Compute, write ``thickness_study.csv`` and ``thickness_study.png`` into ``out_dir``, return a summary.

    ``contact_material`` (a PDK material name, e.g. ``ITO_thick``) replaces the material of every ITO contact /
    interlayer of the stacks; None keeps the PDK's own (thin-film ITO, the conventional stack's thick ITO anode).
    ``solved``: a stack kind's ``GainPoint`` rows already solved on this scan (the run's stored study), used as they
    are instead of solving them again.
    """
    import pandas as pd

    from perocav.designs.report.plots import plot_net_gain
    from perocav.fdtd.models.slab.thickness_study import (
        as_records,
        thickness_sweep,
        thinnest_net_gain_nm,
        with_contact_material,
    )
    from perocav.pdk.stacks import PEROVSKITES, get_stack

    if perovskite not in PEROVSKITES:
        raise InputError(f"unknown perovskite {perovskite!r}", field="--perovskite", allowed=", ".join(PEROVSKITES))
    for name, value in (("--gain-per-cm", gain_per_cm), ("--step-nm", scan.step_nm), ("--min-nm", scan.min_nm)):
        if not (math.isfinite(value) and value > 0):
            raise InputError(f"{value} must be > 0", field=name, allowed="> 0")
    if not scan.max_nm > scan.min_nm:
        raise InputError(f"{scan.max_nm} must exceed --min-nm {scan.min_nm}", field="--max-nm",
                         allowed=f"> {scan.min_nm}")
    wl = wavelength_nm or PEROVSKITES[perovskite]
    stacks = {kind: get_stack(f"{kind}_{perovskite}") for kind in kinds}
    if contact_material is not None:
        stacks = {kind: with_contact_material(stack=s, material=contact_material) for kind, s in stacks.items()}
    thicknesses = scan.thicknesses_nm()
    rows, curves, thresholds = [], {}, {}
    for kind in kinds:
        points = list((solved or {}).get(kind, ())) or thickness_sweep(
            stack=stacks[kind], thicknesses_nm=thicknesses, wavelength_nm=wl, gain_per_cm=gain_per_cm, pol=pol)
        rows.extend(as_records(points))
        curves[kind] = (thicknesses, np.array([p.g_net_per_cm for p in points]))
        thresholds[kind] = thinnest_net_gain_nm(points)
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path, png_path = out_dir / "thickness_study.csv", out_dir / "thickness_study.png"
    with atomic_path(csv_path) as tmp:
        pd.DataFrame(rows).to_csv(tmp, index=False, float_format="%.6g")
    contacts = f", contacts {contact_material}" if contact_material else ""
    plot_net_gain(
        curves=curves, thresholds_nm=thresholds, gain_per_cm=gain_per_cm, path=png_path,
        title=f"{perovskite}, {wl:g} nm, {pol}0, g_i = {gain_per_cm:g} 1/cm{contacts}: g_net = Gamma g_i - alpha",
    )
    return {
        "perovskite": perovskite, "wavelength_nm": wl, "pol": pol, "gain_per_cm": gain_per_cm,
        "confinement_definition": "power-weighted (Visser 1997)", "contact_material": contact_material,
        "min_nm": float(thicknesses[0]), "thinnest_net_gain_nm": thresholds, "csv": str(csv_path), "png": str(png_path),
    }


def thickness_study(
    perovskite: str = typer.Option("MAPbI3", "--perovskite", help="Gain material: MAPbI3 (780 nm) or CsPbBr3 (525 nm)."),
    gain_per_cm: float = typer.Option(500.0, "--gain-per-cm", help="Intrinsic material gain g_i [1/cm]."),
    min_nm: float = typer.Option(20.0, "--min-nm", help="Thinnest perovskite [nm]."),
    max_nm: float = typer.Option(300.0, "--max-nm", help="Thickest perovskite [nm]."),
    step_nm: float = typer.Option(5.0, "--step-nm", help="Thickness step [nm]."),
    pol: str = typer.Option("TE", "--pol", help="TE or TM."),
    wavelength_nm: Optional[float] = typer.Option(None, "--wavelength-nm", help="Default: the perovskite's emission."),
    contact_material: Optional[str] = typer.Option(
        None, "--contact-material",
        help="PDK material for every ITO contact/interlayer (e.g. ITO, ITO_thick). Default: each stack's own."),
    out: Path = typer.Option(Path("out/thickness_study"), "-o", "--out", help="Output folder."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Net modal gain g_net = Gamma g_i - alpha versus perovskite thickness for the four stacks; CSV + PNG."""
    if pol.upper() not in ("TE", "TM"):
        raise InputError(f"{pol!r} is not a polarization", field="--pol", allowed="TE, TM")
    check_thickness_scan(min_nm=min_nm, max_nm=max_nm, step_nm=step_nm)

    check_out_dir(out)
    summary = run_thickness_study(
        perovskite=perovskite, gain_per_cm=gain_per_cm,
        scan=ThicknessScan(min_nm=min_nm, max_nm=max_nm, step_nm=step_nm), pol=pol.upper(), out_dir=out,
        wavelength_nm=wavelength_nm, contact_material=contact_material,
    )
    if as_json:
        print_json(summary)
        return
    print_thickness_summary(summary)


#: Most thicknesses one study may scan.
MAX_THICKNESS_POINTS = 10_000


def check_thickness_scan(*, min_nm: float, max_nm: float, step_nm: float) -> None:
    """Finite 0 <= min <= max <= MAX_THICKNESS_NM, step > 0, at most MAX_THICKNESS_POINTS thicknesses (counted,
    not listed)."""
    import math

    from perocav.pdk.bounds import MAX_THICKNESS_NM

    for option, value in (("--min-nm", min_nm), ("--max-nm", max_nm)):
        if not (math.isfinite(value) and 0 <= value <= MAX_THICKNESS_NM):
            raise InputError(f"{value:g} is not a thickness", field=option, allowed=f"0 <= nm <= {MAX_THICKNESS_NM:g}")
    if min_nm > max_nm:
        raise InputError(f"{min_nm:g} > --max-nm {max_nm:g}", field="--min-nm", allowed="<= --max-nm")
    if not (math.isfinite(step_nm) and step_nm > 0):
        raise InputError(f"{step_nm:g} is not a step", field="--step-nm", allowed="> 0 nm")
    n = (max_nm - min_nm) / step_nm + 1
    if n > MAX_THICKNESS_POINTS:
        raise InputError(f"{n:.3g} thicknesses", field="--step-nm",
                         allowed=f"<= {MAX_THICKNESS_POINTS} thicknesses (a step >= {(max_nm - min_nm) / (MAX_THICKNESS_POINTS - 1):.3g} nm)")


def print_thickness_summary(summary: dict) -> None:
    console = make_console()
    contacts = f", contacts {summary['contact_material']}" if summary.get("contact_material") else ""
    table = Table("stack", "thinnest perovskite with g_net > 0", title=(
        f"{summary['perovskite']} at {summary['wavelength_nm']:g} nm, g_i = {summary['gain_per_cm']:g} 1/cm{contacts}"))
    for kind, t in summary["thinnest_net_gain_nm"].items():
        if t is None:
            text = "never (in range)"
        elif t <= summary["min_nm"]:
            text = f"<= {t:.0f} nm (positive already at the thinnest point)"
        else:
            text = f"{t:.0f} nm"
        table.add_row(kind, text)
    console.print(table)
    console.print(f"table: {summary['csv']}\nplot:  {summary['png']}")


def register(app: typer.Typer) -> None:
    app.command("thickness-study")(thickness_study)
