"""Section engine (fdtd.models.device): the vectorised batch vs the scalar engine on the same random devices,
measured side by side in one run, for 3 and 5 sections; prints devices/s of both (CPU time of this process, the
one-core number, and wall time), their ratio, the largest relative difference over the devices run with both, how
many devices each flags, and the machine load.

Devices (seeded): sections 15-80 um, |kappa| 20-300 /cm of either sign, h 0/10/30 /cm, random grating phases,
60 % of the sections pumped (the middle one always), unpumped loss 0-400 /cm, Bragg offsets 0/20 /cm.

Run: OMP_NUM_THREADS=1 .venv/bin/python benchmarks/device_engine.py [N_BATCH N_SCALAR] (default 2000 and 40)."""

from __future__ import annotations

import os
import sys
import time

import numpy as np

from perocav.fdtd.models.device.batch import FIELDS, batch_modes
from perocav.fdtd.models.device.engine import device_modes
from perocav.fdtd.models.device.sections import DeviceSection


def random_devices(rng, n_dev: int, n_sec: int) -> dict:
    shape = (n_dev, n_sec)
    pumped = (rng.uniform(size=shape) < 0.6).astype(float)
    pumped[:, n_sec // 2] = 1.0
    return dict(length_um=rng.uniform(15, 80, shape),
                kappa_per_cm=rng.choice([-1, 1], shape) * rng.uniform(20, 300, shape),
                radiation_per_cm=rng.choice([0.0, 0.0, 10.0, 30.0], shape),
                radiation_reactive_per_cm=np.zeros(shape), phase_rad=rng.uniform(-np.pi, np.pi, shape),
                pumped=pumped, gain_per_cm=np.where(pumped > 0, 0.0, rng.uniform(-400, 0, shape)),
                detuning_offset_per_cm=rng.choice([0.0, 0.0, 20.0], shape))


def _timed(fn):
    cpu, wall = time.process_time(), time.perf_counter()
    out = fn()
    return out, time.process_time() - cpu, time.perf_counter() - wall


def _scalar_all(cols: dict, n: int) -> list:
    out = []
    for i in range(n):
        secs = [DeviceSection(**{k: bool(cols[k][i, j]) if k == "pumped" else float(cols[k][i, j]) for k in FIELDS})
                for j in range(cols["length_um"].shape[1])]
        out.append(device_modes(sections=secs, n_modes=3))
    return out


def compare(n_sec: int, n_batch: int, n_scalar: int) -> None:
    cols = random_devices(np.random.default_rng(n_sec), n_batch, n_sec)
    res, cpu_b, wall_b = _timed(lambda: batch_modes(n_modes=3, **cols))
    ref, cpu_s, wall_s = _timed(lambda: _scalar_all(cols, n_scalar))
    worst, flagged_s = 0.0, 0
    for i, r in enumerate(ref):
        g = np.array([m.threshold_modal_gain_per_cm for m in r.modes])
        flagged_s += len(g) < 3
        worst = max(worst, float(np.max(np.abs(res.threshold_modal_gain_per_cm[i, :len(g)] / g - 1), initial=0.0)))
        if np.isfinite(res.threshold_modal_gain_per_cm[i, len(g):]).any():
            worst = np.inf
    rate_b, rate_s = n_batch / cpu_b, n_scalar / cpu_s
    print(f"{n_sec} sections: batch {n_batch} devices {rate_b:8.0f} /s CPU ({n_batch / wall_b:.0f} /s wall), "
          f"scalar {n_scalar} devices {rate_s:6.1f} /s CPU ({n_scalar / wall_s:.1f} /s wall), ratio {rate_b / rate_s:.0f}x; "
          f"max rel. diff of thresholds {worst:.1e}; flagged: batch {int((~res.ok).sum())}/{n_batch}, "
          f"scalar short of 3 modes {flagged_s}/{n_scalar}")


def main() -> None:
    n_batch = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    n_scalar = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}")
    for n_sec in (3, 5):
        compare(n_sec, n_batch, n_scalar)


if __name__ == "__main__":
    main()
