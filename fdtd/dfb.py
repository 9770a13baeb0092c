"""FDTD (MEEP, 2D TE: Ez) of a substrate-embedded linear DFB grating under a layer stack: unit cell or finite.

``simulate_dfb`` builds the geometry from the ``dfb_grating`` layout cell and the stack (``meep.geometry_2d``),
runs MEEP ring-downs (``meep.runner_2d``) up a resolution ladder until the band edges (unit cell) or the lasing
mode (finite) converge, and extracts kappa, Q, radiating edge, confinement, modal loss and threshold gain.

unit_cell: one period, Bloch k at the Bragg point (2nd order: k = 0, 1st order: k = pi / Lambda); the two
  highest-Q resonances near the Bragg wavelength are the band edges. 1st order: kappa = pi n_g d_lambda / lambda0^2
  (n_g of the slab solver). 2nd order (Kazarinov-Henry, h = h_r + i h_i): kappa = the dark edge's detuning from the
  Bragg centre (guided mode of the duty-averaged cell), h_i from the radiating edge's extra shift,
  h_r = pi n_g / (2 lambda) (1/Q_rad - 1/Q_dark). The threshold uses Kogelnik-Shank with these.
  Unit cell ``lasing_q``: the Q that threshold implies, 2 pi n_g / (lambda g_th), to compare with the finite path.
finite: n_periods with PML ends; lasing mode = highest-Q pencil pole near the Bragg wavelength among those with
  >= 5% of the strongest amplitude (weak Harminv poles can carry spurious high Q);
  threshold modal gain = 2 pi n_g / (lambda Q), material gain = that / confinement (field fraction).
  A grating with kappa L << 1 (e.g. 20 periods of a 1400/cm grating, kappa L = 0.28) has a cavity Q of ~20-30:
  it rings down within a few periods of the source and the finite path reports ``no_resonance``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np

from perocav.fdtd.extract import band_edges as E
from perocav.fdtd.meep import pixels as P
from perocav.fdtd.meep.geometry_2d import Geometry2D, dfb_cross_section_2d, dfb_unit_cell_2d
from perocav.fdtd.models.cmt import analyze_dfb
from perocav.fdtd.extract.convergence import ConvergenceStep, converge, resolution_ladder
from perocav.fdtd.models.dfb_analytic import DfbAnalytic, analyze_dfb_on_stack
from perocav.fdtd.extract.cross_section import CrossSection, reduce_cross_section
from perocav.fdtd.extract.fields import confinement_from_profile, modal_loss_from_profile_per_cm, vertical_profile
from perocav.fdtd.meep.runner_2d import RingdownResult, run_ringdown_2d
from perocav.fdtd.extract.resonance import Resonance, find_resonances
from perocav.fdtd.extract.freeze import FrozenFix, predict_wavelength_nm, self_consistent_mode
from perocav.fdtd.models.dispersion import frozen_group_index as _frozen_ng
from perocav.fdtd.models.dispersion import neff_dispersion, region_stack
from perocav.pdk.errors import InputError
from perocav.pdk.stack import Stack

MODES = ("unit_cell", "finite")


@dataclass(frozen=True)
class DfbFdtdResult:
    """Flat record (``to_dict``). Missing numbers are NaN here and None in ``to_dict``; ``status`` says why."""

    mode: str
    status: str  # ok | unstable | no_resonance | one_edge
    stack: str
    period_nm: float
    duty_cycle: float
    order: int
    n_periods: int
    quarter_wave_shift: bool
    length_um: float
    bragg_wavelength_cmt_nm: float
    edge_short_nm: float = math.nan
    edge_long_nm: float = math.nan
    q_short: float = math.nan
    q_long: float = math.nan
    q_short_resolved: bool = False  # False: the ring-down only bounds Q from below
    q_long_resolved: bool = False
    radiating_edge: str | None = None
    group_index: float = math.nan  # mode group index with material dispersion (models.dispersion) at the lasing mode
    group_index_frozen: float = math.nan  # waveguide-only n_g of the averaged stack, media frozen at the Bragg point
    edge_short_frozen_nm: float = math.nan  # edges of the ladder's runs, media frozen at the analytic Bragg point
    edge_long_frozen_nm: float = math.nan
    q_short_frozen: float = math.nan  # their Qs (non-dispersive media: no stored energy of the material dispersion)
    q_long_frozen: float = math.nan
    freeze_residual_nm: float = math.nan  # max |mode - freezing wavelength| of the self-consistent runs
    freeze_passes: int = 0  # extra MEEP runs that made the modes self-consistent
    kappa_per_cm: float = math.nan
    kappa_L: float = math.nan
    kappa_cmt_per_cm: float = math.nan
    stopband_cmt_short_nm: float = math.nan
    stopband_cmt_long_nm: float = math.nan
    radiation_per_cm: float = math.nan  # Kazarinov-Henry h from the edge Qs (2nd order, amplitude)
    radiation_reactive_per_cm: float = math.nan  # its reactive part h_i from the radiating edge's shift (2nd order)
    kappa_splitting_per_cm: float = math.nan  # pi n_g d_lambda / lambda^2 (2nd order: index + reactive coupling)
    bragg_wavelength_fdtd_nm: float = math.nan  # 2nd order: the duty-averaged cell's guided mode (band centre)
    radiation_cmt_per_cm: float = math.nan  # Born-approximation h of the coupled-mode model
    threshold_cmt_modal_gain_per_cm: float = math.nan  # coupled-mode threshold of the same design (+ slab loss)
    lasing_wavelength_nm: float = math.nan
    lasing_q: float = math.nan
    threshold_modal_gain_per_cm: float = math.nan
    threshold_material_gain_per_cm: float = math.nan
    threshold_source: str = ""
    confinement_fdtd: float = math.nan  # gain layer, field fraction, from the FDTD snapshot
    confinement_slab: float = math.nan
    modal_loss_fdtd_per_cm: float = math.nan
    modal_loss_slab_per_cm: float = math.nan
    converged: bool = False
    convergence_reason: str = ""
    resolution_px_per_um: float = math.nan
    ring_down_um: float = math.nan
    resolutions_tried: str = ""
    wall_time_s: float = 0.0
    meep_version: str = ""
    warnings: tuple[str, ...] = ()
    history: tuple[dict, ...] = field(default=(), repr=False)
    mode_profile_x_um: tuple[float, ...] = field(default=(), repr=False)
    mode_profile_abs2: tuple[float, ...] = field(default=(), repr=False)
    #: |E|^2 over the cell (PML cropped, block-averaged) at the end of the last run: the longest-lived mode
    cross_section: CrossSection | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict:
        d = asdict(self)
        for k in ("history", "mode_profile_x_um", "mode_profile_abs2", "cross_section"):
            d.pop(k)
        d["warnings"] = "; ".join(self.warnings)
        return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in d.items()}


def _check(*, mode: str, period_nm: float, duty_cycle: float, order: int, n_periods: int,
           wavelength_tol_nm: float, q_relative_tol: float) -> None:
    if mode not in MODES:
        raise InputError(f"{mode!r} is not a mode", field="mode", allowed=", ".join(MODES))
    if order not in (1, 2):
        raise InputError(f"{order} is not a grating order", field="order", allowed="1, 2")
    if not period_nm > 0:
        raise InputError(f"{period_nm} must be > 0", field="period_nm", allowed="> 0")
    if not 0 < duty_cycle < 1:
        raise InputError(f"{duty_cycle} is outside (0, 1)", field="duty_cycle", allowed="0 < duty_cycle < 1")
    if n_periods < 2:
        raise InputError(f"{n_periods} periods", field="n_periods", allowed=">= 2")
    if not (wavelength_tol_nm > 0 and q_relative_tol > 0):
        raise InputError("tolerances must be > 0", field="wavelength_tol_nm / q_relative_tol", allowed="> 0")


def _window_nm(ana: DfbAnalytic, *, window_fraction: float) -> tuple[float, float]:
    """Search window around the CMT Bragg wavelength: +-window_fraction, widened to 3 CMT stop bands."""
    lam = ana.bragg_wavelength_nm
    half = max(window_fraction * lam, 1.5 * abs(ana.cmt.stopband_long_nm - ana.cmt.stopband_short_nm))
    return lam - half, lam + half


def _gain_y(geom: Geometry2D, stack: Stack) -> float:
    name = stack.gain_layer or max(stack.optical_layers(), key=lambda l: l.thickness_nm).name
    return 0.5 * sum(geom.levels_um[name])


def _cross_section(run: RingdownResult, geom: Geometry2D) -> CrossSection | None:
    """The run's end-of-run |E|^2 inside the y PMLs, reduced for a record (None without a finite snapshot)."""
    if run.field_abs2 is None:
        return None
    y_range = (-geom.size_y_um / 2 + geom.pml_y_um, geom.size_y_um / 2 - geom.pml_y_um)
    return reduce_cross_section(field_abs2=run.field_abs2, x_um=run.x_um, y_um=run.y_um,
                                levels_um=dict(geom.levels_um), y_range_um=y_range)


def _field_numbers(*, run: RingdownResult, geom: Geometry2D, stack: Stack, wavelength_nm: float,
                   n_eff: float) -> tuple[float, float]:
    """(gain-layer confinement, modal loss 1/cm) from the end-of-run snapshot, PML left out."""
    prof = vertical_profile(field_abs2=run.field_abs2)
    y_range = (-geom.size_y_um / 2 + geom.pml_y_um, geom.size_y_um / 2 - geom.pml_y_um)
    levels = dict(geom.levels_um)
    gamma = confinement_from_profile(y_um=run.y_um, profile_abs2=prof, levels_um=levels, y_range_um=y_range)
    prof_idx = stack.index_profile(wavelength_nm=wavelength_nm)
    eps_imag = {}
    for layer, n in zip(stack.optical_layers(), prof_idx.n_layers):
        lossless = layer.role == "gain" and stack.gain_layer_lossless
        eps_imag[layer.name] = 0.0 if lossless else float((complex(n) ** 2).imag)
    # the grating level's average Im(eps) is already in n_layers (fill fraction); MEEP uses the same media
    loss = modal_loss_from_profile_per_cm(y_um=run.y_um, profile_abs2=prof, levels_um=levels, eps_imag=eps_imag,
                                          n_eff=n_eff, wavelength_nm=wavelength_nm, y_range_um=y_range)
    gain = stack.gain_layer
    return (gamma.get(gain, math.nan) if gain else math.nan), loss


def frozen_group_index(*, stack: Stack, duty_cycle: float, wavelength_nm: float) -> float:
    """Group index of the duty-averaged stack's TE0 mode with the indices frozen at ``wavelength_nm`` (waveguide
    dispersion only), as the non-dispersive FDTD sees it."""
    avg = region_stack(stack=stack, region="average", duty_cycle=duty_cycle)
    return _frozen_ng(stack=avg, wavelength_nm=wavelength_nm)


def dispersive_wavelength_nm(*, stack: Stack, duty_cycle: float, wavelength_nm: float, freeze_nm: float,
                             group_index_frozen: float) -> float:
    """Where a mode found at ``wavelength_nm`` with media frozen at ``freeze_nm`` sits on the dispersive stack: the
    same propagation constant, n(lambda*) / lambda* = n_frozen(lambda) / lambda, with n the grating's average index
    (dispersion tables) and n_frozen its waveguide-only continuation from the freezing point (group index
    ``group_index_frozen``). To first order this is ``extract.freeze.predict_wavelength_nm``; far from the freezing
    point (band diagrams) the exact root keeps the curvature of n(lambda)."""
    from scipy.optimize import brentq

    tooth, gap = neff_dispersion(stack=stack, region="tooth"), neff_dispersion(stack=stack, region="gap")

    def n_avg(lam: float) -> float:
        return duty_cycle * tooth.neff(wavelength_nm=lam) + (1 - duty_cycle) * gap.neff(wavelength_nm=lam)

    n0 = n_avg(freeze_nm)
    target = (n0 + (n0 - group_index_frozen) * (wavelength_nm - freeze_nm) / freeze_nm) / wavelength_nm
    lo, hi = tooth.range_nm
    span = 2 * abs(wavelength_nm - freeze_nm) + 1.0
    a, b = max(lo, freeze_nm - span), min(hi, freeze_nm + span)
    g = lambda lam: n_avg(lam) / lam - target  # noqa: E731
    if g(a) * g(b) > 0:
        return predict_wavelength_nm(wavelength_nm=wavelength_nm, freeze_nm=freeze_nm,
                                     group_index_frozen=group_index_frozen,
                                     group_index=true_group_index(stack=stack, duty_cycle=duty_cycle,
                                                                  wavelength_nm=wavelength_nm))
    return float(brentq(g, a, b, xtol=1e-6))


def true_group_index(*, stack: Stack, duty_cycle: float, wavelength_nm: float) -> float:
    """Group index of the grating's average index with material dispersion (the dispersion model's)."""
    tooth, gap = neff_dispersion(stack=stack, region="tooth"), neff_dispersion(stack=stack, region="gap")
    return float(duty_cycle * tooth.group_index(wavelength_nm=wavelength_nm)
                 + (1 - duty_cycle) * gap.group_index(wavelength_nm=wavelength_nm))


def _same_media(stack: Stack, a_nm: float, b_nm: float) -> bool:
    """True when no material of ``stack`` changes its n,k between the two wavelengths (constant-index stacks)."""
    pa, pb = stack.index_profile(wavelength_nm=a_nm), stack.index_profile(wavelength_nm=b_nm)
    ns_a = (*pa.n_layers, pa.n_substrate, pa.n_cover)
    ns_b = (*pb.n_layers, pb.n_substrate, pb.n_cover)
    return max(abs(complex(x) - complex(y)) for x, y in zip(ns_a, ns_b)) < 1e-12


def _fixed_edges(*, fixes: tuple[FrozenFix | None, FrozenFix | None], frozen: tuple[tuple[float, float], ...],
                 warnings: list[str]) -> dict:
    """Record fields of the two self-consistent band edges (frozen values kept where a re-run lost an edge)."""
    out = dict(edge_short_frozen_nm=frozen[0][0], edge_long_frozen_nm=frozen[1][0], q_short_frozen=frozen[0][1],
               q_long_frozen=frozen[1][1])
    residuals, passes = [], 0
    for name, fx in zip(("short", "long"), fixes):
        if fx is None:
            warnings.append(f"the self-consistent re-run lost the {name} edge: media frozen at the Bragg point")
            continue
        out.update({f"edge_{name}_nm": fx.wavelength_nm, f"q_{name}": fx.q})
        residuals.append(fx.residual_nm)
        passes += fx.passes
    out.update(freeze_residual_nm=max(residuals) if residuals else math.nan, freeze_passes=passes)
    return out


def simulate_dfb(
    *,
    stack: Stack,
    period_nm: float,
    duty_cycle: float,
    order: int,
    n_periods: int = 100,
    quarter_wave_shift: bool = False,
    mode: str = "unit_cell",
    resolution_px_per_um: float | None = None,
    max_resolution_px_per_um: float = 400.0,
    wavelength_tol_nm: float = 0.5,
    q_relative_tol: float = 0.1,
    ring_down_um: float | None = None,
    converge_resolution: bool = True,
    force: bool = False,
    min_px_per_layer: float = 4.0,
    window_fraction: float = 0.05,
    substrate_um: float = 0.8,
    cover_um: float = 0.8,
    pml_um: float = 1.0,
    end_pad_um: float = 1.0,
    freeze_tol_nm: float = 0.1,
    progress: Callable[[str], None] | None = None,
) -> DfbFdtdResult:
    """FDTD of a DFB grating (``period_nm``, ``duty_cycle``, ``order``, ``n_periods``, quarter-wave shift)
    under ``stack``; see the module docstring for the physics.

    resolution_px_per_um: first rung (default: ``min_px_per_layer`` px across the thinnest level); rungs x1.5,
    snapped so one period is a whole number of pixels, up to ``max_resolution_px_per_um``, until wavelengths move
    < ``wavelength_tol_nm`` and resolved Qs < ``q_relative_tol``. ``converge_resolution=False``: one run only.
    ring_down_um: first ring-down (um / c; default 150 unit cell, 4 x the grating length + 100 finite), x1.25
    per rung. Resolutions below the pixel rule raise InputError unless ``force``.
    Dispersion: the ladder's media are frozen at the analytic (self-consistent) Bragg wavelength; at the last rung
    each edge / the lasing mode is re-run with the media frozen where it lies until |mode - freeze| < freeze_tol_nm
    (``extract.freeze``); kappa and the radiation coupling come from the ladder's run (couplings are geometric).
    """
    _check(mode=mode, period_nm=period_nm, duty_cycle=duty_cycle, order=order, n_periods=n_periods,
           wavelength_tol_nm=wavelength_tol_nm, q_relative_tol=q_relative_tol)
    from perocav.layout.dfb_grating import dfb_grating
    from perocav.pdk import activate

    activate()

    t_start = time.perf_counter()
    r_min = P.min_resolution_px_per_um(stack=stack, min_px_per_layer=min_px_per_layer)
    r0 = r_min if resolution_px_per_um is None else float(resolution_px_per_um)
    P.check_resolution(stack=stack, resolution_px_per_um=r0, min_px_per_layer=min_px_per_layer, force=force)
    length_um = n_periods * period_nm / 1000.0
    phase = math.pi if quarter_wave_shift else 0.0
    ana = analyze_dfb_on_stack(stack=stack, period_nm=period_nm, duty_cycle=duty_cycle, order=order,
                               length_um=length_um, phase_shift_rad=phase)
    wl_lo, wl_hi = _window_nm(ana, window_fraction=window_fraction)
    # non-dispersive MEEP media take their index at the band centre: centre the band (in f) on the Bragg point
    f_b, f_w = 1.0 / ana.bragg_wavelength_nm, 1.0 / wl_lo - 1.0 / ana.bragg_wavelength_nm
    band = (1.0 / (f_b + 1.6 * f_w), 1.0 / (f_b - 1.6 * f_w))
    lam_b = ana.bragg_wavelength_nm
    n_g = frozen_group_index(stack=stack, duty_cycle=duty_cycle, wavelength_nm=lam_b)

    def ng_frozen(lam: float) -> float:
        return frozen_group_index(stack=stack, duty_cycle=duty_cycle, wavelength_nm=lam)

    def ng_true(lam: float) -> float:
        return true_group_index(stack=stack, duty_cycle=duty_cycle, wavelength_nm=lam)

    warnings: list[str] = []
    if abs(ana.kappa_per_cm) * 1e-4 * period_nm * 1e-3 < 1e-12 or ana.kappa_per_cm == 0:
        warnings.append("CMT kappa is ~0 for this duty cycle and order: the edges may be degenerate")

    snap = (lambda r: P.whole_pixel_resolution(period_nm=period_nm, resolution_px_per_um=r))
    ladder = resolution_ladder(start_px_per_um=r0, max_px_per_um=max(max_resolution_px_per_um, snap(r0)),
                               snap=snap)
    if not converge_resolution:
        ladder = ladder[:1]

    if mode == "unit_cell":
        comp = dfb_grating(period_nm=period_nm, duty_cycle=duty_cycle, n_periods=4, order=order)
        geom = dfb_unit_cell_2d(component=comp, stack=stack, substrate_um=substrate_um, cover_um=cover_um,
                                pml_um=pml_um)
        k_x = E.bragg_k_per_um(period_nm=period_nm, order=order)
        xs = 0.13 * geom.size_x_um  # off every mirror plane of the cell: excites both edges
        t0 = 150.0 if ring_down_um is None else ring_down_um
    else:
        comp = dfb_grating(period_nm=period_nm, duty_cycle=duty_cycle, n_periods=n_periods, order=order,
                           quarter_wave_shift=quarter_wave_shift)
        geom = dfb_cross_section_2d(component=comp, stack=stack, substrate_um=substrate_um, cover_um=cover_um,
                                    pml_um=pml_um, end_pad_um=end_pad_um)
        k_x = None
        xs = 0.13 * period_nm / 1000.0
        t0 = 4 * length_um + 100.0 if ring_down_um is None else ring_down_um
    y = _gain_y(geom, stack)
    runs: dict[float, RingdownResult] = {}

    def _window_poles(run: RingdownResult) -> list[Resonance]:
        """Poles by the matrix pencil on the search window only: Harminv over the whole source band returned a dark
        edge with Q -9000 (2nd order, duty 0.25, 100 px/um) where the pencil gives 2552, and a finite 2nd-order
        cavity (N = 150) Q 1530 where the pencil gives 1262 (unit cell + Kogelnik-Shank: 1170)."""
        return find_resonances(samples=run.samples, dt=run.dt_um, freq_min=1000.0 / wl_hi, freq_max=1000.0 / wl_lo,
                               q_min=E.BAND_EDGE_Q_MIN)

    def _bragg_centre_nm(g_avg: Geometry2D, res: float, ring: float) -> float | None:
        """Guided mode of the duty-averaged cell at the same Bloch k, resolution and ring-down: the Bragg centre
        from which the 2nd-order dark edge sits at exactly +kappa (Kazarinov-Henry)."""
        run = run_ringdown_2d(geometry=g_avg, wavelength_min_nm=band[0], wavelength_max_nm=band[1],
                              source_xy_um=(xs, y), probe_xy_um=(xs, y), resolution_px_per_um=res,
                              ring_down_um=ring, k_x_per_um=k_x)
        if progress:
            progress(f"duty-averaged cell at {res:g} px/um: {run.status} ({run.wall_time_s:.1f} s)")
        if run.status != "ok":
            return None
        found = E.pick_band_edges(resonances=_window_poles(run), wavelength_min_nm=wl_lo, wavelength_max_nm=wl_hi)
        return max(found, key=lambda r: r.q).wavelength_nm if found else None

    def rerun(freeze_nm: float, which: int) -> tuple[float, float] | None:
        """(wavelength, Q) of edge ``which`` (0 short, 1 long; finite: the lasing mode) with media frozen at
        ``freeze_nm``, at the last rung's resolution and ring-down."""
        last_step = report.last
        run = run_ringdown_2d(geometry=geom, wavelength_min_nm=band[0], wavelength_max_nm=band[1],
                              source_xy_um=(xs, y), probe_xy_um=(xs, y), resolution_px_per_um=last_step.resolution_px_per_um,
                              ring_down_um=last_step.ring_down_um, k_x_per_um=k_x, freeze_wavelength_nm=freeze_nm)
        if progress:
            progress(f"media frozen at {freeze_nm:.2f} nm: {run.status} ({run.wall_time_s:.1f} s)")
        if run.status != "ok":
            return None
        if mode == "unit_cell":
            picked = E.pick_band_edges(resonances=_window_poles(run), wavelength_min_nm=wl_lo, wavelength_max_nm=wl_hi)
            return (picked[which].wavelength_nm, picked[which].q) if len(picked) == 2 else None
        best = E.pick_lasing_mode(resonances=_window_poles(run), wavelength_min_nm=wl_lo, wavelength_max_nm=wl_hi)
        return None if best is None else (best.wavelength_nm, best.q)

    def fix(which: int, lam: float, q: float) -> FrozenFix | None:
        if _same_media(stack, lam_b, lam):  # constant indices: the frozen run is already self-consistent
            return FrozenFix(wavelength_nm=lam, q=q, q_frozen=q, freeze_wavelength_nm=lam_b, residual_nm=0.0,
                             passes=0)
        return self_consistent_mode(run_mode=lambda f: rerun(f, which), wavelength_nm=lam, q=q, freeze_nm=lam_b,
                                    group_index_frozen=ng_frozen, group_index=ng_true, tol_nm=freeze_tol_nm)

    def run_step(res: float, ring: float) -> ConvergenceStep:
        run = run_ringdown_2d(geometry=geom, wavelength_min_nm=band[0], wavelength_max_nm=band[1],
                              source_xy_um=(xs, y), probe_xy_um=(xs, y), resolution_px_per_um=res,
                              ring_down_um=ring, k_x_per_um=k_x, snapshot=True, freeze_wavelength_nm=lam_b)
        runs[res] = run
        if run.status != "ok":
            return ConvergenceStep(res, ring, run.status, wall_time_s=run.wall_time_s)
        if mode == "unit_cell":
            picked = E.pick_band_edges(resonances=_window_poles(run), wavelength_min_nm=wl_lo, wavelength_max_nm=wl_hi)
            if not picked:
                return ConvergenceStep(res, ring, "no_resonance", wall_time_s=run.wall_time_s)
        else:
            best = E.pick_lasing_mode(resonances=_window_poles(run), wavelength_min_nm=wl_lo, wavelength_max_nm=wl_hi)
            if best is None:
                return ConvergenceStep(res, ring, "no_resonance", wall_time_s=run.wall_time_s)
            picked = (best,)
        status = "ok" if (mode == "finite" or len(picked) == 2) else "one_edge"
        return ConvergenceStep(res, ring, status, tuple(r.wavelength_nm for r in picked), tuple(r.q for r in picked),
                               tuple(E.q_resolved(q=r.q, freq_per_um=r.freq, ring_down_um=ring) for r in picked),
                               run.wall_time_s)

    report = converge(run_step=run_step, resolutions_px_per_um=ladder, ring_down_um=t0,
                      wavelength_tol_nm=wavelength_tol_nm, q_relative_tol=q_relative_tol, progress=progress)
    last = report.last
    run = runs[last.resolution_px_per_um]
    base = dict(
        mode=mode, stack=stack.name, period_nm=float(period_nm), duty_cycle=float(duty_cycle), order=int(order),
        n_periods=int(n_periods), quarter_wave_shift=bool(quarter_wave_shift), length_um=length_um,
        bragg_wavelength_cmt_nm=ana.bragg_wavelength_nm, group_index_frozen=n_g, kappa_cmt_per_cm=abs(ana.kappa_per_cm),
        stopband_cmt_short_nm=ana.cmt.stopband_short_nm, stopband_cmt_long_nm=ana.cmt.stopband_long_nm,
        confinement_slab=ana.confinement, modal_loss_slab_per_cm=ana.modal_loss_per_cm,
        threshold_cmt_modal_gain_per_cm=ana.threshold_modal_gain_per_cm,
        converged=report.converged, convergence_reason=report.reason,
        resolution_px_per_um=last.resolution_px_per_um, ring_down_um=last.ring_down_um,
        resolutions_tried=", ".join(f"{s.resolution_px_per_um:g}" for s in report.steps),
        meep_version=run.meep_version, history=tuple(report.history()), cross_section=_cross_section(run, geom),
    )
    if r0 < r_min:
        warnings.append(f"forced: {r0:g} px/um is below the {r_min:g} px/um pixel rule")
    if not report.converged:
        warnings.append(report.reason)
    if last.status not in ("ok", "one_edge"):
        return DfbFdtdResult(status=last.status, wall_time_s=time.perf_counter() - t_start,
                             warnings=tuple(warnings), **base)
    extra: dict = {}
    if mode == "unit_cell":
        if last.status == "one_edge":
            warnings.append("only one band edge found near the Bragg wavelength")
            extra.update(edge_short_nm=last.wavelengths_nm[0], q_short=last.qs[0],
                         q_short_resolved=last.q_resolved[0])
            lam_c = last.wavelengths_nm[0]
        else:
            (ls, ll), (qs, ql), (rs, rl) = last.wavelengths_nm, last.qs, last.q_resolved
            kappa = E.kappa_from_edges_per_cm(short_nm=ls, long_nm=ll, group_index=n_g)
            lam_c = 0.5 * (ls + ll)
            extra.update(edge_short_nm=ls, edge_long_nm=ll, q_short=qs, q_long=ql, q_short_resolved=rs,
                         q_long_resolved=rl, kappa_splitting_per_cm=kappa)
            h = h_i = 0.0
            kappa_signed = kappa
            if order == 2:
                radiating = "short" if qs < ql else "long"
                extra["radiating_edge"] = radiating
                q_rad, q_dark = min(qs, ql), max(qs, ql)
                h = max(0.0, math.pi * n_g / (2 * lam_c * 1e-7) * (1 / q_rad - 1 / q_dark))
                extra.update(radiation_per_cm=h, radiation_cmt_per_cm=ana.radiation_per_cm)
                if not (rs and rl):
                    warnings.append("the dark edge's Q is only a lower bound (ring-down too short to see it decay)")
                geom_avg = dfb_unit_cell_2d(component=comp, stack=stack, substrate_um=substrate_um,
                                            cover_um=cover_um, pml_um=pml_um, averaged=True)
                centre = _bragg_centre_nm(geom_avg, last.resolution_px_per_um, last.ring_down_um)
                if centre is None:
                    warnings.append("the duty-averaged cell gave no guided mode: kappa from the splitting "
                                    "(includes the reactive radiation coupling)")
                    kappa_signed = kappa if radiating == "long" else -kappa
                else:
                    lam_c = centre
                    kappa_signed, h_i = E.second_order_couplings_per_cm(
                        centre_nm=centre, dark_nm=ll if radiating == "short" else ls,
                        radiating_nm=ls if radiating == "short" else ll, group_index=n_g)
                    kappa = abs(kappa_signed)
                    extra.update(bragg_wavelength_fdtd_nm=centre, radiation_reactive_per_cm=h_i)
            extra.update(kappa_per_cm=kappa, kappa_L=kappa * length_um * 1e-4)
            extra.update(_fixed_edges(fixes=(fix(0, ls, qs), fix(1, ll, ql)), frozen=((ls, qs), (ll, ql)),
                                      warnings=warnings))
            lam_c = predict_wavelength_nm(wavelength_nm=lam_c, freeze_nm=lam_b, group_index_frozen=n_g,
                                          group_index=ng_true(lam_c))
            n_avg = order * lam_c / (2 * period_nm)
            cmt = analyze_dfb(kappa_per_cm=kappa_signed, n_avg=n_avg, period_nm=period_nm, length_um=length_um,
                              order=order, duty=duty_cycle, phase_shift_rad=phase, group_index=ng_true(lam_c),
                              radiation_per_cm=h, radiation_reactive_per_cm=h_i)
            if cmt.modes:
                extra.update(lasing_wavelength_nm=cmt.modes[0].wavelength_nm,
                             threshold_source="Kogelnik-Shank with FDTD kappa and radiation, + FDTD modal loss")
                mirror = cmt.modes[0].power_gain_per_cm
        n_eff = order * lam_c / (2 * period_nm)
    else:
        lam_c, q = last.wavelengths_nm[0], last.qs[0]
        got = fix(0, lam_c, q)
        if got is None:
            warnings.append("the self-consistent re-run lost the lasing mode: media frozen at the Bragg point")
            got = FrozenFix(wavelength_nm=lam_c, q=q * ng_true(lam_c) / n_g, q_frozen=q, freeze_wavelength_nm=lam_b,
                            residual_nm=abs(lam_c - lam_b), passes=0)
        lam_c, q = got.wavelength_nm, got.q
        extra.update(freeze_residual_nm=got.residual_nm, freeze_passes=got.passes)
        n_eff = order * lam_c / (2 * period_nm)
        g_modal = E.threshold_modal_gain_per_cm(wavelength_nm=lam_c, q=q, group_index=ng_true(lam_c))
        extra.update(lasing_wavelength_nm=lam_c, lasing_q=q, threshold_modal_gain_per_cm=g_modal,
                     threshold_source="finite FDTD: 2 pi n_g / (lambda Q)",
                     kappa_L=abs(ana.kappa_per_cm) * length_um * 1e-4)
        if not last.q_resolved[0]:
            warnings.append("lasing-mode Q is only a lower bound (ring-down too short to see it decay)")
        prof = run.field_abs2
        gy = geom.levels_um[stack.gain_layer] if stack.gain_layer else (y, y)
        sel = (run.y_um >= gy[0]) & (run.y_um <= gy[1])
        if sel.any():
            extra.update(mode_profile_x_um=tuple(map(float, run.x_um)),
                         mode_profile_abs2=tuple(map(float, prof[:, sel].mean(axis=1))))
    gamma, loss = _field_numbers(run=run, geom=geom, stack=stack, wavelength_nm=lam_c, n_eff=n_eff)
    extra.update(confinement_fdtd=gamma, modal_loss_fdtd_per_cm=loss)
    if mode == "unit_cell" and "threshold_source" in extra:
        thr = mirror + loss
        # the Q a finite cavity of n_periods must have for that threshold (same relation as the finite path)
        lam_l = extra["lasing_wavelength_nm"]
        q_thr = 2 * math.pi * ng_true(lam_l) / (lam_l * 1e-7 * thr) if thr > 0 else math.inf
        extra.update(threshold_modal_gain_per_cm=thr, lasing_q=q_thr)
    if "threshold_modal_gain_per_cm" in extra and gamma > 0:
        extra["threshold_material_gain_per_cm"] = extra["threshold_modal_gain_per_cm"] / gamma
    extra["group_index"] = ng_true(extra.get("lasing_wavelength_nm", lam_c) if math.isfinite(
        extra.get("lasing_wavelength_nm", lam_c)) else lam_c)
    return DfbFdtdResult(status=last.status, wall_time_s=time.perf_counter() - t_start, warnings=tuple(warnings),
                         **base, **extra)
