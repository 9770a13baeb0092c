"""The design file's device keys -> DeviceGeometry: the shorthands (quarter-wave, mixed order, apodisation), the
explicit section list, the pump, and their one-line errors. Independent answers: the phase convention of
layout/device_geometry.py (a quarter-wave step is period / (2 order) nm and pi / 2 rad), period counts."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from perocav.designs.spec import DfbCavity


def _cav(**kw) -> DfbCavity:
    base = dict(order=2, period_nm=380.0, duty_cycle=0.5, n_periods=250)
    return DfbCavity(**(base | kw))


def test_uniform_is_one_section_and_pumped_whole():
    g = _cav().geometry()
    assert len(g.sections) == 1 and g.sections[0].n_periods == 250
    assert g.pump.opening_um is None and g.pumped_fraction == 1.0
    assert _cav().length_um == pytest.approx(95.0)


@pytest.mark.parametrize("order", [1, 2])
def test_quarter_wave_is_a_pi_half_step_of_period_over_two_order(order):
    g = _cav(order=order, period_nm=380.0 if order == 2 else 190.0, phase_shift="quarter_wave").geometry()
    left, right = g.sections
    assert (left.n_periods, right.n_periods) == (125, 125)
    assert right.shift_nm == pytest.approx(right.period_nm / (2 * order))
    assert right.phase_step_rad == pytest.approx(math.pi / 2)
    assert left.shift_nm == 0.0


def test_mixed_order_shares_the_bragg_condition():
    g = _cav(n_periods=20, mixed_order={"first_order_periods": 100}).geometry()
    orders = [(s.order, s.period_nm, s.n_periods) for s in g.sections]
    assert orders == [(1, 190.0, 100), (2, 380.0, 20), (1, 190.0, 100)]
    # Bragg: order * lambda / (2 period) is one n_avg for every section
    assert len({s.order / s.period_nm for s in g.sections}) == 1
    assert _cav(n_periods=20, mixed_order={"first_order_periods": 100}).length_um == pytest.approx(45.6)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(min_value=40, max_value=600), steps=st.sampled_from([3, 5, 9, 11]),
       profile=st.sampled_from(["linear", "raised_cosine"]), low=st.floats(min_value=0.2, max_value=0.45, allow_subnormal=False))
def test_apodisation_keeps_the_periods_and_is_mirror_symmetric(n, steps, profile, low):
    cav = _cav(n_periods=n, duty_cycle=0.6, apodization={"profile": profile, "min_duty": low, "steps": steps})
    secs = cav.geometry().sections
    assert sum(s.n_periods for s in secs) == n
    duties = [s.duty_cycle for s in secs]
    counts = [s.n_periods for s in secs]
    assert counts == counts[::-1]
    assert duties == pytest.approx(duties[::-1], abs=0.02)  # centres of unequal sections differ slightly
    assert max(duties) <= 0.6 + 1e-12 and min(duties) >= low - 1e-12
    assert duties[steps // 2] == max(duties)


def test_explicit_sections_inherit_period_and_duty():
    cav = _cav(n_periods=240, sections=[{"order": 1, "n_periods": 100},
                                        {"order": 2, "n_periods": 40, "phase_step": "quarter_wave"},
                                        {"order": 1, "n_periods": 100, "duty_cycle": 0.4}])
    a, b, c = cav.geometry().sections
    assert (a.period_nm, b.period_nm, c.period_nm) == (190.0, 380.0, 190.0)
    assert (a.duty_cycle, c.duty_cycle) == (0.5, 0.4)
    # a 2nd-order section after a 1st-order one is a quarter-wave step by itself (teeth centred in their periods):
    # no gap; the next 1st-order section asks for no step, so its gap (half a 1st-order period) takes it out
    assert b.shift_nm == pytest.approx(0.0) and c.shift_nm == pytest.approx(95.0)
    assert cav.geometry().section_phases_rad() == pytest.approx((0.0, math.pi / 2, math.pi / 2))


@pytest.mark.parametrize("kw, words", [
    (dict(n_periods=250, sections=[{"order": 1, "n_periods": 100}]), "sections' total 100"),
    (dict(mixed_order={"first_order_periods": 10}, apodization={"profile": "linear", "min_duty": 0.3}),
     "exclude each other"),
    (dict(order=1, period_nm=190.0, mixed_order={"first_order_periods": 10}), "needs order 2"),
    (dict(period_nm=200.0, duty_cycle=0.3, mixed_order={"first_order_periods": 10}), "section 0 (order 1)"),
    (dict(pump={"opening_um": 50, "recombination_zone": {"side": "uniform", "fraction": 0.5}}), "whole thickness"),
    (dict(apodization={"profile": "linear", "min_duty": 0.3, "steps": 4}), "odd"),
])
def test_bad_device_keys_are_refused(kw, words):
    with pytest.raises(ValidationError, match=re.escape(words)):
        _cav(**kw)


def test_pump_makes_the_opening_and_zone():
    cav = _cav(pump={"opening_um": 50, "offset_um": 10, "recombination_zone": {"side": "hole", "fraction": 0.3}})
    g = cav.geometry()
    lo, hi = g.pumped_interval_um()
    assert hi - lo == pytest.approx(50.0) and 0.5 * (lo + hi) == pytest.approx(0.5 * g.length_um + 10)
    assert (g.pump.zone_side, g.pump.zone_fraction) == ("hole", 0.3)
    assert g.pumped_fraction == pytest.approx(50 / 95)
