"""Band-limited linear gain as MEEP sees it: a Lorentzian susceptibility with negative sigma, centred on the lasing
frequency, replacing the negative D conductivity (``models.gain_medium``) that amplifies every frequency alike.
No meep import. Frequencies f in 1/um (MEEP units, c = 1), permittivities relative.

MEEP's Lorentzian (``meep.LorentzianSusceptibility``, exp(-i omega t), frequency and gamma in units of 2 pi c):
eps_L(f) = sigma f0^2 / (f0^2 - f^2 - i f gamma). At f = f0 it is purely imaginary, eps_L(f0) = i sigma f0 / gamma:
so Re(eps) is unchanged at the centre (the medium keeps the frozen Re eps there) and Im(eps) = sigma f0 / gamma.
Setting that equal to the frozen medium's Im(eps_c) (what the D conductivity gives at f0: eps (1 + i sigma_D /
omega0) = Re eps_c + i Im eps_c) gives sigma = Im(eps_c) gamma / f0, negative for gain.

Spectral shape. The intensity gain per length is g(f) = 2 k0 Im n ~ 2 pi f Im eps(f) / n, and
f Im eps_L(f) = sigma f0^2 f^2 gamma / ((f0^2 - f^2)^2 + f^2 gamma^2), so relative to the centre
g(f) / g(f0) = 1 / (1 + ((f0^2 - f^2) / (f gamma))^2): maximal exactly at f0, ~1 - 4 (df / gamma)^2 near it (flat
to 1 % for |df| <= gamma / 20), and ~ gamma^2 f0^2 / f^4 far above it (a grid-scale field at 6.6 f0 sees 0.6 % of
the centre's gain at gamma = 0.5 f0, where the conductivity gives it 100 %).
Off centre Re(eps) shifts by Re eps_L(f) ~ -2 Im(eps_c) df / gamma (Kramers-Kronig: a gain line steepens the normal
dispersion, dRe eps / df = -2 Im(eps_c) / gamma at f0, so the zone's group index rises by f0 |dRe eps / df| / (2 n)).
At f -> 0 the static eps drops by |sigma|; it must stay positive.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: gamma / f0 of the emission runs' gain line: flat to 1 % over |df| <= f0 / 40 (+-20 nm at 810 nm), 0.6 % of the
#: centre's gain at 8.2 /um when f0 = 1.23 /um (docs/validation.md, issue 25.2)
DEFAULT_WIDTH_FRACTION = 0.5


@dataclass(frozen=True)
class LorentzianGain:
    """MEEP Lorentzian parameters: centre f0 and damping gamma [1/um], strength sigma (< 0: gain)."""

    frequency_per_um: float
    gamma_per_um: float
    sigma: float

    def eps(self, *, frequency_per_um: float | complex) -> complex:
        """eps_L(f) = sigma f0^2 / (f0^2 - f^2 - i f gamma) (f may be complex)."""
        f0, f = self.frequency_per_um, frequency_per_um
        return self.sigma * f0 * f0 / (f0 * f0 - f * f - 1j * f * self.gamma_per_um)


def lorentzian_gain(*, eps_imag: float, centre_per_um: float, width_fraction: float = DEFAULT_WIDTH_FRACTION
                    ) -> LorentzianGain:
    """The Lorentzian whose Im(eps) at ``centre_per_um`` is ``eps_imag`` (< 0: gain) and whose Re(eps) there is 0:
    gamma = width_fraction f0, sigma = eps_imag gamma / f0."""
    if centre_per_um <= 0 or width_fraction <= 0:
        raise ValueError(f"need centre_per_um > 0 and width_fraction > 0, got {centre_per_um}, {width_fraction}")
    gamma = width_fraction * centre_per_um
    return LorentzianGain(frequency_per_um=centre_per_um, gamma_per_um=gamma, sigma=eps_imag * gamma / centre_per_um)


def relative_gain(*, frequency_per_um: float, centre_per_um: float, width_fraction: float = DEFAULT_WIDTH_FRACTION
                  ) -> float:
    """g(f) / g(f0) of the Lorentzian gain: 1 / (1 + ((f0^2 - f^2) / (f gamma))^2) (the conductivity's: 1)."""
    f, f0 = frequency_per_um, centre_per_um
    return 1.0 / (1.0 + ((f0 * f0 - f * f) / (f * width_fraction * f0)) ** 2)


def bloch_frequency_per_um(*, eps_inf: float, line: LorentzianGain, k_per_um: float) -> complex:
    """Complex frequency f [1/um] of the plane wave of real Bloch k (k = n f, c = 1) in a homogeneous medium
    eps_inf + eps_L(f): the root near f = k / sqrt(eps_inf) of f^2 (eps_inf + eps_L(f)) = k^2, i.e. of
    -eps_inf f^4 - i eps_inf gamma f^3 + (eps_inf + sigma) f0^2 f^2 + k^2 f^2 + i k^2 gamma f - k^2 f0^2 = 0
    (exp(-i 2 pi f t): Im f > 0 grows; the intensity rate is 4 pi Im f per um of c t)."""
    f0, g, s, e = line.frequency_per_um, line.gamma_per_um, line.sigma, eps_inf
    k2 = k_per_um * k_per_um
    roots = np.roots([-e, -1j * e * g, (e + s) * f0 * f0 + k2, 1j * k2 * g, -k2 * f0 * f0])
    guess = k_per_um / math.sqrt(e)
    return complex(roots[np.argmin(np.abs(roots - guess))])
