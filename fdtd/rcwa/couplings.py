"""kappa, Kazarinov-Henry radiation coupling and the Kogelnik-Shank threshold from the two band-edge poles and the
Bragg centre: the same formulas as the MEEP unit cell (``perocav.fdtd.models.dfb.dfb_couplings``, ``perocav.fdtd.models.dfb.cmt``). nm, 1/cm."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from perocav.fdtd.models.dfb import dfb_couplings as E
from perocav.fdtd.models.dfb.cmt import DfbCouplings, analyze_dfb
from perocav.fdtd.models.gain import cavity_q, radiation_from_edge_qs_per_cm
from perocav.fdtd.models.dfb.grating import DfbGrating
from perocav.fdtd.rcwa.centre import BraggCentre
from perocav.fdtd.rcwa.poles import Pole


@dataclass(frozen=True)
class BandNumbers:
    """What the two band edges give (``DfbSolverResult`` field names): n_g, kappa (|kappa| and kappa L, and the
    splitting's kappa) [1/cm], the 2nd-order radiating edge and h, h_i [1/cm], and the Kogelnik-Shank lasing mode
    (nm, Q) with its modal and material threshold gains [1/cm]. NaN / None where absent (1st order: no h)."""

    group_index: float
    kappa_splitting_per_cm: float
    kappa_per_cm: float
    kappa_L: float
    radiating_edge: str | None
    radiation_per_cm: float
    radiation_reactive_per_cm: float
    lasing_wavelength_nm: float = math.nan
    lasing_q: float = math.nan
    threshold_modal_gain_per_cm: float = math.nan
    threshold_material_gain_per_cm: float = math.nan
    threshold_source: str = ""


def _second_order(*, centre: BraggCentre, short: Pole, long_: Pole) -> tuple[str, DfbCouplings]:
    """2nd order: the radiating edge ("short" | "long") and the couplings: h_r from the edge Qs, signed kappa and h_i
    from the edges' detunings from the Bragg centre."""
    ls, ll, qs, ql = short.wavelength_nm, long_.wavelength_nm, short.q, long_.q
    n_g = centre.group_index
    radiating = "short" if qs < ql else "long"
    q_rad, q_dark = min(qs, ql), max(qs, ql)
    lam_mid = 0.5 * (ls + ll)
    h = radiation_from_edge_qs_per_cm(wavelength_nm=lam_mid, q_radiating=q_rad, q_dark=q_dark, group_index=n_g)
    kappa_signed, h_i = E.second_order_couplings_per_cm(
        centre_nm=centre.wavelength_nm, dark_nm=ll if radiating == "short" else ls,
        radiating_nm=ls if radiating == "short" else ll, group_index=n_g)
    return radiating, DfbCouplings(kappa_per_cm=kappa_signed, radiation_per_cm=h, radiation_reactive_per_cm=h_i)


def band_numbers(*, centre: BraggCentre, grating: DfbGrating, short: Pole, long_: Pole,
                 confinement: float) -> BandNumbers:
    """The couplings and the threshold of ``grating`` from its two edges (see ``perocav.fdtd.rcwa.unit_cell``);
    ``confinement``: the gain layer's power-weighted confinement (material gain only when > 0)."""
    g, n_g = grating, centre.group_index
    kappa_split = E.kappa_from_edges_per_cm(short_nm=short.wavelength_nm, long_nm=long_.wavelength_nm, group_index=n_g)
    if g.order == 2:
        radiating, couplings = _second_order(centre=centre, short=short, long_=long_)
        h, h_i, lam_c = couplings.radiation_per_cm, couplings.radiation_reactive_per_cm, centre.wavelength_nm
    else:
        radiating, couplings = None, DfbCouplings(kappa_per_cm=kappa_split)
        h = h_i = math.nan  # no radiation coupling at 1st order
        lam_c = 0.5 * (short.wavelength_nm + long_.wavelength_nm)
    kappa = abs(couplings.kappa_per_cm)
    numbers = BandNumbers(group_index=n_g, kappa_splitting_per_cm=kappa_split, kappa_per_cm=kappa,
                          kappa_L=kappa * g.length_um * 1e-4, radiating_edge=radiating, radiation_per_cm=h,
                          radiation_reactive_per_cm=h_i)
    cmt = analyze_dfb(grating=g, couplings=couplings, n_avg=g.order * lam_c / (2 * g.period_nm), group_index=n_g)
    if not cmt.modes:
        return numbers
    lam = cmt.modes[0].wavelength_nm
    thr = cmt.modes[0].power_gain_per_cm + centre.modal_loss_per_cm
    return replace(numbers, lasing_wavelength_nm=lam, threshold_modal_gain_per_cm=thr,
                   lasing_q=cavity_q(wavelength_nm=lam, modal_gain_per_cm=thr, group_index=n_g),
                   threshold_material_gain_per_cm=thr / confinement if confinement > 0 else math.nan,
                   threshold_source="Kogelnik-Shank with RCWA kappa and radiation, + RCWA modal loss of the "
                                    "duty-averaged guide")
