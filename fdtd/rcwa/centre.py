"""The Bragg centre of a grating's bands: the TE0 guided mode of the duty-averaged cell at the Bragg wavevector
beta = m pi / Lambda, by the same RCWA machinery (a uniform cell does not couple orders, so one order carrying beta is
exact and its mode is a simple zero), and its group index and modal loss. Units nm, 1/cm."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from perocav.fdtd.models.gain import threshold_modal_gain_per_cm
from perocav.fdtd.rcwa.cell import grating_cell
from perocav.fdtd.rcwa.poles import Pole, muller, real_axis_candidates
from perocav.fdtd.rcwa.search import deflated
from perocav.fdtd.rcwa.solver import mode_function
from perocav.pdk.stack import Stack

EXACT_HARMONICS = 0  # uniform levels do not couple orders: the one order carrying beta is exact
DK_FRACTION = 1e-4  # Bloch-k step (fraction of 2 pi / Lambda) of the group-index difference


@dataclass(frozen=True)
class BraggCentre:
    """TE0 of the duty-averaged stack at Bloch k_bragg: lambda_c (Re of the pole), n_g = -lambda^2/(2 pi) dk/dlambda,
    modal loss 2 pi n_g / (lambda Q) [1/cm]; ``roots``: every folded guided-mode wavelength found in the window."""

    wavelength_nm: float
    group_index: float
    modal_loss_per_cm: float
    roots_nm: tuple[float, ...]


def bragg_k_per_nm(*, period_nm: float, order: int) -> float:
    """Bloch k [rad/nm] of the Bragg point: pi / Lambda (1st order, zone edge) or 0 (2nd order, zone centre)."""
    return math.pi / period_nm if order == 1 else 0.0


def _poles(cell, k: float, window_nm: tuple[float, float], step_nm: float) -> list[Pole]:
    """Guided-mode poles of the uniform cell at wavevector k [rad/nm] with Re(lambda) in the window."""
    f = lambda lam: mode_function(cell=cell, wavelength_nm=lam, n_harmonics=EXACT_HARMONICS, k_bloch_per_nm=k)  # noqa: E731
    lo, hi = window_nm
    grid = np.linspace(lo, hi, max(int(math.ceil((hi - lo) / step_nm)) + 1, 8))
    out: list[Pole] = []
    for x in real_axis_candidates(np.array([f(complex(v)) for v in grid]), grid, keep=6):
        p = muller(deflated(f, out), start=complex(x, 0.01), step=0.5 * step_nm)
        if p is not None and lo <= p.wavelength_nm <= hi and p.lam.imag >= -1e-9 * hi and abs(p.q) > 30:
            if all(abs(p.lam - o.lam) > 1e-4 for o in out):
                out.append(p)
    return out


def bragg_centre(*, stack: Stack, period_nm: float, duty_cycle: float, order: int,
                 window_nm: tuple[float, float], step_nm: float = 1.0) -> BraggCentre:
    """Longest-wavelength (low-energy) folded TE0 root in ``window_nm``; ValueError when there is none."""
    cell = grating_cell(stack=stack, period_nm=period_nm, duty_cycle=duty_cycle, averaged=True)
    k_b = order * math.pi / period_nm  # the guided wavevector at the Bragg condition
    roots = _poles(cell, k_b, window_nm, step_nm)
    if not roots:
        raise ValueError(f"no guided mode of the duty-averaged stack at the Bragg point in {window_nm[0]:.1f}-"
                         f"{window_nm[1]:.1f} nm")
    p = max(roots, key=lambda r: r.wavelength_nm)
    dk = DK_FRACTION * 2 * math.pi / period_nm
    f_plus = lambda lam: mode_function(cell=cell, wavelength_nm=lam, n_harmonics=EXACT_HARMONICS,  # noqa: E731
                                       k_bloch_per_nm=k_b + dk)
    lam_c = p.wavelength_nm
    shift = lam_c**2 * dk / (2 * math.pi * order * lam_c / (2 * period_nm))  # with n_g ~ n_eff
    f_minus = lambda lam: mode_function(cell=cell, wavelength_nm=lam, n_harmonics=EXACT_HARMONICS,  # noqa: E731
                                        k_bloch_per_nm=k_b - dk)
    shifted = [muller(f, start=p.lam + s, step=0.05 * shift) for f, s in ((f_plus, -shift), (f_minus, shift))]
    if any(s is None for s in shifted) or abs(shifted[0].lam - shifted[1].lam) < 1e-6:
        raise ValueError("could not split the folded guided mode to get its group index")
    lam_a, lam_b = (s.wavelength_nm for s in shifted)  # at beta + dk (shorter) and beta - dk
    n_g = lam_c**2 / (2 * math.pi) * 2 * dk / (lam_b - lam_a)
    q = p.q if abs(p.q) < 1e9 else math.inf  # lossless guide: Im(lambda) is round-off
    loss = threshold_modal_gain_per_cm(wavelength_nm=lam_c, q=q, group_index=n_g) if math.isfinite(q) else 0.0
    return BraggCentre(wavelength_nm=lam_c, group_index=n_g, modal_loss_per_cm=loss,
                       roots_nm=tuple(sorted(r.wavelength_nm for r in roots)))
