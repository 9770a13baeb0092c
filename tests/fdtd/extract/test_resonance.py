"""Pure resonance extractor on synthetic damped sinusoids with known f, Q and amplitude (no solver)."""

import numpy as np
import pytest

from perocav.fdtd.extract.resonance import PencilSettings, Resonance, find_resonances, resonances_from_harminv


def _ringdown(modes, *, dt, n, noise=0.0, seed=0):
    """Real signal sum_k |a| cos(2 pi f t + phi) exp(-pi f t / Q)."""
    t = np.arange(n) * dt
    x = np.zeros(n)
    for f, q, a, phi in modes:
        x += a * np.cos(2 * np.pi * f * t + phi) * np.exp(-np.pi * f * t / q)
    if noise:
        x += noise * np.random.default_rng(seed).standard_normal(n)
    return x


def test_three_modes_like_the_ring_tutorial():
    truth = [(0.1181016, 80.68, 1.0, 0.3), (0.1471626, 316.29, 0.5, -1.0), (0.1752468, 1677.48, 0.2, 2.0)]
    x = _ringdown(truth, dt=0.05, n=6000)
    res = find_resonances(samples=x, dt=0.05, freq_min=0.1, freq_max=0.2)
    assert len(res) == 3
    for r, (f, q, a, phi) in zip(res, truth, strict=True):
        assert r.freq == pytest.approx(f, rel=1e-8)
        assert r.q == pytest.approx(q, rel=1e-6)
        # a cos(wt + phi) = (a/2) e^{-i(-phi)}... the exp(-i w t) component carries (a/2) e^{-i phi}
        assert abs(r.amplitude) == pytest.approx(a / 2, rel=1e-4)
        assert np.angle(r.amplitude) == pytest.approx(-phi, abs=1e-4)
        assert r.error < 1e-6
        assert r.wavelength_nm == pytest.approx(1000 / f)
        assert r.decay == pytest.approx(-f / (2 * q))


def test_band_limits_and_low_q_are_respected():
    truth = [(0.05, 200.0, 1.0, 0.0), (0.15, 5.0, 1.0, 0.0), (0.16, 500.0, 1.0, 0.0), (0.3, 200.0, 1.0, 0.0)]
    x = _ringdown(truth, dt=0.05, n=8000)
    res = find_resonances(samples=x, dt=0.05, freq_min=0.1, freq_max=0.2, q_min=10)
    assert [round(r.freq, 6) for r in res] == [0.16]
    assert res[0].q == pytest.approx(500, rel=1e-6)


def test_noisy_signal_still_close():
    truth = [(0.12, 100.0, 1.0, 0.0), (0.14, 1000.0, 1.0, 0.5)]
    x = _ringdown(truth, dt=0.05, n=8000, noise=1e-3)
    res = find_resonances(samples=x, dt=0.05, freq_min=0.1, freq_max=0.2, settings=PencilSettings(max_error=1e-2))
    assert len(res) == 2
    assert res[0].freq == pytest.approx(0.12, rel=1e-5)
    assert res[0].q == pytest.approx(100, rel=1e-2)
    assert res[1].freq == pytest.approx(0.14, rel=1e-5)
    assert res[1].q == pytest.approx(1000, rel=2e-2)


def test_short_series_without_decimation():
    x = _ringdown([(0.15, 50.0, 1.0, 0.0)], dt=0.5, n=200)
    res = find_resonances(samples=x, dt=0.5, freq_min=0.1, freq_max=0.2)
    assert len(res) == 1
    assert res[0].freq == pytest.approx(0.15, rel=1e-8)
    assert res[0].q == pytest.approx(50, rel=1e-6)


def test_nan_is_refused():
    x = _ringdown([(0.15, 50.0, 1.0, 0.0)], dt=0.05, n=1000)
    x[500] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        find_resonances(samples=x, dt=0.05, freq_min=0.1, freq_max=0.2)


def test_harminv_tuples_to_records():
    modes = [(0.147, -0.147 / (2 * 316.0), 316.0, 0.2 + 0.1j, 1e-6), (0.118, -0.118 / 160.0, 80.0, 1.0, 1e-5)]
    res = resonances_from_harminv(modes)
    assert [r.freq for r in res] == [0.118, 0.147]
    assert res[1] == Resonance(freq=0.147, q=316.0, amplitude=0.2 + 0.1j, error=1e-6)


def test_a_lossless_mode_is_kept_with_infinite_q():
    """A bound (undamped) mode beside a decaying one: the pencil fits it with |Q| beyond what the series can
    resolve, of either sign; it is reported with Q = inf, not dropped as 'growing' (that once let a 2nd-order
    unit cell pick the wrong pair of band edges)."""
    x = _ringdown([(1.20, 1e30, 1.0, 0.3), (1.25, 700.0, 1.0, 0.0)], dt=0.01, n=20000)
    found = find_resonances(samples=x, dt=0.01, freq_min=1.15, freq_max=1.30, q_min=30)
    assert len(found) == 2
    lossless, lossy = found
    assert lossless.freq == pytest.approx(1.20, rel=1e-7) and lossless.q == float("inf")
    assert lossy.q == pytest.approx(700.0, rel=1e-3)
    grow = _ringdown([(1.20, -300.0, 1.0, 0.3)], dt=0.01, n=20000)  # a growing mode (Q < 0) is not lossless
    assert find_resonances(samples=grow, dt=0.01, freq_min=1.15, freq_max=1.30, q_min=30) == []
