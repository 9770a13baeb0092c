"""Cylindrical (r, z, m) versus full 3D MEEP on the same disk and the same azimuthal order: agreement and cost,
measured in one run, at one or more resolutions.

Disk: ``disk_resonator`` (radius 1.5 um) on the GRATING level of a small constant-index stack (n 3.0 disk,
250 nm, in n 1.45 fill, on n 1.45, under a 60 nm n 1.7 "gain" level, air above), band 1150-1700 nm, m = 13.
The same ``GeometryCyl`` feeds both runners. The 3D run is m-filtered (``run_ringdown_3d(m=13)``: radial point
sources weighted cos(13 phi), x and y mirrors, i.e. a quarter cell), so its ring-down holds one azimuthal order
like the cylindrical one; the dominant (largest-amplitude) mode of each is compared, wavelength and Q.
Usage: ``python benchmarks/bench_cyl_vs_3d.py [RES ...]`` (default 15 20).
"""

from __future__ import annotations

import json
import math
import sys
import time

import meep as mp

from perocav.fdtd.builder_cyl import circular_cell_cyl
from perocav.fdtd.meep_runner_cyl import run_ringdown_3d, run_ringdown_cyl
from perocav.fdtd.resonance import find_resonances
from perocav.layout.disk_resonator import disk_resonator
from perocav.pdk import activate
from perocav.pdk.stack import ConstantIndex, Stack, StackLayer

WL_MIN_NM, WL_MAX_NM = 1150.0, 1700.0
M = 13


def toy_stack() -> Stack:
    return Stack(name="toy_disk", substrate=ConstantIndex(n=1.45), cover="air", emission_wavelength_nm=1300,
                 layers=(StackLayer(name="grating", material=ConstantIndex(n=3.0), fill_material=ConstantIndex(n=1.45),
                                    thickness_nm=250, role="grating", layer="GRATING"),
                         StackLayer(name="gain", material=ConstantIndex(n=1.7), thickness_nm=60, role="gain")))


def pencil(run):
    f_min, f_max = 1000 / WL_MAX_NM, 1000 / WL_MIN_NM
    return sorted(find_resonances(samples=run.samples, dt=run.dt_um, freq_min=f_min, freq_max=f_max, q_min=50),
                  key=lambda r: -abs(r.amplitude))


def one(resolution: float, ring_down_um: float = 100.0) -> dict:
    geom = circular_cell_cyl(component=disk_resonator(radius_um=1.5), stack=toy_stack(), pml_um=1.0, side_pad_um=1.0)
    r_s, z_s = 1.175, 0.5 * sum(geom.levels_um["grating"])  # inside the rim, mid-disk
    kw = dict(geometry=geom, wavelength_min_nm=WL_MIN_NM, wavelength_max_nm=WL_MAX_NM,
              resolution_px_per_um=resolution, ring_down_um=ring_down_um)
    t0 = time.perf_counter()
    cyl = pencil(run_ringdown_cyl(m=M, source_rz_um=(r_s, z_s), probe_rz_um=(r_s + 0.013, z_s), **kw))
    t_cyl = time.perf_counter() - t0
    t0 = time.perf_counter()
    d3 = pencil(run_ringdown_3d(m=M, source_xyz_um=(r_s, 0, z_s), probe_xyz_um=(r_s + 0.013, 0, z_s), **kw))
    t_3d = time.perf_counter() - t0
    c, t = cyl[0], d3[0]
    return {"resolution_px_per_um": resolution, "m": M, "ring_down_um": ring_down_um,
            "wavelength_cyl_nm": 1000 / c.freq, "wavelength_3d_nm": 1000 / t.freq,
            "wavelength_rel_diff": (1 / t.freq - 1 / c.freq) * c.freq, "q_cyl": c.q, "q_3d": t.q,
            "q_ratio_3d_over_cyl": t.q / c.q,
            "other_3d_modes_max_rel_amplitude": max((abs(r.amplitude) / abs(t.amplitude) for r in d3[1:]), default=0.0),
            "wall_cyl_s": t_cyl, "wall_3d_s": t_3d, "cost_ratio_3d_over_cyl": t_3d / t_cyl}


def main(resolutions=(15.0, 20.0), ring_down_um: float = 100.0) -> dict:
    activate()
    mp.verbosity(0)
    rows = [one(r, ring_down_um) for r in resolutions]
    for a, b in zip(rows, rows[1:]):  # growth of the cost ratio: ratio ~ res^p
        b["cost_ratio_growth_exponent"] = (math.log(b["cost_ratio_3d_over_cyl"] / a["cost_ratio_3d_over_cyl"])
                                           / math.log(b["resolution_px_per_um"] / a["resolution_px_per_um"]))
    print(f"{'res':>5} {'lambda cyl':>11} {'lambda 3D':>10} {'Q cyl':>7} {'Q 3D':>7} {'cyl s':>7} {'3D s':>7} {'3D/cyl':>7}")
    for r in rows:
        print(f"{r['resolution_px_per_um']:5g} {r['wavelength_cyl_nm']:11.2f} {r['wavelength_3d_nm']:10.2f} "
              f"{r['q_cyl']:7.0f} {r['q_3d']:7.0f} {r['wall_cyl_s']:7.2f} {r['wall_3d_s']:7.2f} "
              f"{r['cost_ratio_3d_over_cyl']:7.1f}")
    return {"rows": rows, "meep_version": mp.__version__}


if __name__ == "__main__":
    res = tuple(float(a) for a in sys.argv[1:]) or (15.0, 20.0)
    print(json.dumps(main(resolutions=res), indent=1))
