"""The field of a lasing mode along the device: |R|^2 + |S|^2 from R = 0, S = 1 at the left end, propagated through
the sections' transfer matrices at the mode's (g_p, delta), normalised to a maximum of 1."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from perocav.fdtd.models.device.engine import DeviceMode
from perocav.fdtd.models.device.sections import DeviceSection, check_device
from perocav.fdtd.models.device.transfer import SectionArrays
from perocav.fdtd.models.dfb.section_matrix import coupled_wave_matrix
from perocav.pdk.units import CM_PER_UM


@dataclass(frozen=True)
class ModeProfile:
    """Positions z [um] from the left end, the intensity |R|^2 + |S|^2 there (max 1), and the sections' (start, end)
    [um]."""

    z_um: np.ndarray
    intensity: np.ndarray
    section_bounds_um: tuple[tuple[float, float], ...]


def mode_profile(*, sections: Sequence[DeviceSection], mode: DeviceMode, n_points: int = 400) -> ModeProfile:
    """The mode's intensity at ``n_points`` evenly spaced positions over the whole device (both ends included)."""
    secs = check_device(sections)
    if n_points < 2:
        raise ValueError(f"n_points={n_points} must be >= 2")
    arr = SectionArrays.from_sections(secs)
    g, dl = mode.threshold_modal_gain_per_cm, mode.detuning_per_cm
    ends = np.cumsum([s.length_um for s in secs])
    starts = ends - np.array([s.length_um for s in secs])
    z = np.linspace(0.0, ends[-1], n_points)
    which = np.minimum(np.searchsorted(ends, z, side="left"), len(secs) - 1)
    field = np.empty((n_points, 2), dtype=complex)
    state = np.array([0.0, 1.0], dtype=complex)
    for j in range(len(secs)):
        c = arr.base[0, j] + arr.half_pumped[0, j] * g - 1j * dl
        at = which == j
        m = coupled_wave_matrix(a=c, b=arr.b[0, j], d=arr.d[0, j], length_cm=(z[at] - starts[j]) * CM_PER_UM)
        field[at] = m @ state
        state = coupled_wave_matrix(a=c, b=arr.b[0, j], d=arr.d[0, j], length_cm=secs[j].length_um * CM_PER_UM) @ state
    intensity = np.sum(np.abs(field) ** 2, axis=1)
    return ModeProfile(z_um=z, intensity=intensity / intensity.max(),
                       section_bounds_um=tuple((float(a), float(b)) for a, b in zip(starts, ends)))
