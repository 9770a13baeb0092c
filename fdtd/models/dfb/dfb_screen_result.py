"""One design of a ``dfb_screen`` batch as the per-design path's result type (``DfbAnalytic`` with its
``CmtResult``), built with the same CMT formulas (stopband, Bragg wavelength of n_avg, 2nd-order edges, mode
wavelengths from the detuning), so records made from either path have the same fields and meaning."""

from __future__ import annotations

import math

import numpy as np

from perocav.fdtd.models.dfb.cmt import CmtResult, SpectralMode
from perocav.fdtd.models.dfb.cmt_kappa import bragg_wavelength_nm, stopband_edges_nm, wavelength_from_delta_nm
from perocav.fdtd.models.dfb.cmt_radiation import second_order_band_edges
from perocav.fdtd.models.dfb.dfb_analytic import DfbAnalytic
from perocav.fdtd.models.dfb.dfb_screen import DfbScreen


def _cmt(s: DfbScreen, i: int, *, period_nm: float, duty_cycle: float, order: int, length_um: float,
         phase_shift_rad: float) -> CmtResult:
    n_avg, n_g, kappa, h = (float(s.n_avg[i]), float(s.group_index[i]), float(s.kappa_per_cm[i]),
                            float(s.radiation_per_cm[i]))
    lam_b = bragg_wavelength_nm(n_avg=n_avg, period_nm=period_nm, order=order)
    short, long_ = stopband_edges_nm(kappa_per_cm=kappa, bragg_wavelength_nm=lam_b, group_index=n_g)
    length_cm = length_um * 1e-4
    modes = tuple(
        SpectralMode(wavelength_nm=wavelength_from_delta_nm(delta_per_cm=float(d), bragg_wavelength_nm=lam_b,
                                                            group_index=n_g),
                     power_gain_per_cm=2.0 * float(a), alpha_per_cm=float(a), alpha_L=float(a) * length_um * 1e-4,
                     delta_per_cm=float(d), delta_L=float(d) * length_um * 1e-4)
        for a, d in zip(s.alpha_per_cm[i], s.delta_per_cm[i]) if np.isfinite(a))
    warnings: list[str] = []
    second = None
    if order == 2:
        second = second_order_band_edges(kappa_per_cm=kappa, radiation_per_cm=h, bragg_wavelength_nm=lam_b,
                                         group_index=n_g)
        if h == 0:
            warnings.append("2nd order without radiation coupling h: thresholds ignore surface emission "
                            "(h needs the transverse mode profile: radiation_coupling_per_cm)")
        if abs(duty_cycle - 0.5) < 0.05 - 1e-9:
            warnings.append("duty near 0.5: 2nd-harmonic kappa is small and the radiating edge is model-dependent")
    return CmtResult(order=order, duty=duty_cycle, period_nm=period_nm, length_um=length_um, n_avg=n_avg,
                     group_index=n_g, group_index_source="given", bragg_wavelength_nm=lam_b, kappa_per_cm=kappa,
                     kappa_L=abs(kappa) * length_cm, stopband_short_nm=short, stopband_long_nm=long_,
                     phase_shift_rad=phase_shift_rad, radiation_per_cm=h, modes=modes, second_order=second,
                     delta_n_abs=abs(float(s.neff_high[i]) - float(s.neff_low[i])), warnings=tuple(warnings))


def screen_design(s: DfbScreen, i: int, *, period_nm: float, duty_cycle: float, order: int, length_um: float,
                  phase_shift_rad: float) -> DfbAnalytic:
    """Design ``i`` of the screen (which must be ``ok``) as a ``DfbAnalytic``."""
    if not s.ok[i]:
        raise ValueError(f"design {i} is not answered by the screen: {s.reason[i]}")
    cmt = _cmt(s, i, period_nm=period_nm, duty_cycle=duty_cycle, order=order, length_um=length_um,
               phase_shift_rad=phase_shift_rad)
    gamma_p, loss = float(s.confinement_power[i]), float(s.modal_loss_per_cm[i])
    mirror = cmt.modes[0].power_gain_per_cm if cmt.modes else math.inf
    thr_modal = mirror + loss
    return DfbAnalytic(
        wavelength_nm=cmt.modes[0].wavelength_nm if cmt.modes else math.nan,
        bragg_wavelength_nm=float(s.bragg_wavelength_nm[i]), bragg_residual_nm=float(s.bragg_residual_nm[i]),
        neff_high=float(s.neff_high[i]), neff_low=float(s.neff_low[i]), n_avg=cmt.n_avg, group_index=cmt.group_index,
        kappa_per_cm=cmt.kappa_per_cm, kappa_L=cmt.kappa_L, radiation_per_cm=cmt.radiation_per_cm,
        radiating_edge=cmt.second_order.radiating_edge if cmt.second_order else None,
        confinement=float(s.confinement[i]), confinement_power=gamma_p, modal_loss_per_cm=loss,
        mirror_loss_per_cm=mirror, threshold_modal_gain_per_cm=thr_modal,
        threshold_material_gain_per_cm=thr_modal / gamma_p if gamma_p > 0 else math.inf, cmt=cmt,
        **_window(s, i))


def _window(s: DfbScreen, i: int) -> dict:
    """The gain window and the root's note of design ``i``, as ``DfbAnalytic`` fields."""
    w = s.gain_window
    if w is None:
        return {}
    return dict(gain_window_nm=w.window_nm, gain_window_reason=w.reason,
                bragg_note=str(s.bragg_note[i]) if s.bragg_note is not None else "")
