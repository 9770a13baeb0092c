"""RCWA (perocav.fdtd.rcwa, meent) vs the MEEP unit cell (perocav.fdtd.dfb) on the same 2nd-order grating, side by
side in one run: band edges, Qs, kappa, h, wall time, CPU time (this process, one core) and the ratios.

Stack: the transparent MAPbI3 stack with constant indices (the PDK values near 790 nm; ITO absorbs, the gain layer is
lossless), where MEEP's non-dispersive media are exact. MEEP on its default path (``FdtdSettings()``: x-parity
half-cell runs on lossless media, absorption by perturbation theory, 80 -> 160 px/um with Richardson-extrapolated
edges; ``fdtd/dfb_parity.py``; ~12 s of one core). ``--with-lossy-ladder`` adds the previous path
(``parity_runs=False``: lossy media, ladder from 200 px/um, 4 px across the 20 nm ITO, to 301 px/um; ~3 min of one
core on a quiet machine, several times that in wall time under load). Then RCWA alone on the dispersive PDK stacks.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_rcwa_vs_meep.py [--with-lossy-ladder] [--quick]
                                                                         [--dispersive-only]
    (--quick: each MEEP path one run at its first rung, the lossy one forced to 100 px/um; --dispersive-only: skip
    MEEP)
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
          "bragg_wavelength_nm", "wall_time_s")


def _row(name: str, d: dict) -> str:
    return f"{name:6s} " + " ".join(f"{k}={d[k]:.6g}" if isinstance(d[k], float) else f"{k}={d[k]}" for k in FIELDS)


def _timed(fn) -> tuple[dict, float, float]:
    """``fn()``'s record as a dict, its CPU seconds (this process) and wall seconds."""
    c, w = time.process_time(), time.perf_counter()
    out = fn().to_dict()
    return out, time.process_time() - c, time.perf_counter() - w


def _meep_paths(*, quick: bool, lossy_ladder: bool) -> dict:
    """Label -> FdtdSettings of the MEEP paths to run: the default (parity) path, and the lossy ladder if asked."""
    from perocav.fdtd.settings import FdtdSettings

    paths = {"parity": FdtdSettings(converge=False) if quick else FdtdSettings()}
    if lossy_ladder:
        paths["lossy"] = (FdtdSettings(resolution_px_per_um=100, converge=False, force=True, parity_runs=False)
                          if quick else FdtdSettings(parity_runs=False))
    return paths


def _print_vs(*, label: str, r: tuple[dict, float, float], m: tuple[dict, float, float]) -> None:
    """One MEEP path beside RCWA: its row, RCWA - MEEP edges (nm), RCWA / MEEP Q, kappa, h, wall and CPU times."""
    (rd, r_cpu, r_wall), (md, m_cpu, m_wall) = r, m
    print(f"\nMEEP {label}: {md['resolutions_tried']} px/um, converged={md['converged']}, extrapolated="
          f"{md['extrapolated']} ({md['extrapolation_nm']}), status {md['status']}")
    print(_row("rcwa", rd))
    print(_row(label, md))
    for k in ("edge_short_nm", "edge_long_nm"):
        print(f"  {k}: rcwa - meep = {rd[k] - md[k]:+.3f} nm")
    for k in ("q_short", "q_long", "kappa_per_cm", "radiation_per_cm"):
        print(f"  {k}: rcwa / meep = {rd[k] / md[k]:.4f}")
    print(f"  wall: rcwa {r_wall:.2f} s, meep {m_wall:.1f} s, meep / rcwa = {m_wall / r_wall:.0f}; CPU: rcwa "
          f"{r_cpu:.2f} s, meep {m_cpu:.1f} s, meep / rcwa = {m_cpu / r_cpu:.0f} (load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)", flush=True)


def compare(*, period_nm: float, duty_cycle: float, quick: bool, lossy_ladder: bool) -> None:
    """RCWA, then each MEEP path of ``_meep_paths``, on ``CONST_STACK`` at ``period_nm`` / ``duty_cycle``, 2nd order."""
    from perocav.fdtd.dfb import simulate_dfb
    from perocav.fdtd.models.dfb.grating import DfbGrating
    from perocav.fdtd.rcwa import simulate_dfb_rcwa

    g = DfbGrating(period_nm=period_nm, duty_cycle=duty_cycle, order=2)
    r = _timed(lambda: simulate_dfb_rcwa(stack=CONST_STACK, grating=g))
    print(f"\n{CONST_STACK.name}, period {period_nm} nm, duty {duty_cycle}, 2nd order; RCWA N = "
          f"{r[0]['harmonics_tried']}")
    for label, settings in _meep_paths(quick=quick, lossy_ladder=lossy_ladder).items():
        m = _timed(lambda: simulate_dfb(stack=CONST_STACK, grating=g, settings=settings))
        _print_vs(label=label, r=r, m=m)


def dispersive() -> None:
    from perocav.fdtd.models.dfb.grating import DfbGrating
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
    print(f"bench_rcwa_vs_meep {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    if "--dispersive-only" not in sys.argv:
        compare(period_nm=385.0, duty_cycle=0.3, quick="--quick" in sys.argv,
                lossy_ladder="--with-lossy-ladder" in sys.argv)
    dispersive()
