"""Analytic circular resonators under a stack: effective-index method + exact 2D concentric-ring poles.

The grating level is replaced by the slab effective indices of the stack with teeth (n_high) and with fill (n_low)
at the design wavelength; the cell's radii (from the layout component's info) then define a 2D concentric-ring
problem solved exactly (``wgm_analytic``). The slab TE mode has E in the plane, so the 2D field is H_z ("Hz").
Q combines in-plane radiation (2D poles) and absorption of the stack (slab modal loss alpha):
1/Q = 1/Q_rad + 1/Q_abs, Q_abs = 2 pi n_g / (lambda alpha). Not modelled: vertical radiation of 2nd-order circular
gratings and substrate leakage (Q is an upper bound there), dispersion of n_eff across the search window.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from perocav.fdtd.slab_modes import solve_slab_mode
from perocav.fdtd.wgm_analytic import resonances_2d
from perocav.pdk.errors import InputError
from perocav.pdk.stack import Stack


@dataclass(frozen=True)
class CircularMode:
    """One resonance: azimuthal order m, wavelength [nm], radiation / absorption / total Q."""

    m: int
    wavelength_nm: float
    q_radiation: float
    q_absorption: float
    q: float


@dataclass(frozen=True)
class CircularAnalytic:
    """Modes found in the window, the chosen (lowest-loss nearest the target) mode, and the slab quantities."""

    neff_high: float
    neff_low: float
    group_index: float
    confinement: float
    confinement_power: float
    modal_loss_per_cm: float
    modes: tuple[CircularMode, ...]
    best: CircularMode | None

    def to_dict(self) -> dict:
        return asdict(self)


def grating_effective_indices(*, stack: Stack, wavelength_nm: float) -> tuple[float, float, float, float, float, float]:
    """(n_high, n_low, n_g of the high region, Gamma field, Gamma power, alpha [1/cm]) of a stack's grating level."""
    from perocav.fdtd.dfb_analytic import _grating_variants, _mode

    high, low, _ = _grating_variants(stack)
    mh, ml = _mode(high, wavelength_nm), _mode(low, wavelength_nm)
    dwl = 1.0
    n_p, n_m = _mode(high, wavelength_nm + dwl).neff.real, _mode(high, wavelength_nm - dwl).neff.real
    n_g = mh.neff.real - wavelength_nm * (n_p - n_m) / (2 * dwl)
    gain = stack.gain_layer
    gam = mh.confinement.get(gain, float("nan")) if gain else float("nan")
    gam_p = mh.confinement_power.get(gain, float("nan")) if gain else float("nan")
    return mh.neff.real, ml.neff.real, n_g, gam, gam_p, mh.loss_per_cm


def radii_from_component(component) -> tuple[list[float], list[bool]]:
    """Interfaces (um, increasing) and, per region from the centre outwards, whether it is high-index (GRATING),
    read from a circular cell's ``info`` (disk_resonator, ring_resonator, circular_grating)."""
    info = component.info
    if "ring_inner_radius_nm" in info:  # circular grating
        radii, high = [], [False]
        if info["disk_radius_nm"] > 0:
            radii, high = [info["disk_radius_nm"] / 1000], [True, False]
        for ri, ro in zip(info["ring_inner_radius_nm"], info["ring_outer_radius_nm"]):
            radii += [ri / 1000, ro / 1000]
            high += [True, False]
        return radii, high
    if "inner_radius_nm" in info:  # ring
        return [info["inner_radius_nm"] / 1000, info["outer_radius_nm"] / 1000], [False, True, False]
    if "radius_nm" in info:  # disk
        return [info["radius_nm"] / 1000], [True, False]
    raise InputError("not a circular cell", field="cavity", allowed="disk_resonator, ring_resonator, circular_grating")


def analyze_circular_on_stack(*, stack: Stack, component, m_values: list[int] | None = None,
                              wavelength_nm: float | None = None, window_rel: float = 0.02,
                              n_scan: int = 300) -> CircularAnalytic:
    """Resonances of a circular cell under ``stack`` near ``wavelength_nm`` (default: the stack's emission)."""
    wl = float(wavelength_nm or stack.emission_wavelength_nm)
    n_hi, n_lo, n_g, gam, gam_p, alpha = grating_effective_indices(stack=stack, wavelength_nm=wl)
    radii, high = radii_from_component(component)
    indices = [n_hi if h else n_lo for h in high]
    if m_values is None:
        r_mode = radii[-1] if len(radii) <= 2 else radii[0]  # WGM rides the outer edge; DFB modes the centre
        m0 = int(round(2 * math.pi * r_mode * n_hi / (wl / 1000))) if len(radii) <= 2 else 0
        # fundamental radial WGMs sit at m ~ (0.6..1) 2 pi R n_high / lambda (their field peaks inside the edge)
        m_values = list(range(max(0, int(0.6 * m0)), m0 + 2)) if len(radii) <= 2 else [0, 1, 2]
    f0 = 1000.0 / wl
    q_abs = 2 * math.pi * n_g / (wl * 1e-7 * alpha) if alpha > 0 else math.inf
    modes = []
    for m in m_values:
        for r in resonances_2d(m=m, radii_um=radii, indices=indices, freq_min=f0 * (1 - window_rel),
                               freq_max=f0 * (1 + window_rel), pol="Hz", n_scan=n_scan):
            q = 1.0 / (1.0 / r.q + (0.0 if math.isinf(q_abs) else 1.0 / q_abs))
            modes.append(CircularMode(m=m, wavelength_nm=r.wavelength_nm, q_radiation=r.q, q_absorption=q_abs, q=q))
    best = max(modes, key=lambda md: md.q) if modes else None
    return CircularAnalytic(neff_high=n_hi, neff_low=n_lo, group_index=n_g, confinement=gam, confinement_power=gam_p,
                            modal_loss_per_cm=alpha, modes=tuple(sorted(modes, key=lambda md: md.wavelength_nm)),
                            best=best)


def threshold_modal_gain_per_cm(*, q: float, wavelength_nm: float, group_index: float) -> float:
    """Modal (power) gain that balances a cavity of quality Q: g = 2 pi n_g / (lambda Q) [1/cm]."""
    return 2 * math.pi * group_index / (wavelength_nm * 1e-7 * q) if q > 0 else math.inf

