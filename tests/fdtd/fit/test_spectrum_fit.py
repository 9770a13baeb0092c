"""The distributed-spontaneous-emission spectrum (``fdtd.models.fit.spontaneous``) against the single-pass amplifier
in closed form (kappa = 0) and the engine's threshold modes (its peaks), and the spectrum fit recovering a synthetic
below-threshold spectrum."""

import math

import numpy as np
import pytest

from perocav.fdtd.models.fit.grating_lines import grating_modes
from perocav.fdtd.models.fit.lines_data import GratingParams
from perocav.fdtd.models.fit.spectrum_fit import SpectrumData, fit_spectrum, model_spectrum
from perocav.fdtd.models.fit.spontaneous import spontaneous_spectrum


@pytest.mark.parametrize("gain", [-40.0, 0.0, 25.0])
def test_no_grating_is_a_single_pass_amplifier(gain):
    """kappa = 0: each source is amplified once to its end, P = 2 (e^{gL} - 1) / g (2 L at g = 0), any delta."""
    length_um = 120.0
    l_cm = length_um * 1e-4
    p = spontaneous_spectrum(detuning_per_cm=np.array([-300.0, 0.0, 500.0]), kappa_per_cm=0.0, h_per_cm=0.0,
                             gain_per_cm=gain, length_um=length_um)
    exact = 2 * l_cm if gain == 0 else 2 * math.expm1(gain * l_cm) / gain
    assert p == pytest.approx(exact, rel=1e-10)


def test_peaks_are_the_threshold_modes():
    """Just below the lowest threshold the spectrum's two highest peaks sit at the engine's lowest pair (+-delta_1)
    and the next peaks at the second pair."""
    kappa, length_um = 250.0, 140.0
    modes = grating_modes(kappa_per_cm=kappa, h_per_cm=0.0, length_um=length_um, n_orders=2)
    g1 = np.nanmin(modes.threshold_per_cm)
    delta = np.linspace(-900, 900, 18001)
    p = spontaneous_spectrum(detuning_per_cm=delta, kappa_per_cm=kappa, h_per_cm=0.0, gain_per_cm=0.9 * g1,
                             length_um=length_um)
    inner = (np.diff(np.sign(np.diff(p))) < 0).nonzero()[0] + 1
    top = inner[np.argsort(p[inner])[::-1]]
    assert sorted(delta[top[:2]]) == pytest.approx(sorted(modes.detuning_per_cm[1:3]), abs=0.3)
    assert sorted(delta[top[2:4]]) == pytest.approx(sorted(modes.detuning_per_cm[[0, 3]]), abs=2.0)


@pytest.mark.slow
def test_fit_recovers_a_synthetic_spectrum():
    """A model spectrum (n_eff 1.93, n_g 2.3, kappa 280 /cm, g 0.4 g_1: side modes at ~10 %) with 0.5 % noise: back within 2e-5, 3 %, 5 %."""
    true = GratingParams(n_eff=1.93, group_index=2.3, kappa_per_cm=280.0)
    period, length = 405.0, 140.0
    lam = np.linspace(777.0, 787.0, 1500)
    base = SpectrumData(wavelength_nm=(lam,), intensity=(lam,), order=2, period_nm=period, length_um=length)
    g1 = np.nanmin(grating_modes(kappa_per_cm=280.0, h_per_cm=0.0, length_um=length, n_orders=2).threshold_per_cm)
    clean = model_spectrum(wavelength_nm=lam, params=true, data=base, gain_per_cm=0.4 * g1, kappa_sign=1)
    noisy = clean + np.random.default_rng(3).normal(0, 0.005, lam.size)
    fit = fit_spectrum(SpectrumData(wavelength_nm=(lam,), intensity=(noisy,), order=2, period_nm=period,
                                    length_um=length, window_nm=(777.0, 787.0)))
    assert fit.params.n_eff == pytest.approx(1.93, abs=2e-5)
    assert fit.params.group_index == pytest.approx(2.3, rel=0.03)
    assert fit.params.kappa_per_cm == pytest.approx(280.0, rel=0.05)
    assert fit.reduced_chi2 == pytest.approx(2.5e-5, rel=0.3)  # the noise's variance: the model fits to the noise
