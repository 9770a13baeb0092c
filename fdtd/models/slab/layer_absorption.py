"""Each layer's share of a guided slab mode's absorption, to first order in the extinction coefficients k_i
(docs/physics.md, "Modal absorption per layer"):

    alpha_i = Gamma_i x 4 pi k_i / lambda,   Gamma_i = Re(n_i) int_i |E|^2 / int Re(E x H*).x

with Gamma_i the power-weighted (Visser) confinement of layer i in the lossless guide (the real parts of the
indices), the project's one confinement (``SlabMode.confinement_power``, the factor of Gamma alpha0 and of the
threshold). For TE this is (k0 / n_eff) int_i 2 n k |E|^2 / int |E|^2. The sum over the layers is the complex
solve's modal loss 2 k0 Im(n_eff) to first order. Losses 1/cm (intensity), wavelengths nm."""

from __future__ import annotations

import math
from dataclasses import dataclass

from perocav.fdtd.models.slab.slab_modes import solve_slab_mode
from perocav.pdk.stack import IndexProfile

#: samples of the lossless mode profile (Simpson per region, as the slab solver integrates it)
PROFILE_SAMPLES = 4001


@dataclass(frozen=True)
class LayerAbsorption:
    """First-order modal absorption [1/cm] of each region of a stack (substrate, layers bottom to top, cover) for its
    guided mode at ``wavelength_nm``, with the lossless guide's power confinement of each region."""

    wavelength_nm: float
    pol: str
    names: tuple[str, ...]
    confinement_power: tuple[float, ...]
    loss_per_cm: tuple[float, ...]

    @property
    def total_per_cm(self) -> float:
        """The modal loss to first order: the sum of the regions' parts."""
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


def layer_absorption(*, profile: IndexProfile, pol: str = "TE", order: int = 0) -> LayerAbsorption:
    """Each region's first-order modal absorption of guided mode ``order`` of ``profile`` (its complex indices);
    ``NoGuidedModeError`` when the lossless guide has no such mode."""
    mode = solve_slab_mode(profile=_lossless(profile), pol=pol, order=order, n_z=PROFILE_SAMPLES)
    k_all = (profile.n_substrate.imag, *(n.imag for n in profile.n_layers), profile.n_cover.imag)
    k0_per_cm = 2.0 * math.pi / (profile.wavelength_nm * 1e-7)
    gammas = tuple(float(mode.confinement_power[n]) for n in mode.names)
    return LayerAbsorption(wavelength_nm=float(profile.wavelength_nm), pol=mode.pol, names=mode.names,
                           confinement_power=gammas,
                           loss_per_cm=tuple(float(g * 2.0 * k0_per_cm * k) for g, k in zip(gammas, k_all)))
