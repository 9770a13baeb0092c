"""``perocav mask``: YAML mask file -> DRC-checked die: combined GDS, one GDS per level, manifest CSV/JSON."""

from __future__ import annotations

from pathlib import Path

import typer

from perocav.designs.cli._common import check_out_dir, print_json
from perocav.designs.lock import output_lock


def mask(
    mask_file: Path = typer.Argument(..., help="YAML mask file (see designs/masks/example_mask.yaml)."),
    out: Path = typer.Option(..., "-o", "--out", help="Output directory."),
    allow_drc_violations: bool = typer.Option(False, "--allow-drc-violations",
                                              help="Write the mask even if it violates the design rules."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON summary object."),
) -> None:
    """Assemble a mask; refuses (exit 1, nothing written) when the die violates the design rules."""
    from perocav.layout.tapeout import MaskSource, tapeout

    check_out_dir(out)
    from perocav.layout.mask_spec import load_mask_spec

    spec, sha = load_mask_spec(mask_file)  # bad input stops here, before the output folder exists
    with output_lock(out):
        result = tapeout(spec, out, source=MaskSource(path=str(mask_file), sha256=sha),
                         allow_drc_violations=allow_drc_violations)
    if as_json:
        print_json(result.model_dump(mode="json"))
    else:
        for v in result.violations:
            typer.echo(f"DRC {v.line()}", err=True)
        if result.written:
            for path, sha in result.files.items():
                typer.echo(f"{sha[:16]}  {path}")
            typer.echo(f"mask {result.mask}: {result.n_devices} devices, {len(result.violations)} DRC violations")
    if not result.written:
        typer.echo(f"error: mask {result.mask} not written: {len(result.violations)} DRC violations "
                   "(--allow-drc-violations to write anyway)", err=True)
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``mask`` to the CLI."""
    app.command("mask")(mask)
