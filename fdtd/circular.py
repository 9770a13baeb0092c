"""Rings, disks and circular DFB gratings in cylindrical coordinates: resonances, Q (radiation / absorption),
confinement in the gain layer, convergence. Calls the cylindrical runner; the extractors below it are pure.

One simulation per azimuthal order m. Q comes from the matrix pencil on the probe ring-down (converged Q from
a short ring-down), cross-matched to MEEP's Harminv frequencies. The Q split re-runs with lossless contacts
(ITO): Q_rad is that run's Q and 1/Q_abs = 1/Q - 1/Q_rad. Convergence: a second run at
``convergence_factor`` x the resolution; a mode is converged when its wavelength moves less than
``tol_wavelength_nm`` and its Q less than ``tol_q_rel``.

Dispersion: MEEP media are frozen at one wavelength (``dispersive=False``), so a mode is right only where it lies
at the freezing wavelength. Per m, the tracked mode (circular DFB: the highest-Q band edge; ring/disk: the strongest
mode) is re-run with the media frozen where it is predicted, a secant on g(freeze) = lambda_mode - freeze
(``extract.freeze``, shared with the linear DFB) until |g| < ``freeze_tol_nm``; the Q split and the convergence run use
the final freezing wavelength. Every mode reports its freezing wavelength, lambda - freeze and the number of runs;
the tracked one also Q with dispersion (Q_frozen n_g / n_g,frozen). Stacks whose media do not change between the
two wavelengths are not re-run.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import gdsfactory as gf
import numpy as np

from perocav.fdtd.meep.geometry_2d import Medium2D
from perocav.fdtd.meep.geometry_cyl import GeometryCyl, circular_cell_cyl
from perocav.fdtd.extract.freeze import self_consistent_mode
from perocav.fdtd.meep.ringdown import RingdownSpec
from perocav.fdtd.meep.runner_cyl import CylRingdownResult, ModeField, run_ringdown_cyl
from perocav.fdtd.extract.resonance import find_resonances
from perocav.fdtd.models.circular_mode import CircularMode
from perocav.fdtd.models.dispersion import region_stack
from perocav.fdtd.models.slab_modes import NoGuidedModeError, solve_slab_mode
from perocav.fdtd.models.wgm_analytic import Resonance2D, resonances_2d
from perocav.pdk.materials import resolve_material
from perocav.pdk.stack import Stack
from perocav.pdk.units import NM_PER_UM

FAMILIES = ("ring", "disk", "circular-dfb")


@dataclass(frozen=True)
class CircularSimulation:
    """All modes found (sorted by m, then wavelength) and the selections the pipeline needs."""

    family: str
    modes: tuple[CircularMode, ...]
    gain_peak_nm: float | None
    nearest_gain_peak: tuple[CircularMode, ...]
    band_edge: tuple[CircularMode, ...]
    converged: bool | None
    resolution_px_per_um: float
    wall_time_s: float
    status: dict[int, str]
    freeze_tol_nm: float = math.nan
    #: per m: (freezing wavelength, tracked mode's wavelength) of every run of the main geometry, in order
    freeze_history: dict[int, tuple[tuple[float, float], ...]] = field(default_factory=dict)


# ---------------------------------------------------------------- pure extractors


def eps_grid(*, geometry: GeometryCyl, r_um: np.ndarray, z_um: np.ndarray, wavelength_nm: float) -> np.ndarray:
    """Re(n)^2 on the grid r_um x z_um (shape len(r), len(z)), painting the shapes in order."""
    def n2(med: Medium2D) -> float:
        n = med.index if med.index is not None else resolve_material(med.material).nk(wavelength_nm=wavelength_nm)
        return float(complex(n).real ** 2)

    rr, zz = np.meshgrid(np.asarray(r_um, float), np.asarray(z_um, float), indexing="ij")
    eps = np.full(rr.shape, n2(geometry.background))
    for s in geometry.shapes:
        mask = (rr >= s.r0_um) & (rr <= s.r1_um) & (zz >= s.z0_um) & (zz <= s.z1_um)
        eps[mask] = n2(s.medium)
    return eps


def confinement_factor(*, mode_field: ModeField, geometry: GeometryCyl, level: str) -> float:
    """Fraction of the electric energy int eps |E|^2 r dr dz that lies in stack level ``level``."""
    if level not in geometry.levels_um:
        raise ValueError(f"no level {level!r} in the geometry ({sorted(geometry.levels_um)})")
    wl_nm = NM_PER_UM / mode_field.freq
    eps = eps_grid(geometry=geometry, r_um=mode_field.r_um, z_um=mode_field.z_um, wavelength_nm=wl_nm)
    w = eps * mode_field.e2 * np.abs(mode_field.r_um)[:, None]
    z0, z1 = geometry.levels_um[level]
    inside = (mode_field.z_um >= z0) & (mode_field.z_um <= z1)
    total = float(w.sum())
    return float(w[:, inside].sum()) / total if total > 0 else math.nan


def combine_q(*, q_total: float, q_radiation: float) -> float:
    """Absorption Q from 1/Q = 1/Q_rad + 1/Q_abs (inf when the lossless run is no better)."""
    inv = 1.0 / q_total - 1.0 / q_radiation
    return 1.0 / inv if inv > 0 else math.inf


def nearest_gain_peak(*, modes: tuple[CircularMode, ...], gain_peak_nm: float, count: int = 3) -> tuple[CircularMode, ...]:
    """The ``count`` modes closest in wavelength to the gain peak."""
    return tuple(sorted(modes, key=lambda x: abs(x.wavelength_nm - gain_peak_nm))[:count])


def band_edge_modes(*, modes: tuple[CircularMode, ...], m_max: int = 1, count: int = 2) -> tuple[CircularMode, ...]:
    """For each m <= m_max, the ``count`` highest-Q modes (the band-edge modes of a circular grating)."""
    out = []
    for m in sorted({x.m for x in modes if x.m <= m_max}):
        out.extend(sorted((x for x in modes if x.m == m), key=lambda x: -x.q)[:count])
    return tuple(out)


def _match(freq: float, others, *, key=lambda x: x.freq):
    return min(others, key=lambda x: abs(key(x) - freq)) if others else None


# ---------------------------------------------------------------- analytic estimate


def level_neff(*, stack: Stack, wavelength_nm: float, patterned: bool) -> float:
    """TE0 n_eff of the stack with the grating level all feature material (patterned=True) or all fill
    (``models.dispersion.region_stack``); without a guided mode, the higher cladding index (the mode is not
    confined there)."""
    region = region_stack(stack=stack, region="tooth" if patterned else "gap")
    profile = region.index_profile(wavelength_nm=wavelength_nm)
    try:
        return float(solve_slab_mode(profile=profile, pol="TE").neff.real)
    except NoGuidedModeError:
        return float(max(profile.n_substrate.real, profile.n_cover.real))


def wgm_estimate(*, component: gf.Component, stack: Stack, m: int, wavelength_min_nm: float,
                 wavelength_max_nm: float, iterations: int = 3) -> list[Resonance2D]:
    """Effective-index WGM estimate: n_eff inside/outside the GRATING features (slab TE0), then the exact 2D
    concentric-ring resonances (Hz: the slab TE field lies in the plane), re-evaluating n_eff at the result."""
    geom = circular_cell_cyl(component=component, stack=stack)
    radii: list[float] = []
    for a, b in geom.feature_radii_um:
        radii.extend([a, b] if a > 0 else [b])
    wl = 0.5 * (wavelength_min_nm + wavelength_max_nm)
    found: list[Resonance2D] = []
    for _ in range(iterations):
        n_in = level_neff(stack=stack, wavelength_nm=wl, patterned=True)
        n_out = level_neff(stack=stack, wavelength_nm=wl, patterned=False)
        indices = []
        for a, _b in geom.feature_radii_um:
            if a > 0:
                indices.append(n_out)
            indices.append(n_in)
        indices.append(n_out)
        found = resonances_2d(m=m, radii_um=radii, indices=indices, freq_min=NM_PER_UM / wavelength_max_nm,
                              freq_max=NM_PER_UM / wavelength_min_nm, pol="Hz")
        if not found:
            return []
        best = max(found, key=lambda r: r.q)
        if abs(best.wavelength_nm - wl) < 0.01:
            break
        wl = best.wavelength_nm
    return found


# ---------------------------------------------------------------- simulation


def default_source_rz_um(*, geometry: GeometryCyl, family: str, wavelength_nm: float) -> tuple[float, float]:
    """Ring/disk: just inside the outer rim of the outermost feature; circular DFB: inside the central defect
    (or the central disk); z at the middle of the gain level (else of the grating level)."""
    feats = geometry.feature_radii_um
    if family == "circular-dfb":
        a, b = feats[0]
        r = 0.5 * b if a == 0 else max(0.5 * a, 0.05)
    else:
        a, b = feats[-1]
        r = b - min(0.5 * (b - a), 0.25 * wavelength_nm / NM_PER_UM)
    level = geometry.gain_level if geometry.gain_level in geometry.levels_um else next(
        (k for k in geometry.levels_um if k.startswith("grating")), None)
    z = 0.5 * sum(geometry.levels_um[level]) if level else 0.0
    return (r, z)


def _pencil(samples, dt: float, f_min: float, f_max: float, q_min: float):
    try:
        return find_resonances(samples=samples, dt=dt, freq_min=f_min, freq_max=f_max, q_min=q_min)
    except ValueError:
        return []


def _extract(run: CylRingdownResult, f_min: float, f_max: float, q_min: float):
    if run.status != "ok" or len(run.samples) < 16:
        return []
    return _pencil(run.samples, run.dt_um, f_min, f_max, q_min) or [r for r in run.resonances if r.q >= q_min]


def media_change(*, geometry: GeometryCyl, wavelength_a_nm: float, wavelength_b_nm: float) -> float:
    """Largest |n + ik| change of the geometry's media between two freezing wavelengths (0: non-dispersive)."""
    change = 0.0
    for med in {x.medium for x in geometry.shapes} | {geometry.background}:
        if med.index is None:
            mat = resolve_material(med.material)
            change = max(change, abs(complex(mat.nk(wavelength_nm=wavelength_a_nm))
                                     - complex(mat.nk(wavelength_nm=wavelength_b_nm))))
    return change


def group_indices(*, component: gf.Component, stack: Stack, wavelength_min_nm: float, wavelength_max_nm: float):
    """(n_g,frozen(lambda), n_g(lambda)) callables of the mode's slab region (``models.dispersion``); (1, 1) where
    the stack has no table there (the secant then starts with a plain fixed-point step)."""
    from perocav.fdtd.models.circular_analytic import mode_region
    from perocav.fdtd.models.dispersion import frozen_group_index, neff_dispersion, region_stack

    region, duty, _ = mode_region(component)
    try:
        table = neff_dispersion(stack=stack, region=region, duty_cycle=duty,
                                window_nm=(wavelength_min_nm, wavelength_max_nm))
        reg = region_stack(stack=stack, region=region, duty_cycle=duty)
        table.group_index(wavelength_nm=0.5 * (wavelength_min_nm + wavelength_max_nm))
    except (ValueError, NoGuidedModeError):  # InputError is a ValueError
        return (lambda lam: 1.0), (lambda lam: 1.0)
    lo, hi = table.range_nm
    return ((lambda lam: frozen_group_index(stack=reg, wavelength_nm=min(max(lam, lo + 1), hi - 1))),
            (lambda lam: float(table.group_index(wavelength_nm=min(max(lam, lo), hi)))))


def _tracked(found, family: str):
    return max(found, key=(lambda r: r.q) if family == "circular-dfb" else (lambda r: abs(r.amplitude)))


def simulate_circular(
    *,
    component: gf.Component,
    stack: Stack,
    family: str,
    m_values: tuple[int, ...],
    wavelength_min_nm: float,
    wavelength_max_nm: float,
    resolution_px_per_um: float = 40.0,
    ring_down_um: float = 150.0,
    split_q: bool = True,
    convergence_factor: float | None = 1.5,
    tol_wavelength_nm: float = 1.0,
    tol_q_rel: float = 0.1,
    q_min: float = 10.0,
    mode_window_um: float = 30.0,
    field_component: str | None = None,
    pml_um: float = 1.0,
    side_pad_um: float = 1.5,
    substrate_um: float = 1.0,
    cover_um: float = 1.0,
    dispersive: bool = False,
    freeze_wavelength_nm: float | None = None,
    self_consistent_media: bool = True,
    freeze_tol_nm: float = 0.1,
    max_freeze_passes: int = 4,
) -> CircularSimulation:
    """Simulate ``component`` (ring_resonator, disk_resonator or circular_grating cell) under ``stack`` for each
    azimuthal order in ``m_values``. field_component: source/probe field (default Er for ring/disk, the slab
    TE field of a whispering-gallery mode; Ep for circular DFB, the TE field of radially running waves).
    freeze_wavelength_nm: first freezing wavelength of the media (default: the band centre);
    self_consistent_media: re-run each m with the media frozen at its tracked mode until |mode - freeze| <
    freeze_tol_nm (at most max_freeze_passes re-runs; module docstring)."""
    if family not in FAMILIES:
        raise ValueError(f"family={family!r} not in {FAMILIES}")
    if not m_values or any(m < 0 for m in m_values):
        raise ValueError(f"m_values={m_values} must be non-empty and >= 0")
    comp = field_component or ("Ep" if family == "circular-dfb" else "Er")
    f_min, f_max = NM_PER_UM / wavelength_max_nm, NM_PER_UM / wavelength_min_nm
    kw = dict(component=component, stack=stack, substrate_um=substrate_um, cover_um=cover_um, pml_um=pml_um,
              side_pad_um=side_pad_um)
    geom = circular_cell_cyl(**kw)
    geom_lossless = circular_cell_cyl(**kw, lossless_roles=("contact",))
    src = default_source_rz_um(geometry=geom, family=family, wavelength_nm=0.5 * (wavelength_min_nm + wavelength_max_nm))
    probe = (src[0] + 0.013, src[1])

    def run(g: GeometryCyl, m: int, res: float, window: float, freeze: float) -> CylRingdownResult:
        spec = RingdownSpec(wavelength_min_nm=wavelength_min_nm, wavelength_max_nm=wavelength_max_nm,
                            resolution_px_per_um=res, ring_down_um=ring_down_um, dispersive=dispersive,
                            freeze_wavelength_nm=freeze)
        return run_ringdown_cyl(geometry=g, m=m, spec=spec, source_rz_um=src, probe_rz_um=probe, component=comp,
                                mode_window_um=window,
                                mode_freqs=lambda x, dt: [r.freq for r in _pencil(x, dt, f_min, f_max, q_min)])

    def self_consistent(m: int, main: CylRingdownResult, found, freeze: float):
        """Iterate the freezing wavelength on the tracked mode: (run, modes, freeze, fix or None, status)."""
        target = _tracked(found, family)
        lam = NM_PER_UM / target.freq
        history[m] = [(freeze, lam)]
        if dispersive or not self_consistent_media or media_change(
                geometry=geom, wavelength_a_nm=freeze, wavelength_b_nm=lam) < 1e-9:
            return main, found, freeze, None, "ok"
        last = {}

        def run_mode(fz: float):
            r = run(geom, m, resolution_px_per_um, mode_window_um, fz)
            got = _extract(r, f_min, f_max, q_min)
            if not got:
                return None
            last.update(run=r, found=got, freeze=fz)
            t = min(got, key=lambda x: abs(NM_PER_UM / x.freq - fz))
            history[m].append((fz, NM_PER_UM / t.freq))
            return NM_PER_UM / t.freq, t.q

        ng_frozen, ng = group_indices(component=component, stack=stack, wavelength_min_nm=wavelength_min_nm,
                                      wavelength_max_nm=wavelength_max_nm)
        fix = self_consistent_mode(run_mode=run_mode, wavelength_nm=lam, q=target.q, freeze_nm=freeze,
                                   group_index_frozen=ng_frozen, group_index=ng, tol_nm=freeze_tol_nm,
                                   max_passes=max_freeze_passes)
        if fix is None or not last:
            return main, found, freeze, fix, "ok" if fix is not None else "freeze_lost"
        return last["run"], last["found"], last["freeze"], fix, "ok"

    t0 = time.perf_counter()
    freeze0 = freeze_wavelength_nm or NM_PER_UM / (0.5 * (f_min + f_max))
    modes: list[CircularMode] = []
    status: dict[int, str] = {}
    history: dict[int, list[tuple[float, float]]] = {}
    for m in m_values:
        main = run(geom, m, resolution_px_per_um, mode_window_um, freeze0)
        status[m] = main.status
        found = _extract(main, f_min, f_max, q_min)
        if not found:
            if main.status == "ok":
                status[m] = "no_resonance"
            continue
        main, found, freeze, fix, status[m] = self_consistent(m, main, found, freeze0)
        passes = 1 + (fix.passes if fix is not None else 0)
        track = (min(found, key=lambda r: abs(NM_PER_UM / r.freq - fix.wavelength_nm)) if fix
                 else _tracked(found, family))
        lossless = (_extract(run(geom_lossless, m, resolution_px_per_um, 0.0, freeze), f_min, f_max, q_min)
                    if split_q else [])
        fine = (_extract(run(geom, m, resolution_px_per_um * convergence_factor, 0.0, freeze), f_min, f_max, q_min)
                if convergence_factor else None)
        for r in found:
            q_rad = q_abs = math.nan
            if split_q:
                twin = _match(r.freq, lossless)
                if twin is not None and abs(twin.freq - r.freq) < 0.5 * r.freq / r.q + 1e-4 * r.freq:
                    q_rad, q_abs = twin.q, combine_q(q_total=r.q, q_radiation=twin.q)
            gamma = math.nan
            mf = _match(r.freq, main.mode_fields)
            if mf is not None and abs(mf.freq - r.freq) < 1e-9 * r.freq and geom.gain_level in geom.levels_um:
                gamma = confinement_factor(mode_field=mf, geometry=geom, level=geom.gain_level)
            conv, shift, q_fine = None, math.nan, math.nan
            if fine is not None:
                twin = _match(r.freq, fine)
                if twin is None:
                    conv = False
                else:
                    shift, q_fine = NM_PER_UM / twin.freq - NM_PER_UM / r.freq, twin.q
                    conv = abs(shift) < tol_wavelength_nm and abs(twin.q - r.q) < tol_q_rel * r.q
            lam = NM_PER_UM / r.freq
            modes.append(CircularMode(m=m, wavelength_nm=lam, q=r.q, q_radiation=q_rad, q_absorption=q_abs,
                                      confinement=gamma, amplitude=float(abs(r.amplitude)), converged=conv,
                                      wavelength_shift_nm=shift, q_fine=q_fine, freeze_wavelength_nm=freeze,
                                      freeze_residual_nm=lam - freeze, freeze_passes=passes, tracked=r is track,
                                      q_dispersive=fix.q if (fix is not None and r is track) else math.nan))
    modes.sort(key=lambda x: (x.m, x.wavelength_nm))
    peak = stack.emission_wavelength_nm
    flags = [x.converged for x in modes]
    converged = None if not modes or any(f is None for f in flags) else all(flags)
    return CircularSimulation(
        family=family, modes=tuple(modes), gain_peak_nm=peak,
        nearest_gain_peak=nearest_gain_peak(modes=tuple(modes), gain_peak_nm=peak) if peak else (),
        band_edge=band_edge_modes(modes=tuple(modes)) if family == "circular-dfb" else (),
        converged=converged, resolution_px_per_um=float(resolution_px_per_um),
        wall_time_s=time.perf_counter() - t0, status=status, freeze_tol_nm=float(freeze_tol_nm),
        freeze_history={k: tuple(v) for k, v in history.items()})
