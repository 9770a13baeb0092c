"""The finite-device FDTD against coupled-mode theory on the same grid: the three validation devices of issue 24
(a uniform 1st-order grating pumped over half its length with the rest absorbing and gain in the bottom
(hole-side) third of the perovskite, a quarter-wave-shifted 1st-order grating, a mixed-order grating: 1st-order
sections around a 2nd-order centre) on the transparent MAPbI3 stack at the default ladder, and a quarter-wave-shifted
1st-order grating on the transparent CsPbBr3 stack at rungs where its 125 nm unit cell is whole pixels.
The CMT side takes kappa (and h, h_i) from MEEP unit cells at each rung's resolution and the media frozen where the
device's are, its threshold combined over the same rungs as the FDTD's, the same way (``rung_estimate``). Gains 1/cm.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from perocav.fdtd.device_cmt import device_cmt_modes
from perocav.fdtd.device_fdtd import DeviceFdtdResult, DeviceFdtdSettings, simulate_device_meep
from perocav.fdtd.device_fdtd_setup import plan_device
from perocav.fdtd.device_unit_cells import meep_section_couplings
from perocav.fdtd.extract.threshold_fit import combine_rungs
from perocav.layout.device_geometry import DeviceGeometry, PumpGeometry, SectionGeometry
from perocav.pdk.stacks import get_stack


@dataclass(frozen=True)
class ValidationCase:
    """A device on a PDK stack with its unpumped absorption alpha0 [1/cm] and the FDTD settings it runs with
    (the default ladder, or rungs at which its unit cell is a whole number of pixels)."""

    name: str
    stack: str
    geometry: DeviceGeometry
    alpha_unpumped_per_cm: float
    settings: DeviceFdtdSettings = DeviceFdtdSettings()


def _first(n: int, *, duty: float = 0.5, shift_nm: float = 0.0, period_nm: float = 200.0) -> SectionGeometry:
    return SectionGeometry(order=1, period_nm=period_nm, duty_cycle=duty, n_periods=n, shift_nm=shift_nm)


CASES = (
    ValidationCase("uniform_partial", "transparent_MAPbI3", DeviceGeometry(
        sections=(_first(100),), pump=PumpGeometry(opening_um=10.0, zone_fraction=1 / 3, zone_side="hole")), 300.0),
    ValidationCase("quarter_wave", "transparent_MAPbI3", DeviceGeometry(
        sections=(_first(50), _first(50, shift_nm=100.0)), pump=PumpGeometry()), 300.0),
    ValidationCase("mixed_order", "transparent_MAPbI3", DeviceGeometry(
        sections=(_first(40, duty=0.3), SectionGeometry(order=2, period_nm=400.0, duty_cycle=0.3, n_periods=10),
                  _first(40, duty=0.3)), pump=PumpGeometry()), 300.0),
    # CsPbBr3: 125 nm (Bragg 528.6 nm) is 10 px at 80 and 15 px at 120 px/um; no whole-nm 1st-order period of its gain
    # window is whole at 60 or at both 60 and 80 (the unit cell needs both), and its shorter wavelength wants the
    # finer grid anyway (80 / 120 px/um at 529 nm ~ 53 / 80 px/um at 815 nm)
    ValidationCase("cspbbr3_quarter_wave", "transparent_CsPbBr3", DeviceGeometry(
        sections=(_first(40, period_nm=125.0), _first(40, period_nm=125.0, shift_nm=62.5)),
        pump=PumpGeometry()), 100.0, DeviceFdtdSettings(resolutions_px_per_um=(80.0, 120.0))),
)


@dataclass(frozen=True)
class Comparison:
    """FDTD and CMT thresholds (modal intensity gain of the pumped sections [1/cm]) per rung and combined,
    the CMT's gain margin at the first rung (where the FDTD's is taken), the relative difference of the
    combined thresholds, and the FDTD record (its CPU time, wavelength, margin)."""

    case: str
    fdtd_per_rung: tuple[float, ...]
    cmt_per_rung: tuple[float, ...]
    fdtd_threshold_modal_gain_per_cm: float
    cmt_threshold_modal_gain_per_cm: float
    cmt_gain_margin_per_cm: float
    difference_relative: float
    cmt_cpu_time_s: float
    fdtd: DeviceFdtdResult


def compare(case: ValidationCase, *, settings: DeviceFdtdSettings | None = None) -> Comparison:
    """Run the device FDTD and the CMT with MEEP unit-cell couplings at the same rungs (``settings``: the case's
    when None)."""
    settings = settings or case.settings
    stack = get_stack(case.stack)
    fdtd = simulate_device_meep(stack=stack, geometry=case.geometry, alpha_unpumped_per_cm=case.alpha_unpumped_per_cm,
                                settings=settings)
    c0 = time.process_time()
    plan = plan_device(stack=stack, geometry=case.geometry, alpha_unpumped_per_cm=case.alpha_unpumped_per_cm)
    cmt, margins = [], []
    for res in settings.resolutions_px_per_um:
        couplings = meep_section_couplings(stack=stack, geometry=case.geometry,
                                           alpha_unpumped_per_cm=case.alpha_unpumped_per_cm,
                                           resolution_px_per_um=res, freeze_nm=fdtd.freeze_wavelength_nm,
                                           group_index=plan.group_index_frozen)
        ref = couplings[(case.geometry.sections[0].order, case.geometry.sections[0].duty_cycle)].centre_nm
        modes = device_cmt_modes(geometry=case.geometry, couplings=couplings, reference_nm=ref,
                                 group_index=plan.group_index_frozen, n_modes=2)
        cmt.append(modes[0].threshold_modal_gain_per_cm)
        margins.append(modes[1].threshold_modal_gain_per_cm - modes[0].threshold_modal_gain_per_cm
                       if len(modes) > 1 else float("nan"))
    fdtd_rungs = tuple(r.threshold_material_gain_per_cm * fdtd.zone_confinement for r in fdtd.rungs)
    cmt_x = combine_rungs(values=cmt, resolutions_px_per_um=settings.resolutions_px_per_um,
                          method=settings.rung_estimate)
    g = fdtd.threshold_modal_gain_per_cm
    return Comparison(case=case.name, fdtd_per_rung=fdtd_rungs, cmt_per_rung=tuple(cmt),
                      fdtd_threshold_modal_gain_per_cm=g, cmt_threshold_modal_gain_per_cm=cmt_x,
                      cmt_gain_margin_per_cm=margins[0], difference_relative=(g - cmt_x) / cmt_x,
                      cmt_cpu_time_s=time.process_time() - c0, fdtd=fdtd)
