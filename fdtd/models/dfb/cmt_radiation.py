"""Second-order gratings: surface-emission (radiation) coupling through the 1st harmonic.

Model (Kazarinov & Henry, IEEE JQE 21, 144 (1985); Streifer, Scifres & Burnham, IEEE JQE 11,
867 (1975)). In a 2nd-order grating (beta_B = K = 2 pi / Lambda) the 1st harmonic of the
permittivity turns the forward and backward waves R, S into a polarisation sheet with k_x = 0
that radiates normal to the surface. With the period origin at the centre of the *high* region,
the radiated amplitude is proportional to R + S, and the coupled-wave equations become

    dR/dz =  (alpha - i delta - h) R - (i kappa + h) S
    dS/dz = -(alpha - i delta - h) S + (i kappa + h) R

(kappa: the signed 2nd-harmonic index coupling of ``cmt_kappa``; h >= 0: radiation coupling;
gamma^2 = (alpha - i delta - h)^2 + (kappa - i h)^2). For an infinite grating:

* the standing wave symmetric about the high-region centre (R = S, cos-like) radiates: it sits at
  delta = -kappa and needs amplitude gain 2 h (power 4 h) to be stationary;
* the antisymmetric one (R = -S) does not radiate (dark edge) and sits at delta = +kappa.

delta > 0 is the short-wavelength side. For a rectangular grating kappa_2 is proportional to
sin(2 pi D) (D = duty of the high region), while h is proportional to sin^2(pi D) >= 0, so:
D < 0.5 -> the radiating edge is the *long*-wavelength edge (the dark, high-Q edge is the short
one); D > 0.5 -> the reverse; D = 0.5 -> kappa_2 = 0 and this model cannot order the edges.

Approximations, stated honestly: h is computed to first order (Born) with the Green's function of
a *uniform* medium of index ``n_radiation`` (the substrate, say): reflections of the radiated
wave at the stack interfaces, which can change h by a factor (1 +/- |r|)^2 through interference,
are ignored; the reactive (imaginary) part of the Kazarinov-Henry coupling, which shifts the
radiating edge and matters near D = 0.5, is neglected; only TE modes; only the 1st harmonic
radiates (true for 2nd order: the 3rd harmonic gives |k_x| = K > k0 n for any guided mode).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.integrate import trapezoid

from perocav.fdtd.models.gain import cavity_q
from perocav.fdtd.models.dfb.cmt_kappa import harmonic_factor, wavelength_from_delta_nm
from perocav.pdk.units import NM_PER_CM


def radiation_coupling_per_cm(
    *,
    z_nm: np.ndarray,
    field: np.ndarray,
    d_eps: np.ndarray,
    duty: float,
    n_eff: float,
    wavelength_nm: float,
    n_radiation: float,
    weights: np.ndarray | None = None,
) -> float:
    """Kazarinov-Henry radiation coupling h [1/cm] of a 2nd-order TE grating (Born approximation):

        h = k0^2 / (4 n_rad n_eff) * |int d_eps_1(z) E(z) dz|^2 / int |E|^2 dz,
        d_eps_1(z) = d_eps(z) sin(pi D) / pi,

    from radiated power balance: a sheet source k0^2 d_eps_1 E (R + S) in a uniform medium of
    index n_rad radiates |A|^2 = (k0^2 |int d_eps_1 E| / (2 k0 n_rad))^2 |R + S|^2 up and down.
    ``field`` is the (real, TE) mode amplitude E_y(z), not |E|^2: contributions of opposite sign
    cancel. See the module docstring for the approximations. ``weights``: quadrature weights on ``z_nm`` (e.g.
    Simpson per layer); default the trapezoid rule.
    """
    z = np.asarray(z_nm, dtype=float)
    e = np.asarray(field)
    de = np.real(np.asarray(d_eps))
    if z.shape != e.shape or z.shape != de.shape:
        raise ValueError("z_nm, field and d_eps must have the same shape")
    k0 = 2.0 * np.pi / wavelength_nm
    integral = (lambda f: trapezoid(f, z)) if weights is None else (lambda f: np.dot(weights, f))
    source = integral(de * e) * harmonic_factor(duty=duty, order=1)
    norm = integral(np.abs(e) ** 2)
    h_per_nm = k0**2 * abs(source) ** 2 / (4.0 * n_radiation * n_eff * norm)
    return float(h_per_nm * NM_PER_CM)


@dataclass(frozen=True)
class SecondOrderEdges:
    """Band edges of an infinite 2nd-order grating with radiation coupling (see module docstring)."""

    radiating_edge: Literal["long", "short", "undetermined"]
    short_edge_nm: float
    long_edge_nm: float
    radiating_loss_per_cm: float  # amplitude loss 2h of the radiating edge (power: twice this)
    radiating_q: float  # Q = pi n_g / (2 h lambda) of the radiating edge (infinite grating)
    dark_q: float  # infinite in this model (finite in a real device: ends, absorption)


def second_order_band_edges(
    *, kappa_per_cm: float, radiation_per_cm: float, bragg_wavelength_nm: float, group_index: float
) -> SecondOrderEdges:
    """Which band edge of a 2nd-order grating radiates, and how strongly (infinite grating).

    ``kappa_per_cm`` is the signed 2nd-harmonic index coupling (``kappa_from_indices_per_cm`` or
    ``kappa_from_overlap_per_cm`` with order=2); ``radiation_per_cm`` is h >= 0. The symmetric
    (radiating) mode is at delta = -kappa, the antisymmetric (dark) mode at delta = +kappa.
    """
    h = float(radiation_per_cm)
    if h < 0:
        raise ValueError(f"radiation_per_cm={h} must be >= 0")
    rad_delta = -kappa_per_cm
    dark_delta = +kappa_per_cm
    lam = dict(bragg_wavelength_nm=bragg_wavelength_nm, group_index=group_index)
    rad_nm = wavelength_from_delta_nm(delta_per_cm=rad_delta, **lam)
    dark_nm = wavelength_from_delta_nm(delta_per_cm=dark_delta, **lam)
    if kappa_per_cm == 0:
        which: Literal["long", "short", "undetermined"] = "undetermined"
    else:
        which = "long" if rad_nm > dark_nm else "short"
    # amplitude decay rate in time = 2 h v_g, a power loss of 4 h: Q = 2 pi n_g / (lambda 4 h)
    q_rad = cavity_q(wavelength_nm=bragg_wavelength_nm, modal_gain_per_cm=4.0 * h, group_index=group_index)
    return SecondOrderEdges(
        radiating_edge=which,
        short_edge_nm=min(rad_nm, dark_nm),
        long_edge_nm=max(rad_nm, dark_nm),
        radiating_loss_per_cm=2.0 * h,
        radiating_q=q_rad,
        dark_q=float("inf"),
    )
