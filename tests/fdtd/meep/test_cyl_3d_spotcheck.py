"""3D spot-check of the cylindrical runner: one small disk, the same ``GeometryCyl`` run in cylindrical
coordinates (m = 13) and in full 3D with an m-filtered source (radial point sources weighted cos(13 phi), both
mirrors), very low resolution (15 px/um: ~7 px per wavelength in the n = 3 disk) so it takes seconds.

Tolerances from the resolution: at 15 px/um the cylindrical wavelength itself still moves by 1.0 % going to
20 px/um (1400.4 -> 1387.0 nm) and its Q by ~2x (4800 -> 2600; the quasi-TE WGM leaks into the n 1.45 substrate,
exponentially sensitive to the discretised effective index), so 3D and cylindrical must agree to 1 % in
wavelength (measured: 0.28 % at 15 px/um, 0.35 % at 20, 1.06 % at 25; the cylindrical wavelength alone spans
1365-1400 nm over 15-40 px/um) and within 2x in Q (measured 0.59x at 15, 1.12x at 20).
"""

import pytest

from perocav.fdtd.meep.geometry_cyl import circular_cell_cyl
from perocav.fdtd.extract.resonance import find_resonances
from perocav.layout.disk_resonator import disk_resonator
from perocav.pdk import activate
from perocav.pdk.stack import ConstantIndex, Stack, StackLayer

pytestmark = [pytest.mark.slow, pytest.mark.meep]

meep = pytest.importorskip("meep")

WL_MIN_NM, WL_MAX_NM, M, RES = 1150.0, 1700.0, 13, 15.0


def toy_stack():
    return Stack(name="toy", substrate=ConstantIndex(n=1.45), cover="air", emission_wavelength_nm=1300,
                 layers=(StackLayer(name="grating", material=ConstantIndex(n=3.0), fill_material=ConstantIndex(n=1.45),
                                    thickness_nm=250, role="grating", layer="GRATING"),
                         StackLayer(name="gain", material=ConstantIndex(n=1.7), thickness_nm=60, role="gain")))


def _modes(run):
    assert run.status == "ok"
    return sorted(find_resonances(samples=run.samples, dt=run.dt_um, freq_min=1000 / WL_MAX_NM,
                                  freq_max=1000 / WL_MIN_NM, q_min=50), key=lambda r: -abs(r.amplitude))


def test_3d_disk_agrees_with_the_cylindrical_run_for_the_same_m():
    from perocav.fdtd.meep.ringdown import RingdownSpec
    from perocav.fdtd.meep.runner_cyl import run_ringdown_3d, run_ringdown_cyl

    activate()
    meep.verbosity(0)
    geom = circular_cell_cyl(component=disk_resonator(radius_um=1.5), stack=toy_stack(), pml_um=0.7,
                             side_pad_um=0.5, substrate_um=0.5, cover_um=0.5)
    r_s, z_s = 1.175, 0.5 * sum(geom.levels_um["grating"])  # inside the rim, mid-disk
    kw = dict(geometry=geom, spec=RingdownSpec(wavelength_min_nm=WL_MIN_NM, wavelength_max_nm=WL_MAX_NM,
                                               resolution_px_per_um=RES, ring_down_um=60))
    cyl = _modes(run_ringdown_cyl(m=M, source_rz_um=(r_s, z_s), probe_rz_um=(r_s + 0.013, z_s), **kw))
    run3 = run_ringdown_3d(m=M, source_xyz_um=(r_s, 0, z_s), probe_xyz_um=(r_s + 0.013, 0, z_s), **kw)
    assert run3.m == M
    d3 = _modes(run3)
    main3, main_c = d3[0], cyl[0]
    # the m filter works: one dominant mode, everything else (other orders, aliases, the other polarisation
    # weakly excited) below 5 % of it
    assert all(abs(r.amplitude) < 0.05 * abs(main3.amplitude) for r in d3[1:])
    assert 1000 / main3.freq == pytest.approx(1000 / main_c.freq, rel=0.01)
    assert 0.5 < main3.q / main_c.q < 2.0
