"""Cylindrical (r, z, m) versus full 3D MEEP on the same disk and the same azimuthal order: agreement and cost,
measured in one run, at one or more resolutions.

Disk: ``disk_resonator`` (default radius 1.5 um) on the GRATING level of a small constant-index stack (n 3.0 disk,
250 nm, in n 1.45 fill, on n 1.45, under a 60 nm n 1.7 "gain" level, air above), default band 1150-1700 nm,
m = 13. The same ``GeometryCyl`` (pad 1 um, PML 1 um) feeds both runners. The 3D run is m-filtered
(``run_ringdown_3d(m=M)``: radial point sources weighted cos(M phi), x and y mirrors, i.e. a quarter cell), so its
ring-down holds one azimuthal order like the cylindrical one; the dominant (largest-amplitude) mode of each is
compared, wavelength and Q. Source 0.325 um inside the rim, mid-disk; probe 13 nm further out.

Usage::

    OMP_NUM_THREADS=1 python benchmarks/bench_cyl_vs_3d.py [RES ...] [--radius-um R] [--m M]
        [--wl-min-nm A --wl-max-nm B] [--ring-down-um T] [--gain-k K] [--disk-k K] [--m-scan A:B] [--cyl-only] [--json-out FILE]

``--m-scan A:B``: cylindrical only, the dominant mode of each m in A..B at the first resolution (to pick the
order nearest the band centre). ``--cyl-only``: skip the 3D run (agreement across resolutions of the cylindrical
answer alone). Default resolutions 15 20. OMP_NUM_THREADS is set to 1 unless already set (both runs on one core).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import meep as mp  # noqa: E402

from perocav.fdtd.meep.geometry_cyl import circular_cell_cyl  # noqa: E402
from perocav.fdtd.meep.ringdown import RingdownSpec  # noqa: E402
from perocav.fdtd.meep.runner_cyl import run_ringdown_3d, run_ringdown_cyl  # noqa: E402
from perocav.fdtd.extract.resonance import find_resonances  # noqa: E402
from perocav.layout.disk_resonator import disk_resonator  # noqa: E402
from perocav.pdk import activate  # noqa: E402
from perocav.pdk.stack import ConstantIndex, Stack, StackLayer  # noqa: E402

WL_MIN_NM, WL_MAX_NM = 1150.0, 1700.0
M = 13
RADIUS_UM = 1.5


def toy_stack(gain_k: float = 0.0, disk_k: float = 0.0) -> Stack:
    """gain_k > 0: the 60 nm "gain" level absorbs (Im n = gain_k), so that Q is set by the energy in that level
    (Q ~ n / (2 gain_k Gamma)), measurable in a short ring-down even where the radiation Q of a large disk is not.
    disk_k > 0: the 250 nm disk absorbs instead (5 px thick at 20 px/um, against 1.2 px for the gain level)."""
    return Stack(name="toy_disk", substrate=ConstantIndex(n=1.45), cover="air", emission_wavelength_nm=1300,
                 gain_layer_lossless=gain_k == 0,
                 layers=(StackLayer(name="grating", material=ConstantIndex(n=3.0, k=disk_k),
                                    fill_material=ConstantIndex(n=1.45),
                                    thickness_nm=250, role="grating", layer="GRATING"),
                         StackLayer(name="gain", material=ConstantIndex(n=1.7, k=gain_k), thickness_nm=60,
                                    role="gain")))


def pencil(run, wl_min_nm: float = WL_MIN_NM, wl_max_nm: float = WL_MAX_NM):
    f_min, f_max = 1000 / wl_max_nm, 1000 / wl_min_nm
    return sorted(find_resonances(samples=run.samples, dt=run.dt_um, freq_min=f_min, freq_max=f_max, q_min=50),
                  key=lambda r: -abs(r.amplitude))


def _setup(radius_um: float, resolution: float, ring_down_um: float, wl_min_nm: float, wl_max_nm: float,
           gain_k: float = 0.0, disk_k: float = 0.0):
    geom = circular_cell_cyl(component=disk_resonator(radius_um=radius_um), stack=toy_stack(gain_k, disk_k),
                             pml_um=1.0, side_pad_um=1.0)
    r_s, z_s = radius_um - 0.325, 0.5 * sum(geom.levels_um["grating"])  # inside the rim, mid-disk
    kw = dict(geometry=geom, spec=RingdownSpec(wavelength_min_nm=wl_min_nm, wavelength_max_nm=wl_max_nm,
                                               resolution_px_per_um=resolution, ring_down_um=ring_down_um))
    return geom, r_s, z_s, kw


def _timed_cyl(m: int, r_s: float, z_s: float, kw: dict, wl_min_nm: float, wl_max_nm: float) -> tuple[list, float]:
    """Cylindrical run of order m, source and probe inside the rim: (pencil modes, wall time s)."""
    t0 = time.perf_counter()
    cyl = pencil(run_ringdown_cyl(m=m, source_rz_um=(r_s, z_s), probe_rz_um=(r_s + 0.013, z_s), **kw),
                 wl_min_nm, wl_max_nm)
    return cyl, time.perf_counter() - t0


def cyl_only(resolution: float, *, m: int = M, radius_um: float = RADIUS_UM, ring_down_um: float = 100.0,
             wl_min_nm: float = WL_MIN_NM, wl_max_nm: float = WL_MAX_NM, gain_k: float = 0.0, disk_k: float = 0.0) -> dict:
    geom, r_s, z_s, kw = _setup(radius_um, resolution, ring_down_um, wl_min_nm, wl_max_nm, gain_k, disk_k)
    cyl, t_cyl = _timed_cyl(m, r_s, z_s, kw, wl_min_nm, wl_max_nm)
    c = cyl[0] if cyl else None
    return {"resolution_px_per_um": resolution, "m": m, "radius_um": radius_um, "size_r_um": geom.size_r_um,
            "wavelength_cyl_nm": 1000 / c.freq if c else None, "q_cyl": c.q if c else None,
            "other_cyl_modes": [(round(1000 / r.freq, 2), round(r.q), round(abs(r.amplitude) / abs(c.amplitude), 3))
                                for r in cyl[1:4]], "wall_cyl_s": t_cyl}


def one(resolution: float, ring_down_um: float = 100.0, *, m: int = M, radius_um: float = RADIUS_UM,
        wl_min_nm: float = WL_MIN_NM, wl_max_nm: float = WL_MAX_NM, gain_k: float = 0.0, disk_k: float = 0.0) -> dict:
    geom, r_s, z_s, kw = _setup(radius_um, resolution, ring_down_um, wl_min_nm, wl_max_nm, gain_k, disk_k)
    cyl, t_cyl = _timed_cyl(m, r_s, z_s, kw, wl_min_nm, wl_max_nm)
    t0 = time.perf_counter()
    d3 = pencil(run_ringdown_3d(m=m, source_xyz_um=(r_s, 0, z_s), probe_xyz_um=(r_s + 0.013, 0, z_s), **kw),
                wl_min_nm, wl_max_nm)
    t_3d = time.perf_counter() - t0
    c, t = cyl[0], d3[0]
    return {"resolution_px_per_um": resolution, "m": m, "radius_um": radius_um, "size_r_um": geom.size_r_um,
            "gain_k": gain_k, "disk_k": disk_k, "ring_down_um": ring_down_um,
            "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
            "wavelength_cyl_nm": 1000 / c.freq, "wavelength_3d_nm": 1000 / t.freq,
            "wavelength_rel_diff": (1 / t.freq - 1 / c.freq) * c.freq, "q_cyl": c.q, "q_3d": t.q,
            "q_ratio_3d_over_cyl": t.q / c.q,
            "other_3d_modes_max_rel_amplitude": max((abs(r.amplitude) / abs(t.amplitude) for r in d3[1:]), default=0.0),
            "work_model_ratio": geom.size_r_um * resolution / 2,
            "wall_cyl_s": t_cyl, "wall_3d_s": t_3d, "cost_ratio_3d_over_cyl": t_3d / t_cyl}


def main(resolutions=(15.0, 20.0), ring_down_um: float = 100.0, *, m: int = M, radius_um: float = RADIUS_UM,
         wl_min_nm: float = WL_MIN_NM, wl_max_nm: float = WL_MAX_NM, gain_k: float = 0.0, disk_k: float = 0.0) -> dict:
    activate()
    mp.verbosity(0)
    rows = [one(r, ring_down_um, m=m, radius_um=radius_um, wl_min_nm=wl_min_nm, wl_max_nm=wl_max_nm, gain_k=gain_k,
                disk_k=disk_k)
            for r in resolutions]
    for a, b in zip(rows, rows[1:]):  # growth of the cost ratio: ratio ~ res^p
        b["cost_ratio_growth_exponent"] = (math.log(b["cost_ratio_3d_over_cyl"] / a["cost_ratio_3d_over_cyl"])
                                           / math.log(b["resolution_px_per_um"] / a["resolution_px_per_um"]))
    print(f"{'res':>5} {'lambda cyl':>11} {'lambda 3D':>10} {'Q cyl':>7} {'Q 3D':>7} {'cyl s':>7} {'3D s':>8} {'3D/cyl':>7}")
    for r in rows:
        print(f"{r['resolution_px_per_um']:5g} {r['wavelength_cyl_nm']:11.2f} {r['wavelength_3d_nm']:10.2f} "
              f"{r['q_cyl']:7.0f} {r['q_3d']:7.0f} {r['wall_cyl_s']:7.2f} {r['wall_3d_s']:8.2f} "
              f"{r['cost_ratio_3d_over_cyl']:7.1f}", flush=True)
    return {"rows": rows, "meep_version": mp.__version__}


def _cli(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("resolutions", nargs="*", type=float, default=[15.0, 20.0])
    p.add_argument("--radius-um", type=float, default=RADIUS_UM)
    p.add_argument("--m", type=int, default=M)
    p.add_argument("--wl-min-nm", type=float, default=WL_MIN_NM)
    p.add_argument("--wl-max-nm", type=float, default=WL_MAX_NM)
    p.add_argument("--ring-down-um", type=float, default=100.0)
    p.add_argument("--gain-k", type=float, default=0.0, help="Im(n) of the 60 nm gain level (default 0: lossless)")
    p.add_argument("--disk-k", type=float, default=0.0, help="Im(n) of the 250 nm disk (default 0: lossless)")
    p.add_argument("--m-scan", default=None, help="A:B: cylindrical dominant mode per m at the first resolution")
    p.add_argument("--cyl-only", action="store_true", help="cylindrical runs only, at each resolution")
    p.add_argument("--json-out", default=None)
    a = p.parse_args(argv)
    band = dict(radius_um=a.radius_um, wl_min_nm=a.wl_min_nm, wl_max_nm=a.wl_max_nm, ring_down_um=a.ring_down_um,
                gain_k=a.gain_k, disk_k=a.disk_k)
    if a.m_scan or a.cyl_only:
        activate()
        mp.verbosity(0)
        if a.m_scan:
            lo, hi = (int(x) for x in a.m_scan.split(":"))
            rows = [cyl_only(a.resolutions[0], m=mm, **band) for mm in range(lo, hi + 1)]
        else:
            rows = [cyl_only(r, m=a.m, **band) for r in a.resolutions]
        for r in rows:
            print(f"res {r['resolution_px_per_um']:g} m {r['m']}: lambda {r['wavelength_cyl_nm']} nm, Q {r['q_cyl']}, "
                  f"{r['wall_cyl_s']:.2f} s, others {r['other_cyl_modes']}", flush=True)
        out = {"rows": rows, "meep_version": mp.__version__}
    else:
        out = main(resolutions=tuple(a.resolutions), m=a.m, **band)
    if a.json_out:
        with open(a.json_out, "w") as fh:
            json.dump(out, fh, indent=1)
    return out


if __name__ == "__main__":
    print(json.dumps(_cli(), indent=1))
