"""``perocav stacks``: the built-in layer stacks; ``perocav stacks NAME`` shows one with its layers."""

from __future__ import annotations

from typing import Optional

import typer

from perocav.designs.cli._common import check_wavelength, print_json
from perocav.designs.cli._console import make_console
from perocav.pdk.errors import InputError


def _material_text(spec) -> str:
    return spec if isinstance(spec, str) else f"n={spec.n:g}, k={spec.k:g}"


def _nk(spec, wavelength_nm: float | None) -> complex | None:
    from perocav.pdk.materials import resolve_material

    if wavelength_nm is None:
        return None
    try:
        return complex(resolve_material(spec).nk(wavelength_nm=wavelength_nm))
    except InputError:  # outside the material's data
        return None


def stack_record(stack, *, wavelength_nm: float | None) -> dict:
    """Name, description, wavelength and rows substrate .. layers (bottom to top) .. cover as plain data."""
    rows = [{"name": "substrate", "role": "substrate", "material": _material_text(stack.substrate),
             "thickness_nm": None, "n_at_wavelength": _nk(stack.substrate, wavelength_nm)}]
    for layer in stack.layers:
        if layer.fill_material is not None:
            text = (f"{_material_text(layer.material)} teeth in {_material_text(layer.fill_material)} "
                    f"({layer.fill_fraction:.0%} teeth)")
            n = None
            if wavelength_nm is not None:
                try:
                    n = layer.index(wavelength_nm=wavelength_nm)
                except ValueError:
                    n = None
        else:
            text, n = _material_text(layer.material), _nk(layer.material, wavelength_nm)
        rows.append({"name": layer.name, "role": layer.role, "material": text, "thickness_nm": layer.thickness_nm,
                     "n_at_wavelength": n})
    rows.append({"name": "cover", "role": "cover", "material": _material_text(stack.cover), "thickness_nm": None,
                 "n_at_wavelength": _nk(stack.cover, wavelength_nm)})
    for r in rows:
        n = r.pop("n_at_wavelength")
        r["n"], r["k"] = (None, None) if n is None else (n.real, n.imag)
    return {"name": stack.name, "description": stack.description, "gain_layer": stack.gain_layer,
            "emission_wavelength_nm": stack.emission_wavelength_nm, "wavelength_nm": wavelength_nm, "layers": rows}


def stacks(
    name: Optional[str] = typer.Argument(None, help="Built-in stack name or a stack YAML file; omit to list them."),
    wavelength_nm: Optional[float] = typer.Option(None, "--wavelength-nm", help="Wavelength of n, k [nm]; "
                                                  "default: the stack's emission wavelength."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """List the built-in stacks, or show one: layers bottom to top, thickness [nm], material, n + ik."""
    from perocav.pdk.stacks import get_stack, stack_names

    check_wavelength(wavelength_nm)
    if name is None:
        listing = []
        for n in stack_names():
            s = get_stack(n)
            listing.append({"name": n, "emission_wavelength_nm": s.emission_wavelength_nm,
                            "description": s.description})
        return _print_list(listing, as_json)
    from perocav.pdk.stack_file import resolve_stack

    stack = resolve_stack(name)
    rec = stack_record(stack, wavelength_nm=wavelength_nm or stack.emission_wavelength_nm)
    if as_json:
        return print_json(rec)
    _print_stack(rec)


def _print_list(listing: list[dict], as_json: bool) -> None:
    if as_json:
        return print_json({"stacks": listing})
    from rich.markup import escape
    from rich.table import Table


    table = Table("stack", "emission [nm]", "description", title="built-in stacks (perocav stacks NAME for layers)")
    for r in listing:
        table.add_row(r["name"], f"{r['emission_wavelength_nm']:g}" if r["emission_wavelength_nm"] else "-",
                      escape(r["description"]))
    make_console().print(table)


def _print_stack(rec: dict) -> None:
    from rich.markup import escape
    from rich.table import Table


    wl = rec["wavelength_nm"]
    title = f"{rec['name']}: {rec['description']}" + (f" (n + ik at {wl:g} nm)" if wl else "")
    table = Table("level (top last)", "role", "material", "thickness [nm]", "n", "k", title=escape(title))
    for r in rec["layers"]:
        gain = " (gain)" if r["name"] == rec["gain_layer"] else ""
        table.add_row(r["name"] + gain, r["role"], r["material"],
                      "semi-infinite" if r["thickness_nm"] is None else f"{r['thickness_nm']:g}",
                      "-" if r["n"] is None else f"{r['n']:.4f}", "-" if r["k"] is None else f"{r['k']:.4f}")
    make_console().print(table)


def register(app: typer.Typer) -> None:
    app.command("stacks")(stacks)
