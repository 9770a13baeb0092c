"""What a batch of asked trials costs: 48 random feasible trial points of ``bench_optimize``'s 4-variable problem
(device CMT, analytic cells), one ``evaluate_point`` each against ``evaluate_dfb_batch`` (the vectorised screen and
the section engine's batch, what ``Stage.run`` does with a batch of trials) in batches of 8 and as one batch of 48,
side by side in one process; CPU and wall seconds, the largest relative difference of J_th, the machine load.

Run: OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_optimize_batch.py [--points 48] [--batch 8]"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
from bench_optimize import BOX, problem

from perocav.designs.evaluate import EvalTask, evaluate_point
from perocav.designs.evaluate_batch import evaluate_dfb_batch
from perocav.designs.optimize.points import trial_point


def random_points(n: int, seed: int = 7) -> list:
    """``n`` feasible design points of the problem, uniformly drawn in its box."""
    spec, rng, out = problem(10, 0), np.random.default_rng(seed), []
    while len(out) < n:
        v = {k: int(rng.integers(lo, hi + 1)) if k == "n_periods" else float(rng.uniform(lo, hi))
             for k, (lo, hi) in BOX.items()}
        if (tp := trial_point(spec, v)).point is not None:
            out.append(tp.point)
    return out


def timed(f):
    """(CPU s, wall s, J_th array) of ``f()``'s results."""
    c0, w0 = time.process_time(), time.perf_counter()
    res = f()
    jth = np.array([r.metrics.threshold_current_density_a_per_cm2 if r.metrics else np.nan for r in res])
    return time.process_time() - c0, time.perf_counter() - w0, jth


def batched(points: list, size: int) -> list:
    return [r for i in range(0, len(points), size)
            for _, r in sorted(evaluate_dfb_batch(points[i:i + size]), key=lambda ir: ir[0])]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, default=48)
    ap.add_argument("--batch", type=int, default=8)
    args = ap.parse_args()
    pts = random_points(args.points)
    one = timed(lambda: [evaluate_point(EvalTask(key="", point=p, fidelity="analytic")) for p in pts])
    print(f"one at a time: {one[0]:.2f} s CPU, {one[1]:.2f} s wall")
    for size in (args.batch, len(pts)):
        cpu, wall, jth = timed(lambda: batched(pts, size))
        ok = np.isfinite(jth) & np.isfinite(one[2])
        print(f"batches of {size}: {cpu:.2f} s CPU, {wall:.2f} s wall ({one[0] / cpu:.2f}x less CPU); J_th max rel "
              f"diff {np.max(np.abs(jth[ok] / one[2][ok] - 1)):.1e} over {ok.sum()} lasing designs")
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load {os.getloadavg()}")


if __name__ == "__main__":
    main()
