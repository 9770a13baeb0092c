"""The threshold modes of a uniform, uniformly pumped grating from the section engine (``models.device``), labelled by
side of the stop band and order, and their wavelengths and cold-cavity linewidths.

Dispersion: beta(k) = beta_B + n_g (k - k_B) with k = 2 pi / lambda, so a mode's detuning delta = beta - beta_B
[1/cm] sits at 1 / lambda = 1 / lambda_B + delta / (2 pi n_g); lambda_B = 2 n_eff period / order (n_eff taken at
lambda_B). delta > 0 is the blue side. A mode that lases at modal intensity gain g_th has the passive (cold-cavity)
resonance delta_k - i g_th / 2: a Lorentzian of FWHM g_th in delta, lambda^2 g_th / (2 pi n_g) in wavelength.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from perocav.fdtd.models.device.engine import device_modes
from perocav.fdtd.models.device.sections import DeviceSection

NM_PER_CM = 1e7


@dataclass(frozen=True)
class GratingModes:
    """Detunings [1/cm] and threshold modal intensity gains [1/cm] (mirror + radiation, no internal loss) of the
    lowest ``n_orders`` modes on each side, arrays (2 * n_orders,) in wavelength order: blue order n..1, then red
    order 1..n (NaN where the engine found none)."""

    detuning_per_cm: np.ndarray
    threshold_per_cm: np.ndarray


def label(position: int, *, n_orders: int) -> str:
    """``blue-2``, ``red-1``, ... for a position in wavelength order (``GratingModes``)."""
    return f"blue-{n_orders - position}" if position < n_orders else f"red-{position - n_orders + 1}"


@lru_cache(maxsize=4096)
def grating_modes(*, kappa_per_cm: float, h_per_cm: float, length_um: float, n_orders: int) -> GratingModes:
    """The labelled modes of one uniform section of ``length_um`` [um], signed index coupling and radiation coupling
    h [1/cm], pumped all along (device CMT, ``models.device.engine``)."""
    sec = DeviceSection(length_um=length_um, kappa_per_cm=kappa_per_cm, radiation_per_cm=h_per_cm, pumped=True)
    res = device_modes(sections=[sec], n_modes=2 * n_orders + 4)
    det = np.array([m.detuning_per_cm for m in res.modes])
    thr = np.array([m.threshold_modal_gain_per_cm for m in res.modes])
    out_d, out_g = np.full(2 * n_orders, np.nan), np.full(2 * n_orders, np.nan)
    for side, sel in ((0, det > 0), (1, det < 0)):
        idx = np.flatnonzero(sel)[np.argsort(np.abs(det[sel]))][:n_orders]
        pos = (n_orders - 1 - np.arange(idx.size)) if side == 0 else (n_orders + np.arange(idx.size))
        out_d[pos], out_g[pos] = det[idx], thr[idx]
    return GratingModes(detuning_per_cm=out_d, threshold_per_cm=out_g)


def bragg_wavelength_nm(*, n_eff: float, period_nm: float, order: int) -> float:
    """lambda_B = 2 n_eff period / order [nm]."""
    return 2.0 * n_eff * period_nm / order


def line_wavelength_nm(*, bragg_nm: float, group_index: float, detuning_per_cm) -> np.ndarray:
    """Wavelength [nm] of a detuning delta [1/cm]: 1 / lambda = 1 / lambda_B + delta / (2 pi n_g)."""
    return 1.0 / (1.0 / bragg_nm + np.asarray(detuning_per_cm) / (2.0 * math.pi * group_index * NM_PER_CM))


def linewidth_nm(*, wavelength_nm, group_index: float, total_gain_per_cm) -> np.ndarray:
    """Cold-cavity FWHM [nm] of a mode whose threshold modal gain (mirror + loss) is ``total_gain_per_cm``."""
    lam = np.asarray(wavelength_nm)
    return lam * lam * np.asarray(total_gain_per_cm) / (2.0 * math.pi * group_index * NM_PER_CM)
