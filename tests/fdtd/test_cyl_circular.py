"""fdtd.circular: pure extractors on synthetic data; disk and ring under a stack against the effective-index
whispering-gallery estimate; the CLI on a circular DFB under the transparent stack."""

import json
import math
from dataclasses import replace

import numpy as np
import pytest

from perocav.fdtd.meep.geometry_cyl import circular_cell_cyl
from perocav.fdtd.circular import simulate_circular
from perocav.fdtd.circular_settings import CIRCULAR_FDTD, CircularSettings
from perocav.fdtd.circular_fields import confinement_factor
from perocav.fdtd.extract.circular_modes import band_edge_modes, combine_q, nearest_gain_peak
from perocav.fdtd.models.circular.circular_mode import CircularMode
from perocav.fdtd.models.circular.wgm_estimate import wgm_estimate
from perocav.fdtd.meep.runner_cyl import ModeField
from perocav.layout.disk_resonator import disk_resonator
from perocav.layout.ring_resonator import ring_resonator
from perocav.pdk import activate
from perocav.pdk.stack import ConstantIndex, Stack, StackLayer


@pytest.fixture(scope="module", autouse=True)
def pdk():
    activate()


def toy_stack():
    # n 3.0 features (250 nm) in n 1.45 fill on n 1.45, a 60 nm n 1.7 "gain" level, air: a well-confined WGM
    return Stack(name="toy", substrate=ConstantIndex(n=1.45), cover="air", emission_wavelength_nm=1300,
                 layers=(StackLayer(name="grating", material=ConstantIndex(n=3.0), fill_material=ConstantIndex(n=1.45),
                                    thickness_nm=250, role="grating", layer="GRATING"),
                         StackLayer(name="gain", material=ConstantIndex(n=1.7), thickness_nm=60, role="gain")))


def _mode(m, wl, q):
    return CircularMode(m=m, wavelength_nm=wl, q=q, amplitude=1.0)


def test_q_split_and_selections():
    assert combine_q(q_total=100.0, q_radiation=400.0) == pytest.approx(400.0 / 3)
    assert combine_q(q_total=100.0, q_radiation=100.0) == math.inf
    modes = (_mode(0, 530, 50), _mode(0, 520, 900), _mode(0, 540, 300), _mode(1, 526, 70), _mode(2, 525, 5000))
    assert [x.wavelength_nm for x in nearest_gain_peak(modes=modes, gain_peak_nm=524, count=2)] == [525, 526]
    assert [(x.m, x.q) for x in band_edge_modes(modes=modes, m_max=1, count=2)] == [(0, 900), (0, 300), (1, 70)]


def test_confinement_of_a_uniform_field_is_the_weighted_volume_fraction():
    g = circular_cell_cyl(component=disk_resonator(radius_um=1.0), stack=toy_stack(), pml_um=0.5)
    r = np.linspace(0, 2.0, 201)
    z = np.linspace(-1.0, 1.0, 401)
    f = ModeField(freq=1 / 1.3, r_um=r, z_um=z, e2=np.ones((len(r), len(z))))
    z0, z1 = g.levels_um["gain"]
    gamma = confinement_factor(mode_field=f, geometry=g, level="gain")
    # independent count: eps of each row (r-independent above/below the disk edge handled by r weights)
    rr, zz = np.meshgrid(r, z, indexing="ij")
    eps = np.where(zz < g.levels_um["grating"][0], 1.45**2, 1.0)
    in_grating = (zz >= g.levels_um["grating"][0]) & (zz <= g.levels_um["grating"][1])
    eps = np.where(in_grating, np.where(rr <= 1.0, 9.0, 1.45**2), eps)
    in_gain = (zz >= z0) & (zz <= z1)
    eps = np.where(in_gain, 1.7**2, eps)
    w = eps * rr
    assert gamma == pytest.approx(w[in_gain].sum() / w.sum(), rel=1e-9)


@pytest.mark.meep
@pytest.mark.slow
@pytest.mark.parametrize("cell, m", [(lambda: disk_resonator(radius_um=1.5), 13),
                                     (lambda: ring_resonator(outer_radius_um=1.5, width_nm=700), 13)])
def test_fdtd_resonance_agrees_with_the_effective_index_estimate(cell, m):
    comp = cell()
    est = wgm_estimate(component=comp, stack=toy_stack(), m=m, wavelength_min_nm=1150, wavelength_max_nm=1700)
    assert est
    sim = simulate_circular(component=comp, stack=toy_stack(), family="disk", wavelength_min_nm=1150,
                            wavelength_max_nm=1700,
                            settings=replace(CIRCULAR_FDTD, resolution_px_per_um=30, ring_down_um=100, converge=False),
                            circular=CircularSettings(m_values=(m,), split_q=False))
    assert sim.status == {m: "ok"}
    main = max(sim.modes, key=lambda x: x.amplitude)  # the fundamental WGM dominates the rim source
    closest = min(est, key=lambda r: abs(r.wavelength_nm - main.wavelength_nm))
    assert main.wavelength_nm == pytest.approx(closest.wavelength_nm, rel=0.03)
    assert main.q > 100 and 0 < main.confinement < 0.2


@pytest.mark.meep
@pytest.mark.slow
def test_cli_circular_dfb_under_the_transparent_stack(cli):
    proc = cli("simulate", "circular-dfb", "--n-rings", "12", "--period-nm", "250", "--m", "0", "--resolution", "30", "--force",
               "--ring-down-um", "80", "--wavelength-min-nm", "500", "--wavelength-max-nm", "560", "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    d = json.loads(proc.stdout)
    assert d["family"] == "circular-dfb" and d["stack"] == "transparent_CsPbBr3" and d["m"] == [0]
    assert d["resolution_px_per_um"] == 30 and d["wall_time_s"] > 0
    assert d["band_edge"] and all(x["m"] == 0 for x in d["band_edge"])
    for x in d["band_edge"]:
        assert 500 <= x["wavelength_nm"] <= 560 and x["q"] > 10
        assert 0 < x["confinement"] < 1
        # lossless ITO can only raise Q: Q_rad >= Q (up to fit noise), absorption Q positive
        assert x["q_radiation"] >= 0.97 * x["q"]
        assert x["q_absorption"] is None or x["q_absorption"] > 0


@pytest.mark.slow
def test_cli_bad_m_range_is_one_line(cli):
    from tests.conftest import assert_one_line_error

    assert_one_line_error(cli("simulate", "disk", "--m-range", "9:3"), "--m-range")
    assert_one_line_error(cli("simulate", "ring"), "--m")


def test_power_confinement_of_a_slab_mode_field_is_the_slab_solvers():
    """A TE slab mode's |E|^2(z), uniform in r inside a wide disk (the toy stack as a slab: 250 nm n 3.0 under 60 nm
    n 1.7): n_g int_gain n |E|^2 / int eps |E|^2 with the slab's own n_g (finite difference of its n_eff) is the
    slab solver's power-weighted (Visser) confinement, not its field fraction."""
    from perocav.fdtd.circular_fields import power_confinement
    from perocav.fdtd.models.slab.slab_modes import solve_slab_mode

    stack = toy_stack()
    g = circular_cell_cyl(component=disk_resonator(radius_um=3.0), stack=stack, pml_um=0.5)
    lam = 1300.0
    slab = stack.model_copy(update=dict(layers=(stack.layers[0].model_copy(update=dict(fill_material=None,
                                                                                       role="cladding")),
                                                stack.layers[1])))
    mode = solve_slab_mode(profile=slab.index_profile(wavelength_nm=lam), pol="TE", n_z=40001)
    neff = [solve_slab_mode(profile=slab.index_profile(wavelength_nm=w), pol="TE", n_z=0).real for w in (1299, 1301)]
    n_g = mode.neff.real - lam * (neff[1] - neff[0]) / 2.0
    r = np.linspace(0.0, 2.5, 26)
    z = np.linspace(g.levels_um["grating"][0] - 1.2, g.levels_um["gain"][1] + 1.2, 4001)
    e2_z = np.interp((z - g.levels_um["grating"][0]) * 1000.0, mode.z_nm, mode.e_abs2, left=0.0, right=0.0)
    f = ModeField(freq=1000.0 / lam, r_um=r, z_um=z, e2=np.tile(e2_z, (len(r), 1)))
    got = power_confinement(mode_field=f, geometry=g, level="gain", group_index=n_g)
    assert got == pytest.approx(mode.confinement_power["gain"], abs=0.003)
    assert abs(got - mode.confinement["gain"]) > 0.01
