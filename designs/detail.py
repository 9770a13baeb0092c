"""What the report draws of the best DFB design, computed once by the run and stored with its result: the
coupled-mode spectrum (8 modes) and the TE0 slab mode at the lasing wavelength."""

from __future__ import annotations

import math

from typing import TYPE_CHECKING

from perocav.designs.records import DfbDetail, SlabProfile, SpectralLine

if TYPE_CHECKING:  # a hint only: the DFB family (below spec.py) names dfb_detail as its report detail
    from perocav.designs.spec import DesignPoint

#: longitudinal modes in the report's spectrum
SPECTRUM_MODES = 8


def dfb_detail(point: DesignPoint) -> DfbDetail:
    """Spectrum (coupled-mode theory on the stack's slab modes) and slab profile of a DFB design point."""
    from perocav.fdtd.models.dfb.dfb_analytic import analyze_dfb_on_stack

    stack, cav = point.stack.resolve(), point.cavity
    r = analyze_dfb_on_stack(stack=stack, period_nm=cav.period_nm, duty_cycle=cav.duty_cycle, order=cav.order,
                             length_um=cav.length_um, n_modes=SPECTRUM_MODES,
                             phase_shift_rad=math.pi if cav.phase_shift == "quarter_wave" else 0)
    return DfbDetail(wavelength_nm=r.wavelength_nm, bragg_wavelength_nm=r.bragg_wavelength_nm,
                     stopband_short_nm=r.cmt.stopband_short_nm, stopband_long_nm=r.cmt.stopband_long_nm,
                     kappa_per_cm=r.kappa_per_cm, kappa_L=r.kappa_L, group_index=r.group_index,
                     radiating_edge=r.radiating_edge or "",
                     modes=tuple(SpectralLine(wavelength_nm=m.wavelength_nm, power_gain_per_cm=m.power_gain_per_cm)
                                 for m in r.cmt.modes),
                     profile=slab_profile(stack, wavelength_nm=r.wavelength_nm))


def slab_profile(stack, *, wavelength_nm: float) -> SlabProfile:
    """TE0 slab mode of ``stack`` (grating level volume-averaged) at ``wavelength_nm``."""
    from perocav.fdtd.models.slab.slab_modes import solve_slab_mode

    prof = stack.index_profile(wavelength_nm=wavelength_nm)
    mode = solve_slab_mode(profile=prof, pol="TE")
    n_real = (prof.n_substrate.real, *(n.real for n in prof.n_layers), prof.n_cover.real)
    return SlabProfile(stack_name=stack.name, wavelength_nm=wavelength_nm, z_nm=tuple(float(z) for z in mode.z_nm),
                       e_abs2=tuple(float(e) for e in mode.e_abs2), interfaces_nm=tuple(map(float, mode.interfaces_nm)),
                       layer_names=tuple(mode.names), n_real=tuple(float(n) for n in n_real))
