"""layout.circular_radii: the radii measured on the GRATING polygons equal those each circular cell was drawn with."""

import pytest

from perocav.layout.circular_grating import circular_grating
from perocav.layout.circular_radii import grating_radii_nm
from perocav.layout.disk_resonator import disk_resonator
from perocav.layout.ring_resonator import ring_resonator
from perocav.pdk import activate


@pytest.fixture(scope="module", autouse=True)
def pdk():
    activate()


def test_ring_and_disk_radii_match_the_cell_info():
    ring = ring_resonator(outer_radius_um=5.0, width_nm=600)
    assert grating_radii_nm(ring) == [(ring.info["inner_radius_nm"], ring.info["outer_radius_nm"])]
    disk = disk_resonator(radius_um=3.0)
    assert grating_radii_nm(disk) == [(0, disk.info["radius_nm"])]


def test_circular_grating_radii_match_every_ring_and_the_central_disk():
    c = circular_grating(period_nm=300, duty_cycle=0.5, n_rings=7, center_radius_nm=1000, disk_radius_nm=400)
    expected = [(0, 400)] + list(zip(c.info["ring_inner_radius_nm"], c.info["ring_outer_radius_nm"]))
    assert grating_radii_nm(c) == expected
