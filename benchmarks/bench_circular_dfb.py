"""Circular DFB ("bullseye") under a transparent stack: band-edge modes (wavelength, Q, Q_rad / Q_abs, Gamma) from
``circular.simulate_circular`` at one resolution, with its convergence check against ``--factor`` x that
resolution, next to the analytic circular model (``circular_analytic``: effective index + exact 2D poles; no
vertical radiation, so its Q is an upper bound for a 2nd-order grating).

The cell is the CLI's (``perocav simulate circular-dfb``) with thinner padding (``--pml-um``, ``--pad-um``,
``--substrate-um``, ``--cover-um``) so that the pixel-rule resolution (4 px across the 20 nm ITO: 200 px/um) fits
in a single-core run. Usage::

    OMP_NUM_THREADS=1 python benchmarks/bench_circular_dfb.py --resolution 133.33 --factor 1.5 \
        --period-nm 245 --duty-cycle 0.3 --n-rings 24 --m 0 --json-out out.json
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")


def analytic_poles(*, stack, component, m: int, wl_min_nm: float, wl_max_nm: float, n_re: int = 200,
                   q_seeds=(1000.0, 100.0, 30.0, 10.0)) -> list[dict]:
    """All poles of the analytic circular model (effective indices at the band centre, exact 2D Hz poles) with
    Re f in the band, seeded on a complex grid (``resonances_2d`` seeds near the real axis only and misses the
    Q ~ 10-100 poles of a weak grating). Q_rad only (no absorption, no vertical radiation)."""
    import numpy as np

    from perocav.fdtd.models.circular.circular_analytic import grating_effective_indices, radii_from_component
    from perocav.fdtd.models.circular.wgm_analytic import _refine_many, characteristic

    wl_c = 0.5 * (wl_min_nm + wl_max_nm)
    n_hi, n_lo, *_ = grating_effective_indices(stack=stack, wavelength_nm=wl_c)
    radii, high = radii_from_component(component)
    idx = [n_hi if h else n_lo for h in high]
    f_lo, f_hi = 1000 / wl_max_nm, 1000 / wl_min_nm
    re = np.linspace(f_lo, f_hi, n_re)
    seeds = np.concatenate([re - 1j * re / (2 * q) for q in q_seeds])
    func = lambda z: characteristic(freq=z, m=m, radii_um=radii, indices=idx, pol="Hz")  # noqa: E731
    mis = lambda z: characteristic(freq=z, m=m, radii_um=radii, indices=idx, pol="Hz", kind="mismatch")  # noqa: E731
    out: list[complex] = []
    for z in _refine_many(func, seeds):
        if not np.isfinite(z) or not f_lo <= z.real <= f_hi or z.imag >= 0 or abs(mis(z)) > 1e-6:
            continue
        if all(abs(z - w) > 1e-7 * abs(z) for w in out):
            out.append(complex(z))
    return [{"m": m, "wavelength_nm": 1000 / z.real, "q_rad": z.real / (-2 * z.imag), "n_high": n_hi, "n_low": n_lo}
            for z in sorted(out, key=lambda z: z.real)]


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--stack", default="transparent_CsPbBr3")
    p.add_argument("--thickness", action="append", default=[], help="NAME=NM")
    p.add_argument("--period-nm", type=float, default=245)
    p.add_argument("--duty-cycle", type=float, default=0.3)
    p.add_argument("--n-rings", type=int, default=24)
    p.add_argument("--center-radius-nm", type=float, default=500)
    p.add_argument("--m", type=int, action="append", default=None)
    p.add_argument("--wl-min-nm", type=float, default=490)
    p.add_argument("--wl-max-nm", type=float, default=570)
    p.add_argument("--resolution", type=float, default=100)
    p.add_argument("--factor", type=float, default=None, help="convergence re-run at factor x resolution")
    p.add_argument("--no-split-q", action="store_true")
    p.add_argument("--ring-down-um", type=float, default=60)
    p.add_argument("--mode-window-um", type=float, default=30)
    p.add_argument("--pml-um", type=float, default=0.5)
    p.add_argument("--pad-um", type=float, default=0.5)
    p.add_argument("--substrate-um", type=float, default=0.5)
    p.add_argument("--cover-um", type=float, default=0.5)
    p.add_argument("--no-analytic", action="store_true")
    p.add_argument("--analytic-only", action="store_true")
    p.add_argument("--json-out", default=None)
    a = p.parse_args(argv)

    from perocav.fdtd.models.circular.circular_analytic import analyze_circular_on_stack
    from perocav.fdtd.circular import simulate_circular
    from perocav.fdtd.circular_settings import CIRCULAR_FDTD, CircularSettings
    from perocav.fdtd.meep.quiet import set_meep_verbosity
    from perocav.layout.circular_grating import circular_grating
    from perocav.pdk import activate
    from perocav.pdk.stack_file import resolve_stack

    activate()
    set_meep_verbosity(0)
    thick = {k: float(v) for k, v in (t.split("=") for t in a.thickness)}
    stack = resolve_stack(a.stack, thickness_nm=thick)
    comp = circular_grating(period_nm=a.period_nm, duty_cycle=a.duty_cycle, n_rings=a.n_rings,
                            center_radius_nm=a.center_radius_nm, disk_radius_nm=0)
    ms = tuple(a.m or [0])
    out = {"design": {k: getattr(a, k) for k in ("stack", "thickness", "period_nm", "duty_cycle", "n_rings",
                                                    "center_radius_nm")},
           "m": list(ms), "band_nm": [a.wl_min_nm, a.wl_max_nm], "resolution_px_per_um": a.resolution,
           "factor": a.factor, "ring_down_um": a.ring_down_um, "mode_window_um": a.mode_window_um,
           "cell": {"pml_um": a.pml_um, "pad_um": a.pad_um, "substrate_um": a.substrate_um, "cover_um": a.cover_um},
           "omp_num_threads": os.environ.get("OMP_NUM_THREADS")}
    if not a.no_analytic:
        ana = analyze_circular_on_stack(stack=stack, component=comp, m_values=list(ms),
                                        wavelength_nm=0.5 * (a.wl_min_nm + a.wl_max_nm),
                                        window_rel=0.5 * (a.wl_max_nm - a.wl_min_nm) / (0.5 * (a.wl_min_nm + a.wl_max_nm)),
                                        n_scan=800)
        out["analytic"] = {"neff_high": ana.neff_high, "neff_low": ana.neff_low, "group_index": ana.group_index,
                           "modal_loss_per_cm": ana.modal_loss_per_cm, "confinement": ana.confinement,
                           "modes": [dataclasses.asdict(x) for x in ana.modes],
                           "poles": [p for m in ms for p in analytic_poles(stack=stack, component=comp, m=m,
                                                                           wl_min_nm=a.wl_min_nm,
                                                                           wl_max_nm=a.wl_max_nm)]}
        print("analytic:", json.dumps(out["analytic"]), flush=True)
    if a.analytic_only:
        return out
    t0 = time.perf_counter()
    settings = dataclasses.replace(CIRCULAR_FDTD, resolution_px_per_um=a.resolution, ring_down_um=a.ring_down_um,
                                   converge=bool(a.factor), pml_um=a.pml_um, substrate_um=a.substrate_um,
                                   cover_um=a.cover_um)
    circ = CircularSettings(m_values=ms, split_q=not a.no_split_q, convergence_factor=a.factor or 1.5,
                            mode_window_um=a.mode_window_um, side_pad_um=a.pad_um)
    sim = simulate_circular(component=comp, stack=stack, family="circular-dfb", wavelength_min_nm=a.wl_min_nm,
                            wavelength_max_nm=a.wl_max_nm, settings=settings, circular=circ)
    out["wall_s"] = time.perf_counter() - t0
    out["status"] = {str(k): v for k, v in sim.status.items()}
    out["converged"] = sim.converged
    out["modes"] = [dataclasses.asdict(x) for x in sim.modes]
    out["band_edge"] = [dataclasses.asdict(x) for x in sim.band_edge]
    print(f"res {a.resolution:g} (factor {a.factor}): {out['wall_s']:.0f} s, converged {sim.converged}")
    for x in sim.modes:
        print(f"  m={x.m} lambda={x.wavelength_nm:8.2f} Q={x.q:8.1f} Q_rad={x.q_radiation:8.1f} Q_abs={x.q_absorption:8.1f} "
              f"Gamma={x.confinement:.3f} amp={x.amplitude:.3g} shift={x.wavelength_shift_nm:+.2f} nm Q_fine={x.q_fine:.1f} "
              f"conv={x.converged}", flush=True)
    if a.json_out:
        with open(a.json_out, "w") as fh:
            json.dump(out, fh, indent=1, default=lambda v: None if isinstance(v, float) and not math.isfinite(v) else v)
    return out


if __name__ == "__main__":
    main()
