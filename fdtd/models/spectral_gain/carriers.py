"""Quasi-Fermi levels of a non-degenerate-to-moderately-degenerate electron-hole plasma of density N [cm^-3]
(N electrons = N holes) in parabolic bands: N = N_c F_1/2(eta), N_c = 2 (m kT / (2 pi hbar^2))^(3/2), inverted by
the Joyce-Dixon series (Joyce and Dixon, "Analytic approximations for the Fermi energy of an ideal Fermi gas",
Appl. Phys. Lett. 31, 354-356 (1977), doi 10.1063/1.89697: A1 = 1/sqrt(8), A2 = 3/16 - sqrt(3)/9, A3, A4 as in
public implementations) up to N / N_c = 5.15 (eta ~ 3.3) and the degenerate Sommerfeld expansion
F_1/2 = 4/(3 sqrt(pi)) eta^(3/2) (1 + pi^2/(8 eta^2) + 7 pi^4/(640 eta^4)) inverted by Newton above it (the
standard asymptotic series; Fermi-Dirac-integral approximations are reviewed in Blakemore, Solid-State Electron.
25, 1067-1076 (1982)); both within 1e-3 of quad. Energies eV measured from the valence-band edge;
Delta_mu = F_c - F_v = E_g + kT (eta_e + eta_h)."""

from __future__ import annotations

import numpy as np

from perocav.fdtd.models.spectral_gain.params import BandEdge

K_B_EV_PER_K = 8.617333262e-5
#: 2 (m0 k T / (2 pi hbar^2))^(3/2) at 300 K [cm^-3] (the free-electron effective density of states)
NC_FREE_300K_PER_CM3 = 2.5094e19
_JD = (3.53553e-1, -4.95009e-3, 1.48386e-4, -4.42563e-6)  # Joyce-Dixon coefficients A1..A4


def effective_dos_per_cm3(*, mass_m0: float, temperature_k: float) -> float:
    """N_c (or N_v) [cm^-3] of a parabolic band of mass ``mass_m0`` at ``temperature_k``."""
    return NC_FREE_300K_PER_CM3 * (mass_m0 * temperature_k / 300.0) ** 1.5


#: N / N_c where the Joyce-Dixon series hands over to the degenerate expansion (eta ~ 3.3)
JD_MAX_RATIO = 5.151006  # where the two branches give the same eta (continuous, monotone)


def reduced_fermi_level(*, ratio):
    """eta with F_1/2(eta) = ratio (= N / N_c); ratio 0 gives -inf."""
    r = np.asarray(ratio, dtype=float)
    with np.errstate(divide="ignore"):
        low = np.log(r) + r * (_JD[0] + r * (_JD[1] + r * (_JD[2] + r * _JD[3])))
    if not np.any(r > JD_MAX_RATIO):
        return low
    return np.where(r > JD_MAX_RATIO, _degenerate_eta(np.maximum(r, JD_MAX_RATIO)), low)


def _degenerate_eta(r: np.ndarray) -> np.ndarray:
    """Newton inversion of the Sommerfeld expansion of F_1/2 (eta > ~3)."""
    c = 4 / (3 * np.sqrt(np.pi))
    eta = (r / c) ** (2 / 3)
    for _ in range(6):
        s = 1 + np.pi**2 / (8 * eta**2) + 7 * np.pi**4 / (640 * eta**4)
        ds = -np.pi**2 / (4 * eta**3) - 7 * np.pi**4 / (160 * eta**5)
        f = c * eta**1.5 * s - r
        df = c * (1.5 * eta**0.5 * s + eta**1.5 * ds)
        eta = eta - f / df
    return eta


def fermi_levels_ev(*, edge: BandEdge, density_per_cm3, temperature_k: float):
    """(F_c, F_v) [eV] from the valence-band edge for N electrons and N holes per cm^3."""
    kt = K_B_EV_PER_K * temperature_k
    n = edge.density_scale * np.asarray(density_per_cm3, dtype=float)
    eta_e = reduced_fermi_level(ratio=n / effective_dos_per_cm3(mass_m0=edge.electron_mass_m0,
                                                                temperature_k=temperature_k))
    eta_h = reduced_fermi_level(ratio=n / effective_dos_per_cm3(mass_m0=edge.hole_mass_m0,
                                                                temperature_k=temperature_k))
    return edge.gap_ev + kt * eta_e, -kt * eta_h


def delta_mu_ev(*, edge: BandEdge, density_per_cm3, temperature_k: float):
    """Quasi-Fermi-level splitting Delta_mu = F_c - F_v [eV] (-inf at N = 0)."""
    f_c, f_v = fermi_levels_ev(edge=edge, density_per_cm3=density_per_cm3, temperature_k=temperature_k)
    return f_c - f_v
