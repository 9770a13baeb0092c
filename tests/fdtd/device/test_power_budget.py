"""The power budget of a device mode (``device.budget``) closes on random devices and on the exact limits: no h, no
radiation; a uniform fully pumped index-coupled device, all the gain leaves by the two ends, half each."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perocav.fdtd.models.device.budget import power_budget
from perocav.fdtd.models.device.engine import device_modes
from perocav.fdtd.models.device.layer_budget import ALL_LAYERS
from perocav.fdtd.models.device.sections import DeviceSection
from tests.fdtd.device.strategies import devices, layer_splits


@settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(devices(radiations=(0.0, 5.0, 40.0)))
def test_budget_closes_on_random_devices(sections):
    modes = device_modes(sections=sections, n_modes=2).modes
    assert modes
    for mode in modes:
        b = power_budget(sections=sections, mode=mode, up_fraction=0.3)
        assert abs(b.closure_residual) < 1e-6
        assert min(b.radiated, b.absorbed_unpumped, b.other_modal_loss, b.left_end, b.right_end) >= 0
        assert b.radiated_up == pytest.approx(0.3 * b.radiated, abs=1e-15)
        assert sum(b.section_radiated) == pytest.approx(b.radiated, rel=1e-12, abs=1e-15)
        for s, r in zip(sections, b.section_radiated):
            assert (r == 0.0) == (s.radiation_per_cm == 0.0)


@settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_budget_by_layer_closes_on_random_devices(data):
    """Up + down + ends + every layer's absorption (pumped sections too) = the zone's stimulated emission g_p x
    stored energy; the unpumped sections' layers add up to ``absorbed_unpumped``, each layer to its sections'
    loss share."""
    sections = data.draw(devices(radiations=(0.0, 5.0, 40.0)))
    split = data.draw(layer_splits(sections))
    for mode in device_modes(sections=sections, n_modes=2).modes:
        b = power_budget(sections=sections, mode=mode, up_fraction=0.3, layer_loss_per_cm=split)
        assert sum(v for _, v in b.destinations()) == pytest.approx(1.0, abs=1e-6)
        unpumped = [a.fraction for a in b.absorbed_by_layer if not a.pumped]
        assert sum(unpumped) == pytest.approx(b.absorbed_unpumped, rel=1e-9, abs=1e-12)
        whole = power_budget(sections=sections, mode=mode, up_fraction=0.3)  # unsplit: one part per side
        assert {a.layer for a in whole.absorbed_by_layer} == {ALL_LAYERS}
        for pumped in (False, True):
            assert sum(a.fraction for a in b.absorbed_by_layer if a.pumped == pumped) == pytest.approx(
                sum(a.fraction for a in whole.absorbed_by_layer if a.pumped == pumped), rel=1e-9, abs=1e-12)
        sa = np.array(whole.section_absorbed)  # unpumped sections: their whole loss; by layer: its weights
        for name in {n for parts in split for n, _ in parts}:
            want = sum(sa[k] * a / -s.gain_per_cm for k, (s, parts) in enumerate(zip(sections, split))
                       for n, a in parts if n == name and not s.pumped and s.gain_per_cm < 0)
            got = sum(a.fraction for a in b.absorbed_by_layer if a.layer == name and not a.pumped)
            assert got == pytest.approx(want, rel=1e-9, abs=1e-12)


def test_layer_split_must_add_up_to_the_sections_loss():
    secs = [DeviceSection(length_um=40, kappa_per_cm=150, gain_per_cm=-80.0),
            DeviceSection(length_um=120, kappa_per_cm=150, pumped=True)]
    mode = device_modes(sections=secs, n_modes=1).modes[0]
    with pytest.raises(ValueError, match="section 0"):
        power_budget(sections=secs, mode=mode, layer_loss_per_cm=[(("ito_top", 70.0),), ()])
    with pytest.raises(ValueError):
        power_budget(sections=secs, mode=mode, layer_loss_per_cm=[(("ito_top", 80.0),)])


def test_the_radiation_term_has_the_conventions_phase():
    """A phase step inside a radiating device: R + S e^{+2 i phi} (the wrong sign) would not close the budget."""
    secs = [DeviceSection(length_um=60, kappa_per_cm=200, radiation_per_cm=30, pumped=True),
            DeviceSection(length_um=60, kappa_per_cm=200, radiation_per_cm=30, pumped=True, phase_rad=1.1)]
    for mode in device_modes(sections=secs, n_modes=2).modes:
        assert abs(power_budget(sections=secs, mode=mode).closure_residual) < 1e-9


def test_without_h_nothing_radiates_and_unpumped_sections_absorb():
    secs = [DeviceSection(length_um=40, kappa_per_cm=150, gain_per_cm=-80.0),
            DeviceSection(length_um=120, kappa_per_cm=150, pumped=True, phase_rad=np.pi / 2),
            DeviceSection(length_um=40, kappa_per_cm=150, gain_per_cm=-80.0)]
    b = power_budget(sections=secs, mode=device_modes(sections=secs, n_modes=1).modes[0])
    assert b.radiated == 0.0 and b.eta_up == 0.0
    assert b.absorbed_unpumped > 0.01 and b.other_modal_loss == 0.0
    assert b.left_end == pytest.approx(b.right_end, rel=1e-9)  # a symmetric device
    assert b.absorbed_unpumped + b.ends == pytest.approx(1.0, abs=1e-9)


def test_uniform_fully_pumped_device_loses_everything_by_its_ends():
    secs = [DeviceSection(length_um=300, kappa_per_cm=-120, pumped=True)]
    for mode in device_modes(sections=secs, n_modes=3).modes:
        b = power_budget(sections=secs, mode=mode)
        assert b.ends == pytest.approx(1.0, abs=1e-10)
        assert b.left_end == pytest.approx(0.5, abs=1e-9)


def test_rejects_a_mode_of_another_device():
    secs = [DeviceSection(length_um=100, kappa_per_cm=100, pumped=True)]
    mode = device_modes(sections=secs, n_modes=1).modes[0]
    with pytest.raises(ValueError):
        power_budget(sections=secs + secs, mode=mode)
    with pytest.raises(ValueError):
        power_budget(sections=secs, mode=mode, up_fraction=1.5)
