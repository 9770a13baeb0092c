"""RCWA of a DFB grating's unit cell (one period, Bloch k at the Bragg point) under a layer stack: both band edges
(complex poles), their Qs, the radiating edge as a Fano resonance at normal incidence (2nd order), kappa and the
Kazarinov-Henry radiation coupling with the same formulas as the MEEP unit cell (``perocav.fdtd.dfb``), a
harmonics ladder until the edges stop moving. Every wavelength uses the materials' own n, k: nothing is frozen.

2nd order (k = 0): kappa = the dark edge's detuning from the Bragg centre (TE0 of the duty-averaged stack at
lambda = n_eff(lambda) Lambda, slab solver), h_i from the radiating edge's extra shift, h_r = pi n_g / (2 lambda)
(1/Q_rad - 1/Q_dark). 1st order (k = pi / Lambda): kappa = pi n_g d_lambda / lambda^2. n_g: the duty-averaged
stack's TE0 group index (material and waveguide dispersion, ``perocav.fdtd.models.dispersion.dispersion``). The threshold is
Kogelnik-Shank with these couplings plus the modal loss of the duty-averaged guide; the material threshold gain is
that over the duty-averaged stack's power-weighted slab confinement (RCWA gives poles here, not fields: the record
says ``confinement_model="analytic"``). Returns the one DFB solver record (``fdtd.result``, model "rcwa"). No meep
import anywhere in this package.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from importlib.metadata import version

import numpy as np

from perocav.fdtd.models.dfb.grating import DfbGrating
from perocav.fdtd.models.dispersion.dispersion import region_stack
from perocav.fdtd.models.slab.slab_modes import solve_slab_mode
from perocav.fdtd.rcwa.cell import grating_cell
from perocav.fdtd.rcwa.centre import BraggCentre, bragg_centre, bragg_k_per_nm
from perocav.fdtd.rcwa.couplings import band_numbers
from perocav.fdtd.rcwa.poles import Pole, fano_fit
from perocav.fdtd.rcwa.search import find_band_edges, follow_poles
from perocav.fdtd.rcwa.settings import RcwaSettings
from perocav.fdtd.rcwa.solver import reflection
from perocav.fdtd.result import DfbSolverResult, RcwaDetails
from perocav.fdtd.models.spectral_gain.stack_window import stack_gain_window
from perocav.pdk.stack import Stack

EDGE_WINDOW_FRACTION = 0.02  # band edges are looked for within +-2 % of the Bragg centre ...
EDGE_WINDOW_MIN_NM = 6.0  # ... and at least +-6 nm
SCAN_HARMONICS = 5  # the real-axis scan for candidate poles uses orders -5..5; the ladder refines them


def _confinement(*, stack: Stack, duty_cycle: float, wavelength_nm: float) -> float:
    """Gain-layer power-weighted (Visser) confinement of the duty-averaged stack's TE0 mode (slab solver): RCWA here
    yields poles, not fields, so its record says ``confinement_model="analytic"``."""
    if stack.gain_layer is None:
        return math.nan
    avg = region_stack(stack=stack, region="average", duty_cycle=duty_cycle)
    mode = solve_slab_mode(profile=avg.index_profile(wavelength_nm=wavelength_nm), pol="TE")
    return float(mode.confinement_power.get(stack.gain_layer, math.nan))


@dataclass(frozen=True)
class Ladder:
    """Where the harmonics ladder stopped: the edges' poles at N harmonics (orders -N..N), the rungs tried, whether
    (and why) it converged, and the last rung's largest edge shift [nm] and relative Q change (NaN: none)."""

    poles: tuple[Pole, ...]
    n_harmonics: int
    tried: tuple[int, ...]
    converged: bool
    reason: str
    edge_change_nm: float = math.nan
    q_change_relative: float = math.nan


def _poles_line(poles) -> str:
    return ", ".join(f"{p.wavelength_nm:.4f} nm Q {p.q:.5g}" for p in poles)


def _ladder(*, cell, k_bloch: float, window: tuple[float, float], settings: RcwaSettings,
            progress: Callable[[str], None] | None) -> Ladder:
    """Harmonics ladder from ``settings.n_harmonics``, x1.5 per rung up to ``settings.max_harmonics``, until the edges
    move < ``wavelength_tol_nm`` and their Qs < ``q_relative_tol`` (``converge`` False: one rung)."""
    s, n0 = settings, settings.n_harmonics
    poles = find_band_edges(cell=cell, k_bloch_per_nm=k_bloch, window_nm=window, n_harmonics=min(n0, SCAN_HARMONICS))
    if poles and n0 > SCAN_HARMONICS:
        poles = follow_poles(cell=cell, k_bloch_per_nm=k_bloch, poles=poles, n_harmonics=n0) or ()
    tried, n = [n0], n0
    if progress:
        progress(f"N = {n0}: " + _poles_line(poles))
    if not poles or not s.converge:
        return Ladder(poles=tuple(poles), n_harmonics=n, tried=tuple(tried), converged=False,
                      reason="single rung" if poles else "no pole in the window")
    d_lam = d_q = math.nan
    while True:
        n_next = int(round(1.5 * n))
        if n_next > s.max_harmonics:
            return Ladder(poles=tuple(poles), n_harmonics=n, tried=tuple(tried), converged=False,
                          reason=f"not converged by {n} harmonics", edge_change_nm=d_lam, q_change_relative=d_q)
        new = follow_poles(cell=cell, k_bloch_per_nm=k_bloch, poles=poles, n_harmonics=n_next)
        if new is None:
            return Ladder(poles=tuple(poles), n_harmonics=n, tried=tuple(tried), converged=False,
                          reason=f"lost a pole at {n_next} harmonics")
        d_lam = max(abs(a.wavelength_nm - b.wavelength_nm) for a, b in zip(poles, new))
        d_q = max((abs(a.q - b.q) / b.q if math.isfinite(b.q) else 0.0) for a, b in zip(poles, new))
        poles, n = new, n_next
        tried.append(n)
        if progress:
            progress(f"N = {n}: " + _poles_line(poles) + f" (moved {d_lam:.2g} nm, Q {d_q:.2g})")
        if d_lam < s.wavelength_tol_nm and d_q < s.q_relative_tol:
            return Ladder(poles=tuple(poles), n_harmonics=n, tried=tuple(tried), converged=True,
                          reason=f"edges moved {d_lam:.2g} nm, Q {d_q:.2g} from {tried[-2]} to {n}",
                          edge_change_nm=d_lam, q_change_relative=d_q)


def _fano(cell, radiating: Pole, n_harmonics: int, points: int = 25) -> tuple[Pole, float]:
    """Fano fit of the normal-incidence r(lambda) over +-3 linewidths of the radiating pole."""
    width = max(radiating.lam.imag, 0.01)
    lam = np.linspace(radiating.wavelength_nm - 3 * width, radiating.wavelength_nm + 3 * width, points)
    refl = reflection(cell=cell, wavelength_nm=lam, n_harmonics=n_harmonics)
    return fano_fit(wavelength_nm=lam, r=refl.r, centre_nm=radiating.wavelength_nm, scale_nm=width)


def simulate_dfb_rcwa(*, stack: Stack, grating: DfbGrating, settings: RcwaSettings = RcwaSettings(),
                      progress: Callable[[str], None] | None = None) -> DfbSolverResult:
    """RCWA unit cell of ``grating`` under ``stack``; see the module docstring and ``RcwaSettings``. The edges are
    looked for within +-2 % (>= 6 nm) of the Bragg centre; n_periods / quarter_wave_shift only enter kappa L and
    the threshold."""
    t0 = time.perf_counter()
    g, s = grating, settings
    warnings: list[str] = []
    window = tuple(s.window_nm) if s.window_nm else stack_gain_window(stack=stack).window_nm
    res = DfbSolverResult(model="rcwa", status="no_resonance", stack=stack.name, period_nm=float(g.period_nm),
                          duty_cycle=float(g.duty_cycle), order=int(g.order), n_periods=int(g.n_periods),
                          quarter_wave_shift=bool(g.quarter_wave_shift), length_um=g.length_um,
                          q_short_resolved=True, q_long_resolved=True,  # a pole search resolves any Q (inf: lossless)
                          details=RcwaDetails(rcwa_library=f"meent {version('meent')}"))
    try:
        centre = bragg_centre(stack=stack, period_nm=g.period_nm, duty_cycle=g.duty_cycle, order=g.order,
                              window_nm=window)
    except ValueError as err:
        return _done(res, status="no_resonance", warnings=warnings + [str(err)], t0=t0)
    if len(centre.roots_nm) > 1:
        warnings.append("the Bragg condition has several roots in the window (" + ", ".join(
            f"{r:.2f}" for r in centre.roots_nm) + " nm): the longest is used")
    cell = grating_cell(stack=stack, period_nm=g.period_nm, duty_cycle=g.duty_cycle)
    ladder = _edges(cell=cell, grating=g, centre_nm=centre.wavelength_nm, settings=s, warnings=warnings,
                    progress=progress)
    res = _set(res, converged=ladder.converged, convergence_reason=ladder.reason, n_harmonics=ladder.n_harmonics,
               harmonics_tried=", ".join(map(str, ladder.tried)), edge_change_nm=ladder.edge_change_nm,
               q_change_relative=ladder.q_change_relative,
               bragg_wavelength_nm=centre.wavelength_nm if g.order == 2 else math.nan)
    poles = ladder.poles
    if len(poles) < 2:
        warnings.append("only one band edge found near the Bragg wavelength" if poles else
                        "no band edge found near the Bragg wavelength")
        if poles:
            res = _set(res, edge_short_nm=poles[0].wavelength_nm, q_short=poles[0].q)
        return _done(res, status="one_edge" if poles else "no_resonance", warnings=warnings, t0=t0)
    res = _two_edges(res, stack=stack, grating=g, centre=centre, cell=cell, ladder=ladder, warnings=warnings)
    return _done(res, status="ok", warnings=warnings, t0=t0)


_DETAILS = frozenset(f.name for f in fields(RcwaDetails))


def _set(result: DfbSolverResult, **values) -> DfbSolverResult:
    """``result`` with ``values`` set: shared fields on the record, RCWA-only ones on its ``RcwaDetails``."""
    own = {k: v for k, v in values.items() if k in _DETAILS}
    shared = {k: v for k, v in values.items() if k not in _DETAILS}
    return replace(result, **shared, details=replace(result.details, **own) if own else result.details)


def _with(result: DfbSolverResult, part) -> DfbSolverResult:
    """``result`` with every field of the record ``part`` (``FanoCheck``, ``BandNumbers``: the result's own field
    names, shared or ``RcwaDetails``)."""
    return _set(result, **{f.name: getattr(part, f.name) for f in fields(part)})


def _done(result: DfbSolverResult, *, status: str, warnings: list[str], t0: float) -> DfbSolverResult:
    return replace(result, status=status, wall_time_s=time.perf_counter() - t0, warnings=tuple(warnings))


def _edges(*, cell, grating: DfbGrating, centre_nm: float, settings: RcwaSettings, warnings: list[str],
           progress) -> Ladder:
    """The harmonics ladder's band edges near ``centre_nm``; a ladder that did not converge goes to ``warnings``."""
    s, g = settings, grating
    half = max(EDGE_WINDOW_FRACTION * centre_nm, EDGE_WINDOW_MIN_NM)
    ladder = _ladder(cell=cell, k_bloch=bragg_k_per_nm(period_nm=g.period_nm, order=g.order),
                     window=(centre_nm - half, centre_nm + half), settings=s, progress=progress)
    if not ladder.converged and ladder.poles and s.converge:
        warnings.append(ladder.reason)
    return ladder


def _two_edges(result: DfbSolverResult, *, stack: Stack, grating: DfbGrating, centre: BraggCentre, cell,
               ladder: Ladder, warnings: list[str]) -> DfbSolverResult:
    """``result`` with two band edges: the radiating one from the Fano fit (2nd order), the couplings, threshold."""
    g = grating
    short, long_ = ladder.poles
    if g.order == 2:
        short, long_, fano = _radiating_from_fano(cell, short, long_, ladder.n_harmonics, warnings)
        result = _with(result, fano)
    confinement = _confinement(stack=stack, duty_cycle=g.duty_cycle, wavelength_nm=centre.wavelength_nm)
    numbers = band_numbers(centre=centre, grating=g, short=short, long_=long_, confinement=confinement)
    result = _set(result, confinement_power=confinement, confinement_model="analytic",
                  edge_short_nm=short.wavelength_nm, edge_long_nm=long_.wavelength_nm, q_short=short.q, q_long=long_.q,
                  modal_loss_per_cm=centre.modal_loss_per_cm)
    return _with(result, numbers)


@dataclass(frozen=True)
class FanoCheck:
    """2nd order: the radiating edge from the Fano fit of r(lambda) (nm, Q, relative rms misfit) and from the pole
    search (nm, Q)."""

    fano_wavelength_nm: float
    fano_q: float
    fano_misfit: float
    pole_search_radiating_nm: float
    pole_search_radiating_q: float


def _radiating_from_fano(cell, short: Pole, long_: Pole, n: int,
                         warnings: list[str]) -> tuple[Pole, Pole, FanoCheck]:
    """2nd order: the radiating (lower-Q) edge from the Fano fit of r(lambda) when it agrees with the pole search."""
    radiating = short if short.q < long_.q else long_
    fano, misfit = _fano(cell, radiating, n)
    check = FanoCheck(fano_wavelength_nm=fano.wavelength_nm, fano_q=fano.q, fano_misfit=misfit,
                      pole_search_radiating_nm=radiating.wavelength_nm, pole_search_radiating_q=radiating.q)
    if misfit < 1e-3 and abs(fano.lam - radiating.lam) < 0.05 * max(radiating.lam.imag, 0.01):
        return ((fano, long_) if radiating is short else (short, fano)) + (check,)
    warnings.append(f"the Fano fit of the radiating edge disagrees with the pole search (misfit {misfit:.2g}, "
                    f"{fano.wavelength_nm:.4f} vs {radiating.wavelength_nm:.4f} nm): pole search kept")
    return short, long_, check
