"""Properties of the section engine over random devices (hypothesis): the mirror-reversed device (sections reversed,
phases negated: ``sections.mirrored``) and a common phase shift have the same thresholds; cutting a section in two
changes nothing; more loss in the unpumped sections never lowers the threshold."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perocav.fdtd.models.device.engine import device_modes
from perocav.fdtd.models.device.sections import DeviceSection, mirrored, split
from tests.fdtd.device.strategies import devices, floats

SETTINGS = settings(max_examples=12, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])



def _thresholds(sections, n_modes: int = 2) -> np.ndarray:
    return np.array([m.threshold_modal_gain_per_cm for m in device_modes(sections=sections, n_modes=n_modes).modes])


@SETTINGS
@given(devices())
def test_mirror_reversed_device_has_the_same_thresholds(sections):
    a, b = _thresholds(sections), _thresholds(mirrored(sections))
    assert len(a) == len(b) and len(a) >= 1
    np.testing.assert_allclose(a, b, rtol=1e-7)


@SETTINGS
@given(devices(), floats(-3.0, 3.0))
def test_common_phase_shift_is_a_gauge(sections, psi):
    shifted = [replace(s, phase_rad=s.phase_rad + psi) for s in sections]
    np.testing.assert_allclose(_thresholds(sections), _thresholds(shifted), rtol=1e-7)


@SETTINGS
@given(devices(), st.data())
def test_splitting_a_section_changes_nothing(sections, data):
    i = data.draw(st.integers(0, len(sections) - 1))
    cut = split(sections, index=i, fraction=data.draw(floats(0.05, 0.95)))
    before, after = device_modes(sections=sections), device_modes(sections=cut)
    assert len(before.modes) == len(after.modes)
    for m, n in zip(before.modes, after.modes):
        assert n.threshold_modal_gain_per_cm == pytest.approx(m.threshold_modal_gain_per_cm, rel=1e-7)
        assert n.detuning_per_cm == pytest.approx(m.detuning_per_cm, rel=1e-7, abs=1e-6)


@SETTINGS
@given(floats(5, 60), floats(20, 150), floats(50, 250), floats(0, np.pi / 2),
       st.lists(floats(0, 800), min_size=3, max_size=3))
def test_more_unpumped_loss_never_lowers_the_threshold(wing_um, core_um, kappa, shift, losses):
    """Pumped core between two unpumped absorbing wings (the opening of a diode), a phase step at the centre."""

    def lowest(loss: float) -> float:
        secs = [DeviceSection(length_um=wing_um, kappa_per_cm=kappa, gain_per_cm=-loss),
                DeviceSection(length_um=core_um / 2, kappa_per_cm=kappa, pumped=True),
                DeviceSection(length_um=core_um / 2, kappa_per_cm=kappa, phase_rad=shift, pumped=True),
                DeviceSection(length_um=wing_um, kappa_per_cm=kappa, phase_rad=shift, gain_per_cm=-loss)]
        return _thresholds(secs, n_modes=1)[0]

    values = [lowest(x) for x in sorted(losses)]
    assert all(b >= a * (1 - 1e-9) for a, b in zip(values, values[1:])), values
