"""FDTD (MEEP, 2D TE) of the whole finite device: sections as drawn, the perovskite gaining in the pumped
recombination zone and absorbing at alpha0 everywhere else, media frozen at the Bragg wavelength. Threshold from
ring-downs near it: a mode's decay rate is a straight line in the gain, so its zero crossing (threshold material
gain) follows from two levels, or from one level and the slope of that line measured on another grid (the slope
barely depends on the grid). The modal gain of the pumped sections = Gamma_zone x material gain
(``models.slab.zone_modal``: the power-weighted confinement of the zone, the g_p of the coupled-mode device model).
Default ladder (``DeviceFdtdSettings``): a first pass at 40 px/um (two levels, both x parities on half cells for
symmetric devices: every mode and its slope), one level per parity at 60 px/um (the lowest mode, its parity and the
gain margin), one level in that parity at 80 px/um, Richardson over the 60 and 80 px/um thresholds.

build (``device_fdtd_setup.plan_device``) -> run (``meep.device_run``) -> extract (``extract.threshold_fit``).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from perocav.fdtd.device_fdtd_setup import DevicePlan, plan_device
from perocav.fdtd.extract.resonance import PencilSettings, find_resonances
from perocav.fdtd.extract.threshold_fit import (
    RUNG_ESTIMATES,
    ModeThreshold,
    combine_rungs,
    mode_thresholds,
    single_level_thresholds,
)
from perocav.fdtd.meep.device_geometry_2d import (
    GainLayerMedia,
    device_cross_section_2d,
    is_mirror_symmetric,
    tooth_intervals_um,
)
from perocav.fdtd.meep.device_run import device_ringdown
from perocav.layout.device_geometry import DeviceGeometry
from perocav.pdk.stack import Stack


@dataclass(frozen=True)
class DeviceFdtdSettings:
    """Passes (see the module docstring; the numbers behind each choice in docs/validation.md):

    - first pass at ``locate_resolution_px_per_um``, two levels (``level_fractions`` of the coupled-mode guess), both
      parities: every mode, the lowest one, and each mode's slope d decay / d gain. 40 px/um is not in the
      asymptotic range (thresholds 14-35 % high), but its slopes are within 0.2-0.9 % of the 60 px/um ones;
    - the first rung of ``resolutions_px_per_um``: one level (``refine_fraction`` of the first pass's zero) per
      parity, every mode's zero from its first-pass slope: the lowest mode, its parity, the gain margin;
    - each later rung: one level (``fine_fraction`` of the previous rung's zero) in the lowest mode's parity, the
      same slope (0.03 % apart at 60 and 80 px/um; the decay rate is linear in the gain within 0.3 % between 0.67
      and 1.26 of threshold). Two or more rungs: ``rung_estimate`` of the last two (``extract.threshold_fit.
      combine_rungs``), Richardson (order 2) by default: the mixed-order device at 60 / 80 / 100 px/um (1427 / 1357
      / 1326 /cm) follows 1 / resolution^2 (Richardson 60/80 1266, 80/100 1270); the quarter-wave one wiggles by
      ~1 % with the grid's alignment to the thin layers (857 / 843 / 852), which Richardson turns into ~3 %.

    Ring-down (None: ``ring_down_transits`` x n_g L / c, at least 100 um / c; the later rungs, which follow one known
    mode near its threshold, ``fine_ring_down_transits``: 2/3 of the record moved the lowest mode's decay rate by
    <= 0.02 % at 40 px/um), source band (``source_band_factor`` x the search window), cladding / PML / end padding
    (um), and whether a symmetric device runs on half cells."""

    resolutions_px_per_um: tuple[float, ...] = (60.0, 80.0)
    rung_estimate: str = "richardson"
    locate_resolution_px_per_um: float = 40.0
    level_fractions: tuple[float, ...] = (0.8, 0.95)
    refine_fraction: float = 0.8
    fine_fraction: float = 0.95
    ring_down_um: float | None = None
    ring_down_transits: float = 3.0
    fine_ring_down_transits: float = 2.0
    source_band_factor: float = 1.5
    substrate_um: float = 0.6
    cover_um: float = 0.6
    pml_um: float = 0.6
    end_pad_um: float = 1.0
    use_symmetry: bool = True
    freeze_wavelength_nm: float | None = None

    def __post_init__(self) -> None:
        if self.rung_estimate not in RUNG_ESTIMATES:
            raise ValueError(f"rung_estimate must be one of {RUNG_ESTIMATES}, got {self.rung_estimate!r}")
        if not self.resolutions_px_per_um or list(self.resolutions_px_per_um) != sorted(self.resolutions_px_per_um):
            raise ValueError(f"resolutions_px_per_um must be rising, got {self.resolutions_px_per_um}")


@dataclass(frozen=True)
class RungLevels:
    """One resolution rung: its gain levels [1/cm], the lowest mode's decay rates there (-Im f, 1/um), the slope
    d decay / d gain of the line through them [1/um per 1/cm] (one level: the first rung's), its wavelength [nm],
    parity ("even", "odd", "none") and the zero crossing [1/cm material gain]."""

    resolution_px_per_um: float
    gains_per_cm: tuple[float, ...]
    decay_rates_per_um: tuple[float, ...]
    slope_per_um_per_cm: float
    wavelength_nm: float
    parity: str
    threshold_material_gain_per_cm: float


@dataclass(frozen=True)
class DeviceFdtdResult:
    """Threshold of the device's lowest mode: modal intensity gain of the pumped sections and material gain of the
    zone [1/cm] (over the rungs as ``rung_estimate`` says; ``rung_spread_relative``: the last two rungs' difference
    over it, the grid uncertainty; NaN for one rung), its wavelength (finest rung), the
    modal gain margin to the next mode at ``margin_resolution_px_per_um`` (the first rung; NaN when no second mode
    is found), the zone confinement, the freezing wavelength, the coupled-mode guess, per-rung levels, finest
    resolution, the first pass's lowest mode (``locate``: two levels, the slope every rung uses), wall / CPU time of
    this process (MEEP runs on one core here)."""

    threshold_modal_gain_per_cm: float
    threshold_material_gain_per_cm: float
    wavelength_nm: float
    gain_margin_per_cm: float
    zone_confinement: float
    freeze_wavelength_nm: float
    guess_material_gain_per_cm: float
    rungs: tuple[RungLevels, ...]
    resolution_px_per_um: float
    rung_estimate: str
    rung_spread_relative: float
    margin_resolution_px_per_um: float
    locate: RungLevels
    wall_time_s: float
    cpu_time_s: float
    warnings: tuple[str, ...] = field(default=())


def simulate_device_meep(*, stack: Stack, geometry: DeviceGeometry, alpha_unpumped_per_cm: float,
                         settings: DeviceFdtdSettings = DeviceFdtdSettings()) -> DeviceFdtdResult:
    """Threshold of ``geometry`` on ``stack`` with the unpumped perovskite absorbing ``alpha_unpumped_per_cm``
    (the material spectrum's alpha0 at the lasing wavelength); see the module docstring."""
    t0, c0 = time.perf_counter(), time.process_time()
    s = settings
    plan = plan_device(stack=stack, geometry=geometry, alpha_unpumped_per_cm=alpha_unpumped_per_cm,
                       freeze_wavelength_nm=s.freeze_wavelength_nm, ring_down_um=s.ring_down_um,
                       ring_down_transits=s.ring_down_transits, fine_ring_down_transits=s.fine_ring_down_transits,
                       source_band_factor=s.source_band_factor)
    kw = dict(stack=stack, geometry=geometry, plan=plan, settings=s, alpha=alpha_unpumped_per_cm)
    parities = (False, True) if s.use_symmetry and is_mirror_symmetric(geometry) else (None,)
    # first pass, at the locating resolution: every mode of every parity from levels below the guess
    gains = tuple(f * plan.guess_material_gain_per_cm for f in s.level_fractions)
    located = _all_modes(**kw, gains=gains, res=s.locate_resolution_px_per_um, parities=parities)
    rungs, margin = _ladder(**kw, located=located, parities=parities)
    per_rung = [r.threshold_material_gain_per_cm for r in rungs]
    g_mat = combine_rungs(values=per_rung, resolutions_px_per_um=[r.resolution_px_per_um for r in rungs],
                          method=s.rung_estimate)
    spread = abs(per_rung[-1] - per_rung[-2]) / g_mat if len(rungs) >= 2 else math.nan
    warnings = []
    if abs(rungs[-1].wavelength_nm - plan.freeze_nm) > 2.0:
        warnings.append(f"mode at {rungs[-1].wavelength_nm:.2f} nm, media frozen at {plan.freeze_nm:.2f} nm")
    return DeviceFdtdResult(
        threshold_modal_gain_per_cm=g_mat * plan.zone_confinement, threshold_material_gain_per_cm=g_mat,
        wavelength_nm=rungs[-1].wavelength_nm, gain_margin_per_cm=margin * plan.zone_confinement,
        zone_confinement=plan.zone_confinement, freeze_wavelength_nm=plan.freeze_nm,
        guess_material_gain_per_cm=plan.guess_material_gain_per_cm, rungs=tuple(rungs),
        resolution_px_per_um=rungs[-1].resolution_px_per_um, rung_estimate=s.rung_estimate if len(rungs) >= 2 else
        "finest", rung_spread_relative=spread,
        margin_resolution_px_per_um=rungs[0].resolution_px_per_um,
        locate=_rung(s.locate_resolution_px_per_um, gains, *located[0]),
        wall_time_s=time.perf_counter() - t0, cpu_time_s=time.process_time() - c0, warnings=tuple(warnings))


def _ladder(*, located: list[tuple[ModeThreshold, bool | None]], parities: tuple, **kw) -> tuple[list[RungLevels],
                                                                                                float]:
    """The rungs and the material gain margin [1/cm] at the first rung: there, one level per parity, every mode's
    zero from its first-pass slope; at each later rung one level in the lowest mode's parity, its slope again."""
    s, plan = kw["settings"], kw["plan"]
    res = s.resolutions_px_per_um[0]
    g = s.refine_fraction * located[0][0].fit.threshold_gain_per_cm
    modes = _rung_modes(**kw, located=located, gain=g, res=res, parities=parities)
    (ref, odd), margin = modes[0], math.nan
    if len(modes) > 1:
        margin = modes[1][0].fit.threshold_gain_per_cm - ref.fit.threshold_gain_per_cm
    rungs = [_rung(res, (g,), ref, odd)]
    for res in s.resolutions_px_per_um[1:]:
        g = s.fine_fraction * ref.fit.threshold_gain_per_cm
        poles = _level_poles(**kw, gain=g, res=res, odd=odd, ring_down_um=plan.fine_ring_down_um)
        found = single_level_thresholds(gain_per_cm=g, poles=poles, shift_nm=_lowest_shift(poles, ref, res, g),
                                        reference=[ref], match_tol_nm=0.5 * plan.mode_spacing_nm)
        if not found:
            raise RuntimeError(f"the lowest mode ({ref.wavelength_nm:.2f} nm) not found at {res:g} px/um")
        ref = min(found, key=lambda m: abs(m.wavelength_nm - ref.wavelength_nm))
        rungs.append(_rung(res, (g,), ref, odd))
    return rungs, margin


def _rung_modes(*, located: list[tuple[ModeThreshold, bool | None]], gain: float, res: float, parities: tuple,
                **kw) -> list[tuple[ModeThreshold, bool | None]]:
    """(mode, parity) by threshold from one level per parity at ``res``, each mode with its first-pass slope; the
    modes moved by the lowest one's shift between the grids (the least decaying strong pole of its parity: 40 ->
    80 px/um moved a CsPbBr3 device's modes by more than their spacing)."""
    spacing = kw["plan"].mode_spacing_nm
    lowest, odd = located[0]
    order = (odd,) + tuple(p for p in parities if p != odd)
    shift, out = None, []
    for p in order:
        poles = _level_poles(**kw, gain=gain, res=res, odd=p)
        if shift is None:
            shift = _lowest_shift(poles, lowest, res, gain)
        out += [(m, p) for m in single_level_thresholds(gain_per_cm=gain, poles=poles, shift_nm=shift,
                                                        reference=[m for m, o in located if o == p],
                                                        match_tol_nm=0.3 * spacing)]
    if not out:
        raise RuntimeError(f"no mode found at {res:g} px/um (gain level {gain:.1f} /cm)")
    return sorted(out, key=lambda mo: mo[0].fit.threshold_gain_per_cm)


def _lowest_shift(poles, lowest: ModeThreshold, res: float, gain: float) -> float:
    """How far [nm] the lowest mode moved from ``lowest`` (a run on another grid): on this grid too it is its
    parity's least decaying strong pole (40 -> 80 px/um moved a CsPbBr3 device's modes, 60 -> 80 a 91 um device's,
    by more than the match tolerance)."""
    a_max = max((q[2] for q in poles), default=0.0)
    near = min((q for q in poles if q[2] >= 0.05 * a_max), key=lambda q: q[1], default=None)
    if near is None:
        raise RuntimeError(f"no pole at {res:g} px/um (gain level {gain:.1f} /cm)")
    return near[0] - lowest.wavelength_nm


def _all_modes(*, gains: tuple[float, ...], res: float, parities: tuple, **kw) -> list[tuple[ModeThreshold, bool]]:
    """(mode, parity) of every parity's runs at ``gains``, by threshold; RuntimeError when none decays."""
    modes = [(m, odd) for odd in parities for m in _modes(**kw, gains=gains, res=res, odd=odd)]
    if not modes:
        raise RuntimeError(f"no mode found at {res:g} px/um (gain levels {gains})")
    return sorted(modes, key=lambda mo: mo[0].fit.threshold_gain_per_cm)


def _rung(res: float, gains: tuple[float, ...], mode: ModeThreshold, odd: bool | None) -> RungLevels:
    parity = "none" if odd is None else ("odd" if odd else "even")
    return RungLevels(resolution_px_per_um=float(res), gains_per_cm=tuple(map(float, gains)),
                      decay_rates_per_um=mode.decay_rates, slope_per_um_per_cm=mode.fit.slope,
                      wavelength_nm=mode.wavelength_nm, parity=parity,
                      threshold_material_gain_per_cm=mode.fit.threshold_gain_per_cm)


def probe_points_um(*, geometry: DeviceGeometry, y_um: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """(source, probe) in cell coordinates: 1/8 period off the tooth centres nearest 0.2 and 0.45 of the way from
    the pumped stretch's centre to its edge (off the mirror plane, off the nodes of both band edges)."""
    lo, hi = geometry.pumped_interval_um()
    centre, half, x_off = 0.5 * (lo + hi), 0.5 * (hi - lo), -0.5 * geometry.length_um
    teeth = tooth_intervals_um(geometry)
    points = []
    for frac in (0.2, 0.45):
        a, b = min(teeth, key=lambda t: abs(0.5 * (t[0] + t[1]) - (centre + frac * half)))
        period = (b - a) / _duty_at(geometry, 0.5 * (a + b))
        points.append((0.5 * (a + b) + period / 8 + x_off, y_um))
    return points[0], points[1]


def _duty_at(geometry: DeviceGeometry, z_um: float) -> float:
    for (z0, z1), s in zip(geometry.bounds_um(), geometry.sections, strict=True):
        if z0 <= z_um <= z1 and s.order:
            return s.duty_cycle
    return geometry.sections[0].duty_cycle


def _modes(*, gains: tuple[float, ...], plan: DevicePlan, **kw) -> list[ModeThreshold]:
    """Ring-downs at each gain level (one parity), the poles in the window, and every mode's zero crossing."""
    poles = [_level_poles(**kw, plan=plan, gain=g) for g in gains]
    return mode_thresholds(gains_per_cm=gains, poles=poles, match_tol_nm=0.3 * plan.mode_spacing_nm)


def _level_poles(*, stack: Stack, geometry: DeviceGeometry, plan: DevicePlan, settings: DeviceFdtdSettings,
                 gain: float, res: float, odd: bool | None, alpha: float,
                 ring_down_um: float | None = None) -> list[tuple[float, float, float]]:
    """One ring-down at material gain ``gain`` [1/cm] (one parity; ``ring_down_um`` None: the plan's): (wavelength
    nm, decay rate 1/um, |amplitude|) of every pole in the plan's window."""
    s = settings
    lo, hi = plan.window_nm
    media = GainLayerMedia(n_real=plan.n_perovskite, zone_gain_per_cm=gain, alpha_unpumped_per_cm=alpha,
                           wavelength_nm=plan.freeze_nm)
    geom = device_cross_section_2d(stack=stack, geometry=geometry, media=media, resolution_px_per_um=res,
                                   substrate_um=s.substrate_um, cover_um=s.cover_um, pml_um=s.pml_um,
                                   end_pad_um=s.end_pad_um)
    y = 0.5 * sum(geom.levels_um[stack.gain_layer])
    src, probe = probe_points_um(geometry=geometry, y_um=y)
    run = device_ringdown(geometry=geom, band_nm=plan.band_nm, freeze_nm=plan.freeze_nm, resolution_px_per_um=res,
                          ring_down_um=ring_down_um or plan.ring_down_um, source_xy_um=src, probe_xy_um=probe, odd=odd)
    if run.status != "ok":
        raise RuntimeError(f"ring-down {run.status} at {res:g} px/um, gain {gain:.1f} /cm")
    found = find_resonances(samples=run.samples, dt=run.dt_um, freq_min=1000.0 / hi, freq_max=1000.0 / lo,
                            q_min=5.0, settings=PencilSettings(keep_growing=True))
    return [(r.wavelength_nm, -r.decay, abs(r.amplitude)) for r in found]
