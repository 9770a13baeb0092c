"""Device screen (issue 24): the vectorised path vs the scalar one, side by side in one run, CPU time of this
process (one core) and wall time, with the machine load:

A. the section engine alone (modes: thresholds and detunings of the lowest 3) on the default sweep's devices at
   their self-consistent absorption (designs/default.yaml: 36 devices of 3 sections, unpumped losses ~100 ..
   10000 /cm), replicated to N devices: ``batch.batch_modes`` vs ``engine.device_modes``;
B. the engine on random diodes with a perovskite's self-absorption (3 and 5 sections, unpumped losses 50 .. 15000
   /cm log-uniform, pumped sections' offsets down to -0.7 x that);
C. the whole analytic device record of the 36 default designs (wavelength passes, lasing choice by J_th, profiles,
   power budget, far field): ``dfb_device.analytic_devices`` (one call) vs ``analytic_device`` per design.

Each line gives devices/s of both, their ratio, and the largest relative difference of thresholds/detunings.
Run: OMP_NUM_THREADS=1 .venv/bin/python benchmarks/device_screen.py [N] (default N = 2000)."""

from __future__ import annotations

import math
import os
import sys
import time

import numpy as np

from perocav.designs.cavities.dfb_device import analytic_device, analytic_device_cells, analytic_devices, device_inputs
from perocav.designs.gain_window import design_gain_window
from perocav.designs.spec import expand_points, load_design
from perocav.fdtd.models.device.batch import FIELDS, batch_modes
from perocav.fdtd.models.device.engine import device_modes
from perocav.fdtd.models.device.sections import DeviceSection
from perocav.fdtd.models.dfb.dfb_analytic import analyze_dfb_on_stack


def _timed(fn):
    cpu, wall = time.process_time(), time.perf_counter()
    out = fn()
    return out, time.process_time() - cpu, time.perf_counter() - wall


def _line(name: str, n_b: int, cpu_b: float, wall_b: float, n_s: int, cpu_s: float, wall_s: float, worst: float):
    rb, rs = n_b / cpu_b, n_s / cpu_s
    print(f"{name}: batch {n_b} devices {rb:8.1f} /s CPU ({n_b / wall_b:.1f} /s wall) | scalar {n_s} devices "
          f"{rs:6.1f} /s CPU ({n_s / wall_s:.1f} /s wall) | ratio {rb / rs:.0f}x | max rel. diff {worst:.1e}")


def _sections(cols: dict, i: int) -> list[DeviceSection]:
    return [DeviceSection(**{k: bool(cols[k][i, j]) if k == "pumped" else float(cols[k][i, j]) for k in FIELDS})
            for j in range(cols["length_um"].shape[1])]


def _engine(name: str, cols: dict, n_scalar: int) -> None:
    n = cols["length_um"].shape[0]
    res, cpu_b, wall_b = _timed(lambda: batch_modes(n_modes=3, **cols))
    ref, cpu_s, wall_s = _timed(lambda: [device_modes(sections=_sections(cols, i), n_modes=3)
                                         for i in range(n_scalar)])
    worst = 0.0
    for i, r in enumerate(ref):
        for k, m in enumerate(r.modes):
            worst = max(worst, abs(res.threshold_modal_gain_per_cm[i, k] / m.threshold_modal_gain_per_cm - 1),
                        abs(res.detuning_per_cm[i, k] - m.detuning_per_cm) / max(1.0, abs(m.detuning_per_cm)))
    _line(name, n, cpu_b, wall_b, n_scalar, cpu_s, wall_s, worst)


def lossy(rng, n_dev: int, n_sec: int) -> dict:
    shape = (n_dev, n_sec)
    pumped = (rng.uniform(size=shape) < 0.5).astype(float)
    pumped[:, n_sec // 2] = 1.0
    loss = np.exp(rng.uniform(np.log(50.0), np.log(15000.0), shape))
    return dict(length_um=rng.uniform(10, 80, shape),
                kappa_per_cm=rng.choice([-1, 1], shape) * rng.uniform(20, 300, shape),
                radiation_per_cm=rng.choice([0.0, 10.0, 30.0], shape),
                radiation_reactive_per_cm=rng.choice([0.0, -3.0], shape), phase_rad=rng.uniform(-np.pi, np.pi, shape),
                pumped=pumped, gain_per_cm=np.where(pumped > 0, -rng.uniform(0, 0.7, shape) * loss, -loss),
                detuning_offset_per_cm=rng.choice([0.0, 20.0], shape))


def _default_items():
    points = expand_points(load_design("designs/default.yaml"))
    stack = points[0].stack.resolve()
    items = []
    for p in points:
        c = p.cavity
        items.append((p, analyze_dfb_on_stack(stack=stack, period_nm=c.period_nm, duty_cycle=c.duty_cycle,
                                              order=c.order, length_um=c.length_um, phase_shift_rad=0.0,
                                              window_nm=design_gain_window(p, stack=stack))))
    return items, stack


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}")
    items, stack = _default_items()
    recs, cpu_b, wall_b = _timed(lambda: analytic_devices(items, stack=stack))
    refs, cpu_s, wall_s = _timed(lambda: [analytic_device(p, r, stack=stack) for p, r in items])
    worst = max(abs(b[1].lowest.threshold_modal_gain_per_cm / s[1].lowest.threshold_modal_gain_per_cm - 1)
                for b, s in zip(recs, refs))
    # A: the engine at the default devices' own final absorption
    plans = [device_inputs(p, stack=stack, cells=analytic_device_cells(p, r, stack=stack)).plan for p, r in items]
    cols = [pl.columns(b[1].solution.absorption_per_cm) for pl, b in zip(plans, recs)]
    reps = math.ceil(n / len(cols))
    default_cols = {k: np.concatenate([c[k] for c in cols] * reps)[:n] for k in FIELDS}
    _engine("A engine, default sweep's devices (3 sections)", default_cols, len(cols))
    for n_sec in (3, 5):
        _engine(f"B engine, random lossy diodes ({n_sec} sections)", lossy(np.random.default_rng(n_sec), n, n_sec), 40)
    _line("C device records, default sweep (36)", len(items), cpu_b, wall_b, len(items), cpu_s, wall_s, worst)


if __name__ == "__main__":
    main()
