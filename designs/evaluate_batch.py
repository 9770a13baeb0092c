"""Analytic DFB records of many design points at once: the vectorised screen (``fdtd.models.dfb_screen``) per
distinct stack, the per-design evaluator for whatever the screen leaves open. Results are the same records as
``evaluate.evaluate_point`` makes at fidelity "analytic" (same fields and meaning; numbers to ~1e-7 relative)."""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Iterator

import numpy as np

from perocav.designs.cavities import family
from perocav.designs.cavities.dfb import dfb_analytic_record
from perocav.designs.cavities.dfb_device import analytic_devices, is_device
from perocav.designs.evaluate import EvalTask, evaluate_point
from perocav.designs.gain_window import design_gain_window
from perocav.designs.records import DesignResult
from perocav.designs.spec import DesignPoint
from perocav.fdtd.models.dfb.dfb_screen import screen_dfb
from perocav.fdtd.models.dfb.dfb_screen_result import screen_design


def evaluate_dfb_batch(points: list[DesignPoint], keys: list[str] | None = None) -> Iterator[tuple[int, DesignResult]]:
    """(index into ``points``, result) for every DFB point (``keys``: their cache keys), stack by stack (order
    not kept)."""
    keys = [""] * len(points) if keys is None else keys
    groups: dict[tuple, list[int]] = defaultdict(list)  # one stack and one gain window
    for i, p in enumerate(points):
        if not family(p.cavity).analytic_batch:
            raise ValueError(f"point {i} is a {p.cavity.type!r} cavity: the batch screen takes DFB points only")
        groups[(p.stack.model_dump_json(), p.gain_material.temperature_k,
                p.gain_material.max_density_per_cm3)].append(i)
    for idx in groups.values():
        yield from _one_stack([EvalTask(key=keys[i], point=points[i], fidelity="analytic") for i in idx], idx)


def _one_stack(tasks: list[EvalTask], idx: list[int]) -> Iterator[tuple[int, DesignResult]]:
    t0 = time.perf_counter()
    points = [t.point for t in tasks]
    try:
        stack = points[0].stack.resolve()
        cav = [p.cavity for p in points]
        phase = np.array([math.pi if c.phase_shift == "quarter_wave" else 0.0 for c in cav])
        s = screen_dfb(stack=stack, period_nm=[c.period_nm for c in cav], duty_cycle=[c.duty_cycle for c in cav],
                       order=[c.order for c in cav], length_um=[c.length_um for c in cav], quarter_wave=phase != 0,
                       window_nm=design_gain_window(points[0], stack=stack))
    except Exception:  # the per-design evaluator records the failure in its own words
        yield from ((i, evaluate_point(t)) for i, t in zip(idx, tasks))
        return
    rs = _screen_records(s, cav, phase)
    devices = _devices(points, rs, stack)
    share = (time.perf_counter() - t0) / len(points)
    for k, (i, t) in enumerate(zip(idx, tasks)):
        if rs[k] is None or isinstance(devices.get(k), Exception):  # the per-design path decides
            yield i, evaluate_point(t)
            continue
        t1 = time.perf_counter()
        try:
            metrics, record, device = dfb_analytic_record(t.point, rs[k], stack=stack, device=devices.get(k))
        except Exception:  # never a half answer: the per-design path decides
            yield i, evaluate_point(t)
            continue
        yield i, DesignResult(key=t.key, point=t.point, fidelity="analytic", status="ok", metrics=metrics,
                              solver=record, device=device, wall_time_s=share + time.perf_counter() - t1)


def _screen_records(s, cav, phase) -> list:
    """Each design's ``DfbAnalytic`` from the screen (None where the screen leaves it open)."""
    rs = []
    for k, c in enumerate(cav):
        r = None
        if s.ok[k]:
            try:
                r = screen_design(s, k, period_nm=c.period_nm, duty_cycle=c.duty_cycle, order=c.order,
                                  length_um=c.length_um, phase_shift_rad=float(phase[k]))
            except Exception:  # the per-design path decides
                r = None
        rs.append(r)
    return rs


def _devices(points, rs, stack) -> dict:
    """{design: (metrics, device record) or its exception} of every device design with a screen record, solved
    in one vectorised call (``dfb_device.analytic_devices``)."""
    ks = [k for k, (p, r) in enumerate(zip(points, rs)) if r is not None and is_device(p.cavity)]
    if not ks:
        return {}
    try:
        solved = analytic_devices([(points[k], rs[k]) for k in ks], stack=stack)
    except Exception as err:  # the per-design path decides, design by design
        solved = [err] * len(ks)
    return dict(zip(ks, solved))
