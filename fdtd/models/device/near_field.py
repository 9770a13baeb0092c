"""The fields R(z), S(z) of a lasing mode at Gauss-Legendre nodes in every section, for integrals along the device
(power budget, far field). R = 0, S = 1 at the left end (the engine's normalisation), propagated through the
sections' transfer matrices at the mode's (g_p, delta), physics.md section 8's conventions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from perocav.fdtd.models.device.engine import DeviceMode
from perocav.fdtd.models.device.sections import DeviceSection, check_device
from perocav.fdtd.models.device.transfer import SectionArrays
from perocav.fdtd.models.dfb.section_matrix import coupled_wave_matrix
from perocav.pdk.units import CM_PER_UM

#: Gauss-Legendre nodes per section: at least this many, plus enough to resolve the section's growth/oscillation
MIN_NODES = 48


@dataclass(frozen=True)
class SectionField:
    """One section's nodes z [um] (from the device's left end), quadrature weights [um], fields R and S there
    (field units), the fields at its two ends ((R, S) at start and end) and its grating phase [rad]."""

    z_um: np.ndarray
    weight_um: np.ndarray
    r: np.ndarray
    s: np.ndarray
    start: tuple[complex, complex]
    end: tuple[complex, complex]
    phase_rad: float


def section_fields(*, sections: Sequence[DeviceSection], mode: DeviceMode,
                   k_max_per_um: float = 0.0) -> tuple[SectionField, ...]:
    """R, S of ``mode`` at quadrature nodes in each section; ``k_max_per_um`` [rad/um]: the largest spatial
    frequency a later integrand e^{-i k z} carries (more nodes)."""
    secs = check_device(sections)
    arr = SectionArrays.from_sections(secs)
    g, dl = mode.threshold_modal_gain_per_cm, mode.detuning_per_cm
    state = np.array([0.0, 1.0], dtype=complex)
    z0, out = 0.0, []
    for j, sec in enumerate(secs):
        c = arr.base[0, j] + arr.half_pumped[0, j] * g - 1j * dl
        gamma = np.sqrt(c * c + arr.b[0, j] * arr.d[0, j])
        l_cm = sec.length_um * CM_PER_UM
        n = MIN_NODES + int(np.ceil(2.0 * (abs(gamma) + abs(c)) * l_cm + k_max_per_um * sec.length_um))
        x, w = _gauss_legendre(n)
        t_um = 0.5 * sec.length_um * (x + 1.0)
        m = coupled_wave_matrix(a=c, b=arr.b[0, j], d=arr.d[0, j], length_cm=t_um * CM_PER_UM)
        rs = m @ state
        new = coupled_wave_matrix(a=c, b=arr.b[0, j], d=arr.d[0, j], length_cm=l_cm) @ state
        out.append(SectionField(z_um=z0 + t_um, weight_um=0.5 * sec.length_um * w, r=rs[:, 0], s=rs[:, 1],
                                start=(complex(state[0]), complex(state[1])), end=(complex(new[0]), complex(new[1])),
                                phase_rad=float(sec.phase_rad)))
        state, z0 = new, z0 + sec.length_um
    return tuple(out)


@lru_cache(maxsize=512)
def _gauss_legendre(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes and weights on [-1, 1] (read-only; cached: the device screen asks for the same n often)."""
    x, w = np.polynomial.legendre.leggauss(n)
    x.flags.writeable = w.flags.writeable = False
    return x, w


def radiated_amplitude(field: SectionField, *, radiation_per_cm: float) -> np.ndarray:
    """The section's radiated near-field amplitude at its nodes, sqrt(2 h) (R e^{i phi} + S e^{-i phi})
    [sqrt(1/cm) field units]: its |.|^2 is the radiated power per length in the energy balance
    d/dz(|R|^2 - |S|^2) = g (|R|^2 + |S|^2) - 2 h |R + S e^{-2 i phi}|^2 (gauge invariant; zero where h = 0)."""
    phase = np.exp(1j * field.phase_rad)
    return np.sqrt(2.0 * radiation_per_cm) * (field.r * phase + field.s * np.conj(phase))
