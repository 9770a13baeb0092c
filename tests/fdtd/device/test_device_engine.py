"""The section engine against exact limits: Kogelnik-Shank's table (uniform, fully pumped), a quarter-wave shift
(closed form at the Bragg detuning and the grating path of ``cmt_dfb``), energy conservation without gain, and a
uniform device cut into pumped pieces."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import brentq

from perocav.fdtd.models.device.engine import device_modes
from perocav.fdtd.models.device.profile import mode_profile
from perocav.fdtd.models.device.sections import DeviceSection
from perocav.fdtd.models.device.transfer import SectionArrays, total_matrix
from perocav.fdtd.models.dfb import cmt_dfb as cd

# physics.md section 5: kappa L -> (alpha_th L, delta L / pi), lowest mode (Kogelnik & Shank 1972)
KS_TABLE = {1: (1.7548, 0.8487), 2: (0.9847, 1.0758), 3: (0.6226, 1.3205), 4: (0.4224, 1.5820), 5: (0.3019, 1.8564)}
LENGTH_UM = 200.0
L_CM = LENGTH_UM * 1e-4


@pytest.mark.parametrize("kappa_L", sorted(KS_TABLE))
def test_kogelnik_shank_table(kappa_L):
    """Uniform index coupling, pumped all along: threshold intensity gain 2 alpha, the pair at +/- delta."""
    alpha_L, delta_L_pi = KS_TABLE[kappa_L]
    res = device_modes(sections=[DeviceSection(length_um=LENGTH_UM, kappa_per_cm=kappa_L / L_CM, pumped=True)],
                       n_modes=2)
    m0, m1 = res.modes
    for m in (m0, m1):
        assert m.threshold_modal_gain_per_cm * L_CM / 2 == pytest.approx(alpha_L, abs=1e-4)
        assert abs(m.detuning_per_cm) * L_CM / np.pi == pytest.approx(delta_L_pi, abs=1e-4)
    assert m0.detuning_per_cm == pytest.approx(-m1.detuning_per_cm, rel=1e-9)
    assert res.gain_margin_per_cm == pytest.approx(0.0, abs=1e-9)  # the degenerate pair


def _quarter_wave(kappa_L: float, pumped: bool = True) -> list[DeviceSection]:
    k = kappa_L / L_CM
    return [DeviceSection(length_um=LENGTH_UM / 2, kappa_per_cm=k, pumped=pumped),
            DeviceSection(length_um=LENGTH_UM / 2, kappa_per_cm=k, phase_rad=np.pi / 2, pumped=pumped)]


def _quarter_wave_closed_form(kappa_L: float) -> float:
    """alpha L at delta = 0 of a centred lambda/4 shift: (M2 M1)_22 = (ch - a s)^2 + kappa^2 s^2 = 0 with half
    sections, i.e. gamma coth(gamma / 2) = alpha + |kappa| (L = 1, gamma^2 = kappa^2 + alpha^2)."""
    k = abs(kappa_L)

    def f(a: float) -> float:
        gam = np.hypot(k, a)
        return gam / np.tanh(gam / 2) - a - k

    return brentq(f, 1e-9, 20.0, xtol=1e-14)


@pytest.mark.parametrize("kappa_L", [1.0, 2.0, 3.0])
def test_quarter_wave_shift_lases_at_bragg(kappa_L):
    res = device_modes(sections=_quarter_wave(kappa_L), n_modes=3)
    m0 = res.modes[0]
    assert abs(m0.detuning_per_cm) * L_CM < 1e-9
    assert m0.threshold_modal_gain_per_cm * L_CM / 2 == pytest.approx(_quarter_wave_closed_form(kappa_L), rel=1e-9)
    grating = cd.threshold_modes(sections=cd.phase_shifted_grating(length_um=LENGTH_UM, kappa_per_cm=kappa_L / L_CM,
                                                                   phase_shift_rad=np.pi), n_modes=3)
    for mine, theirs in zip(res.modes, grating):
        assert mine.threshold_modal_gain_per_cm == pytest.approx(theirs.power_gain_per_cm, rel=1e-9)
        assert abs(mine.detuning_per_cm) == pytest.approx(abs(theirs.delta_per_cm), rel=1e-9, abs=1e-6)
    assert res.gain_margin_per_cm > 0.3 * 2 / L_CM  # single-mode: the next pair is well above
    uniform = KS_TABLE[int(kappa_L)][0]
    assert m0.threshold_modal_gain_per_cm * L_CM / 2 < uniform - 0.2


def test_energy_conservation_without_gain():
    """g = 0, h = 0, real delta: det T = 1 and the net forward flux |R|^2 - |S|^2 is conserved (T^H sz T = sz); with
    radiation h > 0 the flux can only fall (sz - T^H sz T >= 0)."""
    rng = np.random.default_rng(7)
    sz = np.diag([1.0, -1.0])
    for _ in range(20):
        n = int(rng.integers(1, 6))
        cols = dict(length_um=rng.uniform(5, 80, (1, n)), kappa_per_cm=rng.uniform(-400, 400, (1, n)),
                    radiation_reactive_per_cm=np.zeros((1, n)), phase_rad=rng.uniform(-np.pi, np.pi, (1, n)),
                    pumped=np.ones((1, n)), gain_per_cm=np.zeros((1, n)),
                    detuning_offset_per_cm=rng.uniform(-50, 50, (1, n)))
        delta = rng.uniform(-500, 500, 1)
        t = total_matrix(SectionArrays.from_columns(radiation_per_cm=np.zeros((1, n)), **cols), 0.0, delta)[0]
        assert abs(np.linalg.det(t)) == pytest.approx(1.0, abs=1e-9)
        np.testing.assert_allclose(t.conj().T @ sz @ t, sz, atol=1e-9 * np.abs(t).max() ** 2)
        lossy = total_matrix(SectionArrays.from_columns(radiation_per_cm=rng.uniform(1, 60, (1, n)), **cols), 0.0,
                             delta)[0]
        assert np.linalg.eigvalsh(sz - lossy.conj().T @ sz @ lossy).min() > -1e-9 * np.abs(lossy).max() ** 2


def test_pumped_in_pieces_equals_uniform():
    """A uniform grating pumped all along, cut into 4 unequal pumped sections: the same modes."""
    k, phi = 2.5 / L_CM, 0.4
    one = device_modes(sections=[DeviceSection(length_um=LENGTH_UM, kappa_per_cm=k, phase_rad=phi, pumped=True)])
    cuts = [31.0, 77.0, 12.0, 80.0]
    many = device_modes(sections=[DeviceSection(length_um=c, kappa_per_cm=k, phase_rad=phi, pumped=True) for c in cuts])
    ks = cd.kogelnik_shank_modes(kappa_L=2.5, n_modes=3)
    assert len(one.modes) == len(many.modes) == 3
    for a, b, (alpha_L, delta_L) in zip(one.modes, many.modes, ks):
        assert a.threshold_modal_gain_per_cm == pytest.approx(b.threshold_modal_gain_per_cm, rel=1e-10)
        assert a.detuning_per_cm == pytest.approx(b.detuning_per_cm, rel=1e-10)
        assert a.threshold_modal_gain_per_cm * L_CM / 2 == pytest.approx(alpha_L, rel=1e-9)
        assert a.detuning_per_cm * L_CM == pytest.approx(delta_L, rel=1e-9)


def test_profile_of_the_quarter_wave_mode_peaks_at_the_shift():
    secs = _quarter_wave(3.0)
    prof = mode_profile(sections=secs, mode=device_modes(sections=secs).modes[0], n_points=201)
    assert prof.intensity.max() == pytest.approx(1.0)
    assert prof.z_um[np.argmax(prof.intensity)] == pytest.approx(LENGTH_UM / 2)
    np.testing.assert_allclose(prof.intensity, prof.intensity[::-1], rtol=1e-8)  # symmetric device, symmetric mode
    assert prof.intensity[0] < 0.2 and prof.section_bounds_um == ((0.0, 100.0), (100.0, 200.0))


def test_radiation_and_loss_raise_the_threshold():
    base = device_modes(sections=_quarter_wave(2.0)).modes[0].threshold_modal_gain_per_cm
    lossy = [DeviceSection(length_um=40, kappa_per_cm=100, gain_per_cm=-200), *_quarter_wave(2.0),
             DeviceSection(length_um=40, kappa_per_cm=100, gain_per_cm=-200)]
    radiating = [DeviceSection(length_um=LENGTH_UM, kappa_per_cm=2 / L_CM, radiation_per_cm=20, pumped=True)]
    assert device_modes(sections=lossy).modes[0].threshold_modal_gain_per_cm > base
    assert (device_modes(sections=radiating).modes[0].threshold_modal_gain_per_cm
            > 2 * KS_TABLE[2][0] / L_CM)


@pytest.mark.parametrize("kwargs, match", [
    (dict(length_um=0.0), "length_um"), (dict(length_um=-3.0), "length_um"),
    (dict(length_um=10.0, radiation_per_cm=-1.0), "radiation_per_cm"),
    (dict(length_um=10.0, kappa_per_cm=float("nan")), "kappa_per_cm"),
    (dict(length_um=10.0, gain_per_cm=float("inf")), "gain_per_cm"),
])
def test_bad_sections_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        DeviceSection(**kwargs)


def test_a_device_without_pumped_section_is_refused():
    with pytest.raises(ValueError, match="pumped"):
        device_modes(sections=[DeviceSection(length_um=100, kappa_per_cm=100)])
    with pytest.raises(ValueError, match="section"):
        device_modes(sections=[])
