"""Analytic DFB screen: the vectorised screen (fdtd.models.dfb_screen, tables built from scratch in this run) vs the
per-design path (fdtd.models.dfb.dfb_analytic.analyze_dfb_on_stack) on a period x duty x phase-shift sweep of one stack,
measured side by side in one run; prints designs/s of both, their ratio, the largest relative difference of every
record number over the designs checked with both, and the machine load.

Run: OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_screen.py [N_PERIOD N_DUTY N_CHECK STACK ORDER]
(default 100 x 50 x 2 phases = 10,000 designs on transparent_MAPbI3, order 2; 30 designs re-run per design)."""

from __future__ import annotations

import math
import os
import sys
import time

import numpy as np

from perocav.fdtd.models.dfb.dfb_analytic import analyze_dfb_on_stack
from perocav.fdtd.models.dispersion.dispersion import dispersion
from perocav.fdtd.models.dfb import threshold_batch
from perocav.fdtd.models.dfb.dfb_screen import screen_dfb
from perocav.fdtd.models.dfb.dfb_screen_result import screen_design
from perocav.pdk.stacks import get_stack

FIELDS = ("wavelength_nm", "bragg_wavelength_nm", "neff_high", "neff_low", "group_index", "kappa_per_cm",
          "radiation_per_cm", "confinement", "confinement_power", "modal_loss_per_cm", "mirror_loss_per_cm",
          "threshold_modal_gain_per_cm")
PERIODS = {("transparent_MAPbI3", 2): (372.0, 398.0), ("transparent_MAPbI3", 1): (186.0, 199.0),
           ("transparent_CsPbBr3", 2): (246.0, 258.0), ("transparent_CsPbBr3", 1): (123.0, 129.0)}


def _clear_tables() -> None:
    for f in (dispersion._table, dispersion._spline, threshold_batch.universal_table, threshold_batch._h0_column,
              threshold_batch._reference_zeros):
        f.cache_clear()


def main(n_period: int = 100, n_duty: int = 50, n_check: int = 30, stack_name: str = "transparent_MAPbI3",
         order: int = 2) -> None:
    stack = get_stack(stack_name)
    lo, hi = PERIODS[(stack_name, order)]
    p, d, s = np.meshgrid(np.linspace(lo, hi, n_period), np.linspace(0.05, 0.95, n_duty), [False, True], indexing="ij")
    period, duty, shifted = p.ravel(), d.ravel(), s.ravel()
    length = period * 250 / 1000  # 250 periods
    n = period.size
    print(f"machine load (uptime)      : {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}"
          f" on {os.cpu_count()} cores; OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}")
    _clear_tables()
    t0 = time.perf_counter()
    res = screen_dfb(stack=stack, period_nm=period, duty_cycle=duty, order=order, length_um=length, quarter_wave=shifted)
    t_screen = time.perf_counter() - t0
    ok = np.flatnonzero(res.ok)
    print(f"screen ({stack_name}, order {order}): {n} designs in {t_screen:.2f} s incl. tables "
          f"({n / t_screen:.0f} designs/s); answered {ok.size}, left to the per-design path {n - ok.size}")
    for why in sorted(set(res.reason[~res.ok])):
        print(f"    {int(np.sum(res.reason == why))} x {why}")
    check = np.random.default_rng(0).choice(ok, size=min(n_check, ok.size), replace=False)
    worst = dict.fromkeys(FIELDS, 0.0)
    t_design = 0.0
    for i in check:
        phase = math.pi if shifted[i] else 0.0
        t1 = time.perf_counter()
        ref = analyze_dfb_on_stack(stack=stack, period_nm=period[i], duty_cycle=duty[i], order=order,
                                   length_um=length[i], phase_shift_rad=phase)
        t_design += time.perf_counter() - t1
        new = screen_design(res, int(i), period_nm=period[i], duty_cycle=duty[i], order=order, length_um=length[i],
                            phase_shift_rad=phase)
        for f in FIELDS:
            a, b = getattr(ref, f), getattr(new, f)
            if a != 0 and math.isfinite(a):
                worst[f] = max(worst[f], abs(b - a) / abs(a))
    rate = check.size / t_design
    print(f"per-design path            : {check.size} designs in {t_design:.2f} s ({rate:.2f} designs/s)")
    print(f"screen / per-design        : {n / t_screen / rate:.0f}x")
    print(f"max relative difference    : " + ", ".join(f"{f} {v:.1e}" for f, v in worst.items()))
    print(f"machine load after         : {os.getloadavg()[0]:.2f}")
    thickness_growth(n, stack_name, order)


def thickness_growth(n_total: int, stack_name: str, order: int, counts=(1, 2, 5)) -> None:
    """The same number of designs spread over 1, 2, 5 stacks (a perovskite thickness axis): every stack builds its
    own n_eff tables; the threshold tables are universal (kappa L, h L) and shared."""
    lo, hi = PERIODS[(stack_name, order)]
    for k in counts:
        _clear_tables()
        per = n_total // k
        side = int(np.sqrt(per / 2))
        p, d, s = np.meshgrid(np.linspace(lo, hi, side), np.linspace(0.05, 0.95, per // (2 * side)), [False, True],
                              indexing="ij")
        t0 = time.perf_counter()
        for thickness in np.linspace(140, 160, k):
            stack = get_stack(stack_name, thickness_nm={"perovskite": float(thickness)})
            screen_dfb(stack=stack, period_nm=p.ravel(), duty_cycle=d.ravel(), order=order,
                       length_um=p.ravel() * 0.25, quarter_wave=s.ravel())
        t = time.perf_counter() - t0
        print(f"{k} stack(s) x {p.size} designs: {t:.2f} s ({k * p.size / t:.0f} designs/s) "
              f"[load {os.getloadavg()[0]:.2f}]")


if __name__ == "__main__":
    a = sys.argv[1:]
    main(*(int(x) for x in a[:3]), *a[3:4], *(int(x) for x in a[4:5]))
