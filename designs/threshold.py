"""Laser-threshold models of the perspective paper (Goldberg et al. 2024, eqs. 1-3, 5-7), used for ranking.

Units: carrier densities in cm^-3, rates k1 [1/s], k2 [cm^3/s], k3 [cm^6/s], gains in 1/cm, thickness in nm,
current density in A/cm^2, fluence in uJ/cm^2, times in s.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from pydantic import Field
from scipy.integrate import solve_ivp

from perocav.fdtd.models.spectral_gain.params import band_edge
from perocav.fdtd.models.spectral_gain.spectrum import TEMPERATURE_RANGE_K, peak_wavelength_nm
from perocav.fdtd.models.spectral_gain.threshold import N_CEILING_PER_CM3, density_for_gain
from perocav.pdk.bounds import StrictModel  # frozen, no extra keys, no inf/nan, no true/false as numbers

from perocav.pdk.units import C_M_PER_S as C_LIGHT, H_PLANCK_J_S as H_PLANCK, Q_E_C as Q_E  # noqa: E402


class GainMaterial(StrictModel):
    """Recombination rates and a logarithmic material-gain model g(N) = g0 ln(N / N_tr) (N > N_tr).

    Defaults: the paper's exemplary 3D perovskite (k1 1e7 1/s, k2 2e-10 cm^3/s, k3 1e-28 cm^6/s); g0 and N_tr
    chosen so that g = 500 1/cm near N ~ 8e17 cm^-3, the paper's N_th of a 150 nm transparent PeLED (7.3e17).
    """

    k1_per_s: float = Field(1e7, ge=0)
    k2_cm3_per_s: float = Field(2e-10, gt=0)
    k3_cm6_per_s: float = Field(1e-28, ge=0)
    g0_per_cm: float = Field(1000.0, gt=0)
    n_transparency_per_cm3: float = Field(5e17, gt=0)
    #: "spectral": g(lambda, N, T) of the gain layer's perovskite at the mode's own wavelength
    #: (``fdtd.models.spectral_gain``, calibrated to the seed); "seed": the wavelength-blind g0 ln(N / N_tr) above.
    #: A gain layer that is not a PDK perovskite always uses the seed.
    gain_model: Literal["spectral", "seed"] = "spectral"
    #: film temperature of the spectral model [K]
    temperature_k: float = Field(300.0, ge=TEMPERATURE_RANGE_K[0], le=TEMPERATURE_RANGE_K[1])
    #: no lasing when the mode's wavelength needs a density above this [cm^-3] (spectral model)
    max_density_per_cm3: float = Field(N_CEILING_PER_CM3, gt=1e16, le=1e20)


def material_gain_per_cm(*, material: GainMaterial, carrier_density_per_cm3: float) -> float:
    """g(N) = g0 ln(N / N_tr) [1/cm] (negative below transparency: absorption)."""
    return material.g0_per_cm * math.log(carrier_density_per_cm3 / material.n_transparency_per_cm3)


def carrier_density_for_gain_per_cm3(*, material: GainMaterial, gain_per_cm: float) -> float:
    """Inverse of ``material_gain_per_cm``: N [cm^-3] that gives ``gain_per_cm``."""
    return material.n_transparency_per_cm3 * math.exp(gain_per_cm / material.g0_per_cm)


def plqy(*, material: GainMaterial, carrier_density_per_cm3: float) -> float:
    """Paper eq. 3: PLQY = k2 N^2 / (k1 N + k2 N^2 + k3 N^3)."""
    n = carrier_density_per_cm3
    return material.k2_cm3_per_s * n**2 / (material.k1_per_s * n + material.k2_cm3_per_s * n**2 + material.k3_cm6_per_s * n**3)


def auger_critical_density_per_cm3(*, material: GainMaterial) -> float:
    """N_C where radiative and Auger rates are equal (k2 = k3 N_C); inf without Auger."""
    return math.inf if material.k3_cm6_per_s == 0 else material.k2_cm3_per_s / material.k3_cm6_per_s


def threshold_current_density_A_per_cm2(*, material: GainMaterial, carrier_density_per_cm3: float,
                                        thickness_nm: float, iqe: float | None = None) -> float:
    """Paper eq. 5: J_th = q d k2 N_th^2 / IQE; IQE defaults to PLQY(N_th) (balanced injection)."""
    eff = plqy(material=material, carrier_density_per_cm3=carrier_density_per_cm3) if iqe is None else iqe
    d_cm = thickness_nm * 1e-7
    return Q_E * d_cm * material.k2_cm3_per_s * carrier_density_per_cm3**2 / eff


def carrier_density_from_fluence_per_cm3(*, fluence_uJ_per_cm2: float, absorption: float, thickness_nm: float,
                                         pump_wavelength_nm: float) -> float:
    """Paper eq. 1 (fs pulses): N_th = F Abs / (hbar omega d)."""
    photon_J = H_PLANCK * C_LIGHT / (pump_wavelength_nm * 1e-9)
    return fluence_uJ_per_cm2 * 1e-6 * absorption / (photon_J * thickness_nm * 1e-7)


@dataclass(frozen=True)
class Threshold:
    """Threshold estimate of one design."""

    material_gain_per_cm: float
    carrier_density_per_cm3: float
    plqy: float
    current_density_A_per_cm2: float
    below_auger_limit: bool  # N_th < N_C (needed under quasi-steady pumping)
    gain_model: str = "seed"
    #: lasing wavelength minus the gain peak's at N_th [nm] (spectral model; NaN otherwise)
    gain_peak_detuning_nm: float = math.nan
    #: why there is no threshold ("" when there is one)
    gain_note: str = ""


def threshold_from_modal_gain(*, material: GainMaterial, threshold_modal_gain_per_cm: float, confinement: float,
                              thickness_nm: float, wavelength_nm: float | None = None,
                              perovskite: str | None = None) -> Threshold:
    """Modal threshold gain -> material gain (/ Gamma) -> N_th (g(lambda, N) or g(N)) -> PLQY -> J_th (eqs. 3, 5, 6)."""
    g_i = threshold_modal_gain_per_cm / confinement if confinement > 0 else math.inf
    return threshold_from_material_gain(material=material, material_gain_per_cm=g_i, thickness_nm=thickness_nm,
                                        wavelength_nm=wavelength_nm, perovskite=perovskite)


def threshold_from_material_gain(*, material: GainMaterial, material_gain_per_cm: float, thickness_nm: float,
                                 wavelength_nm: float | None = None, perovskite: str | None = None) -> Threshold:
    """Material threshold gain -> N_th -> PLQY -> J_th (eqs. 3, 5). N_th from the spectral g(lambda, N, T) of
    ``perovskite`` at ``wavelength_nm`` when the material's model is "spectral" and both are known, else from the
    seed g0 ln(N / N_tr)."""
    g_i = material_gain_per_cm
    if g_i is None or not math.isfinite(g_i):
        return Threshold(math.inf, math.inf, 0.0, math.inf, False, gain_note="no finite threshold gain")
    edge = band_edge(perovskite) if isinstance(perovskite, str) else None
    spectral = (material.gain_model == "spectral" and edge is not None and wavelength_nm is not None
                and math.isfinite(wavelength_nm))
    detuning, note = math.nan, ""
    if spectral:
        found = density_for_gain(edge=edge, wavelength_nm=wavelength_nm, gain_per_cm_target=g_i,
                                 temperature_k=material.temperature_k, ceiling_per_cm3=material.max_density_per_cm3)
        n_th, note = found.density_per_cm3, found.reason
        if math.isfinite(n_th):
            detuning = wavelength_nm - peak_wavelength_nm(edge=edge, density_per_cm3=n_th,
                                                          temperature_k=material.temperature_k)
        else:
            return Threshold(g_i, math.inf, 0.0, math.inf, False, gain_model="spectral", gain_note=note)
    else:
        n_th = carrier_density_for_gain_per_cm3(material=material, gain_per_cm=g_i)
    return Threshold(
        material_gain_per_cm=g_i, carrier_density_per_cm3=n_th,
        plqy=plqy(material=material, carrier_density_per_cm3=n_th),
        current_density_A_per_cm2=threshold_current_density_A_per_cm2(
            material=material, carrier_density_per_cm3=n_th, thickness_nm=thickness_nm),
        below_auger_limit=n_th < auger_critical_density_per_cm3(material=material),
        gain_model="spectral" if spectral else "seed", gain_peak_detuning_nm=detuning, gain_note=note,
    )


def peak_density_for_pulse_per_cm3(*, material: GainMaterial, fluence_uJ_per_cm2: float, pulse_fwhm_s: float,
                                   absorption: float = 1.0, thickness_nm: float = 100.0,
                                   pump_wavelength_nm: float = 400.0, auger: bool = True) -> float:
    """Paper eq. 2 for a Gaussian pump pulse: peak N [cm^-3] of dN/dt = G(t) - k1 N - k2 N^2 - k3 N^3."""
    n0 = carrier_density_from_fluence_per_cm3(fluence_uJ_per_cm2=fluence_uJ_per_cm2, absorption=absorption,
                                              thickness_nm=thickness_nm, pump_wavelength_nm=pump_wavelength_nm)
    sigma = pulse_fwhm_s / (2 * math.sqrt(2 * math.log(2)))
    k1, k2 = material.k1_per_s, material.k2_cm3_per_s
    k3 = material.k3_cm6_per_s if auger else 0.0
    # scaled variables: n = N / n0, tau = t / sigma (keeps the stiff problem well conditioned)
    def rhs(tau, y):
        n = y[0]
        gen = math.exp(-0.5 * tau * tau) / math.sqrt(2 * math.pi)
        return [gen - sigma * (k1 * n + k2 * n0 * n * n + k3 * n0 * n0 * n**3)]
    sol = solve_ivp(rhs, (-6.0, 6.0), [0.0], method="LSODA", rtol=1e-8, atol=1e-12, dense_output=True, max_step=0.05)
    tau = np.linspace(-6, 6, 4001)
    return float(n0 * np.max(sol.sol(tau)[0]))
