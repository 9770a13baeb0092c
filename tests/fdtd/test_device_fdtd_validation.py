"""The finite-device FDTD against coupled-mode theory on three devices (issue 24.5), real MEEP: the threshold modal
gain of the pumped sections within 10 % of the CMT's (MEEP unit-cell couplings at the same rungs, both
Richardson-extrapolated). The CPU cost (<= 120 s per device is the goal) is measured by benchmarks/device_fdtd.py,
not asserted (docs/benchmarks.md: no test asserts a time). Numbers in docs/validation.md."""

from __future__ import annotations

import math

import pytest

from perocav.fdtd.device_validation import CASES, compare

pytestmark = [pytest.mark.slow, pytest.mark.meep]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_device_fdtd_threshold_matches_coupled_mode_theory(case):
    cmp = compare(case)
    assert math.isfinite(cmp.fdtd_threshold_modal_gain_per_cm) and cmp.fdtd_threshold_modal_gain_per_cm > 0
    assert abs(cmp.difference_relative) < 0.10, cmp
    # the decay falls with gain at every rung (the zero is interpolated or extrapolated from a falling line)
    for rung in cmp.fdtd.rungs:
        assert rung.decay_rates_per_um[0] > rung.decay_rates_per_um[-1]
