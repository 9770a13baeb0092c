"""Up / down split of the power radiated by a 2nd-order grating, at normal incidence: a current sheet at the grating
plane inside the layer stack (substrate below, cover above, x upward), plane waves with the characteristic-matrix
method. In each layer (E, H) propagate upward by d as [[cos p, i sin p / n], [i n sin p, cos p]] (p = k0 n d,
H in units of E / eta0, Im n > 0 absorbing); E is continuous at the sheet and H jumps by the sheet current; only
outgoing waves in cover and substrate. Also the h correction: the sheet's emitted power relative to the same sheet
in a homogeneous medium of the grating level's index (the reflections of the radiated wave that h ignores)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from perocav.pdk.stack import Stack


@dataclass(frozen=True)
class EmissionSplit:
    """Fractions of the sheet's emitted power leaving up (into the cover), down (into the substrate) and absorbed in
    the layers (sum 1); ``emission_factor``: emitted power / the same sheet's in a homogeneous medium of index
    ``source_index`` (the factor h is off by); wavelength [nm]."""

    up: float
    down: float
    absorbed: float
    emission_factor: float
    source_index: complex
    wavelength_nm: float


def propagate(index: Sequence[complex], thickness_nm: Sequence[float], k0_per_nm: float) -> np.ndarray:
    """The 2x2 matrix taking (E, H) up through the layers listed bottom to top."""
    m = np.eye(2, dtype=complex)
    for n, d in zip(index, thickness_nm):
        p = k0_per_nm * n * d
        m = np.array([[np.cos(p), 1j * np.sin(p) / n], [1j * n * np.sin(p), np.cos(p)]]) @ m
    return m


def sheet_waves(*, index_below: Sequence[complex], thickness_below_nm: Sequence[float],
                index_above: Sequence[complex], thickness_above_nm: Sequence[float], n_substrate: complex,
                n_cover: complex, wavelength_nm: float) -> tuple[complex, complex, np.ndarray, np.ndarray]:
    """(t, u, above, below) of a unit current sheet (layers as in ``sheet_emission``): t, u the outgoing amplitudes
    (E) in cover and substrate; t x above and u x below the (E, H) just above and just below the sheet."""
    k0 = 2.0 * np.pi / wavelength_nm
    up_m = propagate(index_above, thickness_above_nm, k0)  # sheet -> top of the stack
    low_m = propagate(index_below, thickness_below_nm, k0)  # bottom of the stack -> sheet
    above = np.linalg.solve(up_m, np.array([1.0, n_cover], dtype=complex))  # (E, H) at the sheet per unit t
    below = low_m @ np.array([1.0, -n_substrate], dtype=complex)  # (E, H) at the sheet per unit u
    # t above - u below = (0, J) with J = 1
    t, u = np.linalg.solve(np.array([above, -below]).T, np.array([0.0, 1.0], dtype=complex))
    return complex(t), complex(u), above, below


def sheet_emission(*, index_below: Sequence[complex], thickness_below_nm: Sequence[float],
                   index_above: Sequence[complex], thickness_above_nm: Sequence[float], n_substrate: complex,
                   n_cover: complex, source_index: complex, wavelength_nm: float) -> EmissionSplit:
    """A current sheet between the layers below (bottom to top, ending at the sheet) and above (bottom to top,
    starting at the sheet), over a substrate and under a cover (both lossless)."""
    t, u, above, _ = sheet_waves(index_below=index_below, thickness_below_nm=thickness_below_nm,
                                 index_above=index_above, thickness_above_nm=thickness_above_nm,
                                 n_substrate=n_substrate, n_cover=n_cover, wavelength_nm=wavelength_nm)
    p_up, p_down = np.real(n_cover) * abs(t) ** 2, np.real(n_substrate) * abs(u) ** 2
    p_emit = np.real(t * above[0])  # Re(E J*) at the sheet (J = 1): the work done, in the units of p_up
    p_homog = 0.5 / np.real(source_index)  # two waves of E = J / (2 n)
    return EmissionSplit(up=float(p_up / p_emit), down=float(p_down / p_emit),
                         absorbed=float(1.0 - (p_up + p_down) / p_emit), emission_factor=float(p_emit / p_homog),
                         source_index=complex(source_index), wavelength_nm=float(wavelength_nm))


def stack_emission_split(*, stack: Stack, wavelength_nm: float) -> EmissionSplit:
    """The split for the sheet at the middle of the stack's grating level (``Stack.index_profile``)."""
    prof = stack.index_profile(wavelength_nm=wavelength_nm)
    roles = {layer.name: layer.role for layer in stack.optical_layers()}
    at = [i for i, name in enumerate(prof.names) if roles.get(name) == "grating"]
    if len(at) != 1:
        raise ValueError(f"stack {stack.name!r} has {len(at)} grating levels; the split needs exactly one")
    j = at[0]
    half = 0.5 * prof.thickness_nm[j]
    return sheet_emission(index_below=[*prof.n_layers[:j], prof.n_layers[j]],
                          thickness_below_nm=[*prof.thickness_nm[:j], half],
                          index_above=[prof.n_layers[j], *prof.n_layers[j + 1:]],
                          thickness_above_nm=[half, *prof.thickness_nm[j + 1:]], n_substrate=prof.n_substrate,
                          n_cover=prof.n_cover, source_index=prof.n_layers[j], wavelength_nm=wavelength_nm)
