"""Build step of the finite-device FDTD (no meep import): the freezing wavelength, the analytic couplings and zone
confinements of each section type, the coupled-mode guess of the threshold that places the gain levels, the search
window, the source band and the ring-down length. Wavelengths nm, gains 1/cm, lengths um.
"""

from __future__ import annotations

from dataclasses import dataclass

from perocav.fdtd.device_cmt import SectionCouplings, device_cmt_modes
from perocav.fdtd.models.dfb.bragg import solve_bragg
from perocav.fdtd.models.dfb.dfb_analytic import analyze_dfb_on_stack
from perocav.fdtd.models.dfb.dfb_dispersion import frozen_group_index
from perocav.fdtd.models.slab.zone_modal import ZoneModal, zone_modal
from perocav.layout.device_geometry import DeviceGeometry, SectionGeometry
from perocav.pdk.stack import Stack


@dataclass(frozen=True)
class DevicePlan:
    """What every run of one device shares (see the module docstring); ``zone_confinement``: the pumped-length
    weighted power confinement of the recombination zone, the factor from material to modal gain."""

    freeze_nm: float
    group_index_frozen: float
    n_perovskite: float
    zone_confinement: float
    guess_material_gain_per_cm: float
    window_nm: tuple[float, float]
    band_nm: tuple[float, float]
    ring_down_um: float
    fine_ring_down_um: float
    mode_spacing_nm: float
    couplings: dict


def _reference(geometry: DeviceGeometry) -> SectionGeometry:
    patterned = [s for s in geometry.sections if s.order]
    if not patterned:
        raise ValueError("the device has no patterned section")
    return patterned[0]


def analytic_couplings(*, stack: Stack, geometry: DeviceGeometry, wavelength_nm: float,
                       alpha_unpumped_per_cm: float) -> tuple[dict, dict[tuple[int, float], ZoneModal]]:
    """({(order, duty): SectionCouplings}, {(order, duty): ZoneModal}) from the analytic unit-cell model and the
    slab solver at ``wavelength_nm``."""
    couplings, zones = {}, {}
    for s in geometry.sections:
        key = (s.order, s.duty_cycle)
        if key in couplings:
            continue
        z = zone_modal(stack=stack, duty_cycle=s.duty_cycle if s.order else None, wavelength_nm=wavelength_nm,
                       pump=geometry.pump, alpha_unpumped_per_cm=alpha_unpumped_per_cm)
        kappa = h = 0.0
        if s.order:
            a = analyze_dfb_on_stack(stack=stack, period_nm=s.period_nm, duty_cycle=s.duty_cycle, order=s.order,
                                     length_um=s.length_um, n_modes=1)
            kappa, h = abs(a.kappa_per_cm), a.radiation_per_cm
        couplings[key] = SectionCouplings(kappa_abs_per_cm=kappa, radiation_per_cm=h,
                                          pumped_background_per_cm=z.pumped_background_per_cm,
                                          unpumped_background_per_cm=z.unpumped_background_per_cm)
        zones[key] = z
    return couplings, zones


def zone_confinement(*, geometry: DeviceGeometry, zones: dict[tuple[int, float], ZoneModal]) -> float:
    """Pumped-length weighted zone confinement over the sections the opening covers."""
    lo, hi = geometry.pumped_interval_um()
    num = den = 0.0
    for (z0, z1), s in zip(geometry.bounds_um(), geometry.sections, strict=True):
        w = max(0.0, min(z1, hi) - max(z0, lo))
        num, den = num + w * zones[(s.order, s.duty_cycle)].zone_confinement, den + w
    return num / den if den > 0 else next(iter(zones.values())).zone_confinement


def plan_device(*, stack: Stack, geometry: DeviceGeometry, alpha_unpumped_per_cm: float,
                freeze_wavelength_nm: float | None = None, ring_down_um: float | None = None,
                window_fraction: float = 0.03, ring_down_transits: float = 3.0, fine_ring_down_transits: float = 2.0,
                source_band_factor: float = 1.5) -> DevicePlan:
    """The plan: media frozen at the first patterned section's self-consistent Bragg wavelength (or the given one),
    window +-max(window_fraction, 3 frozen stop bands), source band ``source_band_factor`` x wider (a wider band is a
    shorter pulse: the source lasts 10 / its frequency width), ring-down max(100, transits x n_g L) um / c after it
    (the pencil resolves modes a spacing c / (2 n_g L) apart); ``fine_ring_down_um`` likewise with
    ``fine_ring_down_transits``, for the runs that only follow one known mode near its threshold."""
    ref = _reference(geometry)
    lam = freeze_wavelength_nm or solve_bragg(stack=stack, period_nm=ref.period_nm, duty_cycle=ref.duty_cycle,
                                              order=ref.order).wavelength_nm
    n_g = frozen_group_index(stack=stack, duty_cycle=ref.duty_cycle, wavelength_nm=lam)
    couplings, zones = analytic_couplings(stack=stack, geometry=geometry, wavelength_nm=lam,
                                          alpha_unpumped_per_cm=alpha_unpumped_per_cm)
    gamma = zone_confinement(geometry=geometry, zones=zones)
    modes = device_cmt_modes(geometry=geometry, couplings=couplings, reference_nm=lam, group_index=n_g, n_modes=1)
    if not modes:
        raise ValueError("the coupled-mode guess finds no lasing mode")
    kappa_max = max(c.kappa_abs_per_cm for c in couplings.values())
    stop_nm = lam**2 * kappa_max / (3.141592653589793 * n_g) * 1e-7
    half = max(window_fraction * lam, 3.0 * stop_nm)
    length = geometry.length_um
    return DevicePlan(freeze_nm=lam, group_index_frozen=n_g, n_perovskite=next(iter(zones.values())).n_perovskite,
                      zone_confinement=gamma, guess_material_gain_per_cm=modes[0].threshold_modal_gain_per_cm / gamma,
                      window_nm=(lam - half, lam + half),
                      band_nm=(lam - source_band_factor * half, lam + source_band_factor * half),
                      ring_down_um=ring_down_um or max(100.0, ring_down_transits * n_g * length),
                      fine_ring_down_um=ring_down_um or max(100.0, fine_ring_down_transits * n_g * length),
                      mode_spacing_nm=lam**2 / (2.0 * n_g * length * 1000.0), couplings=couplings)
