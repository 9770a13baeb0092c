"""Cylindrical (r, z, m) versus full 3D MEEP on the same disk: agreement and cost, measured in one run.

Disk: ``disk_resonator`` (radius 1.5 um) on the GRATING level of a small constant-index stack (n 3.0 disk,
250 nm, in n 1.45 fill, on n 1.45, under a 60 nm n 1.7 "gain" level, air above), band 1150-1700 nm. The
same ``GeometryCyl`` feeds both runners; 3D uses the y mirror (halves the cell). Each 3D resonance is matched
to the nearest cylindrical one over the m range. Usage: ``python benchmarks/bench_cyl_vs_3d.py [RES]``.
"""

from __future__ import annotations

import json
import sys
import time

import meep as mp

from perocav.fdtd.builder_cyl import circular_cell_cyl
from perocav.fdtd.circular_fdtd import default_source_rz_um
from perocav.fdtd.meep_runner_cyl import run_ringdown_3d, run_ringdown_cyl
from perocav.fdtd.resonance import find_resonances
from perocav.layout.disk_resonator import disk_resonator
from perocav.pdk import activate
from perocav.pdk.stack import ConstantIndex, Stack, StackLayer

WL_MIN_NM, WL_MAX_NM = 1150.0, 1700.0
M_RANGE = (11, 12, 13, 14, 15)


def toy_stack() -> Stack:
    return Stack(name="toy_disk", substrate=ConstantIndex(n=1.45), cover="air", emission_wavelength_nm=1300,
                 layers=(StackLayer(name="grating", material=ConstantIndex(n=3.0), fill_material=ConstantIndex(n=1.45),
                                    thickness_nm=250, role="grating", layer="GRATING"),
                         StackLayer(name="gain", material=ConstantIndex(n=1.7), thickness_nm=60, role="gain")))


def pencil(run):
    f_min, f_max = 1000 / WL_MAX_NM, 1000 / WL_MIN_NM
    return [r for r in find_resonances(samples=run.samples, dt=run.dt_um, freq_min=f_min, freq_max=f_max, q_min=50)]


def main(resolution: float = 20.0, ring_down_um: float = 100.0) -> dict:
    activate()
    mp.verbosity(0)
    geom = circular_cell_cyl(component=disk_resonator(radius_um=1.5), stack=toy_stack(), pml_um=1.0, side_pad_um=1.0)
    r_s, z_s = default_source_rz_um(geometry=geom, family="disk", wavelength_nm=1300)
    cyl, t_cyl = [], {}
    for m in M_RANGE:
        t0 = time.perf_counter()
        run = run_ringdown_cyl(geometry=geom, m=m, wavelength_min_nm=WL_MIN_NM, wavelength_max_nm=WL_MAX_NM,
                               source_rz_um=(r_s, z_s), probe_rz_um=(r_s + 0.013, z_s),
                               resolution_px_per_um=resolution, ring_down_um=ring_down_um)
        t_cyl[m] = time.perf_counter() - t0
        cyl.extend((m, r) for r in pencil(run))
    t0 = time.perf_counter()
    run3 = run_ringdown_3d(geometry=geom, wavelength_min_nm=WL_MIN_NM, wavelength_max_nm=WL_MAX_NM,
                           source_xyz_um=(r_s, 0, z_s), probe_xyz_um=(r_s + 0.013, 0, z_s),
                           resolution_px_per_um=resolution, ring_down_um=ring_down_um)
    t_3d = time.perf_counter() - t0
    pairs = []
    for r3 in pencil(run3):
        m, rc = min(cyl, key=lambda mr: abs(mr[1].freq - r3.freq))
        pairs.append({"m": m, "wavelength_3d_nm": 1000 / r3.freq, "wavelength_cyl_nm": 1000 / rc.freq,
                      "q_3d": r3.q, "q_cyl": rc.q, "amp_3d": abs(r3.amplitude)})
    best = max(pairs, key=lambda p: p["amp_3d"]) if pairs else None
    m_best = best["m"] if best else M_RANGE[0]
    out = {"resolution_px_per_um": resolution, "ring_down_um": ring_down_um, "pairs": pairs, "dominant": best,
           "wall_3d_s": t_3d, "wall_cyl_one_m_s": t_cyl[m_best], "wall_cyl_all_m_s": sum(t_cyl.values()),
           "ratio_one_m": t_3d / t_cyl[m_best], "ratio_all_m": t_3d / sum(t_cyl.values()),
           "meep_version": mp.__version__}
    return out


if __name__ == "__main__":
    res = float(sys.argv[1]) if len(sys.argv) > 1 else 20.0
    print(json.dumps(main(resolution=res), indent=1))
