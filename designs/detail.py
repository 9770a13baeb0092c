"""What the report draws of the best DFB design, computed once by the run from its analytic result and stored with
it: the coupled-mode spectrum (8 modes) of the record's couplings and the TE0 slab mode at the lasing wavelength."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from perocav.designs.records import DfbDetail, SlabProfile, SpectralLine
from perocav.fdtd.models.dfb.cmt import CmtGrating, CmtResult, DfbCouplings, analyze_dfb
from perocav.fdtd.models.dfb.dfb_analytic import DfbAnalytic
from perocav.fdtd.models.slab.slab_modes import solve_slab_mode

if TYPE_CHECKING:  # a hint only: the DFB family (below spec.py) names dfb_detail as its report detail
    from perocav.designs.records import DesignResult

#: longitudinal modes in the report's spectrum
SPECTRUM_MODES = 8


def record_cmt(result: DesignResult, *, n_modes: int) -> CmtResult:
    """The coupled-mode solution of a DFB design from its analytic record's couplings, Bragg index and group index
    (``n_modes`` modes): the slab modes and the Bragg point are not solved again."""
    r, cav = result.solver, result.point.cavity
    grating = CmtGrating(period_nm=cav.period_nm, duty_cycle=cav.duty_cycle, order=cav.order, length_um=cav.length_um,
                         phase_shift_rad=math.pi if cav.phase_shift == "quarter_wave" else 0.0)
    return analyze_dfb(grating=grating, couplings=DfbCouplings(kappa_per_cm=r.kappa_per_cm,
                                                              radiation_per_cm=r.radiation_per_cm),
                       n_avg=r.n_avg, group_index=r.group_index, n_modes=n_modes,
                       delta_n_abs=abs(r.neff_high - r.neff_low))


def analytic_start(result: DesignResult) -> DfbAnalytic:
    """The analytic DFB answer a MEEP run starts from (Bragg point the media freeze at, search window, source band),
    rebuilt from the design's analytic result instead of solving its slab modes again."""
    r, m = result.solver, result.metrics
    return DfbAnalytic(
        wavelength_nm=m.wavelength_nm, bragg_wavelength_nm=r.bragg_wavelength_nm,
        bragg_residual_nm=r.bragg_residual_nm, neff_high=r.neff_high, neff_low=r.neff_low, n_avg=r.n_avg,
        group_index=r.group_index, kappa_per_cm=r.kappa_per_cm, kappa_L=r.kappa_L, radiation_per_cm=r.radiation_per_cm,
        radiating_edge=r.radiating_edge or None, confinement=r.confinement, confinement_power=r.confinement_power,
        modal_loss_per_cm=r.modal_loss_per_cm, mirror_loss_per_cm=r.mirror_loss_per_cm,
        threshold_modal_gain_per_cm=m.threshold_modal_gain_per_cm,
        threshold_material_gain_per_cm=m.threshold_material_gain_per_cm, cmt=record_cmt(result, n_modes=3))


def dfb_detail(result: DesignResult) -> DfbDetail:
    """Spectrum and slab profile of a DFB design from its analytic result: the coupled-mode spectrum (8 modes) of
    the record's own couplings (``record_cmt``), and the TE0 slab mode at the lasing wavelength."""
    r = result.solver
    cmt = record_cmt(result, n_modes=SPECTRUM_MODES)
    lasing = result.metrics.wavelength_nm
    return DfbDetail(wavelength_nm=lasing, bragg_wavelength_nm=r.bragg_wavelength_nm,
                     stopband_short_nm=r.stopband_short_nm, stopband_long_nm=r.stopband_long_nm,
                     kappa_per_cm=r.kappa_per_cm, kappa_L=r.kappa_L, group_index=r.group_index,
                     radiating_edge=r.radiating_edge,
                     modes=tuple(SpectralLine(wavelength_nm=m.wavelength_nm, power_gain_per_cm=m.power_gain_per_cm)
                                 for m in cmt.modes),
                     profile=slab_profile(result.point.stack.resolve(), wavelength_nm=lasing))


def slab_profile(stack, *, wavelength_nm: float) -> SlabProfile:
    """TE0 slab mode of ``stack`` (grating level volume-averaged) at ``wavelength_nm``."""
    prof = stack.index_profile(wavelength_nm=wavelength_nm)
    mode = solve_slab_mode(profile=prof, pol="TE")
    n_real = (prof.n_substrate.real, *(n.real for n in prof.n_layers), prof.n_cover.real)
    return SlabProfile(stack_name=stack.name, wavelength_nm=wavelength_nm, z_nm=tuple(float(z) for z in mode.z_nm),
                       e_abs2=tuple(float(e) for e in mode.e_abs2), interfaces_nm=tuple(map(float, mode.interfaces_nm)),
                       layer_names=tuple(mode.names), n_real=tuple(float(n) for n in n_real))
