"""MEEP ring-resonator tutorial (physics brief section 5; examples/ring.py, mirror-y symmetry as there)
through the runner: MEEP's Harminv and the pure matrix-pencil extractor on the same ring-down.

What MEEP 1.25 gives (300 after sources): Harminv f = 0.1180952 / 0.1471731 / 0.1752520 (within 7e-5 of
the brief), Q = 81.2 / 344.4 / 1867. The Q of the two narrow modes is not settled by a 300 ring-down
(Q / f = 2300 and 10700 >> 300): with 1500, Harminv gives 77.7 / 347.4 / 1682.3, which the pencil already
gives from the 300 ring-down (77.66 / 348.2 / 1682.3). The brief's Q = 316.29 comes from an older MEEP
(different subpixel averaging); against it we allow 12 % (measured 9-10 %), and hold the converged Q
to 1 % instead.
"""

import meep as mp
import pytest

from perocav.fdtd.extract.resonance import find_resonances
from perocav.fdtd.meep.geometry_2d import Disk, Geometry2D, Medium2D
from perocav.fdtd.meep.ringdown import RingdownSpec, read_ringdown, run_ringdown
from perocav.fdtd.meep.runner_2d import Symmetry2D, run_ringdown_2d

pytestmark = pytest.mark.meep

F_REF = (0.1181016, 0.1471626, 0.1752468)
Q_REF = (80.68, 316.29, 1677.48)


def _ring(ring_down_um):
    n, w, r, pad, dpml = 3.4, 1.0, 1.0, 4.0, 2.0
    sxy = 2 * (r + w + pad + dpml)
    geom = Geometry2D(
        size_x_um=sxy, size_y_um=sxy, pml_x_um=dpml, pml_y_um=dpml, background=Medium2D(index=1.0),
        shapes=(Disk(0.0, 0.0, r + w, Medium2D(index=n), "ring"), Disk(0.0, 0.0, r, Medium2D(index=1.0), "hole")),
    )
    # fcen 0.15, df 0.1 (1/um)  <=>  5000 .. 10000 nm
    return run_ringdown_2d(geometry=geom, spec=RingdownSpec(wavelength_min_nm=5000.0, wavelength_max_nm=10000.0, resolution_px_per_um=10, ring_down_um=ring_down_um), source_xy_um=(r + 0.1, 0.0), probe_xy_um=(r + 0.1, 0.0), symmetry=Symmetry2D(mirror_y_odd=False))


@pytest.fixture(scope="module")
def ring():
    return _ring(300.0)


@pytest.fixture(scope="module")
def ring_long():
    return _ring(1500.0)


@pytest.mark.slow
def test_harminv_matches_tutorial(ring, ring_long):
    """Frequencies and the two short-lived Qs from 300 um/c; the Q ~ 1700 mode decays only 9 % in 300 um/c, so its
    Harminv Q there (1886, 12.4 % high on 2026-11-30 with the 2026-11-29 code too) is checked on the 1500 um/c run
    (1682: 0.3 %)."""
    assert ring.status == "ok"
    assert ring.wall_time_s > 0
    assert ring.dt_um == pytest.approx(0.05)
    assert len(ring.resonances) == 3
    for res, f, q in zip(ring.resonances[:2], F_REF[:2], Q_REF[:2], strict=True):
        assert res.freq == pytest.approx(f, rel=1e-4)
        assert res.q == pytest.approx(q, rel=0.12)
    assert ring.resonances[2].freq == pytest.approx(F_REF[2], rel=1e-4)
    assert ring.resonances[0].q == pytest.approx(Q_REF[0], rel=0.03)
    long_lived = max(ring_long.resonances, key=lambda r: r.q)
    assert long_lived.freq == pytest.approx(F_REF[2], rel=1e-4) and long_lived.q == pytest.approx(Q_REF[2], rel=0.03)


@pytest.mark.slow
def test_pure_extractor_on_the_same_ringdown(ring, ring_long):
    ours = find_resonances(samples=ring.samples, dt=ring.dt_um, freq_min=0.1, freq_max=0.2, q_min=20)
    assert len(ours) == 3
    for mine, short, f, q in zip(ours, ring.resonances, F_REF, Q_REF, strict=True):
        # against the tutorial: within 5 % of the mode's linewidth f / Q
        assert abs(mine.freq - f) < 0.05 * f / q
        assert mine.q == pytest.approx(q, rel=0.12)
        # against MEEP's Harminv on the same 300-long ring-down
        assert mine.freq == pytest.approx(short.freq, rel=3e-4)
        assert abs(mine.amplitude) == pytest.approx(abs(short.amplitude), rel=0.05)
    # against Harminv on a 5x longer ring-down (converged Q)
    assert ring_long.status == "ok"
    for mine, long in zip(ours, ring_long.resonances, strict=True):
        assert abs(mine.freq - long.freq) < 0.01 * long.freq / long.q  # 1 % of the linewidth
        assert mine.q == pytest.approx(long.q, rel=0.01)


def test_unstable_run_is_reported_not_a_number():
    """eps = 0.09 breaks the Courant condition (c dt / dx = 0.5 > n / sqrt(2)): fields blow up. The builder refuses
    such a medium up front (``meep_medium``), so the cell is made by hand here to keep the NaN path of the runner's
    read-out covered: status "unstable", no resonances, never a number."""
    geom = Geometry2D(size_x_um=4.0, size_y_um=4.0, pml_x_um=1.0, pml_y_um=1.0, background=Medium2D(index=1.0),
                      shapes=(Disk(0.0, 0.0, 0.5, Medium2D(index=0.3), "bad"),))
    with pytest.raises(ValueError, match=r"Re\(eps\) = 0.09 .*allowed: Re\(eps\) >= 1"):
        run_ringdown_2d(geometry=geom, spec=RingdownSpec(wavelength_min_nm=5000.0, wavelength_max_nm=10000.0,
                                                         resolution_px_per_um=10, ring_down_um=50.0),
                        source_xy_um=(0.0, 0.0), probe_xy_um=(0.1, 0.0))
    spec = RingdownSpec(wavelength_min_nm=5000.0, wavelength_max_nm=10000.0, resolution_px_per_um=10,
                        ring_down_um=50.0)
    sim = mp.Simulation(cell_size=mp.Vector3(4, 4), resolution=10, boundary_layers=[mp.PML(1.0)],
                        geometry=[mp.Cylinder(radius=0.5, material=mp.Medium(epsilon=0.09))],
                        sources=[mp.Source(spec.source(), component=mp.Ez, center=mp.Vector3())])
    harminv = spec.harminv(mp.Ez, mp.Vector3(0.1, 0))
    with pytest.warns(RuntimeWarning, match="Courant"):
        blew_up = run_ringdown(sim, harminv, ring_down_um=50.0)
    run = read_ringdown(sim, harminv, mp.Ez, blew_up=blew_up)
    assert run.status == "unstable"
    assert run.resonances == ()


@pytest.mark.slow
def test_empty_cell_has_no_resonance():
    geom = Geometry2D(size_x_um=4.0, size_y_um=4.0, pml_x_um=1.0, pml_y_um=1.0, background=Medium2D(index=1.0),
                      shapes=())
    run = run_ringdown_2d(geometry=geom, spec=RingdownSpec(wavelength_min_nm=5000.0, wavelength_max_nm=10000.0, resolution_px_per_um=10, ring_down_um=50.0), source_xy_um=(0.0, 0.0), probe_xy_um=(0.1, 0.0))
    assert run.status == "no_resonance"
    assert run.resonances == ()
