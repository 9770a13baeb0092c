"""Analytic circular resonators under a stack: effective-index method + exact 2D concentric-ring poles, solved
self-consistently with the stack's dispersion.

The grating level is replaced by the slab effective indices of the stack with teeth (n_high) and with fill (n_low),
both functions of wavelength (``models.dispersion.dispersion``, regions 'tooth' and 'gap'); the cell's radii (from the layout
component's info) define a 2D concentric-ring problem solved exactly (``wgm_analytic``; the slab TE mode has E in
the plane, so the 2D field is H_z). Every reported resonance satisfies its resonance condition with n_high, n_low
evaluated at its own wavelength (``models.circular.circular_resonance``; residual reported) and lies in the stack's gain
window (``models.spectral_gain.stack_window.stack_gain_window``), optionally narrowed to +-window_rel around a target.

Q: 1/Q = 1/Q_rad + 1/Q_abs. Q_abs = 2 pi n_g / (lambda alpha) with the mode's dispersive group index n_g and the
slab modal loss alpha of the mode's region (teeth for rings/disks, duty-averaged for circular gratings); Q_rad is
the 2D pole's Q x n_g / n_g,frozen (the pole sees indices frozen at its wavelength; the dispersive material stores
more energy per radiated power by that ratio: the spatial radiation loss 2 pi n_g,frozen / (lambda Q_pole) is
kept). Not modelled: vertical radiation of 2nd-order circular gratings and substrate leakage (Q is an upper bound).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from perocav.fdtd.models.gain import cavity_q
from perocav.fdtd.models.dfb.bragg import NoResonanceError
from perocav.fdtd.models.circular.circular_mode import CircularMode
from perocav.fdtd.models.circular.circular_resonance import (RingProblem, SelfConsistentResonance, polish_with_slab_solves,
                                                    self_consistent_resonances)
from perocav.fdtd.models.dispersion.dispersion import blended_group_index, neff_dispersion, region_stack
from perocav.fdtd.models.dispersion.region_loss import N_POINTS, region_loss
from perocav.fdtd.models.slab.slab_modes import solve_slab_mode
from perocav.fdtd.models.spectral_gain.stack_window import stack_gain_window
from perocav.pdk.errors import InputError
from perocav.pdk.stack import Stack

#: resonances re-checked (and polished) with direct slab solves: the best few by Q
N_CHECKED = 3


@dataclass(frozen=True)
class CircularAnalytic:
    """Modes found in the window, the chosen (highest-Q) mode, and the slab quantities at the chosen mode's
    wavelength; window_nm: where modes were searched (inside the gain window)."""

    neff_high: float
    neff_low: float
    group_index: float
    confinement: float
    confinement_power: float
    modal_loss_per_cm: float
    modes: tuple[CircularMode, ...]
    best: CircularMode | None
    window_nm: tuple[float, float] = (math.nan, math.nan)
    residual_nm: float = math.nan  # the best mode's, with direct slab solves
    passes: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


def grating_effective_indices(*, stack: Stack, wavelength_nm: float) -> tuple[float, float, float, float, float, float]:
    """(n_high, n_low, n_g of the high region, Gamma field, Gamma power, alpha [1/cm]) of a stack's grating level
    at ``wavelength_nm`` (n from the shared dispersion tables, n_g = n - lambda dn/dlambda of the same curve)."""
    tooth, gap = neff_dispersion(stack=stack, region="tooth"), neff_dispersion(stack=stack, region="gap")
    mh = solve_slab_mode(profile=region_stack(stack=stack, region="tooth").index_profile(wavelength_nm=wavelength_nm))
    gain = stack.gain_layer
    gam = mh.confinement.get(gain, float("nan")) if gain else float("nan")
    gam_p = mh.confinement_power.get(gain, float("nan")) if gain else float("nan")
    return (tooth.neff(wavelength_nm=wavelength_nm), gap.neff(wavelength_nm=wavelength_nm),
            tooth.group_index(wavelength_nm=wavelength_nm), gam, gam_p, mh.loss_per_cm)


def radii_from_component(component) -> tuple[list[float], list[bool]]:
    """Interfaces (um, increasing) and, per region from the centre outwards, whether it is high-index (GRATING),
    read from a circular cell's ``info`` (disk_resonator, ring_resonator, circular_grating)."""
    info = component.info
    if "ring_inner_radius_nm" in info:  # circular grating
        radii, high = [], [False]
        if info["disk_radius_nm"] > 0:
            radii, high = [info["disk_radius_nm"] / 1000], [True, False]
        for ri, ro in zip(info["ring_inner_radius_nm"], info["ring_outer_radius_nm"]):
            radii += [ri / 1000, ro / 1000]
            high += [True, False]
        return radii, high
    if "inner_radius_nm" in info:  # ring
        return [info["inner_radius_nm"] / 1000, info["outer_radius_nm"] / 1000], [False, True, False]
    if "radius_nm" in info:  # disk
        return [info["radius_nm"] / 1000], [True, False]
    raise InputError("not a circular cell", field="cavity", allowed="disk_resonator, ring_resonator, circular_grating")


def search_window_nm(*, stack: Stack, wavelength_nm: float | None = None,
                     window_rel: float | None = None) -> tuple[float, float]:
    """The stack's gain window, narrowed to wavelength_nm (default: the emission) +- window_rel when given."""
    lo, hi = stack_gain_window(stack=stack).window_nm
    if window_rel is not None:
        c = float(wavelength_nm or stack.emission_wavelength_nm or 0.5 * (lo + hi))
        lo, hi = max(lo, c * (1 - window_rel)), min(hi, c * (1 + window_rel))
        if not lo < hi:
            g = stack_gain_window(stack=stack).window_nm
            raise NoResonanceError(f"{c:g} nm +- {window_rel:g} misses the gain window {g[0]:g}-{g[1]:g} nm of "
                                   f"{stack.name!r}", field="window_rel",
                                   allowed=f"a window overlapping {g[0]:g}-{g[1]:g} nm")
    return lo, hi


def mode_region(component) -> tuple[str, float | None, float]:
    """(slab region, duty, weight of n_high) of the region the mode lives in: the teeth for rings and disks (the
    WGM rides the high-index feature), the duty-averaged level for circular gratings."""
    info = component.info
    if "ring_inner_radius_nm" in info:
        duty = float(info["duty_cycle"])
        return "average", duty, duty
    return "tooth", None, 1.0


def default_m_values(*, radii_um: list[float], n_high_max: float, window_nm: tuple[float, float]) -> list[int]:
    """Circular gratings: m = 0, 1, 2 (band-edge modes at the centre). Rings/disks: the fundamental radial WGMs sit
    at m ~ (0.6..1) 2 pi R n_high / lambda (their field peaks inside the edge), over the whole window."""
    if len(radii_um) > 2:
        return [0, 1, 2]
    r = radii_um[-1]
    m_hi = int(round(2 * math.pi * r * n_high_max / (window_nm[0] / 1000)))
    return list(range(max(0, int(0.6 * 2 * math.pi * r * n_high_max / (window_nm[1] / 1000)) - 1), m_hi + 2))


#: largest spacing [nm] of the loss / frozen-n_g samples across the window (the 55 nm window of old had 9 nm)
LOSS_STEP_NM = 9.0
#: real-axis scan points per nm of the search window (up to 3 orders; half for more)
SCAN_PER_NM = 14.0


def _n_scan(window: tuple[float, float], few: bool) -> int:
    n = max(300, int(math.ceil(SCAN_PER_NM * (window[1] - window[0]))))
    return n if few else n // 2


def analyze_circular_on_stack(*, stack: Stack, component, m_values: list[int] | None = None,
                              wavelength_nm: float | None = None, window_rel: float | None = None,
                              n_scan: int | None = None) -> CircularAnalytic:
    """Self-consistent resonances of a circular cell under ``stack`` inside its gain window (narrowed to
    ``wavelength_nm`` (default: the emission) +- ``window_rel`` when given). No resonance there: NoResonanceError.
    n_scan: real-axis scan points per order (default ``SCAN_PER_NM`` points per nm of the window, at least 300 for
    up to 3 orders, else half of both: the density the 22 nm CsPbBr3 window had before the window became the
    spectrum's, so the wider windows miss no narrow pole). Self-consistent solves
    grow from the 3 highest-Q poles of each order (circular gratings) or the highest-Q one (rings, disks: many
    orders); the N_CHECKED best are re-checked with direct slab solves."""
    window = search_window_nm(stack=stack, wavelength_nm=wavelength_nm, window_rel=window_rel)
    tooth, gap = neff_dispersion(stack=stack, region="tooth"), neff_dispersion(stack=stack, region="gap")
    radii, high = radii_from_component(component)
    region, duty, w = mode_region(component)
    if m_values is None:
        m_values = default_m_values(radii_um=radii, n_high_max=float(max(tooth.neff(wavelength_nm=window[0]),
                                                                         tooth.neff(wavelength_nm=window[1]))),
                                    window_nm=window)
    few = len(m_values) <= 3  # circular gratings: up to 3 poles per order; rings/disks: the best of each order
    problem = RingProblem(radii_um=tuple(radii), high=tuple(high), tooth=tooth, gap=gap, weight_high=w)
    found = self_consistent_resonances(problem=problem, m_values=m_values, window_nm=window,
                                       n_scan=n_scan or _n_scan(window, few), per_m=3 if few else 1)
    if not found:
        raise NoResonanceError(f"no resonance of m = {_span(m_values)} in {window[0]:g}-{window[1]:g} nm "
                               f"(the gain window of {stack.name!r}) for this cell", field="cavity",
                               allowed="a cell with a confined mode in the gain window (change radius/period)")
    loss = region_loss(stack=stack, region=region, window_nm=window, duty_cycle=duty,
                       n_points=max(N_POINTS, int(math.ceil((window[1] - window[0]) / LOSS_STEP_NM)) + 1))
    modes = [_mode(r, problem=problem, loss=loss) for r in found]
    by_q = sorted(range(len(modes)), key=lambda i: -modes[i].q)
    for i in by_q[:N_CHECKED]:
        r = polish_with_slab_solves(resonance=found[i], stack=stack, problem=problem)
        modes[i] = _mode(r, problem=problem, loss=loss)
    best = max(modes, key=lambda md: md.q)
    mode = solve_slab_mode(profile=region_stack(stack=stack, region=region, duty_cycle=duty).index_profile(
        wavelength_nm=best.wavelength_nm))
    gain = stack.gain_layer
    return CircularAnalytic(
        neff_high=best.neff_high, neff_low=best.neff_low, group_index=best.group_index,
        confinement=mode.confinement.get(gain, math.nan) if gain else math.nan,
        confinement_power=mode.confinement_power.get(gain, math.nan) if gain else math.nan,
        modal_loss_per_cm=mode.loss_per_cm, modes=tuple(sorted(modes, key=lambda md: md.wavelength_nm)), best=best,
        window_nm=window, residual_nm=best.residual_nm, passes=best.passes)


def _span(ms: list[int]) -> str:
    return f"{min(ms)}..{max(ms)}" if len(ms) > 3 else ", ".join(map(str, ms))


def _mode(r: SelfConsistentResonance, *, problem: RingProblem, loss) -> CircularMode:
    lam = r.wavelength_nm
    n_g = float(blended_group_index(tooth=problem.tooth, gap=problem.gap, weight_high=problem.weight_high,
                                    wavelength_nm=lam))
    alpha = float(loss.alpha(wavelength_nm=lam))
    q_abs = cavity_q(wavelength_nm=lam, modal_gain_per_cm=alpha, group_index=n_g)
    q_rad = r.q_radiation * n_g / float(loss.frozen_group_index(wavelength_nm=lam))
    q = 1.0 / (1.0 / q_rad + (0.0 if math.isinf(q_abs) else 1.0 / q_abs))
    return CircularMode(m=r.m, wavelength_nm=lam, q_radiation=q_rad, q_absorption=q_abs, q=q,
                        q_radiation_frozen=r.q_radiation, neff_high=r.neff_high, neff_low=r.neff_low,
                        group_index=n_g, residual_nm=r.residual_nm, passes=r.passes, checked=r.checked)

