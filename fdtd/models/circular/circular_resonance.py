"""Self-consistent resonances of concentric-ring cavities (disk, ring, circular DFB) on a dispersive stack.

Effective-index picture: regions with teeth have n_high(lambda), regions with fill n_low(lambda) (TE0 slab n_eff of
the stack's 'tooth' and 'gap' regions, ``dispersion.neff_dispersion``); the 2D concentric-ring problem is solved
exactly (``wgm_analytic``, H_z). A resonance is self-consistent when the pole found with the indices evaluated AT
its own wavelength lies at that wavelength:

    g(lambda0) = lambda_res(n_high(lambda0), n_low(lambda0)) - lambda0 = 0.

Seeds come from a real-axis scan of the resonance condition with dispersive indices (the indices follow the scan
wavelength, so the dips already sit near the self-consistent roots); each seed is then solved by a secant on g,
tracking its own pole (complex secant restarted from the previous pole; the first step uses the slope
lambda dn/dlambda / n of the tables, so it also converges where the fixed-point map lambda0 -> lambda_res diverges,
as on CsPbBr3). All seeds are solved at once (vectorised over m and seed). Units: nm, 1/um for frequencies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np

from perocav.fdtd.models.dfb.bragg import NoResonanceError, direct_region_neff
from perocav.fdtd.models.dispersion.dispersion import NeffDispersion
from perocav.fdtd.models.circular.wgm_analytic import characteristic
from perocav.pdk.stack import Stack
from perocav.pdk.units import NM_PER_UM

#: the resonance condition must hold to this (nm) at a reported wavelength
RESONANCE_TOL_NM = 0.01


@dataclass(frozen=True)
class SelfConsistentResonance:
    """One self-consistent pole: azimuthal order, wavelength [nm], complex frequency [1/um] with the indices at
    that wavelength, radiation Q, those indices, the residual g [nm], the secant passes, and whether the residual
    was re-evaluated with direct slab solves (True) or on the n_eff tables (False)."""

    m: int
    wavelength_nm: float
    freq: complex
    q_radiation: float
    neff_high: float
    neff_low: float
    residual_nm: float
    passes: int
    checked: bool


@dataclass(frozen=True)
class RingProblem:
    """A concentric-ring cavity in the effective-index picture: interfaces radii_um (um, increasing), per region from
    the centre outwards whether it has teeth (``high``: index ``tooth``, else ``gap``), and the weight of n_high in
    the index the mode sees (1 for rings and disks: the teeth; the duty cycle for circular gratings)."""

    radii_um: tuple[float, ...]
    high: tuple[bool, ...]
    tooth: NeffDispersion
    gap: NeffDispersion
    weight_high: float

    def slope(self, lam):
        """lambda d n/d lambda / n of the weighted index at ``lam`` [nm]: the g-slope estimate of a secant."""
        return _slope(self.tooth, self.gap, lam, self.weight_high)


def region_indices(*, high: Sequence[bool], n_high, n_low) -> list:
    """Per-region indices (centre outwards) from the high/low flags; n_high, n_low may be arrays."""
    return [n_high if h else n_low for h in high]


def _chars(freq, m, radii_um, high, n_high, n_low, kind="ratio"):
    return characteristic(freq=freq, m=m, radii_um=radii_um, indices=region_indices(high=high, n_high=n_high,
                                                                                   n_low=n_low), pol="Hz", kind=kind)


def scan_seeds_nm(*, m_values: Sequence[int], radii_um: Sequence[float], high: Sequence[bool],
                  tooth: NeffDispersion, gap: NeffDispersion, window_nm: tuple[float, float],
                  n_scan: int) -> tuple[np.ndarray, np.ndarray]:
    """(m, wavelength_nm) seeds: dips of the pole-free mismatch and extrema of |a/b| on the real axis, with the
    indices of the scan wavelength (all m at once)."""
    f = np.linspace(NM_PER_UM / window_nm[1], NM_PER_UM / window_nm[0], n_scan)
    lam = NM_PER_UM / f
    nh, nl = tooth.neff(wavelength_nm=lam), gap.neff(wavelength_nm=lam)
    ms = np.asarray(m_values, dtype=float)[:, None]
    ff = np.broadcast_to(f, (len(ms), n_scan))
    ratio, mis = np.abs(_chars(ff, ms, radii_um, high, nh[None, :], nl[None, :], kind="both"))
    dip = (mis[:, 1:-1] < mis[:, :-2]) & (mis[:, 1:-1] <= mis[:, 2:])
    ext = (ratio[:, 1:-1] - ratio[:, :-2]) * (ratio[:, 2:] - ratio[:, 1:-1]) < 0
    im, ii = np.nonzero(dip | ext)
    return np.asarray(m_values)[im], lam[ii + 1]


def _poles(f0, m, radii_um, high, nh, nl, tol: float = 1e-13, max_iter: int = 60) -> np.ndarray:
    """Poles (1/um) refined from ``f0`` by complex secant with fixed per-element m and indices (only unconverged
    elements are re-evaluated); NaN where lost."""
    m, nh, nl = (np.broadcast_to(np.asarray(a, dtype=float), np.shape(f0)) for a in (m, nh, nl))

    def func(z, i):
        return _chars(z, m[i], radii_um, high, nh[i], nl[i])

    x1 = np.asarray(f0, dtype=complex).copy()
    x0 = x1 * (1 + 1e-5) - 1e-6j * np.abs(x1)
    idx = np.arange(x1.size)
    y0, y1 = func(x0, idx), func(x1, idx)
    act = idx
    for _ in range(max_iter):
        with np.errstate(all="ignore"):
            step = y1 * (x1[act] - x0[act]) / (y1 - y0)
        new = x1[act] - np.where(np.isfinite(step), step, 0)
        bad = ~np.isfinite(new) | (new.real <= 0)
        x0[act], x1[act] = x1[act], np.where(bad, np.nan, new)
        keep = ~bad & (np.abs(step) > tol * np.abs(new))
        act, y0 = act[keep], y1[keep]
        if act.size == 0:
            break
        y1 = func(x1[act], act)
    return x1


def _slope(tooth, gap, lam, weight_high):
    """lambda d n/d lambda / n of the weighted index: the g-slope estimate for the first secant step."""
    n = weight_high * tooth.neff(wavelength_nm=lam) + (1 - weight_high) * gap.neff(wavelength_nm=lam)
    dn = (weight_high * tooth.dneff_dlambda_per_nm(wavelength_nm=lam)
          + (1 - weight_high) * gap.dneff_dlambda_per_nm(wavelength_nm=lam))
    return lam * dn / n


def solve_self_consistent(*, problem: RingProblem, m: np.ndarray, seeds_nm: np.ndarray, f0: np.ndarray | None = None,
                          tol_nm: float = 1e-4, max_passes: int = 15):
    """Secant on g(lambda0) for every seed at once, each tracking its pole. Returns (lambda0 [nm], pole [1/um],
    residual g [nm], passes); lambda0 NaN where the pole was lost or the secant left the tables. f0: starting
    poles (default: on the real axis at the seeds)."""
    radii_um, high, tooth, gap = problem.radii_um, problem.high, problem.tooth, problem.gap
    lo, hi = tooth.range_nm
    lam0 = np.asarray(seeds_nm, dtype=float).copy()
    f = (NM_PER_UM / lam0) * (1 - 1e-4j) if f0 is None else np.asarray(f0, dtype=complex).copy()
    prev_l = prev_g = None
    g = np.full(lam0.shape, np.inf)
    passes = np.zeros(lam0.shape, int)
    active = np.ones(lam0.shape, bool)
    for _ in range(max_passes):
        i = np.nonzero(active)[0]
        f[i] = _poles(f[i], m[i], radii_um, high, tooth.neff(wavelength_nm=lam0[i]), gap.neff(wavelength_nm=lam0[i]))
        with np.errstate(invalid="ignore"):
            g = np.where(active, NM_PER_UM / f.real - lam0, g)
        passes += active
        lost = active & ~np.isfinite(g)
        active &= ~lost & (np.abs(g) > tol_nm)
        lam0 = np.where(lost, np.nan, lam0)
        if not active.any():
            break
        if prev_l is None:
            step = g / (1.0 - problem.slope(lam0))
        else:
            with np.errstate(all="ignore"):
                step = -g * (lam0 - prev_l) / (g - prev_g)
            step = np.where(np.isfinite(step), step, g / (1.0 - problem.slope(lam0)))
        step = np.clip(step, -5.0, 5.0)
        prev_l, prev_g = lam0.copy(), g.copy()
        new = np.where(active, lam0 + step, lam0)
        out = (new < lo) | (new > hi)
        lam0 = np.where(active & out, np.nan, new)
        active &= ~out
    lam0 = np.where(np.abs(g) <= tol_nm, lam0, np.nan)
    return lam0, f, g, passes


def _q(f: complex) -> float:
    """Radiation Q of a pole; inf when Im f is at round-off level (or >= 0)."""
    return float(f.real / (-2 * f.imag)) if f.imag < -1e-14 * abs(f) else math.inf


def _true_pole(f, m, radii_um, high, nh, nl) -> bool:
    return (np.isfinite(f) and f.imag < 0 and
            abs(_chars(complex(f), m, radii_um, high, nh, nl, kind="mismatch")) < 1e-6)


def _candidates(ms, seeds, radii_um, high, tooth, gap, window_nm, per_m: int):
    """Poles with the indices of their seed's wavelength; the ``per_m`` highest-Q distinct ones of each m near the
    window (the ones worth solving self-consistently). Returns (m, seed wavelength, pole)."""
    nh, nl = tooth.neff(wavelength_nm=seeds), gap.neff(wavelength_nm=seeds)
    f = _poles(NM_PER_UM / seeds * (1 - 1e-4j), ms, radii_um, high, nh, nl, tol=1e-10, max_iter=30)
    margin = 0.25 * (window_nm[1] - window_nm[0])
    with np.errstate(invalid="ignore"):
        lam = NM_PER_UM / f.real
        ok = np.isfinite(f) & (f.imag < 0) & (lam > window_nm[0] - margin) & (lam < window_nm[1] + margin)
        ok[ok] = np.abs(_chars(f[ok], ms[ok], radii_um, high, nh[ok], nl[ok], kind="mismatch")) < 1e-6  # true roots
    keep: list[int] = []
    for m in np.unique(ms):
        picked: list[int] = []
        for i in sorted(np.nonzero(ok & (ms == m))[0], key=lambda i: -f[i].imag / f[i].real):  # highest Q first
            if len(picked) < per_m and all(abs(f[i] - f[j]) > 1e-7 * abs(f[i]) for j in picked):
                picked.append(i)
        keep += picked
    keep = np.asarray(keep, dtype=int)
    return ms[keep], np.clip(lam[keep], *tooth.range_nm), f[keep]


def self_consistent_resonances(*, problem: RingProblem, m_values: Sequence[int], window_nm: tuple[float, float],
                               n_scan: int = 300, per_m: int = 3) -> list[SelfConsistentResonance]:
    """The self-consistent resonances inside ``window_nm`` grown from the ``per_m`` highest-Q poles of each order in
    ``m_values`` (residual on the tables), sorted by wavelength. Modes closer than the scan step may merge."""
    radii_um, high, tooth, gap = problem.radii_um, problem.high, problem.tooth, problem.gap
    ms, seeds = scan_seeds_nm(m_values=m_values, radii_um=radii_um, high=high, tooth=tooth, gap=gap,
                              window_nm=window_nm, n_scan=n_scan)
    if len(seeds) == 0:
        return []
    ms, seeds, f0 = _candidates(ms.astype(float), seeds, radii_um, high, tooth, gap, window_nm, per_m)
    lam0, f, g, passes = solve_self_consistent(problem=problem, m=ms, seeds_nm=seeds, f0=f0)
    found: list[SelfConsistentResonance] = []
    for i in np.argsort(np.nan_to_num(lam0, nan=np.inf)):
        lam = lam0[i]
        if not (np.isfinite(lam) and window_nm[0] <= lam <= window_nm[1]):
            continue
        m = int(ms[i])
        if any(r.m == m and abs(r.freq - f[i]) < 1e-7 * abs(f[i]) for r in found):
            continue
        nh, nl = tooth.neff(wavelength_nm=lam), gap.neff(wavelength_nm=lam)
        if not _true_pole(f[i], m, radii_um, high, nh, nl):
            continue
        found.append(SelfConsistentResonance(
            m=m, wavelength_nm=float(NM_PER_UM / f[i].real), freq=complex(f[i]),
            q_radiation=_q(f[i]), neff_high=float(nh), neff_low=float(nl),
            residual_nm=float(g[i]), passes=int(passes[i]), checked=False))
    return found


def polish_with_slab_solves(*, resonance: SelfConsistentResonance, stack: Stack, problem: RingProblem,
                            tol_nm: float = 0.1 * RESONANCE_TOL_NM, max_passes: int = 6) -> SelfConsistentResonance:
    """Re-evaluate the resonance condition with direct slab solves (no tables) at the answer; Newton steps (table
    slope) until |g| < ``tol_nm``. The result carries the direct residual (checked=True)."""
    lam, f, m = resonance.wavelength_nm, resonance.freq, resonance.m
    radii_um, high = problem.radii_um, problem.high
    s = problem.slope(lam)
    for k in range(1, max_passes + 1):
        nh = direct_region_neff(stack=stack, region="tooth", wavelength_nm=lam)
        nl = direct_region_neff(stack=stack, region="gap", wavelength_nm=lam)
        f = complex(_poles(np.array([f]), float(m), radii_um, high, nh, nl)[0])
        g = NM_PER_UM / f.real - lam
        if not math.isfinite(g):
            raise NoResonanceError(f"the m = {m} pole near {lam:.2f} nm was lost re-checking it with slab solves",
                                   field="cavity", allowed="a cavity with a confined mode in the gain window")
        if abs(g) < tol_nm or k == max_passes:
            return replace(resonance, wavelength_nm=float(NM_PER_UM / f.real), freq=f,
                           q_radiation=_q(f), neff_high=float(nh), neff_low=float(nl),
                           residual_nm=float(g), passes=resonance.passes + k, checked=True)
        lam = lam + g / (1.0 - s)
    raise AssertionError("unreachable")
