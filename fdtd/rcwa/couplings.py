"""kappa, Kazarinov-Henry radiation coupling and the Kogelnik-Shank threshold from the two band-edge poles and the
Bragg centre: the same formulas as the MEEP unit cell (``perocav.fdtd.models.dfb_couplings``, ``perocav.fdtd.models.cmt``). nm, 1/cm."""

from __future__ import annotations

import math

from perocav.fdtd.models import dfb_couplings as E
from perocav.fdtd.rcwa.centre import BraggCentre
from perocav.fdtd.rcwa.poles import Pole


def band_numbers(*, centre: BraggCentre, period_nm: float, duty_cycle: float, order: int, short: Pole, long_: Pole,
                 length_um: float, phase: float, confinement: float) -> dict:
    """Record fields derived from the two edges (see ``perocav.fdtd.rcwa.unit_cell``)."""
    from perocav.fdtd.models.cmt import analyze_dfb

    ls, ll, qs, ql = short.wavelength_nm, long_.wavelength_nm, short.q, long_.q
    n_g, lam_c = centre.group_index, centre.wavelength_nm
    kappa_split = E.kappa_from_edges_per_cm(short_nm=ls, long_nm=ll, group_index=n_g)
    out: dict = dict(group_index=n_g, kappa_splitting_per_cm=kappa_split)
    h = h_i = 0.0
    if order == 2:
        radiating = "short" if qs < ql else "long"
        q_rad, q_dark = min(qs, ql), max(qs, ql)
        lam_mid = 0.5 * (ls + ll)
        h = max(0.0, math.pi * n_g / (2 * lam_mid * 1e-7) * (1 / q_rad - 1 / q_dark))
        kappa_signed, h_i = E.second_order_couplings_per_cm(
            centre_nm=lam_c, dark_nm=ll if radiating == "short" else ls,
            radiating_nm=ls if radiating == "short" else ll, group_index=n_g)
        out.update(radiating_edge=radiating, radiation_per_cm=h, radiation_reactive_per_cm=h_i)
    else:
        kappa_signed = kappa_split
        lam_c = 0.5 * (ls + ll)
    kappa = abs(kappa_signed)
    out.update(kappa_per_cm=kappa, kappa_L=kappa * length_um * 1e-4)
    cmt = analyze_dfb(kappa_per_cm=kappa_signed, n_avg=order * lam_c / (2 * period_nm), period_nm=period_nm,
                      length_um=length_um, order=order, duty=duty_cycle, phase_shift_rad=phase, group_index=n_g,
                      radiation_per_cm=h, radiation_reactive_per_cm=h_i)
    if cmt.modes:
        lam = cmt.modes[0].wavelength_nm
        thr = cmt.modes[0].power_gain_per_cm + centre.modal_loss_per_cm
        out.update(lasing_wavelength_nm=lam, threshold_modal_gain_per_cm=thr,
                   lasing_q=2 * math.pi * n_g / (lam * 1e-7 * thr) if thr > 0 else math.inf,
                   threshold_source="Kogelnik-Shank with RCWA kappa and radiation, + RCWA modal loss of the "
                                    "duty-averaged guide")
        if confinement > 0:
            out["threshold_material_gain_per_cm"] = thr / confinement
    return out
