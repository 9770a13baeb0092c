"""The converged 2nd-order MEEP unit cell, new path vs the previous ladder, side by side in one process, each checked
against RCWA (meent) on the dispersive transparent stacks of both perovskites (issue 11, item 3).

new: x-parity runs on lossless media, absorption by perturbation theory, 80 -> 160 px/um + Richardson
     (``FdtdSettings()`` defaults, ``fdtd/dfb_parity.py``);
old: lossy media, both edges per run, ladder 133 -> 200 px/um (the main job's settings before, forced below the
     4 px pixel rule), each edge re-run at its own freezing wavelength on the last rung.
Prints per design: edges and Qs minus RCWA, CPU seconds (this process, one core) and wall seconds, and the ratio.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_unit_cell.py [--new-only]
"""

from __future__ import annotations

import os
import sys
import time

DESIGNS = (("transparent_MAPbI3", 385.0, 0.3), ("transparent_CsPbBr3", 267.0, 0.3))


def _timed(fn):
    c, w = time.process_time(), time.perf_counter()
    out = fn()
    return out, time.process_time() - c, time.perf_counter() - w


def _row(label: str, m, r, cpu: float, wall: float) -> str:
    d = [m.edge_short_nm - r.edge_short_nm, m.edge_long_nm - r.edge_long_nm]
    q = [m.q_short / r.q_short - 1, m.q_long / r.q_long - 1]
    return (f"  {label:4s} {m.details.resolutions_tried:>18s} px/um converged={m.converged!s:5s} edges {d[0]:+.3f} / {d[1]:+.3f} "
            f"nm, Q {100 * q[0]:+.1f} / {100 * q[1]:+.1f} %, kappa {100 * (m.kappa_per_cm / r.kappa_per_cm - 1):+.1f} %"
            f"  CPU {cpu:.1f} s, wall {wall:.1f} s")


def main() -> None:
    from perocav.fdtd.dfb import simulate_dfb
    from perocav.fdtd.models.dfb.grating import DfbGrating
    from perocav.fdtd.rcwa import simulate_dfb_rcwa
    from perocav.fdtd.settings import FdtdSettings
    from perocav.pdk import activate
    from perocav.pdk.stacks import get_stack

    activate()
    print(f"bench_unit_cell {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    old = FdtdSettings(resolution_px_per_um=133.334, max_resolution_px_per_um=205, force=True, q_relative_tol=0.15,
                       parity_runs=False)
    for name, period, duty in DESIGNS:
        st, g = get_stack(name), DfbGrating(period_nm=period, duty_cycle=duty, order=2)
        r, cpu_r, wall_r = _timed(lambda: simulate_dfb_rcwa(stack=st, grating=DfbGrating(period_nm=period, duty_cycle=duty, order=2)))
        print(f"{name} {period:g} nm / {duty}: RCWA {r.edge_short_nm:.3f} / {r.edge_long_nm:.3f} nm, Q {r.q_short:.0f}"
              f" / {r.q_long:.0f} (CPU {cpu_r:.1f} s)")
        m, cpu_n, wall_n = _timed(lambda: simulate_dfb(stack=st, grating=g))
        print(_row("new", m, r, cpu_n, wall_n), flush=True)
        if "--new-only" in sys.argv:
            continue
        m, cpu_o, wall_o = _timed(lambda: simulate_dfb(stack=st, grating=g, settings=old))
        print(_row("old", m, r, cpu_o, wall_o))
        print(f"  CPU ratio old / new = {cpu_o / cpu_n:.1f}, wall ratio {wall_o / wall_n:.1f}", flush=True)


if __name__ == "__main__":
    main()
