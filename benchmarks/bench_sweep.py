"""Sweep throughput with 1 and 2 worker processes (ratio, measured side by side in one run), and the analytic
screen's designs per second. Run: .venv/bin/python benchmarks/bench_sweep.py [N_POINTS]

Since the vectorised screen (issue 11) the analytic DFB stage runs in the run's own process, so the worker count
no longer changes it (expect ~1x here); 1 vs 2 workers on a stage that uses them: benchmarks/bench_workers.py
(RCWA); screen vs per-design designs/s: benchmarks/bench_screen.py."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from perocav.designs.pipeline import RunOptions, run_design
from perocav.designs.spec import load_design

DESIGN = """\
name: bench
stack: {{name: transparent_MAPbI3}}
cavity: {{type: dfb, order: 2, period_nm: 385, duty_cycle: 0.4, n_periods: 250}}
sweep:
  grid:
    period_nm: {{start: 370, stop: 400, num: {n_period}}}
    duty_cycle: [0.3, 0.4, 0.6, 0.7]
fidelity: analytic
"""


def main(n_points: int = 24) -> None:
    n_period = max(1, n_points // 4)
    with tempfile.TemporaryDirectory() as tmp:
        design = Path(tmp) / "bench.yaml"
        design.write_text(DESIGN.format(n_period=n_period))
        times = {}
        for workers in (1, 2, 1, 2):  # interleaved, so drifting machine load hits both alike
            out = Path(tmp) / f"w{workers}_{time.perf_counter_ns()}"
            t0 = time.perf_counter()
            s = run_design(load_design(design), out_dir=out,
                           options=RunOptions(workers=workers, progress=False, report=False, mask=False))
            times.setdefault(workers, []).append(time.perf_counter() - t0)
            assert s.computed == s.total == 4 * n_period and s.failed == 0
        t1, t2 = min(times[1]), min(times[2])
        n = 4 * n_period
        print(f"designs per run            : {n}")
        print(f"1 worker                   : {t1:.2f} s  ({n / t1:.2f} designs/s)")
        print(f"2 workers                  : {t2:.2f} s  ({n / t2:.2f} designs/s)")
        print(f"speed-up 2 vs 1 workers    : {t1 / t2:.2f}x")
        t0 = time.perf_counter()
        cached = run_design(load_design(design), out_dir=out,
                            options=RunOptions(workers=2, progress=False, report=False, mask=False))
        tc = time.perf_counter() - t0
        assert cached.computed == 0
        print(f"cached re-run              : {tc:.2f} s  ({t2 / tc:.0f}x faster than computing)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 24)
