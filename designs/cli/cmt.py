"""``perocav cmt``: coupled-mode theory of a DFB grating from the effective indices of its two
regions: kappa, kappa L, Bragg wavelength, stopband and the lowest-threshold lasing modes. A command group:
``perocav cmt --neff-high ...`` runs the grating (the group's own options), ``perocav cmt sections FILE.yaml``
a device made of sections (``cmt_sections``)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

import typer

from perocav.designs.cli._common import print_json
from perocav.designs.cli._console import make_console
from perocav.pdk.errors import InputError
from perocav.pdk.units import NM_PER_UM

SOURCE = "perocav cmt"


def _finite_positive(value: float, option: str, allowed: str = "> 0") -> None:
    if not (math.isfinite(value) and value > 0):
        raise InputError(f"{value} is not allowed", field=option, allowed=allowed, source=SOURCE)


def parse_phase_shift(text: str, *, order: int) -> float:
    """``none`` -> 0, ``quarter`` -> pi (lambda/4), a number f in [0, 1) -> 2 pi m f (the grating
    beyond the centre displaced by f periods)."""
    from perocav.fdtd.models.dfb.cmt import phase_shift_rad

    key = text.strip().lower()
    if key in ("none", "0", ""):
        return 0.0
    if key in ("quarter", "quarter-wave", "lambda/4"):
        return math.pi
    try:
        frac = float(key)
    except ValueError:
        frac = float("nan")
    if not (math.isfinite(frac) and 0.0 <= frac < 1.0):
        raise InputError(
            f"{text!r} is not a phase shift", field="--phase-shift",
            allowed="none, quarter, or a fraction of a period in [0, 1)", source=SOURCE,
        )
    return phase_shift_rad(period_fraction=frac, order=order)


#: Longest grating accepted [periods].
MAX_PERIODS = 1e5


@dataclass(frozen=True)
class CmtOptions:
    """``perocav cmt``'s numeric options as given: region indices, duty, period nm, length um, Bragg order, number of
    modes, group index (None: n_avg) and radiation coupling h [1/cm]."""

    neff_high: float
    neff_low: float
    duty: float
    period_nm: float
    length_um: float
    order: int
    modes: int
    group_index: float | None
    radiation_per_cm: float


def validate(options: CmtOptions) -> None:
    """One-line InputError naming the first bad option."""
    o = options
    _finite_positive(o.neff_high, "--neff-high")
    _finite_positive(o.neff_low, "--neff-low")
    if not (math.isfinite(o.duty) and 0.0 < o.duty < 1.0):
        raise InputError(f"{o.duty} is outside the open interval", field="--duty-cycle", allowed="0 < duty cycle < 1", source=SOURCE)
    _finite_positive(o.period_nm, "--period-nm", "> 0 nm")
    _finite_positive(o.length_um, "--length-um", "> 0 um")
    if o.length_um * NM_PER_UM / o.period_nm > MAX_PERIODS:
        raise InputError(f"{o.length_um:g} um is {o.length_um * NM_PER_UM / o.period_nm:.3g} periods",
                         field="--length-um", source=SOURCE,
                         allowed=f"<= {MAX_PERIODS:.0e} periods ({MAX_PERIODS * o.period_nm / NM_PER_UM:g} um)")
    if o.order not in (1, 2):
        raise InputError(f"{o.order} is not supported", field="--order", allowed="1 or 2", source=SOURCE)
    if not 1 <= o.modes <= 40:
        raise InputError(f"{o.modes} modes", field="--modes", allowed="1..40", source=SOURCE)
    if o.group_index is not None:
        _finite_positive(o.group_index, "--group-index")
    if not (math.isfinite(o.radiation_per_cm) and o.radiation_per_cm >= 0):
        raise InputError(f"{o.radiation_per_cm} is not allowed", field="--radiation-per-cm", allowed=">= 0 1/cm",
                         source=SOURCE)
    if o.radiation_per_cm > 0 and o.order != 2:
        raise InputError("radiation coupling needs a 2nd-order grating", field="--radiation-per-cm",
                         allowed="0 unless --order 2", source=SOURCE)


#: the group; ``register`` adds it to the app
cmt_app = typer.Typer(rich_markup_mode=None, add_completion=False, pretty_exceptions_enable=False)
REQUIRED = {"neff_high": "--neff-high", "neff_low": "--neff-low", "duty": "--duty-cycle", "period_nm": "--period-nm",
            "length_um": "--length-um"}


@cmt_app.callback(invoke_without_command=True)
def cmt(
    ctx: typer.Context,
    neff_high: Optional[float] = typer.Option(None, "--neff-high", help="Effective index of the region occupying the duty fraction."),
    neff_low: Optional[float] = typer.Option(None, "--neff-low", help="Effective index of the other region (may exceed --neff-high)."),
    duty: Optional[float] = typer.Option(None, "--duty-cycle", "--duty", help="Fraction of the period with --neff-high, 0 < D < 1 "
                               "(--duty: the old spelling)."),
    period_nm: Optional[float] = typer.Option(None, "--period-nm", help="Grating period [nm]."),
    length_um: Optional[float] = typer.Option(None, "--length-um", help="Grating length [um]."),
    order: int = typer.Option(1, "--order", help="Bragg order (1 or 2): m lambda_B = 2 n_avg Lambda."),
    phase_shift: str = typer.Option("none", "--phase-shift", help="none, quarter (lambda/4), or a fraction of a period, at the centre."),
    modes: int = typer.Option(4, "--modes", help="Number of lowest-threshold modes to report."),
    group_index: Optional[float] = typer.Option(None, "--group-index", help="Group index for delta -> wavelength; default n_avg."),
    radiation_per_cm: float = typer.Option(0.0, "--radiation-per-cm", help="2nd order: radiation coupling h [1/cm] (Kazarinov-Henry)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Coupled-mode theory of a rectangular DFB grating: kappa [1/cm], kappa L, Bragg wavelength,
    stopband edges, and the lowest-threshold modes (wavelength, power gain 2 alpha, alpha L, delta L).
    The options below are required for the grating; `perocav cmt sections FILE.yaml` solves a device of sections."""
    import click

    from perocav.fdtd.models.dfb.cmt import CmtGrating, analyze_dfb_from_indices

    if ctx.invoked_subcommand is not None:
        return
    given = dict(neff_high=neff_high, neff_low=neff_low, duty=duty, period_nm=period_nm, length_um=length_um)
    for name, option in REQUIRED.items():
        if given[name] is None:
            raise click.UsageError(f"Missing option '{option}'.", ctx=ctx)

    validate(CmtOptions(neff_high=neff_high, neff_low=neff_low, duty=duty, period_nm=period_nm, length_um=length_um,
                        order=order, modes=modes, group_index=group_index, radiation_per_cm=radiation_per_cm))
    grating = CmtGrating(period_nm=period_nm, duty_cycle=duty, order=order, length_um=length_um,
                         phase_shift_rad=parse_phase_shift(phase_shift, order=order))
    res = analyze_dfb_from_indices(neff_high=neff_high, neff_low=neff_low, grating=grating, group_index=group_index,
                                   radiation_per_cm=radiation_per_cm, n_modes=modes)
    if as_json:
        print_json(res.to_dict())
        return
    _print_table(res)


def _print_table(res) -> None:
    from rich.table import Table

    console = make_console()
    console.print(
        f"order {res.order}, duty {res.duty:g}, period {res.period_nm:g} nm, L {res.length_um:g} um, "
        f"n_avg {res.n_avg:.5f}, |dn| {res.delta_n_abs:.5f}, n_g {res.group_index:.4f} ({res.group_index_source})"
    )
    console.print(
        f"Bragg {res.bragg_wavelength_nm:.3f} nm, kappa {res.kappa_per_cm:.2f} 1/cm, kappa L {res.kappa_L:.4f}, "
        f"stopband {res.stopband_short_nm:.3f} - {res.stopband_long_nm:.3f} nm, phase shift {res.phase_shift_rad:.4f} rad"
    )
    if res.second_order is not None:
        so = res.second_order
        q = "inf" if not math.isfinite(so.radiating_q) else f"{so.radiating_q:.0f}"
        console.print(f"2nd order: radiating edge = {so.radiating_edge}-wavelength, radiation h {res.radiation_per_cm:g} 1/cm, "
                      f"Q(radiating, infinite grating) {q}")
    table = Table(title="lowest-threshold modes")
    for col in ("#", "wavelength [nm]", "power gain 2a [1/cm]", "alpha L", "delta L"):
        table.add_column(col, justify="right")
    for i, m in enumerate(res.modes):
        table.add_row(str(i), f"{m.wavelength_nm:.4f}", f"{m.power_gain_per_cm:.4g}", f"{m.alpha_L:.4g}", f"{m.delta_L:.4f}")
    console.print(table)
    for w in res.warnings:
        console.print(f"[yellow]warning:[/] {w}")


def register(app: typer.Typer) -> None:
    from perocav.designs.cli.cmt_sections import sections

    cmt_app.command("sections")(sections)
    app.add_typer(cmt_app, name="cmt", help="Coupled-mode theory: a DFB grating from two effective indices (options "
                                            "below), or a device of sections (`cmt sections FILE.yaml`).")
