"""Analytic DFB on a stack: slab modes (n_eff of tooth/gap regions, overlap kappa, radiation, confinement,
modal loss) fed into coupled-mode theory (Kogelnik-Shank threshold). TE only (the overlap kappa is TE)."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from perocav.fdtd.models.dfb.cmt import CmtGrating, CmtResult, DfbCouplings, analyze_dfb
from perocav.fdtd.models.dfb.cmt_kappa import kappa_from_overlap_per_cm
from perocav.fdtd.models.dfb.cmt_radiation import radiation_coupling_per_cm
from perocav.fdtd.models.dfb.bragg import solve_bragg
from perocav.fdtd.models.dispersion.dispersion import grating_layer, region_stack
from perocav.fdtd.models.slab.slab_modes import SlabMode, solve_slab_mode
from perocav.fdtd.models.spectral_gain.stack_window import GainWindow
from perocav.pdk.errors import InputError
from perocav.pdk.materials import resolve_material
from perocav.pdk.stack import Stack


@dataclass(frozen=True)
class DfbAnalytic:
    """Analytic answer for one DFB design. Wavelengths nm, gains/losses 1/cm (intensity unless said)."""

    wavelength_nm: float  # lowest-threshold mode
    bragg_wavelength_nm: float
    bragg_residual_nm: float  # the Bragg condition re-evaluated with direct slab solves at bragg_wavelength_nm
    neff_high: float
    neff_low: float
    n_avg: float
    group_index: float
    kappa_per_cm: float
    kappa_L: float
    radiation_per_cm: float  # Kazarinov-Henry h (2nd order), amplitude
    radiating_edge: str | None
    confinement: float  # gain layer, field fraction
    confinement_power: float  # gain layer, power-weighted (used for threshold)
    modal_loss_per_cm: float  # cold-cavity absorption alpha_c of the averaged stack
    mirror_loss_per_cm: float  # power threshold gain of the lowest DFB mode (2 alpha_th), incl. radiation
    threshold_modal_gain_per_cm: float  # mirror + absorption
    threshold_material_gain_per_cm: float  # / Gamma_power
    cmt: CmtResult
    #: where the Bragg root was solved [nm] and why there (``GainWindow.reason``): the material spectrum's result
    #: or the user's filter
    gain_window_nm: tuple[float, float] = (math.nan, math.nan)
    gain_window_reason: str = ""
    #: how the root was chosen among several in the window ("" when it was the only one)
    bragg_note: str = ""

    def to_dict(self) -> dict:
        d = asdict(self)
        d["cmt"] = self.cmt.to_dict()
        return d


#: samples of the mode profile (Simpson per region: 8001 puts the overlaps' quadrature error near 1e-10)
MODE_SAMPLES = 8001


def _mode(stack: Stack, wavelength_nm: float) -> SlabMode:
    return solve_slab_mode(profile=stack.index_profile(wavelength_nm=wavelength_nm), pol="TE", n_z=MODE_SAMPLES)


def simpson_weights(mode: SlabMode) -> np.ndarray:
    """Quadrature weights on ``mode.z_nm``: composite Simpson on each region's own uniform samples (the regions
    share their interface points, which trapezoid sums over the whole grid handle, but at ~1e-5 relative error in
    the coarsely sampled substrate tail; Simpson per region: ~1e-12)."""
    n_reg = len(mode.names)
    per = mode.z_nm.size // n_reg
    base = np.ones(per)
    base[1:-1:2], base[2:-1:2] = 4.0, 2.0
    w = np.empty(mode.z_nm.size)
    for j in range(n_reg):
        z = mode.z_nm[j * per:(j + 1) * per]
        w[j * per:(j + 1) * per] = base * (z[1] - z[0]) / 3.0
    return w


def analyze_dfb_on_stack(
    *, stack: Stack, period_nm: float, duty_cycle: float, order: int, length_um: float,
    phase_shift_rad: float = 0.0, n_modes: int = 3, window_nm: tuple[float, float] | GainWindow | None = None,
) -> DfbAnalytic:
    """Self-consistent Bragg wavelength (``models.dfb.bragg``: the root in the stack's gain window, or
    ``window_nm``, that the spectrum favours), kappa (mode overlap), 2nd-order radiation, Kogelnik-Shank threshold
    with the mode's dispersive group index."""
    if not 0 < duty_cycle < 1:
        raise InputError(f"{duty_cycle} is outside (0, 1)", field="duty_cycle", allowed="0 < duty_cycle < 1")
    if order not in (1, 2):
        raise InputError(f"{order} is not a grating order", field="order", allowed="1, 2")
    gname = grating_layer(stack).name
    bragg = solve_bragg(stack=stack, period_nm=period_nm, duty_cycle=duty_cycle, order=order, window_nm=window_nm)
    wl, n_h, n_l, n_avg, n_g = (bragg.wavelength_nm, bragg.neff_tooth, bragg.neff_gap, bragg.n_avg,
                                bragg.group_index)
    avg = region_stack(stack=stack, region="average", duty_cycle=duty_cycle)
    mode = _mode(avg, wl)
    # permittivity step of the grating level on the mode's z grid
    g = avg.layer(gname)
    eps_hi = resolve_material(g.material).nk(wavelength_nm=wl) ** 2
    eps_lo = resolve_material(g.fill_material).nk(wavelength_nm=wl) ** 2
    j = mode.names.index(gname)
    z0, z1 = mode.interfaces_nm[j - 1], mode.interfaces_nm[j]
    # the grating's own samples only: the neighbours' end points also lie on z0 and z1, and counting them added
    # half a neighbour grid step of |E|^2 (0.9 % of kappa on the transparent stack, 1.8 % of h)
    per = mode.z_nm.size // len(mode.names)
    own = np.zeros(mode.z_nm.size, dtype=bool)
    own[j * per:(j + 1) * per] = True
    assert mode.z_nm[j * per] == z0 and mode.z_nm[(j + 1) * per - 1] == z1
    d_eps = np.where(own, np.real(eps_hi - eps_lo), 0.0)
    weights = simpson_weights(mode)
    kappa = kappa_from_overlap_per_cm(z_nm=mode.z_nm, field_sq=mode.e_abs2, d_eps=d_eps, duty=duty_cycle,
                                      order=order, n_eff=mode.neff.real, wavelength_nm=wl, weights=weights)
    h = 0.0
    if order == 2:
        n_sub = resolve_material(stack.substrate).nk(wavelength_nm=wl).real
        h = radiation_coupling_per_cm(z_nm=mode.z_nm, field=mode.field_u.real, d_eps=d_eps, duty=duty_cycle,
                                      n_eff=mode.neff.real, wavelength_nm=wl, n_radiation=n_sub, weights=weights)
    grating = CmtGrating(period_nm=period_nm, duty_cycle=duty_cycle, order=order, length_um=length_um,
                         phase_shift_rad=phase_shift_rad)
    cmt = analyze_dfb(grating=grating, couplings=DfbCouplings(kappa_per_cm=kappa, radiation_per_cm=h), n_avg=n_avg,
                      group_index=n_g, n_modes=n_modes, delta_n_abs=abs(n_h - n_l))
    gamma = mode.confinement.get(stack.gain_layer, float("nan")) if stack.gain_layer else float("nan")
    gamma_p = mode.confinement_power.get(stack.gain_layer, float("nan")) if stack.gain_layer else float("nan")
    mirror = cmt.modes[0].power_gain_per_cm if cmt.modes else float("inf")
    lasing_wl = cmt.modes[0].wavelength_nm if cmt.modes else float("nan")
    thr_modal = mirror + mode.loss_per_cm
    return DfbAnalytic(
        wavelength_nm=lasing_wl, bragg_wavelength_nm=wl, bragg_residual_nm=bragg.residual_nm, neff_high=n_h, neff_low=n_l,
        n_avg=n_avg, group_index=n_g, kappa_per_cm=kappa, kappa_L=cmt.kappa_L, radiation_per_cm=h,
        radiating_edge=cmt.second_order.radiating_edge if cmt.second_order else None,
        confinement=gamma, confinement_power=gamma_p, modal_loss_per_cm=mode.loss_per_cm,
        mirror_loss_per_cm=mirror, threshold_modal_gain_per_cm=thr_modal,
        threshold_material_gain_per_cm=thr_modal / gamma_p if gamma_p > 0 else float("inf"), cmt=cmt,
        gain_window_nm=bragg.window_nm, gain_window_reason=bragg.window_reason, bragg_note=bragg.note,
    )
