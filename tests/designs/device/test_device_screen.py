"""The analytic screen solves all device designs of a stack in one vectorised call (``dfb_device.analytic_devices``,
``fdtd.models.device.pumped_batch``): its records are the per-design path's (scalar engine) to 1e-6 relative on
both perovskites' PDK stacks (openings, offsets, zones, a quarter-wave shift) and on the default sweep."""

from __future__ import annotations

import math

import pytest

from perocav.designs.cavities.dfb_device import analytic_device, analytic_devices
from perocav.designs.evaluate import EvalTask, evaluate_point
from perocav.designs.evaluate_batch import evaluate_dfb_batch
from perocav.designs.gain_window import design_gain_window
from perocav.designs.spec import DesignPoint, DfbCavity, StackRef, expand_points, load_design
from perocav.designs.threshold import GainMaterial
from perocav.fdtd.models.dfb.dfb_analytic import analyze_dfb_on_stack

STACKS = {"MAPbI3": ("transparent_MAPbI3", 370.0), "CsPbBr3": ("transparent_CsPbBr3", 250.0)}
PUMPS = [dict(opening_um=50), dict(opening_um=30, offset_um=12),
         dict(opening_um=60, recombination_zone={"side": "hole", "fraction": 0.3}),
         dict(opening_um=40, recombination_zone={"side": "electron", "fraction": 0.5})]


def _points(gain: str) -> list[DesignPoint]:
    name, period = STACKS[gain]
    out = []
    for k, pump in enumerate(PUMPS):
        cav = DfbCavity(order=2, period_nm=period + 5 * k, duty_cycle=0.3 + 0.1 * k, n_periods=250, pump=pump,
                        phase_shift="quarter_wave" if k == 1 else "none")
        out.append(DesignPoint(stack=StackRef(name=name), cavity=cav, gain_material=GainMaterial()))
    return out


def _analytic(point: DesignPoint, stack):
    """The design's own ``DfbAnalytic`` (as the per-design evaluator makes it)."""
    c = point.cavity
    return analyze_dfb_on_stack(stack=stack, period_nm=c.period_nm, duty_cycle=c.duty_cycle, order=c.order,
                                length_um=c.length_um, phase_shift_rad=math.pi if c.phase_shift == "quarter_wave"
                                else 0.0, window_nm=design_gain_window(point, stack=stack))


def _same(batch, ref) -> None:
    """One design's (metrics, device record) from the batch equals the scalar path's (lines, margin, J_th) to 1e-6."""
    a, b = batch[1].solution, ref[1].solution
    assert a.lasing_rank == b.lasing_rank and len(a.lines) == len(b.lines) >= 2
    for x, y in zip(a.lines, b.lines):
        assert x.threshold_modal_gain_per_cm == pytest.approx(y.threshold_modal_gain_per_cm, rel=1e-6)
        assert x.detuning_per_cm == pytest.approx(y.detuning_per_cm, rel=1e-6, abs=1e-6)
    assert a.gain_margin_per_cm == pytest.approx(b.gain_margin_per_cm, rel=1e-6, abs=1e-6)
    assert batch[0].threshold_current_density_a_per_cm2 == pytest.approx(
        ref[0].threshold_current_density_a_per_cm2, rel=1e-6)


def _compare(points: list[DesignPoint]) -> None:
    stack = points[0].stack.resolve()
    items = [(p, _analytic(p, stack)) for p in points]
    batch = analytic_devices(items, stack=stack)
    for (p, r), b in zip(items, batch):
        assert not isinstance(b, Exception), b
        _same(b, analytic_device(p, r, stack=stack))


@pytest.mark.parametrize("gain", STACKS)
def test_the_screens_devices_are_the_per_design_devices(gain):
    _compare(_points(gain))


@pytest.mark.slow
def test_the_default_sweeps_devices_are_the_per_design_devices():
    """The 36 designs of designs/default.yaml (50 um opening; unpumped losses ~100 .. 10000 /cm)."""
    _compare(expand_points(load_design("designs/default.yaml")))


def test_the_screen_records_a_device_design():
    """``evaluate_dfb_batch`` (the stage's analytic path) gives the per-design record of a device design."""
    point = _points("MAPbI3")[0]
    screen = dict(evaluate_dfb_batch([point]))[0]
    ref = evaluate_point(EvalTask(key="", point=point, fidelity="analytic"))
    assert screen.ok and ref.ok
    _same((screen.metrics, screen.device), (ref.metrics, ref.device))
