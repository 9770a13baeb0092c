"""RCWA (perocav.fdtd.rcwa, meent) vs the MEEP unit cell (perocav.fdtd.dfb) on the same 2nd-order grating, side by
side in one run: band edges, Qs, kappa, h, wall time and the time ratio.

Stack: the transparent MAPbI3 stack with constant indices (the PDK values near 790 nm; ITO absorbs, the gain layer is
lossless), where MEEP's non-dispersive media are exact. MEEP: resolution ladder from 200 px/um (4 px across 20 nm
ITO) to 300 px/um, converged to 0.2 nm / 5 % in Q. Then RCWA alone on the dispersive PDK stacks.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_rcwa_vs_meep.py [--quick] [--dispersive-only]
    (--quick: MEEP at 100 px/um only; --dispersive-only: skip MEEP)
"""

from __future__ import annotations

import os
import sys
import time

from perocav.pdk.stack import ConstantIndex as C
from perocav.pdk.stack import Stack, StackLayer

CONST_STACK = Stack(name="transparent_const", substrate=C(n=1.454), cover=C(n=1.0), emission_wavelength_nm=790.0,
                    layers=(StackLayer(name="grating", material=C(n=2.026), fill_material=C(n=1.454), thickness_nm=50,
                                       role="grating", layer="GRATING"),
                            StackLayer(name="ito_bottom", material=C(n=1.787, k=0.0046), thickness_nm=20, role="contact"),
                            StackLayer(name="perovskite", material=C(n=2.525), thickness_nm=150, role="gain"),
                            StackLayer(name="ito_top", material=C(n=1.787, k=0.0046), thickness_nm=20, role="contact")))
FIELDS = ("edge_short_nm", "edge_long_nm", "q_short", "q_long", "radiating_edge", "kappa_per_cm", "radiation_per_cm",
          "bragg_wavelength_fdtd_nm", "wall_time_s")


def _row(name: str, d: dict) -> str:
    return f"{name:6s} " + " ".join(f"{k}={d[k]:.6g}" if isinstance(d[k], float) else f"{k}={d[k]}" for k in FIELDS)


def compare(*, period_nm: float, duty_cycle: float, quick: bool) -> None:
    from perocav.fdtd.dfb import simulate_dfb
    from perocav.fdtd.models.grating import DfbGrating
    from perocav.fdtd.rcwa import simulate_dfb_rcwa
    from perocav.fdtd.settings import FdtdSettings

    g = DfbGrating(period_nm=period_nm, duty_cycle=duty_cycle, order=2)
    t = time.perf_counter()
    r = simulate_dfb_rcwa(stack=CONST_STACK, grating=g).to_dict()
    t_rcwa = time.perf_counter() - t
    settings = FdtdSettings(resolution_px_per_um=100, converge=False, force=True) if quick else FdtdSettings()
    t = time.perf_counter()
    m = simulate_dfb(stack=CONST_STACK, grating=g, settings=settings).to_dict()
    t_meep = time.perf_counter() - t
    print(f"\n{CONST_STACK.name}, period {period_nm} nm, duty {duty_cycle}, 2nd order; MEEP {m['resolutions_tried']} "
          f"px/um, converged={m['converged']}; RCWA N = {r['harmonics_tried']}")
    print(_row("rcwa", r))
    print(_row("meep", m))
    for k in ("edge_short_nm", "edge_long_nm"):
        print(f"  {k}: rcwa - meep = {r[k] - m[k]:+.3f} nm")
    for k in ("q_short", "q_long", "kappa_per_cm", "radiation_per_cm"):
        print(f"  {k}: rcwa / meep = {r[k] / m[k]:.4f}")
    print(f"  wall time: rcwa {t_rcwa:.2f} s, meep {t_meep:.1f} s, ratio meep / rcwa = {t_meep / t_rcwa:.0f}"
          f" (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


def dispersive() -> None:
    from perocav.fdtd.models.grating import DfbGrating
    from perocav.fdtd.rcwa import simulate_dfb_rcwa
    from perocav.pdk.stacks import get_stack

    # CsPbBr3: 2nd order needs ~265-270 nm for a Bragg point at 536-540 nm (n_eff ~2.0); 230 nm has no guided root
    for name, period, duty in (("transparent_MAPbI3", 385.0, 0.3), ("transparent_CsPbBr3", 267.0, 0.3)):
        t = time.perf_counter()
        r = simulate_dfb_rcwa(stack=get_stack(name), grating=DfbGrating(period_nm=period, duty_cycle=duty, order=2)).to_dict()
        print(f"\n{name}, period {period} nm, duty {duty}, 2nd order, RCWA ({time.perf_counter() - t:.2f} s, "
              f"N = {r['harmonics_tried']}): status {r['status']}")
        print(_row("rcwa", r), f"group_index={r['group_index']:.4f}", f"warnings={r['warnings']!r}")
        print(f"  radiating edge: Fano fit {r['fano_wavelength_nm']:.5f} nm Q {r['fano_q']:.5g} (misfit "
              f"{r['fano_misfit']:.1e}), complex pole {r['pole_search_radiating_nm']:.5f} nm Q "
              f"{r['pole_search_radiating_q']:.5g}; harmonics {r['harmonics_tried']}: edges moved "
              f"{r['edge_change_nm']:.1e} nm, Q {r['q_change_relative']:.1e}")


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    print(f"bench_rcwa_vs_meep {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    if "--dispersive-only" not in sys.argv:
        compare(period_nm=385.0, duty_cycle=0.3, quick=quick)
    dispersive()
