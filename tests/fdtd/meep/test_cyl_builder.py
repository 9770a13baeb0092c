"""meep.geometry_cyl: radii from the circular cells' GRATING polygons (``layout.circular_radii``), levels from the stack
(no meep)."""

import math

import pytest

from perocav.fdtd.meep.geometry_cyl import circular_cell_cyl, rings_invariant_cyl, with_lossless
from perocav.layout.ring_resonator import ring_resonator
from perocav.pdk import activate
from perocav.pdk.stacks import get_stack


@pytest.fixture(scope="module", autouse=True)
def pdk():
    activate()


def test_levels_and_media_come_from_the_stack():
    stack = get_stack("transparent_CsPbBr3")
    c = ring_resonator(outer_radius_um=4.0, width_nm=500)
    g = circular_cell_cyl(component=c, stack=stack, substrate_um=1.0, cover_um=0.5, pml_um=0.8, side_pad_um=1.2)
    thick = {l.name: l.thickness_nm / 1000 for l in stack.optical_layers()}
    assert set(g.levels_um) == set(thick)
    for name, (z0, z1) in g.levels_um.items():
        assert z1 - z0 == pytest.approx(thick[name])
    assert g.size_z_um == pytest.approx(2 * 0.8 + 1.0 + 0.5 + sum(thick.values()))
    assert g.size_r_um == pytest.approx(4.0 + 1.2 + 0.8)
    assert g.gain_level == "perovskite"
    feat = [s for s in g.shapes if s.name.startswith("grating:feature")]
    assert len(feat) == 1 and (feat[0].r0_um, feat[0].r1_um) == pytest.approx((3.5, 4.0))
    assert feat[0].medium.material == "Si3N4"
    fill = next(s for s in g.shapes if s.name == "grating:fill")
    assert fill.medium.material == "SiO2" and fill.r1_um > g.size_r_um
    # the grating level sits directly on the substrate's top
    sub = next(s for s in g.shapes if s.name == "substrate")
    assert sub.z1_um == pytest.approx(g.levels_um["grating"][0]) and sub.z0_um == -math.inf
    gain = next(s for s in g.shapes if s.name == "perovskite")
    assert gain.medium.lossless  # the stack treats the pumped layer as transparent
    ito = [s for s in g.shapes if s.name.startswith("ito")]
    assert ito and not any(s.medium.lossless for s in ito)
    g2 = circular_cell_cyl(component=c, stack=stack, lossless_roles=("contact",))
    assert all(s.medium.lossless for s in g2.shapes if s.name.startswith("ito"))
    assert with_lossless(g, names=("ito_top",)).shapes != g.shapes


def test_invariant_rings_and_bad_input():
    g = rings_invariant_cyl(radii_um=(1.0, 2.0), indices=(1.0, 3.4, 1.0), pad_um=4.0, pml_um=2.0)
    assert g.size_z_um == 0 and g.size_r_um == pytest.approx(8.0)
    assert [(s.r0_um, s.r1_um, s.medium.index) for s in g.shapes] == [(0.0, 1.0, 1.0), (1.0, 2.0, 3.4)]
    with pytest.raises(ValueError):
        rings_invariant_cyl(radii_um=(1.0,), indices=(1.0,), pad_um=1, pml_um=1)
