"""Net modal gain versus gain-layer thickness (paper Fig. 3c): g_net = Gamma g_i - alpha (paper eq. 6)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from perocav.fdtd.models.slab.slab_modes import NoGuidedModeError, solve_slab_mode
from perocav.pdk.materials import resolve_material
from perocav.pdk.stack import Stack


@dataclass(frozen=True)
class GainPoint:
    """One stack at one gain-layer thickness. Losses and gains in 1/cm (intensity)."""

    stack: str
    gain_thickness_nm: float
    guided: bool
    neff_real: float
    neff_imag: float
    loss_per_cm: float
    gamma_field: float
    gamma_power: float
    g_net_per_cm: float  # Gamma_power * g_i - alpha
    g_net_direct_per_cm: float  # -2 k0 Im(n_eff) with the gain put into the layer's index (check)


def net_gain_point(*, stack: Stack, gain_thickness_nm: float, wavelength_nm: float, gain_per_cm: float,
                   pol: str = "TE") -> GainPoint:
    """g_net of ``stack`` with its gain layer ``gain_thickness_nm`` thick, at intrinsic gain ``gain_per_cm``."""
    gain = stack.gain_layer
    if gain is None:
        raise ValueError(f"stack {stack.name!r} has no layer with role 'gain'")
    s = stack.with_thicknesses({gain: gain_thickness_nm})
    profile = s.index_profile(wavelength_nm=wavelength_nm)
    nan = float("nan")
    try:
        mode = solve_slab_mode(profile=profile, pol=pol)
    except NoGuidedModeError:
        return GainPoint(s.name, gain_thickness_nm, False, nan, nan, nan, nan, nan, nan, nan)
    # the same stack with gain: k = -g lambda / (4 pi) in the (lossless) gain layer
    k_gain = -gain_per_cm * wavelength_nm * 1e-7 / (4 * np.pi)
    n_layers = tuple(
        complex(n.real, k_gain) if name == gain else n for name, n in zip(profile.names, profile.n_layers)
    )
    try:
        pumped = solve_slab_mode(profile=profile.model_copy(update={"n_layers": n_layers}), pol=pol)
        g_direct = -pumped.loss_per_cm
    except NoGuidedModeError:
        g_direct = nan
    gp = mode.confinement_power[gain]
    return GainPoint(
        stack=s.name, gain_thickness_nm=float(gain_thickness_nm), guided=True,
        neff_real=mode.neff.real, neff_imag=mode.neff.imag, loss_per_cm=mode.loss_per_cm,
        gamma_field=mode.confinement[gain], gamma_power=gp,
        g_net_per_cm=gp * gain_per_cm - mode.loss_per_cm, g_net_direct_per_cm=g_direct,
    )


CONTACT_ROLES = ("contact", "interlayer")


def with_contact_material(*, stack: Stack, material: str) -> Stack:
    """Copy of ``stack`` with every ITO layer of role contact or interlayer made of PDK material ``material``.

    Layers of other materials (Ag cathode, transport layers, grating) keep theirs. Unknown names raise InputError.
    """
    resolve_material(material, field="--contact-material")
    layers = tuple(
        layer.model_copy(update={"material": material})
        if layer.role in CONTACT_ROLES and isinstance(layer.material, str) and layer.material.startswith("ITO")
        else layer
        for layer in stack.layers
    )
    return stack.model_copy(update={"layers": layers})


def thickness_sweep(*, stack: Stack, thicknesses_nm: np.ndarray, wavelength_nm: float, gain_per_cm: float,
                    pol: str = "TE") -> list[GainPoint]:
    """``net_gain_point`` for each thickness (nm)."""
    return [
        net_gain_point(stack=stack, gain_thickness_nm=float(t), wavelength_nm=wavelength_nm,
                       gain_per_cm=gain_per_cm, pol=pol)
        for t in thicknesses_nm
    ]


def thinnest_net_gain_nm(points: list[GainPoint]) -> float | None:
    """Thickness (nm) where g_net first turns positive, linearly interpolated; None if it never does."""
    pts = sorted((p for p in points), key=lambda p: p.gain_thickness_nm)
    prev = None
    for p in pts:
        if p.guided and p.g_net_per_cm > 0:
            if prev is not None and prev.guided and np.isfinite(prev.g_net_per_cm):
                t0, g0, t1, g1 = prev.gain_thickness_nm, prev.g_net_per_cm, p.gain_thickness_nm, p.g_net_per_cm
                return float(t0 + (0 - g0) * (t1 - t0) / (g1 - g0))
            return p.gain_thickness_nm
        prev = p
    return None


def as_records(points: list[GainPoint]) -> list[dict]:
    """Plain dicts for tables."""
    return [asdict(p) for p in points]
