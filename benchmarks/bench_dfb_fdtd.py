"""Benchmark (run: .venv/bin/python benchmarks/bench_dfb_fdtd.py [N_PERIODS ...], default 40 80): side by side in
one run, (1) unit cell vs finite quarter-wave-shifted grating of the same design (electrode-free MAPbI3, 1st order,
200 nm, duty 0.5, 80 px/um) at matched accuracy: the unit cell's Kogelnik-Shank mode (FDTD kappa) and the finite
cavity's FDTD mode must agree on wavelength within 1.5 nm and Q within 10%, else the ratio is flagged; (2)
``run_ringdown_2d`` vs a hand-written MEEP script of the same unit-cell simulation. Prints the ratios.

``--second-order``: instead a uniform 2nd-order grating (400 nm, duty 0.25, same stack and resolution), where
radiation keeps the finite cavity's Q low enough for its ring-down to resolve it at long N; the unit cell's mode is
Kogelnik-Shank with the FDTD kappa and complex radiation coupling h (Kazarinov-Henry). The hand-script comparison
is skipped (it is the 1st-order cell)."""

import sys
import time

import meep as mp

from perocav.pdk import activate

activate()
from perocav.fdtd.dfb import simulate_dfb  # noqa: E402
from perocav.fdtd.meep.quiet import set_meep_verbosity  # noqa: E402
from perocav.fdtd.meep.runner_2d import Symmetry2D, run_ringdown_2d  # noqa: E402
from perocav.fdtd.meep.ringdown import RingdownSpec
from perocav.fdtd.meep.geometry_2d import dfb_unit_cell_2d  # noqa: E402
from perocav.layout.dfb_grating import dfb_grating  # noqa: E402
from perocav.pdk.stacks import get_stack  # noqa: E402
from perocav.pdk.materials import resolve_material  # noqa: E402
from perocav.fdtd.models.dfb.grating import DfbGrating  # noqa: E402
from perocav.fdtd.settings import FdtdSettings  # noqa: E402

set_meep_verbosity(0)
STACK = get_stack("electrode_free")
SECOND = "--second-order" in sys.argv
NS = [int(a) for a in sys.argv[1:] if not a.startswith("--")] or [40, 80]
RES, P_UM = 80, 0.2
GRATING = dict(period_nm=400, duty_cycle=0.25, order=2) if SECOND else dict(period_nm=200, duty_cycle=0.5, order=1)
SHIFT = not SECOND


def _kw(n_periods: int) -> dict:
    return dict(stack=STACK, grating=DfbGrating(**GRATING, n_periods=n_periods, quarter_wave_shift=SHIFT),
                settings=FdtdSettings(resolution_px_per_um=RES, converge=False))


def _cmt_kappa(n_periods: int) -> float:
    """|kappa| of the coupled-mode model of the same design (printed beside the FDTD one)."""
    from perocav.fdtd.models.dfb.dfb_analytic import analyze_dfb_on_stack

    kw = _kw(n_periods)
    g = kw["grating"]
    return abs(analyze_dfb_on_stack(stack=kw["stack"], period_nm=g.period_nm, duty_cycle=g.duty_cycle, order=g.order,
                                    length_um=g.length_um).kappa_per_cm)


def hand_written(ring_down_um=150.0):
    """The same unit cell written directly in MEEP (indices at 809.6 nm, the CMT Bragg wavelength). The blocks
    need z size mp.inf (as the runner gives them): with the z size left at 0 the edges came out 797 / 810 nm
    instead of 804.15 / 815.86 nm (runner: 804.15 / 816.11 nm)."""
    n = {m: resolve_material(m).nk(wavelength_nm=809.64).real for m in ("SiO2", "Si3N4", "MAPbI3")}
    sy = 2 * 1.0 + 0.8 + 0.05 + 0.15 + 0.8
    yb = -sy / 2 + 1.0 + 0.8  # stack bottom
    geo = [mp.Block(size=mp.Vector3(mp.inf, yb + sy / 2, mp.inf), center=mp.Vector3(0, (yb - sy / 2) / 2),
                    material=mp.Medium(index=n["SiO2"])),
           mp.Block(size=mp.Vector3(mp.inf, 0.05, mp.inf), center=mp.Vector3(0, yb + 0.025), material=mp.Medium(index=n["SiO2"])),
           mp.Block(size=mp.Vector3(0.1, 0.05, mp.inf), center=mp.Vector3(0, yb + 0.025), material=mp.Medium(index=n["Si3N4"])),
           mp.Block(size=mp.Vector3(mp.inf, 0.15, mp.inf), center=mp.Vector3(0, yb + 0.125), material=mp.Medium(index=n["MAPbI3"]))]
    fcen, df = 1 / 0.80964, 0.2
    src = mp.Vector3(0.13 * P_UM, yb + 0.125)
    sim = mp.Simulation(cell_size=mp.Vector3(P_UM, sy), geometry=geo, boundary_layers=[mp.PML(1.0, direction=mp.Y)],
                        sources=[mp.Source(mp.GaussianSource(fcen, fwidth=df), component=mp.Ez, center=src)],
                        resolution=RES, k_point=mp.Vector3(0.5 / P_UM))
    h = mp.Harminv(mp.Ez, src, fcen, df)
    t = time.perf_counter()
    sim.run(mp.after_sources(h), until_after_sources=ring_down_um)
    wall = time.perf_counter() - t
    return wall, sorted(1000 / m.freq for m in h.modes if abs(1000 / m.freq - 810) < 25)


def main():
    for n in NS:
        t, c = time.perf_counter(), time.process_time()
        uc = simulate_dfb(mode="unit_cell", **_kw(n))
        t_uc, c_uc = time.perf_counter() - t, time.process_time() - c
        t, c = time.perf_counter(), time.process_time()
        fin = simulate_dfb(mode="finite", **_kw(n))
        t_fin, c_fin = time.perf_counter() - t, time.process_time() - c
        d_lam = abs(fin.lasing_wavelength_nm - uc.lasing_wavelength_nm)
        d_q = abs(fin.lasing_q / uc.lasing_q - 1)
        matched = fin.status == "ok" and d_lam <= 1.5 and d_q <= 0.10
        print(f"N={n:4d} unit cell : {t_uc:6.1f} s  edges {uc.edge_short_nm:.2f} / {uc.edge_long_nm:.2f} nm, kappa "
              f"{uc.kappa_per_cm:.0f}/cm (CMT {_cmt_kappa(n):.0f}), KS mode {uc.lasing_wavelength_nm:.2f} nm "
              f"Q {uc.lasing_q:.3g}")
        print(f"N={n:4d} finite    : {t_fin:6.1f} s  status {fin.status}, mode {fin.lasing_wavelength_nm:.2f} nm, "
              f"Q {fin.lasing_q:.3g}  (d_lambda {d_lam:.2f} nm, d_Q {100 * d_q:.1f}%: "
              f"{'matched' if matched else 'NOT matched'})")
        print(f"N={n:4d} ratio finite / unit cell: {t_fin / t_uc:.1f} (wall), {c_fin / c_uc:.1f} (CPU time of this "
              f"process: {c_fin:.1f} s / {c_uc:.1f} s; serial MEEP, so it does not count other jobs' load)", flush=True)
    if SECOND:
        return
    c = dfb_grating(period_nm=200, duty_cycle=0.5, n_periods=4, order=1)
    g = dfb_unit_cell_2d(component=c, stack=STACK, substrate_um=0.8, cover_um=0.8)
    y = sum(g.levels_um["perovskite"]) / 2
    t = time.perf_counter()
    r = run_ringdown_2d(geometry=g, spec=RingdownSpec(wavelength_min_nm=760, wavelength_max_nm=865, resolution_px_per_um=RES, ring_down_um=150.0), source_xy_um=(0.026, y), probe_xy_um=(0.026, y), symmetry=Symmetry2D(k_x_per_um=0.5 / P_UM))
    t_runner = time.perf_counter() - t
    t_hand_run, edges = hand_written()
    print(f"runner {t_runner:.2f} s (MEEP run {r.wall_time_s:.2f} s), hand-written MEEP run {t_hand_run:.2f} s, "
          f"edges {[round(1000 / m.freq, 2) for m in r.resonances if abs(1000 / m.freq - 810) < 25]} vs "
          f"{[round(e, 2) for e in edges]}")
    print(f"ratio runner / hand-written: {t_runner / t_hand_run:.2f}")


if __name__ == "__main__":
    main()
