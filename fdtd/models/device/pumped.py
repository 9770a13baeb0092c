"""The pumped device: from its geometry (sections, opening, recombination zone), each section geometry's unit-cell
numbers (``unit_cell.SectionCell``) and the unexcited perovskite's absorption alpha0(lambda), the coupled-wave
sections of the engine (gain under the opening, self-absorption elsewhere, the phase steps, the Bragg mismatch of
sections with their own Bragg point; ``plan``) and the device's lowest modes, of which the one with the lowest
threshold current density lases (``lasing``), self-consistent in wavelength (alpha0 at the lasing mode's own
wavelength; the other modes see the same alpha0). Lengths um, wavelengths nm, gains 1/cm (modal intensity).

Gains (docs/physics.md): under the opening the gain layer's zone (power confinement Gamma_z = Gamma x zone share)
has material gain g and the rest of the layer absorbs, so the section's net modal gain is
Gamma_z g - (Gamma - Gamma_z) alpha0 - alpha_other; outside it -Gamma alpha0 - alpha_other. The engine's unknown
is g_p = Gamma_z g, the device's threshold modal gain (for a fully, uniformly pumped uniform grating: the
Kogelnik-Shank mirror loss + alpha_other, today's definition)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from perocav.fdtd.models.device.budget import power_budget
from perocav.fdtd.models.device.engine import DeviceMode, device_modes
from perocav.fdtd.models.device.farfield import far_field
from perocav.fdtd.models.device.lasing import LasingChoice, ModeRanking, choose_lasing
from perocav.fdtd.models.device.lobes import lobes
from perocav.fdtd.models.device.mode_emission import ModeEmission, mode_emissions
from perocav.fdtd.models.device.plan import DevicePlan, device_plan
from perocav.fdtd.models.device.profile import mode_profile
from perocav.layout.device_geometry import DeviceGeometry

#: the modes whose emission (budget, slope, far fields) is kept: the lasing one and the next (the report's two)
EMISSION_MODES = 2
#: wavelength self-consistency: stop when the lasing line moves less than this [nm], or after MAX_PASSES
WAVELENGTH_TOL_NM = 1e-3
MAX_PASSES = 8


@dataclass(frozen=True)
class DeviceLine:
    """One device mode: threshold modal gain g_p [1/cm], detuning [1/cm] from the reference section's Bragg point,
    wavelength [nm], and its intensity |R|^2 + |S|^2 along the device (max 1) at ``DeviceSolution.z_um``."""

    threshold_modal_gain_per_cm: float
    detuning_per_cm: float
    wavelength_nm: float
    intensity: tuple[float, ...]


@dataclass(frozen=True)
class DeviceEmission:
    """Where the lowest mode's power goes (``budget``, fractions of the power its gain generates) and its far field
    in air (``farfield``, ``lobes``): eta_up (radiated up through the LED stack), radiated in all, out of the two
    ends, absorbed in the unpumped film; the central lobe's power fraction, the largest lobe angle [deg] and the
    FWHM divergence [deg] of the strongest lobe, and whether the beam has a null at normal incidence."""

    eta_up: float
    radiated_fraction: float
    ends_fraction: float
    absorbed_unpumped_fraction: float
    central_lobe_fraction: float
    lobe_angle_deg: float
    divergence_fwhm_deg: float
    null_at_normal: bool


@dataclass(frozen=True)
class DeviceSolution:
    """The device's modes, the lasing one (lowest J_th, ``lasing``) first, then the others by threshold modal gain,
    at the lasing mode's wavelength; the gain margin of ``lasing``; the unexcited absorption
    alpha0 [1/cm] there, the zone's power confinement, the unpumped sections' modal loss [1/cm], the pumped
    fraction of the grating length, the section boundaries [um] and the pumped stretch [um] along z."""

    lines: tuple[DeviceLine, ...]
    gain_margin_per_cm: float
    absorption_per_cm: float
    zone_confinement: float
    unpumped_loss_per_cm: float
    pumped_fraction: float
    z_um: tuple[float, ...]
    section_bounds_um: tuple[float, ...]
    pumped_um: tuple[float, float]
    reference_bragg_nm: float
    passes: int
    emission: DeviceEmission | None = None
    #: the lasing mode's rank by threshold modal gain (0: the lowest; ``lasing``)
    lasing_rank: int = 0
    #: the lasing mode and the next (``EMISSION_MODES``): budget, slope efficiency, far fields up and down
    #: (``mode_emission``); required, so a
    #: stored record from before it decodes as stale and is recomputed
    mode_emissions: tuple[ModeEmission, ...] = field(kw_only=True)



def emission_of(*, sections, mode, wavelength_nm: float, up_fraction: float) -> DeviceEmission | None:
    """The power budget and far field of ``mode`` (None when the mode generates no power: no gain anywhere)."""
    try:
        b = power_budget(sections=sections, mode=mode, up_fraction=up_fraction)
    except ValueError:
        return None
    beam = dict(central_lobe_fraction=math.nan, lobe_angle_deg=math.nan, divergence_fwhm_deg=math.nan,
                null_at_normal=False)
    if any(sec.radiation_per_cm > 0 for sec in sections):  # a surface emitter: its beam (1st order: none)
        lb = lobes(far_field(sections=sections, mode=mode, wavelength_nm=wavelength_nm))
        beam = dict(central_lobe_fraction=lb.central_lobe_fraction, lobe_angle_deg=max(
            (abs(a) for a in lb.lobe_angles_deg), default=math.nan), divergence_fwhm_deg=lb.fwhm_deg,
                    null_at_normal=lb.dip_at_normal)
    return DeviceEmission(eta_up=b.eta_up, radiated_fraction=b.radiated, ends_fraction=b.ends,
                          absorbed_unpumped_fraction=b.absorbed_unpumped, **beam)


def solve_device(*, geometry: DeviceGeometry, cells: dict, zone_share: float,
                 absorption_per_cm: Callable[[float], float], n_modes: int = 3,
                 profile_points: int = 241, up_fraction: float = 0.5,
                 ranking: ModeRanking | None = None, n_substrate: float = 1.0) -> DeviceSolution:
    """The device's ``n_modes`` lowest modes, the lasing one first (see the module doc); ``cells``:
    ``SectionCell`` by ``cell_key`` for every section geometry; ``zone_share``: the recombination zone's share of
    the gain layer's mode (1: uniform, ``zone``); ``absorption_per_cm(lambda_nm)``: alpha0 of the unexcited gain
    layer; ``up_fraction``: the stack's share of the radiated power that leaves upward
    (``updown.stack_emission_split``); ``ranking``: the zone's gain model (``lasing``; None: the lowest threshold
    modal gain lases); ``n_substrate``: the medium of the downward far field (``mode_emission``). ValueError when
    the opening misses the grating or the engine finds no mode."""
    return solve_plan(plan=device_plan(geometry=geometry, cells=cells, zone_share=zone_share),
                      absorption_per_cm=absorption_per_cm, n_modes=n_modes, profile_points=profile_points,
                      up_fraction=up_fraction, ranking=ranking, n_substrate=n_substrate)


def solve_plan(*, plan: DevicePlan, absorption_per_cm: Callable[[float], float], n_modes: int = 3,
               profile_points: int = 241, up_fraction: float = 0.5,
               ranking: ModeRanking | None = None, n_substrate: float = 1.0) -> DeviceSolution:
    """``solve_device`` of a laid-out device (``plan.device_plan``)."""
    lam, passes = plan.ref.bragg_wavelength_nm, 0
    while True:
        passes += 1
        alpha0 = float(absorption_per_cm(lam))
        modes = device_modes(sections=plan.sections(alpha0), n_modes=n_modes)
        if not modes.modes:
            raise ValueError("the coupled-mode engine finds no device mode")
        g = [m.threshold_modal_gain_per_cm for m in modes.modes]
        d = [m.detuning_per_cm for m in modes.modes]
        choice, new = lasing_step(plan, g, d, ranking)
        done = abs(new - lam) < WAVELENGTH_TOL_NM or passes >= MAX_PASSES
        lam = new
        if done:
            return finish_solution(plan, alpha0_per_cm=alpha0, thresholds_per_cm=g, detunings_per_cm=d,
                                   choice=choice, passes=passes, profile_points=profile_points,
                                   up_fraction=up_fraction, n_substrate=n_substrate)


def lasing_step(plan: DevicePlan, thresholds_per_cm, detunings_per_cm, ranking: ModeRanking | None):
    """(the lasing choice, its wavelength [nm]) of one pass's modes (by rising threshold)."""
    wl = [plan.wavelength_nm(d) for d in detunings_per_cm]
    choice = choose_lasing(threshold_modal_gain_per_cm=thresholds_per_cm, wavelength_nm=wl, ranking=ranking)
    return choice, wl[choice.index]


def finish_solution(plan: DevicePlan, *, alpha0_per_cm: float, thresholds_per_cm, detunings_per_cm,
                    choice: LasingChoice, passes: int, profile_points: int, up_fraction: float,
                    n_substrate: float = 1.0) -> DeviceSolution:
    """The solution record of the last pass: every mode's profile (the lasing one first, then the others by
    threshold) and the lasing mode's emission."""
    secs = plan.sections(alpha0_per_cm)
    order = [choice.index] + [k for k in range(len(thresholds_per_cm)) if k != choice.index]
    lines, modes, z_um = [], [], ()
    for k in order:
        g, d = float(thresholds_per_cm[k]), float(detunings_per_cm[k])
        m = DeviceMode(threshold_modal_gain_per_cm=g, detuning_per_cm=d,
                       section_gain_per_cm=tuple(s.gain_per_cm + (g if s.pumped else 0.0) for s in secs))
        prof = mode_profile(sections=secs, mode=m, n_points=profile_points)
        z_um = tuple(float(v) for v in prof.z_um)
        modes.append(m)
        lines.append(DeviceLine(threshold_modal_gain_per_cm=g, detuning_per_cm=d, wavelength_nm=plan.wavelength_nm(d),
                                intensity=tuple(float(v) for v in prof.intensity)))
    gamma, other = plan.unpumped_loss_coefficients
    return DeviceSolution(lines=tuple(lines), gain_margin_per_cm=float(choice.gain_margin_per_cm),
                          absorption_per_cm=alpha0_per_cm, zone_confinement=gamma * plan.zone_share,
                          unpumped_loss_per_cm=gamma * alpha0_per_cm + other, pumped_fraction=plan.pumped_fraction,
                          z_um=z_um, section_bounds_um=plan.bounds_um, pumped_um=plan.pumped_um,
                          reference_bragg_nm=plan.ref.bragg_wavelength_nm, passes=passes,
                          emission=emission_of(sections=secs, mode=modes[0], wavelength_nm=lines[0].wavelength_nm,
                                               up_fraction=up_fraction),
                          lasing_rank=choice.index,
                          mode_emissions=mode_emissions(sections=secs, modes=tuple(modes[:EMISSION_MODES]),
                                                        wavelengths_nm=[x.wavelength_nm
                                                                        for x in lines[:EMISSION_MODES]],
                                                        up_fraction=up_fraction, n_substrate=n_substrate,
                                                        layer_loss_per_cm=plan.layer_loss_per_cm(alpha0_per_cm),
                                                        gain_layer=plan.gain_layer))
