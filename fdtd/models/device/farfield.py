"""Far field of a lasing mode from its coupled-mode near field (physics.md section 8): the radiated amplitude along
the device, A(z) = sqrt(2 h_j) (R e^{i phi_j} + S e^{-i phi_j}) in 2nd-order sections and 0 elsewhere
(``near_field.radiated_amplitude``), Fourier transformed, F(k) = int A(z) e^{-i k z} dz, to the angle
sin(theta) = k / (k0 n_out) in the output medium (air above, the substrate below). The power per unit angle is
|F|^2 k0 n_out cos(theta) / (2 pi) over the radiated power int |A|^2 dz (Parseval), so that it integrates to the
share of the radiated power inside the angular window. One dimension (the device is broad in the other in-plane
direction); the stack's up/down factor is taken at normal incidence, a constant over the narrow beam."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from perocav.fdtd.models.device.engine import DeviceMode
from perocav.fdtd.models.device.near_field import radiated_amplitude, section_fields
from perocav.fdtd.models.device.sections import DeviceSection, check_device


@dataclass(frozen=True)
class FarField:
    """Angles theta [deg] in the output medium (index ``n_out``), the power per unit angle [1/rad] as a share of the
    radiated power, the wavelength [nm] and the device length [um]."""

    theta_deg: np.ndarray
    power_per_rad: np.ndarray
    n_out: float
    wavelength_nm: float
    length_um: float


def near_field(*, sections: Sequence[DeviceSection], mode: DeviceMode,
               k_max_per_um: float = 0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(z [um], quadrature weights [um], radiated amplitude A [sqrt(1/cm) field units]) at nodes along the device."""
    secs = check_device(sections)
    fields = section_fields(sections=secs, mode=mode, k_max_per_um=k_max_per_um)
    z = np.concatenate([f.z_um for f in fields])
    w = np.concatenate([f.weight_um for f in fields])
    a = np.concatenate([radiated_amplitude(f, radiation_per_cm=s.radiation_per_cm) for f, s in zip(fields, secs)])
    return z, w, a


def far_field_of_amplitude(*, z_um: np.ndarray, weight_um: np.ndarray, amplitude: np.ndarray, wavelength_nm: float,
                           n_out: float = 1.0, sin_max: float | None = None, n_angles: int = 2001) -> FarField:
    """The far field of a sampled near field (any A(z) on quadrature nodes); ``sin_max`` bounds |sin theta|
    (default min(1, 20 lambda / (n_out L)))."""
    z, w, a = (np.asarray(v) for v in (z_um, weight_um, amplitude))
    length = float(np.sum(w))
    lam_um = wavelength_nm * 1e-3
    k0 = 2.0 * np.pi / lam_um
    if sin_max is None:
        sin_max = min(1.0, 20.0 * lam_um / (n_out * length))
    if not 0 < sin_max <= 1.0:
        raise ValueError(f"sin_max={sin_max} must be in (0, 1]")
    total = float(np.sum(w * abs(a) ** 2))
    if not total > 0:
        raise ValueError("the near field is zero: no 2nd-order section radiates")
    sin_t = np.linspace(-sin_max, sin_max, n_angles)
    k = k0 * n_out * sin_t
    spectrum = np.exp(-1j * np.outer(k, z)) @ (w * a)
    cos_t = np.sqrt(1.0 - sin_t ** 2)
    power = abs(spectrum) ** 2 * k0 * n_out * cos_t / (2.0 * np.pi * total)
    return FarField(theta_deg=np.degrees(np.arcsin(sin_t)), power_per_rad=power, n_out=float(n_out),
                    wavelength_nm=float(wavelength_nm), length_um=length)


def far_field(*, sections: Sequence[DeviceSection], mode: DeviceMode, wavelength_nm: float, n_out: float = 1.0,
              sin_max: float | None = None, n_angles: int = 2001) -> FarField:
    """The far field of ``mode`` in a medium of index ``n_out`` (1 for air above, the substrate's below)."""
    length = sum(s.length_um for s in check_device(sections))
    lam_um = wavelength_nm * 1e-3
    s_max = min(1.0, 20.0 * lam_um / (n_out * length)) if sin_max is None else sin_max
    z, w, a = near_field(sections=sections, mode=mode, k_max_per_um=2.0 * np.pi / lam_um * n_out * s_max)
    return far_field_of_amplitude(z_um=z, weight_um=w, amplitude=a, wavelength_nm=wavelength_nm, n_out=n_out,
                                  sin_max=s_max, n_angles=n_angles)
