"""``perocav drc``: design-rule check of a GDS file (min width, space, enclosures per the PDK rules)."""

from __future__ import annotations

from pathlib import Path

import typer

from perocav.designs.cli._common import print_json


def drc(
    gds: Path = typer.Argument(..., help="GDS file with one top cell."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object with every violation."),
) -> None:
    """List each violation with layer, rule and location (um), and the rules skipped because the file lacks
    their layers (a one-level GDS); exit 1 when there is a violation."""
    from perocav.layout.drc import check_gds_report

    report = check_gds_report(gds)
    violations = report.violations
    if as_json:
        print_json({"gds": str(gds), "n_violations": len(violations),
                    "violations": [v.model_dump(mode="json") for v in violations],
                    "checked": list(report.checked), "skipped": [s.model_dump(mode="json") for s in report.skipped]})
    else:
        for v in violations:
            typer.echo(v.line())
        if report.skipped:
            typer.echo(f"skipped {len(report.skipped)} rule(s), layers not in the file: "
                       + "; ".join(s.line() for s in report.skipped))
        typer.echo(f"{gds}: {len(violations)} DRC violations" if violations else f"{gds}: DRC clean")
    if violations:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``drc`` to the CLI."""
    app.command("drc")(drc)
