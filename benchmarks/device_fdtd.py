"""Benchmark and validation table of the finite-device FDTD (issue 24.5). Run:
``OMP_NUM_THREADS=1 .venv/bin/python benchmarks/device_fdtd.py [CASE ...] [--json OUT] [--passive]``.

For each validation case (``fdtd.device_validation.CASES``; default all four): ``simulate_device_meep`` with the
case's settings (the default ladder: first pass at 40 px/um, one gain level per rung at 60 and 80 px/um,
Richardson; half cells for symmetric devices) and the coupled-mode threshold with MEEP unit-cell couplings at the same
rungs; prints FDTD and CMT thresholds (modal intensity gain of the pumped sections), their difference and the CPU
seconds. ``--passive``: also the old passive finite-grating path (``simulate_dfb`` mode
"finite") on the uniform case's grating (100 periods, 1st order) at the coarse rung, one run, no freeze passes: the
cost of one passive ring-down of the same device without symmetry, and its threshold 2 pi n_g / (lambda Q);
``--passive-only``: that alone.
"""

from __future__ import annotations

import json
import os
import sys
import time

from perocav.fdtd.device_validation import CASES, compare


def _passive(resolution: float) -> dict:
    from perocav.fdtd.dfb import simulate_dfb  # lazy: only with --passive
    from perocav.fdtd.models.dfb.grating import DfbGrating
    from perocav.fdtd.settings import FdtdSettings
    from perocav.pdk.stacks import get_stack

    c0, t0 = time.process_time(), time.perf_counter()
    r = simulate_dfb(stack=get_stack("transparent_MAPbI3"), mode="finite",
                     grating=DfbGrating(period_nm=200, duty_cycle=0.5, order=1, n_periods=100),
                     settings=FdtdSettings(resolution_px_per_um=resolution, converge=False, force=True,
                                           max_freeze_passes=0))
    return dict(case="passive_finite_100_periods", resolution_px_per_um=resolution,
                threshold_modal_gain_per_cm=r.threshold_modal_gain_per_cm,
                lasing_wavelength_nm=r.lasing_wavelength_nm,
                cpu_time_s=time.process_time() - c0, wall_time_s=time.perf_counter() - t0)


def main(argv: list[str]) -> None:
    out_path = argv[argv.index("--json") + 1] if "--json" in argv else None
    names = [a for a in argv if not a.startswith("--") and a != out_path] or [c.name for c in CASES]
    rows = []
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, uptime: {os.popen('uptime').read().strip()}")
    print("| case | FDTD g_th (rungs) | CMT g_th (rungs) | FDTD combined | CMT combined | diff | lambda nm"
          " | margin FDTD/CMT | FDTD CPU s | wall s | CMT CPU s |")
    for case in (c for c in CASES if c.name in names and "--passive-only" not in argv):
        cmp = compare(case)
        f = cmp.fdtd
        row = dict(case=case.name, fdtd_per_rung=cmp.fdtd_per_rung, cmt_per_rung=cmp.cmt_per_rung,
                   fdtd=cmp.fdtd_threshold_modal_gain_per_cm, cmt=cmp.cmt_threshold_modal_gain_per_cm,
                   difference_relative=cmp.difference_relative, wavelength_nm=f.wavelength_nm,
                   margin_fdtd=f.gain_margin_per_cm, margin_cmt=cmp.cmt_gain_margin_per_cm,
                   material_gain=f.threshold_material_gain_per_cm, zone_confinement=f.zone_confinement,
                   cpu_time_s=f.cpu_time_s, wall_time_s=f.wall_time_s, cmt_cpu_time_s=cmp.cmt_cpu_time_s,
                   rungs=[r.__dict__ for r in f.rungs])
        rows.append(row)
        print(f"| {case.name} | {' / '.join(f'{x:.0f}' for x in cmp.fdtd_per_rung)} | "
              f"{' / '.join(f'{x:.0f}' for x in cmp.cmt_per_rung)} | {row['fdtd']:.0f} | {row['cmt']:.0f} | "
              f"{100 * row['difference_relative']:+.1f} % | {f.wavelength_nm:.2f} | {f.gain_margin_per_cm:.0f} / "
              f"{cmp.cmt_gain_margin_per_cm:.0f} | {f.cpu_time_s:.0f} | {f.wall_time_s:.0f} | "
              f"{cmp.cmt_cpu_time_s:.0f} |",
              flush=True)
    if "--passive" in argv or "--passive-only" in argv:
        p = _passive(40.0)
        rows.append(p)
        print(f"passive finite (old path), 100 periods, {p['resolution_px_per_um']:g} px/um, one run: "
              f"{p['cpu_time_s']:.0f} s CPU, {p['wall_time_s']:.0f} s wall, "
              f"g_th {p['threshold_modal_gain_per_cm']:.0f} /cm")
    if out_path:
        with open(out_path, "w") as fh:
            json.dump(rows, fh, indent=1, default=str)


if __name__ == "__main__":
    main(sys.argv[1:])
