"""Pure extractors on synthetic fields: confinement and modal loss against hand-computed integrals."""

import math

import numpy as np
import pytest

from perocav.fdtd.extract.fields import confinement_from_profile, modal_loss_from_profile_per_cm, vertical_profile


def _grid():
    dy = 0.001
    return np.arange(-1 + dy / 2, 1, dy)


def test_confinement_of_a_flat_profile_is_the_thickness_fraction():
    y = _grid()
    p = np.ones_like(y)
    g = confinement_from_profile(y_um=y, profile_abs2=p, levels_um={"a": (-0.1, 0.05), "b": (0.05, 0.0502)},
                                 y_range_um=(-0.5, 0.5))
    assert g["a"] == pytest.approx(0.15, rel=1e-9)
    assert g["b"] == pytest.approx(0.0002, rel=1e-6)  # partial pixels count by their overlap


def test_confinement_of_a_gaussian_matches_erf():
    y = _grid()
    w = 0.2
    p = np.exp(-2 * y**2 / w**2)
    g = confinement_from_profile(y_um=y, profile_abs2=p, levels_um={"core": (-0.1, 0.1)})
    exact = math.erf(math.sqrt(2) * 0.1 / w)
    assert g["core"] == pytest.approx(exact, abs=1e-5)


def test_modal_loss_is_k0_im_eps_gamma_over_neff():
    y = _grid()
    p = np.exp(-2 * y**2 / 0.2**2)
    levels = {"core": (-0.1, 0.1), "ito": (0.1, 0.12)}
    g = confinement_from_profile(y_um=y, profile_abs2=p, levels_um=levels)
    n_ito = complex(1.787, 0.0046)
    loss = modal_loss_from_profile_per_cm(y_um=y, profile_abs2=p, levels_um=levels,
                                          eps_imag={"ito": (n_ito**2).imag}, n_eff=1.9, wavelength_nm=780.0)
    k0 = 2 * math.pi / 780e-7
    assert loss == pytest.approx(k0 * (n_ito**2).imag * g["ito"] / 1.9, rel=1e-12)
    assert loss > 0


def test_vertical_profile_averages_over_x_and_rejects_1d():
    a = np.array([[1.0, 2.0], [3.0, 6.0]])
    assert np.allclose(vertical_profile(field_abs2=a), [2.0, 4.0])
    with pytest.raises(ValueError):
        vertical_profile(field_abs2=np.ones(3))
