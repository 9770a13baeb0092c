"""``perocav run``, ``perocav validate`` and ``perocav report``: the design pipeline."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from perocav.designs.cli._common import check_out_dir, print_json
from perocav.designs.cli._console import make_console
from perocav.designs.lock import output_lock
from perocav.pdk.errors import InputError


def run(
    design: Path = typer.Argument(..., help="Design file (YAML)."),
    out: Optional[Path] = typer.Option(None, "-o", "--out", help="Output folder (default: out/<design name>)."),
    workers: Optional[int] = typer.Option(None, "--workers", help="Worker processes (default: all cores)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler: local, local:N or tcp://HOST:PORT."),
    no_report: bool = typer.Option(False, "--no-report", help="Skip the HTML report."),
    no_mask: bool = typer.Option(False, "--no-mask", help="Skip the mask of the chosen designs."),
    no_progress: bool = typer.Option(False, "--no-progress", help="No progress bar."),
    as_json: bool = typer.Option(False, "--json", help="Print the run summary as one JSON object."),
    wait: bool = typer.Option(False, "--wait", help="If another run is writing the output folder, wait for it."),
    overwrite: bool = typer.Option(False, "--overwrite",
                                   help="Replace another design's finished results in the output folder."),
) -> None:
    """Explore a design file's space (cached, resumable, parallel), rank by threshold, write table, report, mask;
    prints the verification table of the verified designs."""
    summary = execute_run(design, out=out, workers=workers, scheduler=scheduler, no_report=no_report,
                          no_mask=no_mask, no_progress=no_progress, wait=wait, overwrite=overwrite)
    if as_json:
        print_json(summary.to_dict())
        return
    from perocav.designs.cli.verified_table import print_verified_summary

    console = make_console()
    print_run_summary(summary, console)
    print_verified_summary(out=Path(summary.out_dir), console=console)


def execute_run(design: Path, *, out: Optional[Path], workers: Optional[int], scheduler: Optional[str],
                no_report: bool, no_mask: bool, no_progress: bool, wait: bool, overwrite: bool):
    """Gate the design file, then run it into ``out`` under the folder's lock; the ``RunSummary``."""
    from perocav.designs.executor import check_executor_options
    from perocav.designs.file_gate import gate_design
    from perocav.designs.pipeline import RunOptions, run_design
    from perocav.designs.run_folder import check_same_design

    gated = gate_design(design, mask=not no_mask)  # the checks validate applies, before anything is written
    spec = gated.spec
    out_dir = out or Path("out") / spec.name
    check_out_dir(out_dir)
    check_executor_options(workers=workers, scheduler=scheduler)
    check_same_design(out_dir, spec, overwrite=overwrite)  # again under the lock, in run_design
    with output_lock(out_dir, wait=wait):
        return run_design(spec, out_dir=out_dir, source=design, points=gated.points,
                          options=RunOptions(workers=workers, scheduler=scheduler, progress=not no_progress,
                                             report=not no_report, mask=not no_mask, overwrite=overwrite))


def print_run_summary(summary, c) -> None:
    """The run in a few lines: counts and time, the best design (its model named), the files written."""
    c.print(f"[bold]{summary.design}[/]: {summary.total} designs, {summary.computed} computed, "
            f"{summary.from_cache} from cache, {summary.failed} failed, {summary.wall_time_s:.1f} s")
    if summary.best:
        b = summary.best
        params = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in b.point.params.items())
        c.print(f"best: {params} -> {b.metrics.wavelength_nm:.2f} nm, "
                f"J_th = {b.metrics.threshold_current_density_a_per_cm2:.3g} A/cm^2, "
                f"material threshold gain {b.metrics.threshold_material_gain_per_cm:.0f} 1/cm "
                f"(model: {b.fidelity})")
    else:
        c.print("[yellow]no design satisfies the objective's constraints[/]")
    for name, path in summary.files.items():
        c.print(f"  {name:14s} {path}")


def validate(
    design: Path = typer.Argument(..., help="Design file (YAML)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Check a design file without running it: exactly the checks `perocav run` applies before any work (schema,
    stack physics, the layout cell of every sweep point, the mask the run would write)."""
    from perocav.designs.file_gate import gate_design

    gated = gate_design(design, mask=True)
    spec, points = gated.spec, gated.points
    n = len(points)
    if as_json:
        print_json({"design": spec.name, "valid": True, "points": n, "fidelity": spec.fidelity})
    else:
        typer.echo(f"{design}: valid ({spec.name}: {n} design points, fidelity {spec.fidelity})")


def report(
    run_dir: Path = typer.Argument(..., help="Output folder of a previous `perocav run`."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object ({report: PATH})."),
) -> None:
    """Rebuild the HTML report of a finished run from its table and cache."""
    import sys
    from contextlib import ExitStack

    from perocav.designs.run_folder import incomplete_note

    if not run_dir.is_dir():
        raise InputError("no such folder", field="RUN_DIR", allowed="a folder written by perocav run",
                         source=str(run_dir))
    with ExitStack() as held:
        try:
            held.enter_context(output_lock(run_dir))
        except InputError as err:  # a run is still writing here: name it
            raise InputError(err.problem, field="RUN_DIR", allowed="a folder no run is writing (wait for it to "
                             "finish)", source=str(run_dir)) from None
        note = incomplete_note(run_dir)
        if note:
            print(note, file=sys.stderr)
        path = _rebuild_report(run_dir)
    if as_json:
        print_json({"report": str(path)})
    else:
        typer.echo(f"report: {path}")


def _rebuild_report(run_dir: Path) -> Path:
    """The report of the folder's finished run, from its table, cache and studies (refused when the design and
    the table are not one run's)."""
    from perocav.designs.cache import ResultCache
    from perocav.designs.pipeline import stored_results
    from perocav.designs.report.page import write_report
    from perocav.designs.run_folder import check_consistent
    from perocav.designs.spec import load_design
    from perocav.designs.studies import read_studies, stack_studies, write_studies

    table_path = run_dir / "results.parquet"
    if not table_path.is_file() or not (run_dir / "design.yaml").is_file():
        raise InputError("no finished run here (no results.parquet/design.yaml)", field="RUN_DIR",
                         allowed="a folder written by perocav run", source=str(run_dir))
    check_consistent(run_dir)
    spec = load_design(run_dir / "design.yaml")
    table = _read_table(table_path)
    _check_table_matches(spec, table, run_dir=run_dir)
    results = stored_results(spec, table, ResultCache(run_dir / "cache"))
    studies = read_studies(run_dir)
    if studies is None:  # a run from before studies.json, or another schema: solved once, then stored
        studies = stack_studies(spec, table)
        write_studies(run_dir, studies)
    return write_report(out_dir=run_dir, spec=spec, table=table, results=results, studies=studies,
                        record=_stored_record(run_dir))


def _stored_record(run_dir: Path) -> dict | None:
    """The run record of the folder's run (summary.json), None when it has none or cannot be read."""
    import json

    try:
        record = json.loads((run_dir / "summary.json").read_text()).get("record")
    except (OSError, ValueError, AttributeError):
        return None
    return record if isinstance(record, dict) and record else None


def _check_table_matches(spec, table, *, run_dir: Path) -> None:
    """Refuse a table whose rows are not the design's sweep points (a folder mixed from two runs): every point's
    design columns (cavity, stack, cavity parameters, thickness overrides) against the table's rows."""
    from perocav.designs.spec import expand_points
    from perocav.designs.table import design_columns

    def norm(v):
        return round(float(v), 6) if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)

    points = expand_points(spec)
    names = sorted({k for p in points for k in design_columns(p)})
    want = sorted(tuple(norm(design_columns(p).get(n)) for n in names) for p in points)
    missing = [n for n in names if n not in table.columns]
    got = None if missing else sorted(tuple(norm(v) for v in row) for row in table[names].itertuples(index=False))
    if got != want:
        axes = ", ".join(sorted({k for p in points for k in p.params})) or "no axes"
        raise InputError(f"results.parquet ({len(table)} rows) is not the table of design.yaml ({spec.name}: "
                         f"{len(points)} points over {axes})", field="design.yaml",
                         allowed="the design and table of one run (rerun it)", source=str(run_dir))


def _read_table(path: Path):
    """The results table of a run; a file that is not one raises one-line InputError."""
    import pandas as pd


    try:
        table = pd.read_parquet(path)
    except Exception as err:  # pyarrow raises many types (ArrowInvalid, OSError, ...) for a damaged file
        raise InputError(f"not a results table ({type(err).__name__})", field="results.parquet",
                         allowed="the table written by perocav run (rerun it)", source=str(path)) from None
    missing = [c for c in ("key", "status", "rank") if c not in table.columns]
    if missing:
        raise InputError(f"column(s) {', '.join(missing)} missing", field="results.parquet",
                         allowed="the table written by perocav run (rerun it)", source=str(path))
    return table


def register(app: typer.Typer) -> None:
    app.command("run")(run)
    app.command("validate")(validate)
    app.command("report")(report)
