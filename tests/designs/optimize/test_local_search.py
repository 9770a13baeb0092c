"""The local stage's compass search (``designs/optimize/local.py``) on functions with a known minimum: it lands on
the minimum's grid point (continuous, stepped and integer variables, a minimum on a bound), spends no more than its
budget, reuses known points for free, and picks its starts in distinct basins."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from optuna.distributions import FloatDistribution, IntDistribution

from perocav.designs.optimize.local import box_of, compass, from_unit, point_key, scan

DISTS = {"period_nm": FloatDistribution(360.0, 385.0), "duty_cycle": FloatDistribution(0.3, 0.7, step=0.01),
         "n_periods": IntDistribution(150, 400), "opening_um": FloatDistribution(25.0, 50.0)}
BOX = box_of(DISTS)


def _quadratic(centre: dict, scale: dict):
    def f(values: dict) -> float:
        return sum(((values[k] - centre[k]) / scale[k]) ** 2 for k in centre)
    return f


def _run(f, start: dict, *, budget: int, memo=None, min_step=1e-3):
    calls = []

    def evaluate(batch):
        calls.append(len(batch))
        return [(0.0, f(v)) for v in batch]

    memo = {} if memo is None else memo
    best, rank, spent = compass(start, (0.0, f(start)), box=BOX, memo=memo, evaluate=evaluate, initial_step=0.1,
                                min_step=min_step, budget=budget)
    return best, rank, spent, calls


@settings(max_examples=20, deadline=None)
@given(period=st.floats(362, 383, allow_subnormal=False), duty=st.integers(32, 68), n=st.integers(160, 390))
def test_compass_finds_the_minimum_of_a_separable_quadratic(period, duty, n):
    """The minimum (period, duty/100, n, 50 um on the upper bound): found to the grain of each variable (duty's
    0.01 step, whole periods) and within 1e-3 of the range for the continuous period."""
    centre = {"period_nm": period, "duty_cycle": duty / 100, "n_periods": n, "opening_um": 60.0}
    f = _quadratic(centre, {"period_nm": 5.0, "duty_cycle": 0.1, "n_periods": 40.0, "opening_um": 5.0})
    start = {"period_nm": 372.5, "duty_cycle": 0.5, "n_periods": 275, "opening_um": 37.5}
    best, _, spent, calls = _run(f, start, budget=10_000)
    assert abs(best["period_nm"] - period) <= 25.0 * 1e-3
    assert best["duty_cycle"] == pytest.approx(duty / 100, abs=1e-9)
    assert abs(best["n_periods"] - n) <= 1 and isinstance(best["n_periods"], int)
    assert best["opening_um"] == 50.0  # the minimum beyond the bound: the bound
    assert spent == sum(calls) and max(calls) <= 2 * len(DISTS)


def test_compass_keeps_its_budget_and_known_points_cost_nothing():
    f = _quadratic({"period_nm": 380.0, "duty_cycle": 0.65, "n_periods": 390, "opening_um": 30.0},
                   {"period_nm": 5.0, "duty_cycle": 0.1, "n_periods": 40.0, "opening_um": 5.0})
    start = {"period_nm": 365.0, "duty_cycle": 0.4, "n_periods": 200, "opening_um": 45.0}
    _, _, spent, calls = _run(f, start, budget=13)
    assert spent == 13 == sum(calls)
    memo: dict = {}
    first = _run(f, start, budget=40, memo=memo)
    assert first[2] == 40 == len(memo)
    known = dict(memo)
    again = _run(f, start, budget=40, memo=known)  # the same search again: its first 40 points known
    assert again[2] == 40 == len(known) - len(memo)  # 40 new points, none of the known ones again
    assert again[1] < first[1]  # and it went on from where the first stopped


def test_snapped_points_lie_on_the_distributions():
    for u in np.random.default_rng(1).uniform(-0.2, 1.2, size=(50, 4)):
        v = from_unit(BOX, u)
        assert all(DISTS[k]._contains(DISTS[k].to_internal_repr(v[k])) for k in DISTS)
        assert point_key(BOX, v) == point_key(BOX, {k: float(x) for k, x in v.items()})


def _two_basins(values: dict) -> float:
    """Two basins in duty (minima 0.35 and 0.68, the first lower), a hill between; flat in n_periods."""
    d = values["duty_cycle"]
    return min((d - 0.35) ** 2, (d - 0.68) ** 2 + 0.001) + ((values["period_nm"] - 370) / 50) ** 2


def test_scan_moves_along_its_lines_and_names_the_other_basin():
    """From the worse basin (duty 0.68) the duty scan finds the better one (0.35), which a compass step would not;
    from the better basin, the scan names the worse one as another basin (a hill parts them), best point first."""
    f = lambda v: (0.0, _two_basins(v))  # noqa: E731
    evaluate = lambda b: [f(v) for v in b]  # noqa: E731
    start = {"period_nm": 380.0, "duty_cycle": 0.68, "n_periods": 300, "opening_um": 40.0}
    res = scan(start, f(start), box=BOX, memo={}, evaluate=evaluate, points=9, rise=0.0, budget=100)
    assert abs(res.best["duty_cycle"] - 0.35) <= 0.03 and abs(res.best["period_nm"] - 370.0) <= 3.2
    assert res.spent <= 4 * 9 and res.rank < f(start)
    assert [round(b["duty_cycle"], 2) for b, _ in res.basins] == [0.7]  # the duty line's other minimum
    flat = scan(start, f(start), box=BOX, memo={}, evaluate=evaluate, points=9, rise=1.0, budget=100)
    assert flat.basins == ()  # a hill lower than the rise parts no basins
    cut = scan(start, f(start), box=BOX, memo={}, evaluate=evaluate, points=9, rise=0.0, budget=11)
    assert cut.spent == 11
