"""Pure helpers for DFB FDTD runs: band-edge picking, kappa and threshold gain from FDTD numbers.

No solver here; every function is tested on synthetic numbers. Units in names: nm, um, 1/cm.
Pixel rules for MEEP grids live in ``perocav.fdtd.meep.pixels``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # resonance imports scipy.signal (~0.5 s): the RCWA path uses only the formulas here
    from perocav.fdtd.extract.resonance import Resonance

NM_PER_CM = 1e7
BAND_EDGE_Q_MIN = 30.0  # radiation-continuum modes of a unit cell have Q of a few


def bragg_k_per_um(*, period_nm: float, order: int) -> float:
    """Bloch k_x (cycles / um, MEEP units) of the Bragg point of the folded band: 1st order: the zone edge
    k = pi / Lambda (0.5 / Lambda cycles); 2nd order: the zone centre k = 0."""
    if order == 1:
        return 0.5 / (period_nm / 1000.0)
    if order == 2:
        return 0.0
    raise ValueError(f"order={order} not in (1, 2)")


def pick_band_edges(*, resonances: Sequence[Resonance], wavelength_min_nm: float, wavelength_max_nm: float,
                    q_min: float = BAND_EDGE_Q_MIN) -> tuple[Resonance, ...]:
    """The two band-edge modes: the two highest-Q resonances with wavelength in the window and Q >= q_min,
    returned short wavelength first (fewer if fewer qualify). Radiation-continuum modes have Q of a few."""
    inside = [lossless_as_infinite(r) for r in resonances if wavelength_min_nm <= r.wavelength_nm <= wavelength_max_nm]
    inside = [r for r in inside if r.q >= q_min]
    best = sorted(inside, key=lambda r: r.q, reverse=True)[:2]
    return tuple(sorted(best, key=lambda r: r.wavelength_nm))


def lossless_as_infinite(r: Resonance, *, q_huge: float = 1e8) -> Resonance:
    """A mode whose |Q| exceeds q_huge (a lossless cell: Harminv returns +-1e10 or so, sign is noise) gets Q = inf."""
    if abs(r.q) >= q_huge:
        from perocav.fdtd.extract.resonance import Resonance

        return Resonance(freq=r.freq, q=math.inf, amplitude=r.amplitude, error=r.error)
    return r


def kappa_from_edges_per_cm(*, short_nm: float, long_nm: float, group_index: float) -> float:
    """|kappa| from the stop band: d_lambda = lambda0^2 kappa / (pi n_g), lambda0 the edges' mean.
    (Equivalently kappa = pi n_g d_f / c from the frequency splitting to first order.)"""
    lam0 = 0.5 * (short_nm + long_nm)
    return math.pi * group_index * (long_nm - short_nm) / lam0**2 * NM_PER_CM


def second_order_couplings_per_cm(*, centre_nm: float, dark_nm: float, radiating_nm: float,
                                  group_index: float) -> tuple[float, float]:
    """(signed kappa, reactive radiation coupling h_i) [1/cm] of a 2nd-order grating from its band edges and the
    Bragg centre (guided mode of the duty-averaged grating). Kazarinov-Henry with h = h_r + i h_i: the dark edge
    sits at delta = +kappa, the radiating one at delta = -kappa - 2 h_i, delta = 2 pi n_g (lambda_c - lambda) /
    lambda_c^2 (> 0 on the short side). kappa > 0 means the radiating edge is the long one."""
    lam_cm = centre_nm / NM_PER_CM

    def delta(lam_nm: float) -> float:
        return 2 * math.pi * group_index * (centre_nm - lam_nm) / NM_PER_CM / lam_cm**2

    kappa = delta(dark_nm)
    return kappa, -(delta(radiating_nm) + kappa) / 2


def threshold_modal_gain_per_cm(*, wavelength_nm: float, q: float, group_index: float) -> float:
    """Power modal gain that balances a cavity of quality Q: g_th = 2 pi n_g / (lambda Q)."""
    if not (q > 0 and math.isfinite(q)):
        return float("nan") if not q > 0 else 0.0
    return 2 * math.pi * group_index / (wavelength_nm / NM_PER_CM * q)


def q_resolved(*, q: float, freq_per_um: float, ring_down_um: float, min_decay: float = 0.1) -> bool:
    """Whether a ring-down of ``ring_down_um`` (um / c) sees the amplitude of a mode of quality q fall by at
    least ``min_decay`` (fraction): amplitude ~ exp(-pi f t / Q). Longer-lived modes give only a lower bound."""
    if not math.isfinite(q):
        return False
    return 1.0 - math.exp(-math.pi * freq_per_um * ring_down_um / q) >= min_decay


def pick_lasing_mode(*, resonances: Sequence[Resonance], wavelength_min_nm: float, wavelength_max_nm: float,
                     q_min: float = 30.0, rel_amp_min: float = 0.05) -> Resonance | None:
    """The lasing mode of a finite grating's ring-down: the highest-Q resonance in the window with Q >= q_min
    among those whose |amplitude| is at least ``rel_amp_min`` of the strongest one in the window. Harminv also
    returns weak poles with spurious high Q (|amplitude| ~1% of the cavity mode, Q 10-100x the CMT value);
    the amplitude floor drops them. None when nothing qualifies."""
    inside = [lossless_as_infinite(r) for r in resonances
              if wavelength_min_nm <= r.wavelength_nm <= wavelength_max_nm and r.q >= q_min]
    if not inside:
        return None
    a_max = max(abs(r.amplitude) for r in inside)
    strong = [r for r in inside if abs(r.amplitude) >= rel_amp_min * a_max]
    return max(strong, key=lambda r: r.q)
