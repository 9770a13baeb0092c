"""The lasing mode is the one of lowest threshold carrier density (lowest J_th), not of lowest threshold modal gain,
when the gain spectrum favours another mode; checked against a hand-solved gain model: G(N, lambda) =
Gamma g0 ln(N / N_tr) f(lambda), f a Lorentzian around the gain peak, so N(g) = N_tr exp(g / (Gamma g0 f))."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pytest

from perocav.fdtd.models.device.lasing import choose_lasing


@dataclass(frozen=True)
class Lorentzian:
    """G = gamma g0 ln(N / n_tr) / (1 + ((lambda - peak) / width)^2)."""

    gamma: float = 0.5
    g0: float = 1000.0
    n_tr: float = 5e17
    peak_nm: float = 780.0
    width_nm: float = 4.0

    def shape(self, wavelength_nm: float) -> float:
        return 1.0 / (1.0 + ((wavelength_nm - self.peak_nm) / self.width_nm) ** 2)

    def density_per_cm3(self, *, modal_gain_per_cm: float, wavelength_nm: float) -> float:
        return self.n_tr * math.exp(modal_gain_per_cm / (self.gamma * self.g0 * self.shape(wavelength_nm)))

    def modal_gain_per_cm(self, *, density_per_cm3: float, wavelength_nm: float) -> float:
        return self.gamma * self.g0 * math.log(density_per_cm3 / self.n_tr) * self.shape(wavelength_nm)


def test_the_mode_nearer_the_gain_peak_wins():
    """Mode 0: 200 /cm at 772 nm (f = 0.2); mode 1: 260 /cm at 780 nm (f = 1): N_0 = N_tr e^{2}, N_1 = N_tr
    e^{0.52}; mode 1 lases, and at its N_th mode 0 has 0.52 x 500 x 0.2 = 52 /cm of its 200: margin 148 /cm."""
    model = Lorentzian()
    choice = choose_lasing(threshold_modal_gain_per_cm=[200.0, 260.0], wavelength_nm=[772.0, 780.0], ranking=model)
    assert choice.index == 1
    assert choice.density_per_cm3[0] == pytest.approx(5e17 * math.exp(2.0), rel=1e-12)
    assert choice.density_per_cm3[1] == pytest.approx(5e17 * math.exp(0.52), rel=1e-12)
    assert choice.gain_margin_per_cm == pytest.approx(200.0 - 0.52 * 500.0 * 0.2, rel=1e-12)


def test_a_flat_gain_keeps_the_lowest_threshold_and_the_plain_margin():
    """Wavelength-blind gain (width -> inf): the lowest modal gain lases, margin = 2nd - 1st threshold."""
    model = Lorentzian(width_nm=1e9)
    choice = choose_lasing(threshold_modal_gain_per_cm=[200.0, 260.0, 300.0], wavelength_nm=[772.0, 780.0, 790.0],
                           ranking=model)
    assert choice.index == 0
    assert choice.gain_margin_per_cm == pytest.approx(60.0, rel=1e-9)
    plain = choose_lasing(threshold_modal_gain_per_cm=[200.0, 260.0], wavelength_nm=[772.0, 780.0], ranking=None)
    assert plain.index == 0 and plain.gain_margin_per_cm == 60.0


def test_no_mode_to_choose_from_is_refused():
    with pytest.raises(ValueError, match="no device mode"):
        choose_lasing(threshold_modal_gain_per_cm=[], wavelength_nm=[], ranking=None)
