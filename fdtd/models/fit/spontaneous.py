"""The below-threshold spectrum of a uniform grating with distributed spontaneous emission, from the section
engine's transfer matrices (physics.md section 8 conventions, ``models.device.transfer``).

A source at z0 adds a jump s = (s_R, s_S) to the fields; with R(0) = 0 and S(L) = 0 the left output is
S(0) = -(T(L, z0) s)_2 / T22 and the right one R(L) = T12 S(0) + (T(L, z0) s)_1 (T the whole device's matrix).
Sources are uncorrelated, of equal strength in both directions and uniform along the grating: the spectrum is
P(delta) = int_0^L sum_s (|S(0)|^2 + |R(L)|^2) dz0 (Gauss-Legendre), both ends' power. Its peaks are the poles of
1 / T22, i.e. the threshold modes; at net gain g below the lowest threshold g_1 each peak is a Lorentzian of FWHM
~ (g_k - g) in delta. Arbitrary units."""

from __future__ import annotations

import numpy as np

from perocav.fdtd.models.device.sections import DeviceSection
from perocav.fdtd.models.device.transfer import SectionArrays
from perocav.fdtd.models.dfb.section_matrix import coupled_wave_matrix
from perocav.pdk.units import CM_PER_UM

#: Gauss-Legendre nodes along the grating: at least this many, plus two per unit of |c| L
MIN_NODES = 32


def spontaneous_spectrum(*, detuning_per_cm, kappa_per_cm: float, h_per_cm: float, gain_per_cm: float,
                         length_um: float) -> np.ndarray:
    """P(delta) [arbitrary units] at the detunings [1/cm] of a grating of ``length_um`` [um], signed index coupling
    and radiation coupling h [1/cm], uniform modal intensity gain ``gain_per_cm`` [1/cm] (below threshold)."""
    sec = DeviceSection(length_um=length_um, kappa_per_cm=kappa_per_cm, radiation_per_cm=h_per_cm, pumped=True)
    arr = SectionArrays.from_sections([sec])
    delta = np.asarray(detuning_per_cm, dtype=float)
    c = arr.base[0, 0] + arr.half_pumped[0, 0] * gain_per_cm - 1j * delta
    b, d = arr.b[0, 0], arr.d[0, 0]
    l_cm = length_um * CM_PER_UM
    n = MIN_NODES + int(np.ceil(2.0 * np.max(np.abs(c)) * l_cm + 2.0 * abs(np.sqrt(complex(b * d))) * l_cm))
    x, w = np.polynomial.legendre.leggauss(n)
    z, wz = 0.5 * l_cm * (x + 1.0), 0.5 * l_cm * w
    whole = coupled_wave_matrix(a=c, b=b, d=d, length_cm=l_cm)[:, None]  # (D, 1, 2, 2)
    rest = coupled_wave_matrix(a=c[:, None], b=b, d=d, length_cm=(l_cm - z)[None, :])  # (D, N, 2, 2)
    power = np.zeros(rest.shape[:2])
    for col in (0, 1):  # a forward (R) and a backward (S) source
        t2s = rest[..., :, col]
        s0 = -t2s[..., 1] / whole[..., 1, 1]
        r_l = whole[..., 0, 1] * s0 + t2s[..., 0]
        power += np.abs(s0) ** 2 + np.abs(r_l) ** 2
    return power @ wz
