"""Parallel sweeps: an RCWA stage (fidelity: rcwa, seconds per design) with 1 and 2 pool workers, measured side by
side in one run (interleaved 1, 2, 1, 2: drifting machine load hits both alike; best of each), and the analytic DFB
stage (vectorised screen in the run's own process) beside what a worker pool costs just to start.

Run: OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_workers.py [N_RCWA_DESIGNS] [N_ANALYTIC_DESIGNS]
     [--fdtd N_FDTD_DESIGNS] (the MEEP unit-cell stage too: the default converged path, ~15 s of CPU per design)"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from perocav.designs.executor import make_executor
from perocav.designs.pipeline import RunOptions, run_design
from perocav.designs.solvers import solver_settings
from perocav.designs.spec import expand_points, load_design

RCWA = """\
name: bench_rcwa
stack: {{name: transparent_MAPbI3}}
cavity: {{type: dfb, order: 2, period_nm: 385, duty_cycle: 0.3, n_periods: 250}}
sweep:
  grid:
    period_nm: {{start: 378, stop: 394, num: {n}}}
    duty_cycle: [0.3, 0.7]
fidelity: rcwa
"""
FDTD = RCWA.replace("bench_rcwa", "bench_fdtd").replace("fidelity: rcwa", """fidelity: fdtd
fdtd: {{resolution_px_per_um: 80, max_resolution_px_per_um: 170}}""")
ANALYTIC = RCWA.replace("bench_rcwa", "bench_analytic").replace("fidelity: rcwa", "fidelity: analytic").replace(
    "duty_cycle: [0.3, 0.7]", "duty_cycle: {{start: 0.15, stop: 0.85, num: 10}}")


def _load() -> str:
    return "load %.1f" % os.getloadavg()[0]


def _run(tmp: Path, text: str, workers: int, tag: str) -> tuple[float, int]:
    design = tmp / f"{tag}.yaml"
    design.write_text(text)
    t0 = time.perf_counter()
    s = run_design(load_design(design), out_dir=tmp / f"{tag}_{time.perf_counter_ns()}",
                   options=RunOptions(workers=workers, progress=False, report=False, mask=False))
    assert s.computed == s.total and s.failed == 0, (s.computed, s.total, s.failed)
    return time.perf_counter() - t0, s.total


def timed_evaluate(point_json: str, fidelity: str, settings=None) -> tuple[str, float]:
    """evaluate_point in a worker, with the worker's CPU seconds for it."""
    from perocav.designs.evaluate import EvalTask, evaluate_point
    from perocav.designs.spec import DesignPoint

    c0 = time.process_time()
    result = evaluate_point(EvalTask(key="", point=DesignPoint.model_validate_json(point_json), fidelity=fidelity,
                                     settings=settings))
    return (result.status if result.status == "ok" else f"{result.status}: {result.error}"), time.process_time() - c0


def _stage(tmp: Path, n: int, workers: int, fidelity: str) -> tuple[float, list[float]]:
    """A solver stage as Stage.run drives it (pool of ``workers``, evaluate_point per design): wall, CPU/design."""
    design = tmp / f"{fidelity}.yaml"
    design.write_text((RCWA if fidelity == "rcwa" else FDTD).format(n=n // 2))
    spec = load_design(design)
    points = expand_points(spec)
    settings = solver_settings(spec) if fidelity == "fdtd" else None
    t0 = time.perf_counter()
    with make_executor(workers=workers, scheduler=None) as pool:
        out = list(pool.map(timed_evaluate, [p.model_dump_json() for p in points], [fidelity] * len(points),
                            [settings] * len(points)))
    assert all(status == "ok" for status, _ in out), out
    return time.perf_counter() - t0, [cpu for _, cpu in out]


def _compare(tmp: Path, n: int, fidelity: str) -> None:
    """1, 2, 1, 2 workers on the same stage; the speed-up of the best of each."""
    times: dict[int, list[float]] = {1: [], 2: []}
    for workers in (1, 2, 1, 2):
        before = _load()
        t, cpu = _stage(tmp, n, workers, fidelity)
        times[workers].append(t)
        print(f"{fidelity} stage, {workers} worker(s): {len(cpu)} designs in {t:.1f} s ({len(cpu) / t:.2f} designs/s); "
              f"worker CPU per design {np.mean(cpu):.2f} s, sum {np.sum(cpu):.1f} s [{before} -> {_load()}]", flush=True)
    t1, t2 = min(times[1]), min(times[2])
    print(f"{fidelity} stage speed-up 2 vs 1 workers: {t1 / t2:.2f}x (best of 2 each)", flush=True)


def _import_model(_: int) -> bool:
    import perocav.fdtd.models.dfb.dfb_screen  # noqa: F401

    return True


def _pool_start(workers: int) -> float:
    """Seconds to start a pool and have every worker import the analytic model (what workers would add)."""
    t0 = time.perf_counter()
    with make_executor(workers=workers, scheduler=None) as pool:
        list(pool.map(_import_model, range(workers)))
    return time.perf_counter() - t0


def main(n_rcwa: int = 8, n_analytic: int = 1000, n_fdtd: int = 0) -> None:
    print(f"cores {os.cpu_count()}, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}, start {_load()}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if n_fdtd:
            _compare(tmp, n_fdtd, "fdtd")
        if n_rcwa:
            _compare(tmp, n_rcwa, "rcwa")
        before = _load()
        t, n = _run(tmp, ANALYTIC.format(n=max(1, n_analytic // 10)), 1, "analytic")
        print(f"analytic DFB stage (screen, in-process): {n} designs in {t:.2f} s incl. cache writes "
              f"({n / t:.0f} designs/s) [{before} -> {_load()}]")
        print(f"starting a 2-worker pool that imports the model: {_pool_start(2):.2f} s [{_load()}]")


if __name__ == "__main__":
    argv = sys.argv[1:]
    fdtd = 0
    if "--fdtd" in argv:
        i = argv.index("--fdtd")
        fdtd, argv = int(argv[i + 1]), argv[:i] + argv[i + 2:]
    main(*(int(a) for a in argv[:2]), n_fdtd=fdtd)
