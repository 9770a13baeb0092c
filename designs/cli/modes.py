"""``perocav modes``: fundamental slab mode of a stack (n_eff, loss, confinement per layer)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import typer
from rich.table import Table

from perocav.designs.cli._common import check_wavelength, parse_overrides, print_json
from perocav.designs.cli._console import make_console
from perocav.pdk.errors import InputError


def modes(
    stack: str = typer.Option(..., "--stack", help="Built-in stack name (perocav stacks) or a stack YAML file."),
    wavelength_nm: Optional[float] = typer.Option(None, "--wavelength-nm", help="Wavelength [nm]; default: the stack's emission wavelength."),
    pol: str = typer.Option("TE", "--pol", help="TE or TM."),
    order: int = typer.Option(0, "--order", min=0, help="Mode order (0 = fundamental)."),
    thickness: Optional[list[str]] = typer.Option(None, "--thickness", help="Override a layer thickness: NAME=NM (repeatable)."),
    method: str = typer.Option("tmm", "--method", help="tmm (transfer-matrix pole search) or fd (finite-difference cross-check)."),
    plot: Optional[Path] = typer.Option(None, "--plot", help="Write the mode profile to this PNG."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Solve the guided slab mode of a stack: complex n_eff, modal loss [1/cm], confinement per layer."""
    from perocav.pdk.stack_file import resolve_stack

    check_wavelength(wavelength_nm)
    pol_u = _check_choices(pol=pol, method=method)
    s = resolve_stack(stack, thickness_nm=parse_overrides(thickness, option="--thickness"))
    wl = wavelength_nm or s.emission_wavelength_nm
    if wl is None:
        raise InputError("stack has no emission_wavelength_nm", field="--wavelength-nm", allowed="a wavelength in nm")
    profile = s.index_profile(wavelength_nm=wl)
    solved = _solve_or_exit(profile, pol=pol_u, order=order, method=method, as_json=as_json,
                            head={"stack": s.name, "wavelength_nm": wl, "pol": pol_u})
    result = _record(s, profile, solved, wavelength_nm=wl, pol=pol_u, order=order, method=method)
    if plot is not None and method == "tmm":
        _plot(profile, solved.mode, path=plot, title=f"{s.name} {pol_u}{order} at {wl:g} nm: "
              f"n_eff = {solved.neff.real:.4f}")
        result["plot"] = str(plot)
    if as_json:
        print_json(result)
        return
    _print_table(result, solved, plot=plot if method == "tmm" else None)


@dataclass(frozen=True)
class _Solved:
    """A solved slab mode: the solver's mode object, complex n_eff, modal loss [1/cm], confinement per layer
    (field fraction; power-weighted or None for the fd solver)."""

    mode: Any
    neff: complex
    loss_per_cm: float
    confinement: dict
    confinement_power: dict | None


def _check_choices(*, pol: str, method: str) -> str:
    """``--pol`` and ``--method`` checked; the polarization upper-cased."""
    pol_u = pol.upper()
    if pol_u not in ("TE", "TM"):
        raise InputError(f"{pol!r} is not a polarization", field="--pol", allowed="TE, TM")
    if method not in ("tmm", "fd"):
        raise InputError(f"{method!r} is not a method", field="--method", allowed="tmm, fd")
    return pol_u


def _solve_or_exit(profile, *, pol: str, order: int, method: str, as_json: bool, head: dict) -> _Solved:
    """The mode by ``method``; no guided mode: a note (or ``head`` + the error as JSON) and exit code 1."""
    from perocav.fdtd.models.slab.slab_fd import solve_slab_fd
    from perocav.fdtd.models.slab.slab_modes import NoGuidedModeError, solve_slab_mode

    try:
        if method == "fd":
            if order != 0:
                raise InputError(f"{order}: fd finds the fundamental mode only", field="--order",
                                 allowed="0 with --method fd")
            m = solve_slab_fd(profile=profile, pol=pol)
            return _Solved(mode=m, neff=m.neff, loss_per_cm=m.loss_per_cm, confinement=m.confinement,
                           confinement_power=None)
        m = solve_slab_mode(profile=profile, pol=pol, order=order)
        return _Solved(mode=m, neff=m.neff, loss_per_cm=m.loss_per_cm, confinement=m.confinement,
                       confinement_power=m.confinement_power)
    except NoGuidedModeError as err:
        if as_json:
            print_json({**head, "guided": False, "error": str(err)})
        else:
            typer.echo(f"no guided mode: {err}", err=True)
        raise typer.Exit(1)


def _record(s, profile, solved: _Solved, *, wavelength_nm: float, pol: str, order: int, method: str) -> dict:
    """The JSON object of ``perocav modes --json`` (without ``plot``)."""
    return {
        "stack": s.name,
        "wavelength_nm": wavelength_nm,
        "pol": pol,
        "order": order,
        "method": method,
        "guided": True,
        "neff_real": solved.neff.real,
        "neff_imag": solved.neff.imag,
        "loss_per_cm": solved.loss_per_cm,
        "confinement": solved.confinement,
        "confinement_definition": "field fraction: int_layer |E|^2 dz / int |E|^2 dz (all E components)",
        "confinement_power": solved.confinement_power,
        "confinement_power_definition": "power-weighted (Visser 1997): Re(n_layer) int_layer |E|^2 / int Re(E x H*).x",
        "gain_layer": s.gain_layer,
        "gain_layer_lossless": s.gain_layer_lossless,
        "layers": [
            {"name": nm, "thickness_nm": t, "n": n.real, "k": n.imag}
            for nm, t, n in zip(profile.names, profile.thickness_nm, profile.n_layers)
        ],
    }


def _plot(profile, m, *, path: Path, title: str) -> None:
    """The tmm mode profile |E|^2(z) over the layers, as a PNG at ``path``."""
    from perocav.designs.report.plots import plot_mode_profile

    n_real = [profile.n_substrate.real, *(n.real for n in profile.n_layers), profile.n_cover.real]
    plot_mode_profile(
        z_nm=m.z_nm, e_abs2=m.e_abs2, interfaces_nm=m.interfaces_nm, layer_labels=list(m.names),
        n_real=n_real, title=title, path=path,
    )


def _print_table(result: dict, solved: _Solved, *, plot: Path | None) -> None:
    """The human-readable summary: n_eff, modal loss and one row per layer."""
    console = make_console()
    console.print(f"[bold]{result['stack']}[/] {result['pol']}{result['order']} at {result['wavelength_nm']:g} nm "
                  f"({result['method']})")
    console.print(f"  n_eff = {solved.neff.real:.6f} + {solved.neff.imag:.3e} i    modal loss alpha = "
                  f"{solved.loss_per_cm:.2f} 1/cm")
    conf, conf_p, gain = solved.confinement, solved.confinement_power, result["gain_layer"]
    table = Table("layer", "thickness [nm]", "n + ik", "Gamma (field)", "Gamma (power)")
    for row in result["layers"]:
        name = row["name"]
        table.add_row(
            name + (" (gain)" if name == gain else ""), f"{row['thickness_nm']:g}", f"{row['n']:.4f}{row['k']:+.4f}i",
            f"{conf[name]:.4f}", "-" if conf_p is None else f"{conf_p[name]:.4f}",
        )
    console.print(table)
    if plot is not None:
        console.print(f"  profile plot: {plot}")


def register(app: typer.Typer) -> None:
    app.command("modes")(modes)
