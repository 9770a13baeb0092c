"""Up / down split of the power radiated by a 2nd-order grating with its source spread over the grating level: the
radiating harmonic is driven by the polarisation Delta-eps_1 E_mode(x) in the teeth's height (vertical teeth:
Delta-eps_1 is constant across it), so the source is a stack of current sheets weighted by the guided mode's
field, summed coherently through the stack's transfer matrix (``updown.sheet_waves``), at the mode's own wavelength.
A sheet at the level's middle (``updown.stack_emission_split``) is the thin-level limit. x upward, lengths nm."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from perocav.fdtd.models.device.updown import EmissionSplit, sheet_waves
from perocav.fdtd.models.dispersion.dispersion import region_stack
from perocav.fdtd.models.slab.slab_modes import solve_slab_mode
from perocav.pdk.stack import IndexProfile, Stack

#: Gauss-Legendre nodes across the grating level (the mode's field there is smooth: 24 nodes are exact to 1e-12)
LEVEL_NODES = 24


def _waves(profile: IndexProfile, j: int, heights_nm: np.ndarray, currents: np.ndarray,
           wavelength_nm: float) -> tuple[complex, complex, float]:
    """(t, u, emitted power Re sum_i E(h_i) J_i*) of sheets with ``currents`` at ``heights_nm`` above the bottom of
    layer ``j``: t, u the outgoing amplitudes in cover and substrate (per unit current, as ``sheet_waves``)."""
    n_j, d_j, k0 = profile.n_layers[j], profile.thickness_nm[j], 2.0 * np.pi / wavelength_nm
    ts, us, states_above, states_below = [], [], [], []
    for h in heights_nm:
        t, u, above, below = sheet_waves(
            index_below=[*profile.n_layers[:j], n_j], thickness_below_nm=[*profile.thickness_nm[:j], h],
            index_above=[n_j, *profile.n_layers[j + 1:]], thickness_above_nm=[d_j - h, *profile.thickness_nm[j + 1:]],
            n_substrate=profile.n_substrate, n_cover=profile.n_cover, wavelength_nm=wavelength_nm)
        ts.append(t), us.append(u), states_above.append(t * above), states_below.append(u * below)
    t_tot, u_tot = complex(np.dot(currents, ts)), complex(np.dot(currents, us))
    # each sheet's E at every sheet within the level: its (E, H) just above / below it carried through n_j
    dist = heights_nm[None, :] - heights_nm[:, None]  # [sheet, at]
    p = k0 * n_j * dist
    sa, sb = np.array(states_above), np.array(states_below)
    e_above = np.cos(p) * sa[:, :1] + 1j * np.sin(p) / n_j * sa[:, 1:]
    e_below = np.cos(p) * sb[:, :1] + 1j * np.sin(p) / n_j * sb[:, 1:]
    e_at = np.sum(currents[:, None] * np.where(dist >= 0, e_above, e_below), axis=0)
    return t_tot, u_tot, float(np.real(np.sum(e_at * np.conj(currents))))


def layer_source_emission(*, profile: IndexProfile, layer: int, heights_nm: Sequence[float],
                          currents: Sequence[complex], wavelength_nm: float) -> EmissionSplit:
    """The split of sheets inside ``profile``'s layer ``layer`` at ``heights_nm`` above its bottom with complex
    ``currents`` (quadrature weights included), summed coherently; the emission factor is against the same sheets
    in a homogeneous medium of the layer's index. ``profile``'s indices, ``wavelength_nm`` for k0."""
    h = np.asarray(heights_nm, dtype=float)
    c = np.asarray(currents, dtype=complex)
    if h.ndim != 1 or h.shape != c.shape or h.size == 0:
        raise ValueError("heights_nm and currents must be equal-length, non-empty 1-D sequences")
    if np.any(h < 0) or np.any(h > profile.thickness_nm[layer]):
        raise ValueError(f"heights_nm must lie in [0, {profile.thickness_nm[layer]}] (the layer's thickness)")
    t, u, p_emit = _waves(profile, layer, h, c, wavelength_nm)
    n_j = profile.n_layers[layer]
    homog = profile.model_copy(update={"n_layers": tuple(n_j for _ in profile.n_layers), "n_substrate": n_j,
                                       "n_cover": n_j})
    p_homog = _waves(homog, layer, h, c, wavelength_nm)[2]
    p_up, p_down = np.real(profile.n_cover) * abs(t) ** 2, np.real(profile.n_substrate) * abs(u) ** 2
    return EmissionSplit(up=float(p_up / p_emit), down=float(p_down / p_emit),
                         absorbed=float(1.0 - (p_up + p_down) / p_emit), emission_factor=float(p_emit / p_homog),
                         source_index=complex(n_j), wavelength_nm=float(wavelength_nm))


def grating_level_split(*, stack: Stack, duty_cycle: float, freeze_nm: float, wavelength_nm: float,
                        nodes: int = LEVEL_NODES) -> EmissionSplit:
    """The split of a 2nd-order grating of ``duty_cycle`` on ``stack``: the level averaged at the duty, media at
    ``freeze_nm``, the source Delta-eps_1 E_TE0(x) over the grating level at the mode's ``wavelength_nm``."""
    prof = region_stack(stack=stack, region="average", duty_cycle=duty_cycle).index_profile(wavelength_nm=freeze_nm)
    prof = prof.model_copy(update={"wavelength_nm": float(wavelength_nm)})
    roles = {layer.name: layer.role for layer in stack.optical_layers()}
    at = [i for i, name in enumerate(prof.names) if roles.get(name) == "grating"]
    if len(at) != 1:
        raise ValueError(f"stack {stack.name!r} has {len(at)} grating levels; the split needs exactly one")
    j = at[0]
    mode = solve_slab_mode(profile=prof, pol="TE")
    bottom, d = float(sum(prof.thickness_nm[:j])), prof.thickness_nm[j]
    x, w = np.polynomial.legendre.leggauss(nodes)
    heights = 0.5 * d * (x + 1.0)
    z = bottom + heights
    field = np.interp(z, mode.z_nm, mode.field_u.real) + 1j * np.interp(z, mode.z_nm, mode.field_u.imag)
    return layer_source_emission(profile=prof, layer=j, heights_nm=heights, currents=0.5 * d * w * field,
                                 wavelength_nm=wavelength_nm)
