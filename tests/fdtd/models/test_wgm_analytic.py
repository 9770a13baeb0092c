"""Exact 2D concentric-ring resonances against MEEP's ring tutorial numbers and the circular resonance condition."""

import numpy as np
import pytest

from perocav.fdtd.models.slab.slab_modes import solve_slab_mode
from perocav.fdtd.models.circular.wgm_analytic import resonances_2d, ring_estimate_wavelength_nm
from perocav.pdk.errors import InputError
from perocav.pdk.stack import IndexProfile

# physics.md section 5: MEEP ring tutorial (n 3.4, inner radius 1, width 1, Ez, resolution 10)
TUTORIAL = [(3, 0.1181016, 80.68), (4, 0.1471626, 316.29), (5, 0.1752468, 1677.48)]


@pytest.mark.parametrize("m,freq,q", TUTORIAL)
def test_meep_ring_tutorial(m, freq, q):
    (res,) = [r for r in resonances_2d(m=m, radii_um=[1.0, 2.0], indices=[1.0, 3.4, 1.0], freq_min=0.1, freq_max=0.2)]
    # MEEP at resolution 10 carries ~0.3% frequency and ~10% Q discretisation error against the exact answer
    assert res.freq.real == pytest.approx(freq, rel=5e-3)
    assert res.q == pytest.approx(q, rel=0.12)


def test_large_ring_matches_circular_resonance_condition():
    """A wide-radius, weakly bent ring: exact 2D poles sit where m lambda = 2 pi R n_eff(slab) predicts."""
    n_core, n_clad, w, radius = 2.0, 1.45, 0.4, 8.0
    m = 80
    wl0 = 2 * np.pi * radius * 1.7 / m  # rough guess (um) to pick the slab n_eff's wavelength
    prof = IndexProfile(names=("core",), thickness_nm=(w * 1000,), n_layers=(n_core,), n_substrate=n_clad,
                        n_cover=n_clad, wavelength_nm=wl0 * 1000)
    n_eff = solve_slab_mode(profile=prof, pol="TE").neff.real  # Ez out of plane = TE of the in-plane slab
    est_nm = ring_estimate_wavelength_nm(m=m, radius_um=radius, n_eff=n_eff)
    f_est = 1000.0 / est_nm
    res = resonances_2d(m=m, radii_um=[radius - w / 2, radius + w / 2], indices=[n_clad, n_core, n_clad],
                        freq_min=0.97 * f_est, freq_max=1.03 * f_est, n_scan=300)
    assert res, "no resonance near the estimate"
    best = min(res, key=lambda r: abs(r.freq.real - f_est))
    assert best.wavelength_nm == pytest.approx(est_nm, rel=0.01)
    assert best.q > 1e3  # gentle bending: little radiation


def test_disk_q_grows_with_m():
    # fundamental radial order: the lowest resonance of each m, near m = 2 pi R n f
    qs = [resonances_2d(m=m, radii_um=[2.0], indices=[2.5, 1.0], freq_min=0.8 * m / (2 * np.pi * 2.0 * 2.5),
                        freq_max=1.6 * m / (2 * np.pi * 2.0 * 2.5))[0].q for m in (8, 12)]
    assert qs[1] > 10 * qs[0]


def test_bad_geometry():
    with pytest.raises(InputError):
        resonances_2d(m=3, radii_um=[2.0, 1.0], indices=[1, 3, 1], freq_min=0.1, freq_max=0.2)
    with pytest.raises(InputError):
        resonances_2d(m=3, radii_um=[1.0], indices=[1, 3, 1], freq_min=0.1, freq_max=0.2)
