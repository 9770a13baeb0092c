"""``perocav simulate dfb``: MEEP FDTD (unit cell or finite) or RCWA (unit cell, ``--solver rcwa``) of a linear DFB
grating from a stack + grating options or a design file's cavity; progress on stderr, ``--json`` for one flat JSON
object with the same keys for both solvers: the solver record (``perocav.fdtd.result.DfbSolverResult``, both
backends' details), and beside it the coupled-mode model of the same design as ``analytic.NAME`` (computed here, the
MEEP run's starting point; the solver record does not carry it)."""

from __future__ import annotations

from typing import Optional

import typer

from perocav.designs.cli._common import check_out_file, parse_overrides, print_json
from perocav.designs.cli._console import progress_lines
from perocav.pdk.errors import InputError

SOURCE = "perocav simulate dfb"
SHOWN = ("model", "status", "mode", "edge_short_nm", "analytic.stopband_short_nm", "edge_long_nm",
         "analytic.stopband_long_nm", "q_short", "q_long", "radiating_edge", "kappa_per_cm", "analytic.kappa_per_cm",
         "kappa_L", "bragg_wavelength_nm", "analytic.bragg_wavelength_nm", "radiation_per_cm",
         "analytic.radiation_per_cm", "radiation_reactive_per_cm", "lasing_wavelength_nm", "lasing_q",
         "confinement_power", "confinement_model", "analytic.confinement_power", "modal_loss_per_cm",
         "analytic.modal_loss_per_cm", "threshold_modal_gain_per_cm", "analytic.threshold_modal_gain_per_cm",
         "threshold_material_gain_per_cm", "converged", "resolution_px_per_um", "wall_time_s", "warnings")
#: the coupled-mode model's numbers shown beside the solver's (``DfbAnalytic`` attribute, ``analytic.`` key)
ANALYTIC = (("bragg_wavelength_nm", "bragg_wavelength_nm"), ("stopband_short_nm", "cmt.stopband_short_nm"),
            ("stopband_long_nm", "cmt.stopband_long_nm"), ("kappa_per_cm", "kappa_per_cm"),
            ("radiation_per_cm", "radiation_per_cm"), ("confinement_power", "confinement_power"),
            ("modal_loss_per_cm", "modal_loss_per_cm"), ("threshold_modal_gain_per_cm", "threshold_modal_gain_per_cm"))


def dfb(
    design: Optional[str] = typer.Option(None, "--design", help="Design file: its stack and (dfb) cavity are used."),
    stack: str = typer.Option("transparent", "--stack", help="Stack name or stack YAML file (without --design)."),
    period_nm: float = typer.Option(400.0, "--period-nm", help="Grating period [nm]."),
    duty_cycle: float = typer.Option(0.45, "--duty-cycle", "--duty", help="Tooth fraction of the period, 0 < D < 1 "
                                     "(--duty: the old spelling)."),
    thickness: Optional[list[str]] = typer.Option(None, "--thickness", help="Override a layer thickness of --stack: "
                                                  "NAME=NM (repeatable; not with --design)."),
    order: int = typer.Option(2, "--order", help="Bragg order, 1 or 2."),
    n_periods: int = typer.Option(250, "--n-periods", help="Periods (finite mode; kappa L in both modes)."),
    quarter_wave: bool = typer.Option(False, "--quarter-wave", help="Quarter-wave shift at the centre."),
    mode: str = typer.Option("unit_cell", "--mode", help="unit_cell (Bloch period) or finite (N periods)."),
    resolution: Optional[float] = typer.Option(None, "--resolution", help="First resolution [px/um]; default 4 px "
                                               "across the thinnest layer."),
    max_resolution: float = typer.Option(400.0, "--max-resolution", help="Highest resolution of the ladder [px/um]."),
    tol_nm: float = typer.Option(0.5, "--tol-nm", help="Wavelength tolerance between resolutions [nm]."),
    tol_q: float = typer.Option(0.1, "--tol-q", help="Relative Q tolerance between resolutions."),
    single: bool = typer.Option(False, "--single", help="One resolution, no convergence ladder."),
    force: bool = typer.Option(False, "--force", help="Allow fewer than 4 px across the thinnest layer."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    band_diagram: Optional[str] = typer.Option(None, "--band-diagram", help="Also write a band-diagram PNG here "
                                               "(unit-cell runs at a few Bloch k around k_B, at the final resolution)."),
    solver: str = typer.Option("meep", "--solver", help="meep (FDTD, pixel rule) or rcwa (meent RCWA of the unit "
                               "cell: no pixels, the materials' own n,k at every wavelength, ~1 s)."),
    harmonics: int = typer.Option(10, "--harmonics", help="RCWA: first number of harmonics N (orders -N..N), x1.5 "
                                  "per rung until the edges move < 0.005 nm (--single: one rung)."),
) -> None:
    """Band edges, Q of both edges, radiating edge, kappa [1/cm], kappa L, confinement, modal loss, threshold gain."""
    from perocav.pdk.stack_file import resolve_stack


    if design is not None:
        if thickness:
            raise InputError("--thickness with --design", field="--thickness",
                             allowed="the design file's stack thicknesses (or --stack with --thickness)", source=SOURCE)
        st, period_nm, duty_cycle, order, n_periods, quarter_wave = _from_design(design)
    else:
        st = resolve_stack(stack, thickness_nm=parse_overrides(thickness, option="--thickness"))
    if solver not in ("meep", "rcwa"):
        raise InputError(f"{solver!r} is not a solver", field="solver", allowed="meep, rcwa", source=SOURCE)
    check_fdtd_sizes(resolution=resolution, max_resolution=max_resolution,
                     n_periods=n_periods if mode == "finite" else 1, band_diagram=band_diagram)
    if solver == "rcwa":
        _rcwa_unit_cell_only(mode=mode, band_diagram=band_diagram)
    from perocav.fdtd.models.dfb.grating import DfbGrating
    from perocav.fdtd.rcwa.settings import RcwaSettings
    from perocav.fdtd.settings import FdtdSettings

    try:
        grating = DfbGrating(period_nm=period_nm, duty_cycle=duty_cycle, order=order, n_periods=n_periods,
                             quarter_wave_shift=quarter_wave)
        settings = (RcwaSettings(n_harmonics=harmonics, max_harmonics=max(60, harmonics), converge=not single)
                    if solver == "rcwa" else
                    FdtdSettings(resolution_px_per_um=resolution, max_resolution_px_per_um=max_resolution,
                                 wavelength_tol_nm=tol_nm, q_relative_tol=tol_q, converge=not single, force=force))
    except InputError as err:
        raise err.with_source(SOURCE, field_prefix="")
    ana, beside = _analytic_beside(st, grating)
    if solver == "rcwa":
        return _rcwa(st, grating, settings, as_json=as_json, beside=beside)
    _meep(st, grating, settings, mode=mode, band_diagram=band_diagram, as_json=as_json, analytic=ana, beside=beside)


def _analytic_beside(st, grating) -> tuple:
    """(``DfbAnalytic`` or None, its ``analytic.NAME`` numbers: None where the model fails on this design)."""
    import math

    from perocav.fdtd.models.dfb.dfb_analytic import analyze_dfb_on_stack

    g = grating
    try:
        ana = analyze_dfb_on_stack(stack=st, period_nm=g.period_nm, duty_cycle=g.duty_cycle, order=g.order,
                                   length_um=g.length_um, phase_shift_rad=g.phase_shift_rad)
    except ValueError:  # InputError and NoResonanceError included: the solver run says why
        return None, {f"analytic.{k}": None for k, _ in ANALYTIC}

    def get(path: str):
        v = ana
        for part in path.split("."):
            v = getattr(v, part)
        v = abs(v) if path == "kappa_per_cm" else float(v)
        return v if math.isfinite(v) else None

    return ana, {f"analytic.{k}": get(path) for k, path in ANALYTIC}


def _flat(res, beside: dict) -> dict:
    """The solver record's flat dict with every backend's detail keys (None where another backend's) and the
    analytic numbers beside it."""
    from perocav.fdtd.result import detail_columns

    return {k: None for k in detail_columns()} | res.to_dict() | beside


def _from_design(design: str) -> tuple:
    """``--design``: the file's stack and its (dfb) cavity's period_nm, duty_cycle, order, n_periods, quarter_wave."""
    from perocav.designs.cavities.dfb import FAMILY as DFB
    from perocav.designs.cavities.dfb import DfbCavity
    from perocav.designs.spec import load_design

    spec = load_design(design)
    cav = spec.cavity
    if not isinstance(cav, DfbCavity):
        raise InputError(f"cavity type {getattr(cav, 'type', '?')!r}", field="cavity.type", allowed=DFB.name,
                         source=design)
    return (spec.stack.resolve(), cav.period_nm, cav.duty_cycle, cav.order, cav.n_periods,
            cav.phase_shift == "quarter_wave")


def _meep(st, grating, settings, *, mode: str, band_diagram: Optional[str], as_json: bool, analytic,
          beside: dict) -> None:
    """MEEP FDTD of ``grating`` (a DfbGrating) under ``st`` with ``settings`` (FdtdSettings), quietly, with the
    optional band diagram; prints the result with the RCWA cross-check of the unit cell."""
    from perocav.fdtd.dfb import simulate_dfb
    from perocav.fdtd.run_env import quiet_meep
    from perocav.fdtd.settings import FdtdSettings

    try:
        with progress_lines(f"MEEP FDTD of the DFB ({mode})") as log, quiet_meep():
            res = simulate_dfb(stack=st, grating=grating, mode=mode, settings=settings, progress=log,
                               analytic=analytic)
            plotted = None
            if band_diagram is not None:
                from perocav.fdtd.bands import dfb_band_diagram, plot_band_diagram

                bd = dfb_band_diagram(stack=st, grating=grating, resolution_px_per_um=res.resolution_px_per_um,
                                      settings=FdtdSettings(force=True))
                plotted = str(plot_band_diagram(bd, band_diagram))
                log(f"band diagram written to {plotted}")
    except InputError as err:
        raise err.with_source(SOURCE, field_prefix="")
    from perocav.fdtd.rcwa.cross_check import rcwa_cross_check

    d = _flat(res, beside)
    d.update(rcwa_cross_check(stack=st, meep=res).to_dict())  # unit cell: the RCWA answer and the differences
    if band_diagram is not None:
        d["band_diagram_png"] = plotted
    _print(d, as_json=as_json)


#: Largest FDTD resolution a command accepts [px/um] and longest finite grating [periods].
MAX_RESOLUTION_PX_PER_UM, MAX_FDTD_PERIODS = 2000.0, 5000


def check_fdtd_sizes(*, resolution: float | None, max_resolution: float, n_periods: int,
                     band_diagram: str | None) -> None:
    """Refuse, before any MEEP work, resolutions and finite-grating lengths that cannot finish, and an unwritable PNG
    path."""
    import math


    for option, value in (("--resolution", resolution), ("--max-resolution", max_resolution)):
        if value is not None and not (math.isfinite(value) and 0 < value <= MAX_RESOLUTION_PX_PER_UM):
            raise InputError(f"{value:g} px/um", field=option, allowed=f"0 < px/um <= {MAX_RESOLUTION_PX_PER_UM:g}")
    if not 1 <= n_periods <= MAX_FDTD_PERIODS:
        raise InputError(f"{n_periods} periods", field="--n-periods", allowed=f"1 to {MAX_FDTD_PERIODS}")
    if band_diagram is not None:
        check_out_file(band_diagram, option="--band-diagram", suffix=".png")


def _rcwa_unit_cell_only(*, mode: str, band_diagram: Optional[str]) -> None:
    """``--solver rcwa`` refuses a finite grating and a band diagram."""
    if mode != "unit_cell":
        raise InputError(f"mode {mode!r} with the RCWA solver", field="mode", allowed="unit_cell (rcwa)", source=SOURCE)
    if band_diagram is not None:
        raise InputError("no band diagram from the RCWA solver", field="band_diagram", allowed="--solver meep",
                         source=SOURCE)


def _rcwa(st, grating, settings, *, as_json: bool, beside: dict) -> None:
    """``--solver rcwa``: the unit cell of ``grating`` (a DfbGrating) under ``st`` by RCWA with ``settings``
    (RcwaSettings; perocav.fdtd.rcwa: no MEEP, no pixel rule)."""
    from perocav.fdtd.rcwa import simulate_dfb_rcwa

    try:
        with progress_lines("RCWA of the DFB unit cell") as log:
            res = simulate_dfb_rcwa(stack=st, grating=grating, settings=settings, progress=log)
    except InputError as err:
        raise err.with_source(SOURCE, field_prefix="")
    _print(_flat(res, beside), as_json=as_json, resolution_key="n_harmonics")


def _print(d: dict, *, as_json: bool, resolution_key: str = "resolution_px_per_um") -> None:
    if as_json:
        print_json(d)
        return
    for k in SHOWN + tuple(k for k in d if k.startswith(("rcwa_minus_meep_", "rcwa_over_meep_"))):
        k = resolution_key if k == "resolution_px_per_um" else k
        v = d[k]
        line = f"{k:34s} {v:.6g}" if isinstance(v, float) else f"{k:34s} {v}"
        print(line + (f"   ({q_name(k, d.get('radiating_edge'))})" if q_name(k, d.get("radiating_edge")) else ""))


def q_name(key: str, radiating_edge) -> str:
    """What a Q key of the flat record is, by kind: the lasing mode's Q, or a band edge's (radiating / dark)."""
    if key == "lasing_q":
        return "Q of the lasing mode"
    side = {"q_short": "short", "q_long": "long", "rcwa_q_short": "short", "rcwa_q_long": "long"}.get(key)
    if side is None:
        return ""
    kind = ("" if radiating_edge not in ("short", "long") else
            ", the radiating edge" if radiating_edge == side else ", the dark edge")
    return f"Q of the {side} band edge{kind}" + (" (RCWA)" if key.startswith("rcwa_") else "")


def register(simulate_app: typer.Typer) -> None:
    simulate_app.command("dfb")(dfb)
