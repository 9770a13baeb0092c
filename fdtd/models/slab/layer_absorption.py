"""Each layer's part of a guided slab mode's absorption (docs/physics.md, "Modal absorption per layer"):

    alpha_i = Gamma_i x 4 pi k_i / lambda,   Gamma_i = Re(n_i) int_i |E|^2 / int Re(E x H*).x

with Gamma_i the power-weighted (Visser) confinement of layer i, the project's one confinement
(``SlabMode.confinement_power``, the factor of Gamma alpha0 and of the threshold); for TE this is
(k0 / Re n_eff) int_i 2 n k |E|^2 / int |E|^2. Taken on the lossless guide (``first_order=True``) it is the
first-order perturbation result, linear in each k_i; taken on the lossy mode itself (the default) it is the
Poynting balance -dP/dx = sum_i (omega / 2) Im(eps_i) int_i |E|^2, whose sum is the complex solve's modal loss
2 k0 Im(n_eff) exactly (metals included), and equal to the first-order parts to O(k^2). Losses 1/cm (intensity),
wavelengths nm."""

from __future__ import annotations

import math
from dataclasses import dataclass

from perocav.fdtd.models.slab.slab_modes import solve_slab_mode
from perocav.pdk.stack import IndexProfile

#: samples of the lossless mode profile (Simpson per region, as the slab solver integrates it)
PROFILE_SAMPLES = 4001


@dataclass(frozen=True)
class LayerAbsorption:
    """Modal absorption [1/cm] of each region of a stack (substrate, layers bottom to top, cover) for its guided mode
    at ``wavelength_nm``, with the power confinement of each region it comes from; ``first_order``: taken on the
    lossless guide."""

    wavelength_nm: float
    pol: str
    first_order: bool
    names: tuple[str, ...]
    confinement_power: tuple[float, ...]
    loss_per_cm: tuple[float, ...]

    @property
    def total_per_cm(self) -> float:
        """The modal loss: the sum of the regions' parts."""
        return float(sum(self.loss_per_cm))

    def of(self, name: str) -> float:
        """The part of region ``name`` [1/cm] (KeyError for a region the stack lacks)."""
        if name not in self.names:
            raise KeyError(f"{name!r} is not a region of the stack ({', '.join(self.names)})")
        return self.loss_per_cm[self.names.index(name)]

    def shares(self, *, exclude: tuple[str, ...] = ()) -> tuple[tuple[str, float], ...]:
        """(region, share of the absorption) of the absorbing regions not in ``exclude``, shares summing to 1
        (empty when none of them absorbs)."""
        parts = [(n, a) for n, a in zip(self.names, self.loss_per_cm) if n not in exclude and a > 0]
        total = sum(a for _, a in parts)
        return tuple((n, a / total) for n, a in parts) if total > 0 else ()


def _lossless(profile: IndexProfile) -> IndexProfile:
    return profile.model_copy(update=dict(n_layers=tuple(complex(n.real, 0.0) for n in profile.n_layers),
                                          n_substrate=complex(profile.n_substrate.real, 0.0),
                                          n_cover=complex(profile.n_cover.real, 0.0)))


def layer_absorption(*, profile: IndexProfile, pol: str = "TE", order: int = 0,
                     first_order: bool = False) -> LayerAbsorption:
    """Each region's modal absorption of guided mode ``order`` of ``profile`` (its complex indices), on the lossy
    mode (default) or, ``first_order``, on the lossless guide; ``NoGuidedModeError`` when there is no such mode."""
    guide = _lossless(profile) if first_order else profile
    mode = solve_slab_mode(profile=guide, pol=pol, order=order, n_z=PROFILE_SAMPLES)
    k_all = (profile.n_substrate.imag, *(n.imag for n in profile.n_layers), profile.n_cover.imag)
    k0_per_cm = 2.0 * math.pi / (profile.wavelength_nm * 1e-7)
    gammas = tuple(float(mode.confinement_power[n]) for n in mode.names)
    return LayerAbsorption(wavelength_nm=float(profile.wavelength_nm), pol=mode.pol, first_order=first_order,
                           names=mode.names,
                           confinement_power=gammas,
                           loss_per_cm=tuple(float(g * 2.0 * k0_per_cm * k) for g, k in zip(gammas, k_all)))
