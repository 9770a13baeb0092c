"""Dispersion bookkeeping for frozen-media FDTD of a DFB grating (no MEEP): group indices of the grating's
duty-averaged guide with and without material dispersion, and where a frozen-media mode sits on the dispersive
stack. Wavelengths in nm."""

from __future__ import annotations

from scipy.optimize import brentq

from perocav.fdtd.models.dispersion.dispersion import frozen_group_index as _frozen_ng
from perocav.fdtd.models.dispersion.dispersion import blended_group_index, neff_dispersion, region_stack
from perocav.pdk.stack import Stack


def predict_wavelength_nm(*, wavelength_nm: float, freeze_nm: float, group_index_frozen: float,
                          group_index: float) -> float:
    """First-order self-consistent wavelength (nm) of a mode found at ``wavelength_nm`` with media frozen at
    ``freeze_nm``: offsets from the freezing point scale by n_g,frozen / n_g (material dispersion compresses them)."""
    return freeze_nm + (wavelength_nm - freeze_nm) * group_index_frozen / group_index


def frozen_group_index(*, stack: Stack, duty_cycle: float, wavelength_nm: float) -> float:
    """Group index of the duty-averaged stack's TE0 mode with the indices frozen at ``wavelength_nm`` (waveguide
    dispersion only), as the non-dispersive FDTD sees it."""
    avg = region_stack(stack=stack, region="average", duty_cycle=duty_cycle)
    return _frozen_ng(stack=avg, wavelength_nm=wavelength_nm)


def true_group_index(*, stack: Stack, duty_cycle: float, wavelength_nm: float) -> float:
    """Group index of the grating's average index with material dispersion (the dispersion model's)."""
    tooth, gap = neff_dispersion(stack=stack, region="tooth"), neff_dispersion(stack=stack, region="gap")
    return float(blended_group_index(tooth=tooth, gap=gap, weight_high=duty_cycle, wavelength_nm=wavelength_nm))


def dispersive_wavelength_nm(*, stack: Stack, duty_cycle: float, wavelength_nm: float, freeze_nm: float,
                             group_index_frozen: float) -> float:
    """Where a mode found at ``wavelength_nm`` with media frozen at ``freeze_nm`` sits on the dispersive stack: the
    same propagation constant, n(lambda*) / lambda* = n_frozen(lambda) / lambda, with n the grating's average index
    (dispersion tables) and n_frozen its waveguide-only continuation from the freezing point (group index
    ``group_index_frozen``). To first order this is ``predict_wavelength_nm``; far from the freezing
    point (band diagrams) the exact root keeps the curvature of n(lambda)."""
    tooth, gap = neff_dispersion(stack=stack, region="tooth"), neff_dispersion(stack=stack, region="gap")

    def n_avg(lam: float) -> float:
        return duty_cycle * tooth.neff(wavelength_nm=lam) + (1 - duty_cycle) * gap.neff(wavelength_nm=lam)

    n0 = n_avg(freeze_nm)
    target = (n0 + (n0 - group_index_frozen) * (wavelength_nm - freeze_nm) / freeze_nm) / wavelength_nm
    lo, hi = tooth.range_nm
    span = 2 * abs(wavelength_nm - freeze_nm) + 1.0
    a, b = max(lo, freeze_nm - span), min(hi, freeze_nm + span)
    g = lambda lam: n_avg(lam) / lam - target  # noqa: E731
    if g(a) * g(b) > 0:
        return predict_wavelength_nm(wavelength_nm=wavelength_nm, freeze_nm=freeze_nm,
                                     group_index_frozen=group_index_frozen,
                                     group_index=true_group_index(stack=stack, duty_cycle=duty_cycle,
                                                                  wavelength_nm=wavelength_nm))
    return float(brentq(g, a, b, xtol=1e-6))


def same_media(*, stack: Stack, a_nm: float, b_nm: float) -> bool:
    """True when no material of ``stack`` changes its n,k between the two wavelengths (constant-index stacks)."""
    pa, pb = stack.index_profile(wavelength_nm=a_nm), stack.index_profile(wavelength_nm=b_nm)
    ns_a = (*pa.n_layers, pa.n_substrate, pa.n_cover)
    ns_b = (*pb.n_layers, pb.n_substrate, pb.n_cover)
    return max(abs(complex(x) - complex(y)) for x, y in zip(ns_a, ns_b)) < 1e-12
