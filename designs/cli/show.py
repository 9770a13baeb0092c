"""``perocav show``: render a layout cell (with parameters) or a GDS file to PNG."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from perocav.designs.cli._common import check_gds_file, check_out_file, print_json
from perocav.pdk.errors import InputError


def parse_params(items: list[str] | None) -> dict[str, Any]:
    """``["period_nm=400", "cavity_params.duty_cycle=0.4", "sections=[[1,10],[2,5]]"]`` -> nested dict;
    values are parsed as YAML scalars/lists. Malformed items raise InputError."""
    import yaml

    out: dict[str, Any] = {}
    for item in items or []:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise InputError(f"{item!r} is not KEY=VALUE", field="--param", allowed="KEY=VALUE, KEY may be dotted")
        try:
            value = yaml.safe_load(raw) if raw.strip() else ""
        except yaml.YAMLError:
            raise InputError(f"{raw!r} is not a value", field=f"--param {key}", allowed="number, word or [list]") from None
        node = out
        parts = key.strip().split(".")
        for p in parts[:-1]:
            node = node.setdefault(p, {})
            if not isinstance(node, dict):
                raise InputError(f"{p!r} is both a value and a group", field=f"--param {key}", allowed="one of them")
        node[parts[-1]] = value
    return out


def show(
    target: str = typer.Argument(..., help="Cell name (perocav cells: dfb_grating, laser_device, ...) or a .gds file."),
    param: Optional[list[str]] = typer.Option(None, "--param", "-p", help="Cell parameter KEY=VALUE (repeatable; dotted keys for nested dicts)."),
    out: Path = typer.Option(..., "-o", "--out", help="PNG file to write."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object ({png: PATH, target: ...})."),
) -> None:
    """Render a cell or a GDS file to PNG (per-layer colours, legend, axes in um)."""
    from perocav.layout import render

    if target.lower().endswith(".gds"):
        if param:
            raise InputError("parameters apply to cells, not GDS files", field="--param", allowed="none with a .gds")

        check_gds_file(target, field="target")
        check_out_file(out, suffix=".png")
        _note_incomplete_run(target)
        png = render.render_gds(target, out)
    else:
        from perocav.layout import cells
        from perocav.layout.laser_device import call_checked
        from perocav.pdk.pdk import activate

        activate()
        if target not in cells:
            raise InputError(f"unknown cell {target!r}", field="target", allowed=", ".join(sorted(cells)) + ", FILE.gds")
        try:
            comp = call_checked(cells[target], parse_params(param), field="")
        except InputError as err:
            raise err.with_source("--param") from None
        except (TypeError, ValueError, KeyError, AttributeError) as err:  # a value of the wrong type for the cell
            raise InputError(" ".join(f"{type(err).__name__}: {err}".split())[:200], field="--param",
                             allowed=f"the parameters of {target} (see its docstring)", source=target) from None

        check_out_file(out, suffix=".png")
        png = render.render_component(comp, out)
    if as_json:
        print_json({"png": str(png), "target": target})
    else:
        typer.echo(str(png))


def _note_incomplete_run(target: str) -> None:
    """A GDS from a run folder whose last run did not finish: say so (one line on stderr)."""
    import sys

    from perocav.designs.run_folder import folder_of, incomplete_note

    folder = folder_of(target)
    note = incomplete_note(folder) if folder is not None else None
    if note:
        print(note, file=sys.stderr)


def register(app: typer.Typer) -> None:
    """Add ``show`` to the CLI."""
    app.command("show")(show)
