"""The pumped device: from its geometry (sections, opening, recombination zone), each section geometry's unit-cell
numbers (``unit_cell.SectionCell``) and the unexcited perovskite's absorption alpha0(lambda), the coupled-wave
sections of the engine (gain under the opening, self-absorption elsewhere, the phase steps, the Bragg mismatch of
sections with their own Bragg point) and the device's lowest modes, self-consistent in wavelength (alpha0 at the
mode's own wavelength). Lengths um, wavelengths nm, gains 1/cm (modal intensity).

Gains (docs/physics.md): under the opening the gain layer's zone (power confinement Gamma_z = Gamma x zone share)
has material gain g and the rest of the layer absorbs, so the section's net modal gain is
Gamma_z g - (Gamma - Gamma_z) alpha0 - alpha_other; outside it -Gamma alpha0 - alpha_other. The engine's unknown
is g_p = Gamma_z g, the device's threshold modal gain (for a fully, uniformly pumped uniform grating: the
Kogelnik-Shank mirror loss + alpha_other, today's definition)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from perocav.fdtd.models.device.budget import power_budget
from perocav.fdtd.models.device.engine import device_modes
from perocav.fdtd.models.device.farfield import far_field
from perocav.fdtd.models.device.lobes import lobes
from perocav.fdtd.models.device.profile import mode_profile
from perocav.fdtd.models.device.sections import DeviceSection
from perocav.fdtd.models.device.unit_cell import SectionCell, cell_key
from perocav.fdtd.models.dfb.cmt_kappa import delta_from_wavelength_per_cm, wavelength_from_delta_nm
from perocav.layout.device_geometry import DeviceGeometry

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
    """The device's modes, lowest threshold first, at the lowest mode's wavelength: the unexcited absorption
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


def pumped_interval_um(*, geometry: DeviceGeometry, length_um: float) -> tuple[float, float]:
    """The opening along the coupled-mode z (the grating's periods end to end, no phase-step gaps), clipped."""
    pump = geometry.pump
    if pump.opening_um is None:
        return 0.0, length_um
    centre = 0.5 * length_um + pump.offset_um
    return max(0.0, centre - 0.5 * pump.opening_um), min(length_um, centre + 0.5 * pump.opening_um)


def _bounds(geometry: DeviceGeometry) -> list[float]:
    z = [0.0]
    for s in geometry.sections:
        z.append(z[-1] + s.length_um)
    return z


def _pieces(geometry: DeviceGeometry, pumped: tuple[float, float]):
    """(geometry section, length um, pumped?, phase rad) of every piece between section and pump boundaries; the
    phases from the drawn teeth, negated (``DeviceGeometry.section_phases_rad`` gives beta_B (c_j - c_0); the
    engine's R ~ exp(-i beta z) takes the coupling exp(-2 i phi) from eps_{-2} ~ exp(+2 i beta_B (c_j - c_0)), so
    phi = -beta_B (c_j - c_0): the sign is what a 2nd-order quarter-wave step's radiation phase, hence its far field,
    depends on; docs/validation.md, far field vs FDTD)."""
    z, out = _bounds(geometry), []
    for k, (s, phase) in enumerate(zip(geometry.sections, [-p for p in geometry.section_phases_rad()])):
        cuts = sorted({z[k], z[k + 1], *[p for p in pumped if z[k] < p < z[k + 1]]})
        for a, b in zip(cuts[:-1], cuts[1:]):
            mid = 0.5 * (a + b)
            out.append((s, b - a, pumped[0] <= mid <= pumped[1] and pumped[1] > pumped[0], phase))
    return out


def _reference(pieces, pumped: tuple[float, float]) -> SectionCell:
    """The section geometry under the opening's centre: its Bragg point is the device's detuning reference."""
    centre, z = 0.5 * (pumped[0] + pumped[1]), 0.0
    for s, length, _, _ in pieces:
        if z <= centre <= z + length:
            return s
        z += length
    return pieces[-1][0]


def _offset_per_cm(cell: SectionCell, ref: SectionCell) -> float:
    """This section's detuning minus the reference's, at the reference's Bragg point (the inverse of the one
    detuning -> wavelength relation, at this section's Bragg point and group index)."""
    return delta_from_wavelength_per_cm(wavelength_nm=ref.bragg_wavelength_nm, bragg_wavelength_nm=cell.bragg_wavelength_nm,
                                        group_index=cell.group_index)


def _engine_sections(pieces, *, ref: SectionCell, zone_share: float, alpha0_per_cm: float):
    """The engine's sections of the (cell, length, pumped, phase) pieces at the absorption ``alpha0_per_cm``."""
    out = []
    for c, length, pumped, phase in pieces:
        gamma = c.confinement_power
        gain = (-(gamma * (1.0 - zone_share)) if pumped else -gamma) * alpha0_per_cm - c.modal_loss_per_cm
        out.append(DeviceSection(length_um=length, kappa_per_cm=c.kappa_per_cm, radiation_per_cm=c.radiation_per_cm,
                                 radiation_reactive_per_cm=c.radiation_reactive_per_cm, phase_rad=phase,
                                 pumped=pumped, gain_per_cm=gain, detuning_offset_per_cm=_offset_per_cm(c, ref)))
    return tuple(out)


def _wavelength_nm(ref: SectionCell, delta_per_cm: float) -> float:
    """The one detuning -> wavelength relation (``cmt_kappa.wavelength_from_delta_nm``) at the reference cell."""
    return wavelength_from_delta_nm(delta_per_cm=delta_per_cm, bragg_wavelength_nm=ref.bragg_wavelength_nm,
                                    group_index=ref.group_index)


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
                 absorption_per_cm: Callable[[float], float], n_modes: int = 2,
                 profile_points: int = 241, up_fraction: float = 0.5) -> DeviceSolution:
    """The device's ``n_modes`` lowest modes (see the module doc); ``cells``: ``SectionCell`` by ``cell_key`` for
    every section geometry; ``zone_share``: the recombination zone's share of the gain layer's |E|^2 (1: uniform);
    ``absorption_per_cm(lambda_nm)``: alpha0 of the unexcited gain layer; ``up_fraction``: the stack's share of the
    radiated power that leaves upward (``updown.stack_emission_split``). ValueError when the opening misses the
    grating or the engine finds no mode."""
    bounds = _bounds(geometry)
    pumped = pumped_interval_um(geometry=geometry, length_um=bounds[-1])
    if pumped[1] <= pumped[0]:
        raise ValueError(f"the opening {pumped} um misses the grating (0 .. {bounds[-1]:g} um)")
    pieces = [(cells[cell_key(order=s.order, period_nm=s.period_nm, duty_cycle=s.duty_cycle)], l, p, ph)
              for s, l, p, ph in _pieces(geometry, pumped)]
    ref = _reference(pieces, pumped)
    lam, passes, modes, secs = ref.bragg_wavelength_nm, 0, None, ()
    while passes < MAX_PASSES:
        passes += 1
        alpha0 = float(absorption_per_cm(lam))
        secs = _engine_sections(pieces, ref=ref, zone_share=zone_share, alpha0_per_cm=alpha0)
        modes = device_modes(sections=secs, n_modes=n_modes)
        if not modes.modes:
            raise ValueError("the coupled-mode engine finds no device mode")
        new = _wavelength_nm(ref, modes.modes[0].detuning_per_cm)
        done = abs(new - lam) < WAVELENGTH_TOL_NM
        lam = new
        if done:
            break
    lines = []
    z_um: tuple[float, ...] = ()
    for m in modes.modes:
        prof = mode_profile(sections=secs, mode=m, n_points=profile_points)
        z_um = tuple(float(v) for v in prof.z_um)
        lines.append(DeviceLine(threshold_modal_gain_per_cm=m.threshold_modal_gain_per_cm,
                                detuning_per_cm=m.detuning_per_cm, wavelength_nm=_wavelength_nm(ref, m.detuning_per_cm),
                                intensity=tuple(float(v) for v in prof.intensity)))
    return DeviceSolution(lines=tuple(lines), gain_margin_per_cm=modes.gain_margin_per_cm, absorption_per_cm=alpha0,
                          zone_confinement=ref.confinement_power * zone_share,
                          unpumped_loss_per_cm=ref.confinement_power * alpha0 + ref.modal_loss_per_cm,
                          pumped_fraction=(pumped[1] - pumped[0]) / bounds[-1], z_um=z_um,
                          section_bounds_um=tuple(bounds), pumped_um=pumped, reference_bragg_nm=ref.bragg_wavelength_nm,
                          passes=passes, emission=emission_of(sections=secs, mode=modes.modes[0],
                                                              wavelength_nm=lines[0].wavelength_nm,
                                                              up_fraction=up_fraction))
