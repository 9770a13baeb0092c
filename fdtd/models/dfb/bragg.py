"""The Bragg condition of a grating on a dispersive stack, solved (not iterated):

    lambda = (2 / m) n_avg(lambda) Lambda,   n_avg = D n_tooth(lambda) + (1 - D) n_gap(lambda)

with n_tooth, n_gap the slab-solver dispersion of the two regions (``dispersion``). Fixed-point iteration on it
diverges when |(2/m) Lambda dn_avg/dlambda| > 1 (about 1.4 on the transparent MAPbI3 stack); here the roots of the
piecewise-cubic residual are found exactly on the n_eff splines inside the gain window (a result of the material
spectrum, or the user's filter: ``models.spectral_gain.stack_window``), then re-checked (and polished if needed)
with direct slab solves at the answer. No root in the window is "no lasing" (an error with the reason); of several
the spectrum picks one (``favoured_root``: the gain reaches the loss floor there at the lowest density) and says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.interpolate import PPoly

from perocav.fdtd.models.dispersion.dispersion import NeffDispersion, blended_group_index, neff_dispersion, region_stack
from perocav.fdtd.models.slab.slab_modes import solve_slab_neff
from perocav.fdtd.models.spectral_gain.stack_window import GainWindow, favoured_root, resolve_gain_window
from perocav.pdk.errors import InputError
from perocav.pdk.stack import Stack

#: the Bragg condition must hold to this (nm) at the reported wavelength, re-evaluated with direct slab solves
BRAGG_TOL_NM = 0.01


class NoResonanceError(InputError):
    """A resonance condition has no root in the gain window (or several and no spectrum to choose)."""


@dataclass(frozen=True)
class BraggSolution:
    """Self-consistent Bragg point: wavelength (nm), the regions' n_eff and the mode group index there."""

    wavelength_nm: float
    n_avg: float
    neff_tooth: float
    neff_gap: float
    group_index: float  # D n_g,tooth + (1 - D) n_g,gap: n_g of the grating's average index
    residual_nm: float  # lambda - 2 n_avg Lambda / m with direct slab solves at the answer (NaN: not checked)
    passes: int  # Newton polishing steps with direct solves after the spline root (0: none needed)
    window_nm: tuple[float, float]
    #: how the root was chosen among several in the window ("" when it is the only one)
    note: str = ""
    #: the window's reason (``GainWindow.reason``)
    window_reason: str = ""


def grating_tables(*, stack: Stack, window_nm: tuple[float, float] | None = None
                   ) -> tuple[NeffDispersion, NeffDispersion]:
    """(tooth, gap) n_eff tables of the stack's grating regions over its gain window (or ``window_nm``)."""
    return (neff_dispersion(stack=stack, region="tooth", window_nm=window_nm),
            neff_dispersion(stack=stack, region="gap", window_nm=window_nm))


def bragg_roots_nm(*, tooth: NeffDispersion, gap: NeffDispersion, period_nm: float, duty_cycle: float, order: int,
                   window_nm: tuple[float, float]) -> np.ndarray:
    """Every root (nm) of n_avg(lambda) - m lambda / (2 Lambda) inside ``window_nm``, exact on the splines."""
    if tooth.wavelength_nm != gap.wavelength_nm:
        raise ValueError("tooth and gap tables need the same wavelength grid")
    st, sg = tooth._spline(), gap._spline()
    a = 2.0 * period_nm / order
    c = duty_cycle * st.c + (1.0 - duty_cycle) * sg.c
    x = st.x
    c[2] -= 1.0 / a  # coefficient of (lambda - x_i)^1
    c[3] -= x[:-1] / a  # constant term: x_i / a
    roots = PPoly(c, x).roots(extrapolate=False)
    roots = np.unique(np.round(roots[np.isfinite(roots)], 9))
    return roots[(roots >= window_nm[0]) & (roots <= window_nm[1])]


def _no_root(*, stack: Stack, tooth, gap, period_nm: float, duty_cycle: float, order: int,
             window: GainWindow) -> NoResonanceError:
    """'no lasing' with the window's reason, the roots outside it and the periods whose root lies inside."""
    lo, hi = window.window_nm
    n_lo = duty_cycle * tooth.neff(wavelength_nm=lo) + (1 - duty_cycle) * gap.neff(wavelength_nm=lo)
    n_hi = duty_cycle * tooth.neff(wavelength_nm=hi) + (1 - duty_cycle) * gap.neff(wavelength_nm=hi)
    p_lo, p_hi = order * lo / (2 * n_lo), order * hi / (2 * n_hi)
    outside = _outside(tooth, gap, period_nm=period_nm, duty_cycle=duty_cycle, order=order)
    allowed = f"{min(p_lo, p_hi):.1f}-{max(p_lo, p_hi):.1f} nm at order {order}, duty {duty_cycle:g}"
    return NoResonanceError(f"no lasing: no Bragg root of {stack.name!r} in the {window.reason}{outside}",
                            field="period_nm", allowed=allowed)


def _outside(tooth, gap, *, period_nm, duty_cycle, order) -> str:
    """The roots on the whole table range (outside the window), for the error."""
    every = bragg_roots_nm(tooth=tooth, gap=gap, period_nm=period_nm, duty_cycle=duty_cycle, order=order,
                           window_nm=(tooth.wavelength_nm[0], tooth.wavelength_nm[-1]))
    return f" (Bragg roots outside it: {', '.join(f'{r:.2f}' for r in every)} nm)" if len(every) else ""


def solve_bragg(*, stack: Stack, period_nm: float, duty_cycle: float, order: int,
                window_nm: tuple[float, float] | GainWindow | None = None, check: bool = True) -> BraggSolution:
    """The Bragg wavelength of a grating (``period_nm``, ``duty_cycle``, ``order``) on ``stack`` inside its gain
    window (``window_nm``: a ``GainWindow``, (low, high) nm, or None for the stack's), the spectrum's choice among
    several; ``check``: re-evaluate with direct slab solves and polish to ``BRAGG_TOL_NM``."""
    if not 0 < duty_cycle < 1:
        raise InputError(f"{duty_cycle} is outside (0, 1)", field="duty_cycle", allowed="0 < duty_cycle < 1")
    window = resolve_gain_window(stack=stack, window_nm=window_nm)
    tooth, gap = grating_tables(stack=stack, window_nm=window.window_nm)
    roots = bragg_roots_nm(tooth=tooth, gap=gap, period_nm=period_nm, duty_cycle=duty_cycle, order=order,
                           window_nm=window.window_nm)
    if len(roots) == 0:
        raise _no_root(stack=stack, tooth=tooth, gap=gap, period_nm=period_nm, duty_cycle=duty_cycle, order=order,
                       window=window)
    pick, note = favoured_root(window=window, roots_nm=roots)
    lam = float(roots[pick])
    n_t, n_g = tooth.neff(wavelength_nm=lam), gap.neff(wavelength_nm=lam)
    residual, passes = math.nan, 0
    if check:
        lam, n_t, n_g, residual, passes = _polish(stack=stack, lam=lam, period_nm=period_nm, duty=duty_cycle,
                                                  order=order, tooth=tooth, gap=gap)
    d = duty_cycle
    ng = blended_group_index(tooth=tooth, gap=gap, weight_high=d, wavelength_nm=lam)
    return BraggSolution(wavelength_nm=lam, n_avg=d * n_t + (1 - d) * n_g, neff_tooth=n_t, neff_gap=n_g,
                         group_index=float(ng), residual_nm=residual, passes=passes, window_nm=window.window_nm,
                         note=note, window_reason=window.reason)


def direct_region_neff(*, stack: Stack, region: str, wavelength_nm: float, duty_cycle: float | None = None) -> float:
    """Re(n_eff) of a region straight from the slab solver (no table)."""
    reg = region_stack(stack=stack, region=region, duty_cycle=duty_cycle)
    return solve_slab_neff(profile=reg.index_profile(wavelength_nm=wavelength_nm)).real


def _polish(*, stack, lam, period_nm, duty, order, tooth, gap, max_passes: int = 6):
    """Residual of the Bragg condition with direct solves; Newton steps (spline slope) only while it exceeds
    BRAGG_TOL_NM (with 1 nm tables it does not: the spline root is the answer, as in a vectorised screen)."""
    a = 2.0 * period_nm / order
    for passes in range(max_passes + 1):
        n_t = direct_region_neff(stack=stack, region="tooth", wavelength_nm=lam)
        n_g = direct_region_neff(stack=stack, region="gap", wavelength_nm=lam)
        residual = lam - a * (duty * n_t + (1 - duty) * n_g)
        if abs(residual) < BRAGG_TOL_NM or passes == max_passes:
            return lam, n_t, n_g, residual, passes
        slope = duty * tooth.dneff_dlambda_per_nm(wavelength_nm=lam) + (1 - duty) * gap.dneff_dlambda_per_nm(
            wavelength_nm=lam)
        lam = lam - residual / (1.0 - a * slope)
    return lam, n_t, n_g, residual, max_passes
