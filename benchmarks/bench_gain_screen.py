"""The analytic screen (``designs.evaluate_batch``: vectorised DFB screen + per-design records) with the spectral
gain g(lambda, N, T) (threshold density solved at each design's lasing wavelength) beside the flat seed gain
g0 ln(N / N_tr), on the same points in one run: designs/s of both and their ratio (issue 23 asks >= 500 designs/s
on one core). The screen's tables are built once before timing (both models share them).

Run: OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_gain_screen.py [N_PERIOD N_DUTY]
(default 50 x 40 periods x duties of the default design = 2000 designs)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

from perocav.designs.evaluate_batch import evaluate_dfb_batch
from perocav.designs.spec import DesignPoint, load_design
from perocav.designs.threshold import GainMaterial

DESIGN = Path(__file__).resolve().parents[1] / "designs" / "default.yaml"


def points(n_period: int, n_duty: int, gain_model: str) -> list[DesignPoint]:
    spec = load_design(DESIGN)
    base = DesignPoint(stack=spec.stack, cavity=spec.cavity, gain_material=GainMaterial(gain_model=gain_model),
                       params={})
    out = []
    for p in np.linspace(370.0, 400.0, n_period):
        for d in np.linspace(0.1, 0.9, n_duty):
            cav = base.cavity.model_copy(update={"period_nm": float(p), "duty_cycle": float(d)})
            out.append(base.model_copy(update={"cavity": cav}))
    return out


def timed(pts: list[DesignPoint]) -> tuple[float, list]:
    t0 = time.perf_counter()
    results = [r for _, r in sorted(evaluate_dfb_batch(pts), key=lambda x: x[0])]
    return time.perf_counter() - t0, results


def main(n_period: int = 50, n_duty: int = 40) -> None:
    print(f"machine load (uptime): {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores; "
          f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}")
    timed(points(4, 4, "seed"))  # warm the stack's tables
    rates = {}
    for model in ("seed", "spectral"):
        pts = points(n_period, n_duty, model)
        wall, results = timed(pts)
        rates[model] = len(pts) / wall
        ok = [r for r in results if r.ok and np.isfinite(r.metrics.threshold_current_density_a_per_cm2)]
        print(f"{model:>8}: {len(pts)} designs in {wall:.2f} s = {rates[model]:.0f} designs/s; "
              f"{len(ok)} with a finite J_th; gain model used: {sorted({r.metrics.gain_model for r in ok})}")
    print(f"spectral / seed rate: {rates['spectral'] / rates['seed']:.2f} "
          f"(spectral {'>=' if rates['spectral'] >= 500 else '<'} 500 designs/s)")


if __name__ == "__main__":
    main(*map(int, sys.argv[1:3]))
