"""Every point of the default design's sweep in MEEP (unit cell, dispersion-consistent edges) vs the analytic edges.

    OMP_NUM_THREADS=1 python benchmarks/check_default_sweep_fdtd.py [--resolution 133.334] [--workers 2] [--out F]
    OMP_NUM_THREADS=1 python benchmarks/check_default_sweep_fdtd.py --solver rcwa    # the same with RCWA (~1 s each)
    OMP_NUM_THREADS=1 python benchmarks/check_default_sweep_fdtd.py --converged     # MEEP's default converged path
                                                                                     # (parity runs), beside RCWA

Prints one row per design (analytic and FDTD band edges, max |diff|, freeze residual, passes, seconds) and the
worst difference; writes the rows as JSON to --out. Issue 10's check: both edges found for every point and within
1 nm of the analytic (coupled-mode) edges.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import time
from concurrent.futures import ProcessPoolExecutor


def one(args: tuple[float, float, float, str]) -> dict:
    from perocav.designs.spec import load_design
    from perocav.fdtd.models.dfb.dfb_analytic import analyze_dfb_on_stack
    from perocav.fdtd.dfb import simulate_dfb
    from perocav.fdtd.models.dfb.grating import DfbGrating
    from perocav.fdtd.settings import FdtdSettings
    from perocav.fdtd.rcwa import simulate_dfb_rcwa

    period, duty, res, solver = args
    spec = load_design("designs/default.yaml")
    stack = spec.stack.resolve()
    t0 = time.perf_counter()
    try:
        if solver == "rcwa":
            r = simulate_dfb_rcwa(stack=stack, grating=DfbGrating(period_nm=period, duty_cycle=duty, order=spec.cavity.order, n_periods=spec.cavity.n_periods))
            a = analyze_dfb_on_stack(stack=stack, period_nm=period, duty_cycle=duty, order=spec.cavity.order,
                                     length_um=spec.cavity.n_periods * period / 1000)
            short, long_ = a.cmt.stopband_short_nm, a.cmt.stopband_long_nm
            diff = max(abs(r.edge_short_nm - short), abs(r.edge_long_nm - long_))
            return dict(period_nm=period, duty=duty, status=r.status, analytic_short_nm=short, analytic_long_nm=long_,
                        rcwa_short_nm=r.edge_short_nm, rcwa_long_nm=r.edge_long_nm, max_diff_nm=diff,
                        wall_s=time.perf_counter() - t0)
        grating = DfbGrating(period_nm=period, duty_cycle=duty, order=spec.cavity.order, n_periods=spec.cavity.n_periods)
        settings = FdtdSettings() if res is None else FdtdSettings(resolution_px_per_um=res, converge=False, force=True)
        a = analyze_dfb_on_stack(stack=stack, period_nm=period, duty_cycle=duty, order=spec.cavity.order,
                                 length_um=grating.length_um)  # the MEEP run's starting point, and the comparison
        r = simulate_dfb(stack=stack, grating=grating, settings=settings, analytic=a)
    except Exception as err:  # a design without a Bragg root in the window, for example
        return dict(period_nm=period, duty=duty, status=f"error: {err}", wall_s=time.perf_counter() - t0)
    short, long_ = a.cmt.stopband_short_nm, a.cmt.stopband_long_nm
    diff = max(abs(r.edge_short_nm - short), abs(r.edge_long_nm - long_))
    row = dict(period_nm=period, duty=duty, status=r.status, analytic_short_nm=short,
               analytic_long_nm=long_, fdtd_short_nm=r.edge_short_nm, fdtd_long_nm=r.edge_long_nm,
               max_diff_nm=diff, freeze_residual_nm=r.details.freeze_residual_nm, freeze_passes=r.details.freeze_passes,
               kappa_fdtd=r.kappa_per_cm, kappa_cmt=abs(a.kappa_per_cm), converged=r.converged,
               wall_s=time.perf_counter() - t0)
    if res is None:  # the converged path: RCWA (an independent solver of the same cell) beside it
        x = simulate_dfb_rcwa(stack=stack, grating=grating)
        row.update(rcwa_minus_fdtd_short_nm=x.edge_short_nm - r.edge_short_nm,
                   rcwa_minus_fdtd_long_nm=x.edge_long_nm - r.edge_long_nm,
                   rcwa_over_fdtd_q_short=x.q_short / r.q_short, rcwa_over_fdtd_q_long=x.q_long / r.q_long,
                   rcwa_over_fdtd_kappa=x.kappa_per_cm / r.kappa_per_cm)
    return row


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--resolution", type=float, default=133.334)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", default="default_sweep_fdtd.json")
    ap.add_argument("--solver", choices=("meep", "rcwa"), default="meep")
    ap.add_argument("--converged", action="store_true", help="MEEP's default converged path, with RCWA beside it")
    a = ap.parse_args()
    from perocav.designs.spec import expand_points, load_design

    points = expand_points(load_design("designs/default.yaml"))
    res = None if a.converged else a.resolution
    jobs = [(p.cavity.period_nm, p.cavity.duty_cycle, res, a.solver) for p in points]
    where = "the default converged path" if res is None else f"{res:g} px/um"
    print(f"{len(jobs)} designs at {where}, {a.workers} workers, load {os.getloadavg()[0]:.1f}")
    rows = []
    with ProcessPoolExecutor(a.workers) as pool:
        for row in pool.map(one, jobs):
            rows.append(row)
            print(" ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in row.items()), flush=True)
            with open(a.out, "w") as fh:
                json.dump(rows, fh, indent=1)
    ok = [r for r in rows if r["status"] == "ok" and math.isfinite(r["max_diff_nm"])]
    worst = max((r["max_diff_nm"] for r in ok), default=math.nan)
    print(f"both edges found: {len(ok)} of {len(rows)}; worst |{a.solver} - analytic| edge: {worst:.3f} nm; "
          f"load {os.getloadavg()[0]:.1f}")
    if a.converged and ok:
        worst_rcwa = max(max(abs(r["rcwa_minus_fdtd_short_nm"]), abs(r["rcwa_minus_fdtd_long_nm"])) for r in ok)
        q = [v for r in ok for v in (r["rcwa_over_fdtd_q_short"], r["rcwa_over_fdtd_q_long"])]
        k = [r["rcwa_over_fdtd_kappa"] for r in ok]
        print(f"converged: {sum(bool(r['converged']) for r in ok)} of {len(ok)}; worst |RCWA - MEEP| edge "
              f"{worst_rcwa:.3f} nm; RCWA/MEEP Q {min(q):.3f}-{max(q):.3f}, kappa {min(k):.3f}-{max(k):.3f}")


if __name__ == "__main__":
    main()
