"""``perocav materials``: the material library (valid ranges, citations); one material's n, k, ``--plot``."""

from __future__ import annotations

import html
import math
import re
from pathlib import Path
from typing import Optional

import numpy as np
import typer

from perocav.designs.cli._common import check_wavelength, print_json
from perocav.designs.cli._console import make_console
from perocav.designs.io import atomic_path
from perocav.pdk.errors import InputError

#: plotted range of materials valid everywhere (constant index) [nm]
OPEN_RANGE_NM = (300.0, 2000.0)


def material_record(material) -> dict:
    """Name, valid range [nm] (None: unbounded), model, citation (plain text) and its short form (source, year)."""
    lo, hi = material.wavelength_min_nm, material.wavelength_max_nm
    citation = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", material.citation)).split())
    return {"name": material.name, "wavelength_min_nm": lo if lo > 0 else None,
            "wavelength_max_nm": hi if math.isfinite(hi) else None, "model": material.model,
            "citation": citation, "citation_short": _short(citation)}


def _short(citation: str) -> str:
    """The citation up to its first "(... YEAR)" (or first parenthesis), else its first 80 characters."""
    m = re.match(r"^.*?\([^()]*\d{4}\)", citation) or re.match(r"^[^()]*\([^()]*\)", citation)
    return m.group(0) if m else citation[:80]


def plot_nk(material, path: Path) -> Path:
    """n and k versus wavelength over the material's valid range (both on linear axes) -> PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt


    lo = material.wavelength_min_nm if material.wavelength_min_nm > 0 else OPEN_RANGE_NM[0]
    hi = material.wavelength_max_nm if math.isfinite(material.wavelength_max_nm) else OPEN_RANGE_NM[1]
    wl = np.linspace(lo, hi, 400)
    nk = np.asarray(material.nk(wavelength_nm=wl))
    fig, ax = plt.subplots(figsize=(6.4, 4.0), dpi=120)
    ax.plot(wl, nk.real, color="tab:blue", lw=2, label="n")
    ax.set_xlabel("wavelength [nm]")
    ax.set_ylabel("n (real part of the index)", color="tab:blue")
    ax2 = ax.twinx()
    ax2.plot(wl, nk.imag, color="tab:red", lw=2, label="k")
    ax2.set_ylabel("k (extinction coefficient)", color="tab:red")
    ax.set_title(f"{material.name}: n, k over its data range ({lo:.0f}-{hi:.0f} nm)", fontsize=10)
    ax.grid(alpha=0.3)
    fig.text(0.01, 0.01, "data: " + material_record(material)["citation_short"], fontsize=7, color="grey")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    with atomic_path(Path(path)) as tmp:
        fig.savefig(tmp, format="png")
    plt.close(fig)
    return Path(path)


def materials(
    name: Optional[str] = typer.Argument(None, help="Material name; omit to list the library."),
    wavelength_nm: Optional[float] = typer.Option(None, "--wavelength-nm", help="Also print n + ik here [nm]."),
    plot: Optional[Path] = typer.Option(None, "--plot", help="Write n, k over the valid range to this PNG."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """List materials with their valid wavelength range [nm] and citation, or show one (n, k, --plot)."""
    from perocav.pdk.materials import get_material, material_names

    check_wavelength(wavelength_nm)
    if name is None:
        if plot is not None or wavelength_nm is not None:
            raise InputError("needs a material name", field="--plot/--wavelength-nm", allowed="perocav materials NAME")
        return _print_list([material_record(get_material(n)) for n in material_names()], as_json)
    if plot is not None and plot.suffix.lower() != ".png":
        raise InputError(f"{plot}", field="--plot", allowed="a .png file name")
    material = get_material(name)
    rec = material_record(material)
    if wavelength_nm is not None:
        n = complex(material.nk(wavelength_nm=wavelength_nm, field_name="--wavelength-nm"))
        rec.update(wavelength_nm=wavelength_nm, n=n.real, k=n.imag)
    if plot is not None:
        rec["plot"] = str(plot_nk(material, plot))
    if as_json:
        return print_json(rec)

    c = make_console()
    c.print(f"[bold]{rec['name']}[/] ({rec['model']}): valid {_range_text(rec)}")
    c.print(f"  source: {rec['citation']}", markup=False)
    if wavelength_nm is not None:
        c.print(f"  n + ik at {wavelength_nm:g} nm: {rec['n']:.4f} + {rec['k']:.4f} i")
    if plot is not None:
        c.print(f"  plot: {rec['plot']}", markup=False)


def _range_text(rec: dict) -> str:
    lo, hi = rec["wavelength_min_nm"], rec["wavelength_max_nm"]
    return "at every wavelength" if lo is None and hi is None else f"{lo or 0:.0f}-{hi:.0f} nm"


def _print_list(records: list[dict], as_json: bool) -> None:
    if as_json:
        return print_json({"materials": records})
    from rich.markup import escape
    from rich.table import Table


    table = Table("material", "valid range", "model", "source", title="material library (perocav materials NAME: full citation, n, k, --plot)")
    for r in records:
        table.add_row(r["name"], _range_text(r), r["model"], escape(r["citation_short"]))
    make_console().print(table)


def register(app: typer.Typer) -> None:
    app.command("materials")(materials)
