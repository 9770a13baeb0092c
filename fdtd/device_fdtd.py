"""FDTD (MEEP, 2D TE) of the whole finite device: sections as drawn, the perovskite gaining in the pumped
recombination zone and absorbing at alpha0 everywhere else, media frozen at the Bragg wavelength. Threshold from
ring-downs near it: the lowest mode's decay rate at two gain levels, the zero crossing of the straight line through
them (threshold material gain; Richardson when two rungs are asked for), and the modal gain of the pumped sections
= Gamma_zone x material gain (``models.slab.zone_modal``: the power-weighted confinement of the zone, the g_p of the
coupled-mode device model). A first pass at a coarse grid finds the lowest mode, its parity and the gain margin
(symmetric devices: both x parities on half cells); the rung(s) then run only that mode's parity.

build (``device_fdtd_setup.plan_device``) -> run (``meep.device_run``) -> extract (``extract.threshold_fit``).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from perocav.fdtd.device_fdtd_setup import DevicePlan, plan_device
from perocav.fdtd.extract.resonance import PencilSettings, find_resonances
from perocav.fdtd.extract.threshold_fit import ModeThreshold, mode_thresholds, richardson
from perocav.fdtd.meep.device_geometry_2d import (GainLayerMedia, device_cross_section_2d, is_mirror_symmetric,
                                                  tooth_intervals_um)
from perocav.fdtd.meep.device_run import device_ringdown
from perocav.layout.device_geometry import DeviceGeometry
from perocav.pdk.stack import Stack


@dataclass(frozen=True)
class DeviceFdtdSettings:
    """A first pass at ``locate_resolution_px_per_um`` and ``level_fractions`` of the coupled-mode guess (every mode of
    both parities: the lowest one, its parity, the gain margin), then each rung of ``resolutions_px_per_um`` (two:
    Richardson, order 2) at ``refine_fractions`` of the latest zero crossing in the lowest mode's parity: below the
    threshold, since the 40 px/um pass overestimates it by 10-26 % on the validation devices (levels at 0.97-1.0 of
    it ran 12-22 % above threshold at 60 px/um; the decay rate is linear in the gain within 0.3 % between 0.67 and
    1.0 of threshold, so the line from 0.6-0.75 loses nothing). Default one rung at 60 px/um: at 40 px/um the three
    validation devices came out 14-35 % above the CMT of 40 px/um unit cells while 60 px/um agreed within 5 %, so
    40 px/um is not in the asymptotic range and a 40/60 Richardson step is wrong (docs/validation.md).
    Ring-down (None: sized from the device), cladding / PML / end padding (um), and whether a symmetric device runs
    on half cells."""

    resolutions_px_per_um: tuple[float, ...] = (60.0,)
    locate_resolution_px_per_um: float = 40.0
    level_fractions: tuple[float, ...] = (0.8, 0.95)
    refine_fractions: tuple[float, ...] = (0.6, 0.75)
    ring_down_um: float | None = None
    substrate_um: float = 0.6
    cover_um: float = 0.6
    pml_um: float = 0.6
    end_pad_um: float = 1.0
    use_symmetry: bool = True
    freeze_wavelength_nm: float | None = None


@dataclass(frozen=True)
class RungLevels:
    """One resolution rung: its gain levels [1/cm], the lowest mode's decay rates there (-Im f, 1/um), its
    wavelength [nm], parity ("even", "odd", "none") and the zero crossing [1/cm material gain]."""

    resolution_px_per_um: float
    gains_per_cm: tuple[float, ...]
    decay_rates_per_um: tuple[float, ...]
    wavelength_nm: float
    parity: str
    threshold_material_gain_per_cm: float


@dataclass(frozen=True)
class DeviceFdtdResult:
    """Threshold of the device's lowest mode: modal intensity gain of the pumped sections and material gain of the
    zone [1/cm] (Richardson over the rungs when two), its wavelength (finest rung), the gain margin to the next
    mode (modal, from the first pass: extrapolated from levels below the lowest mode's threshold, so rough; NaN when
    no second mode is found), the zone confinement, the freezing wavelength,
    per-rung levels, finest resolution, wall / CPU time of this process (MEEP runs on one core here)."""

    threshold_modal_gain_per_cm: float
    threshold_material_gain_per_cm: float
    wavelength_nm: float
    gain_margin_per_cm: float
    zone_confinement: float
    freeze_wavelength_nm: float
    guess_material_gain_per_cm: float
    rungs: tuple[RungLevels, ...]
    resolution_px_per_um: float
    extrapolated: bool
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
                       freeze_wavelength_nm=s.freeze_wavelength_nm, ring_down_um=s.ring_down_um)
    symmetric = s.use_symmetry and is_mirror_symmetric(geometry)
    warnings: list[str] = []
    rungs: list[RungLevels] = []
    margin = math.nan
    kw = dict(stack=stack, geometry=geometry, plan=plan, settings=s, alpha=alpha_unpumped_per_cm)
    # first pass, at the locating resolution: every mode of every parity from levels below the guess
    modes = _all_modes(**kw, gains=tuple(f * plan.guess_material_gain_per_cm for f in s.level_fractions),
                       res=s.locate_resolution_px_per_um, parities=(False, True) if symmetric else (None,))
    if len(modes) > 1:
        margin = (modes[1][0].fit.threshold_gain_per_cm - modes[0][0].fit.threshold_gain_per_cm) * plan.zone_confinement
    expected, parity = modes[0][0].fit.threshold_gain_per_cm, (modes[0][1],)
    for res in s.resolutions_px_per_um:  # the rungs: levels at and just below the latest zero, one parity
        gains = tuple(f * expected for f in s.refine_fractions)
        lowest, odd = _all_modes(**kw, gains=gains, res=res, parities=parity)[0]
        rungs.append(_rung(res, gains, lowest, odd))
        expected = lowest.fit.threshold_gain_per_cm
    g_mat = rungs[-1].threshold_material_gain_per_cm
    if len(rungs) >= 2:
        g_mat = richardson(coarse=rungs[-2].threshold_material_gain_per_cm, fine=g_mat,
                           resolution_coarse=rungs[-2].resolution_px_per_um,
                           resolution_fine=rungs[-1].resolution_px_per_um)
    if any(d <= 0 for r in rungs for d in r.decay_rates_per_um):
        warnings.append("a gain level was above the threshold (the mode grew): the zero is interpolated, not "
                        "extrapolated from below")
    if abs(rungs[-1].wavelength_nm - plan.freeze_nm) > 2.0:
        warnings.append(f"mode at {rungs[-1].wavelength_nm:.2f} nm, media frozen at {plan.freeze_nm:.2f} nm")
    return DeviceFdtdResult(
        threshold_modal_gain_per_cm=g_mat * plan.zone_confinement, threshold_material_gain_per_cm=g_mat,
        wavelength_nm=rungs[-1].wavelength_nm, gain_margin_per_cm=margin, zone_confinement=plan.zone_confinement,
        freeze_wavelength_nm=plan.freeze_nm, guess_material_gain_per_cm=plan.guess_material_gain_per_cm,
        rungs=tuple(rungs), resolution_px_per_um=rungs[-1].resolution_px_per_um, extrapolated=len(rungs) >= 2,
        wall_time_s=time.perf_counter() - t0, cpu_time_s=time.process_time() - c0, warnings=tuple(warnings))


def _all_modes(*, gains: tuple[float, ...], res: float, parities: tuple, **kw) -> list[tuple[ModeThreshold, bool]]:
    """(mode, parity) of every parity's runs at ``gains``, by threshold; RuntimeError when none decays."""
    modes = [(m, odd) for odd in parities for m in _modes(**kw, gains=gains, res=res, odd=odd)]
    if not modes:
        raise RuntimeError(f"no mode found at {res:g} px/um (gain levels {gains})")
    return sorted(modes, key=lambda mo: mo[0].fit.threshold_gain_per_cm)


def _rung(res: float, gains: tuple[float, ...], mode: ModeThreshold, odd: bool | None) -> RungLevels:
    parity = "none" if odd is None else ("odd" if odd else "even")
    return RungLevels(resolution_px_per_um=float(res), gains_per_cm=tuple(map(float, gains)),
                      decay_rates_per_um=mode.decay_rates, wavelength_nm=mode.wavelength_nm, parity=parity,
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


def _modes(*, stack: Stack, geometry: DeviceGeometry, plan: DevicePlan, settings: DeviceFdtdSettings,
           gains: tuple[float, ...], res: float, odd: bool | None, alpha: float) -> list[ModeThreshold]:
    """Ring-downs at each gain level (one parity), the poles in the window, and every mode's zero crossing."""
    s, poles = settings, []
    lo, hi = plan.window_nm
    for g in gains:
        media = GainLayerMedia(n_real=plan.n_perovskite, zone_gain_per_cm=g, alpha_unpumped_per_cm=alpha,
                               wavelength_nm=plan.freeze_nm)
        geom = device_cross_section_2d(stack=stack, geometry=geometry, media=media, resolution_px_per_um=res,
                                       substrate_um=s.substrate_um,
                                       cover_um=s.cover_um, pml_um=s.pml_um, end_pad_um=s.end_pad_um)
        y = 0.5 * sum(geom.levels_um[stack.gain_layer])
        src, probe = probe_points_um(geometry=geometry, y_um=y)
        run = device_ringdown(geometry=geom, band_nm=plan.band_nm, freeze_nm=plan.freeze_nm,
                              resolution_px_per_um=res, ring_down_um=plan.ring_down_um, source_xy_um=src,
                              probe_xy_um=probe, odd=odd)
        if run.status != "ok":
            raise RuntimeError(f"ring-down {run.status} at {res:g} px/um, gain {g:.1f} /cm")
        found = find_resonances(samples=run.samples, dt=run.dt_um, freq_min=1000.0 / hi, freq_max=1000.0 / lo,
                                q_min=5.0, settings=PencilSettings(keep_growing=True))
        poles.append([(r.wavelength_nm, -r.decay, abs(r.amplitude)) for r in found])
    return mode_thresholds(gains_per_cm=gains, poles=poles, match_tol_nm=0.3 * plan.mode_spacing_nm)
