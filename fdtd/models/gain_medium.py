"""Linear gain or absorption of a frozen (non-dispersive) medium as MEEP sees it: a complex index and a D
conductivity. No meep import. Units: gains 1/cm (intensity, g > 0 amplifies, -alpha absorbs), wavelengths nm,
MEEP conductivity in 1/um (c = 1, f = 1000 / wavelength_nm).

Derivation. A plane wave exp(i (k z - omega t)) in a medium of complex index n + i kappa has intensity
exp(-2 k0 kappa z): the intensity gain g = -2 k0 kappa = -4 pi kappa / lambda, so kappa = -g lambda / (4 pi).
MEEP's D conductivity sigma_D gives eps(omega) = eps (1 + i sigma_D / omega) (``meep.Medium``, exp(-i omega t)),
so with eps_c = (n + i kappa)^2: eps = Re eps_c, sigma_D = omega Im eps_c / Re eps_c = 2 pi f Im eps_c / Re eps_c
(exactly what ``fdtd.meep.media.meep_medium`` does with a lossy index). To first order in kappa / n:
Im eps_c = 2 n kappa = -n g lambda / (2 pi), hence sigma_D = -g c / n (c = 1 in MEEP units, g in 1/um): a
negative conductivity is gain. In the same limit a mode of a homogeneous medium (Bloch k fixed) changes its field
amplitude in time as exp(-sigma_D t / 2): its intensity grows at the rate -sigma_D = g c / n = g v (v = c / n, the
group velocity of the non-dispersive medium), i.e. the spatial gain g converted to time by the group velocity.
"""

from __future__ import annotations

import math

UM_PER_CM = 1.0e4


def extinction_from_gain(*, gain_per_cm: float, wavelength_nm: float) -> float:
    """Im(n) of a medium with intensity gain ``gain_per_cm`` (negative: absorption) at ``wavelength_nm``:
    kappa = -g lambda / (4 pi)."""
    return -gain_per_cm * (wavelength_nm * 1.0e-7) / (4.0 * math.pi)


def gain_index(*, n_real: float, gain_per_cm: float, wavelength_nm: float) -> complex:
    """The complex index n + i kappa of a medium of real index ``n_real`` and intensity gain ``gain_per_cm``."""
    return complex(n_real, extinction_from_gain(gain_per_cm=gain_per_cm, wavelength_nm=wavelength_nm))


def d_conductivity_per_um(*, n_real: float, gain_per_cm: float, wavelength_nm: float) -> float:
    """MEEP D conductivity [1/um, c = 1] of that medium frozen at ``wavelength_nm`` (exact in kappa):
    sigma_D = 2 pi f Im(eps_c) / Re(eps_c); ~ -g / n for |kappa| << n."""
    eps = gain_index(n_real=n_real, gain_per_cm=gain_per_cm, wavelength_nm=wavelength_nm) ** 2
    return 2.0 * math.pi * (1000.0 / wavelength_nm) * eps.imag / eps.real


def gain_from_d_conductivity(*, n_real: float, sigma_per_um: float) -> float:
    """First-order inverse [1/cm]: g = -sigma_D n / c, the intensity gain of a D conductivity in a medium of
    index ``n_real`` (the exact inverse of ``d_conductivity_per_um`` up to O((kappa / n)^2))."""
    return -sigma_per_um * n_real * UM_PER_CM

