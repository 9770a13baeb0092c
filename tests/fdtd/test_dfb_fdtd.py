"""Real MEEP validation (small): quarter-wave stack gap vs the exact formula, FDTD kappa vs coupled-mode kappa,
and the ``simulate_dfb`` contract (status, pixel rule, flat dict)."""

import math

import pytest

from perocav.pdk import activate

activate()

from perocav.fdtd.extract import band_edges as E  # noqa: E402
from perocav.fdtd.meep.geometry_2d import Geometry2D, Medium2D, Rect  # noqa: E402
from perocav.pdk.errors import InputError  # noqa: E402
from perocav.pdk.stacks import get_stack  # noqa: E402


def _quarter_wave_edges(*, n_h, n_l, wavelength0_um, resolution):
    """1D Bragg stack as a 2D cell uniform (periodic) in y; Bloch k at the zone edge."""
    from perocav.fdtd.meep.runner_2d import Symmetry2D, run_ringdown_2d
    from perocav.fdtd.meep.ringdown import RingdownSpec

    d_h, d_l = wavelength0_um / (4 * n_h), wavelength0_um / (4 * n_l)
    period = d_h + d_l
    geom = Geometry2D(size_x_um=period, size_y_um=0.04, pml_x_um=0, pml_y_um=0, background=Medium2D(index=n_l),
                      shapes=(Rect(-d_h / 2, d_h / 2, -1, 1, Medium2D(index=n_h), "H"),))
    run = run_ringdown_2d(geometry=geom, spec=RingdownSpec(wavelength_min_nm=1000 * wavelength0_um / 1.3, wavelength_max_nm=1000 * wavelength0_um / 0.7, resolution_px_per_um=resolution, ring_down_um=100.0), source_xy_um=(0.13 * period, 0.0), probe_xy_um=(0.13 * period, 0.0), symmetry=Symmetry2D(k_x_per_um=0.5 / period))
    assert run.status == "ok"
    return E.pick_band_edges(resonances=run.resonances, wavelength_min_nm=1000 * wavelength0_um / 1.25,
                             wavelength_max_nm=1000 * wavelength0_um / 0.75)


@pytest.mark.meep
@pytest.mark.slow
def test_quarter_wave_stack_gap_matches_the_exact_formula():
    """nH 2.0 / nL 1.5, lambda0 1.2 um: layers 150 / 200 nm (15 / 20 px at 100 px/um, no subpixel error).
    Exact: d_omega / omega0 = (4 / pi) arcsin(0.5 / 3.5) = 0.18253; measured 0.1825x, mid-gap at f0 to 1e-3."""
    short, long_ = _quarter_wave_edges(n_h=2.0, n_l=1.5, wavelength0_um=1.2, resolution=100)
    f_hi, f_lo = short.freq, long_.freq
    f0 = 1 / 1.2
    exact = 4 / math.pi * math.asin(0.5 / 3.5)
    assert (f_hi - f_lo) / f0 == pytest.approx(exact, abs=0.002)
    assert 0.5 * (f_hi + f_lo) == pytest.approx(f0, rel=0.005)
    assert math.isinf(short.q) and math.isinf(long_.q)  # lossless: no leak at the zone edge


@pytest.mark.meep
@pytest.mark.slow
def test_fdtd_kappa_of_a_first_order_grating_matches_coupled_mode_theory():
    """Electrode-free MAPbI3 stack (50 nm Si3N4/SiO2 grating under 150 nm perovskite), 1st order, 200 nm,
    duty 0.5: weak index step in a thin level, where the overlap CMT holds. Measured: kappa_FDTD 1405 / cm
    (80 and 120 px/um) vs kappa_CMT 1408 / cm; band centre 809.8 vs CMT Bragg 809.6 nm."""
    from perocav.fdtd.dfb import simulate_dfb
    from perocav.fdtd.models.dfb.grating import DfbGrating
    from perocav.fdtd.settings import FdtdSettings

    from perocav.fdtd.models.dfb.dfb_analytic import analyze_dfb_on_stack

    stack, g = get_stack("electrode_free"), DfbGrating(period_nm=200, duty_cycle=0.5, order=1)
    r = simulate_dfb(stack=stack, grating=g, settings=FdtdSettings(resolution_px_per_um=80, converge=False))
    ana = analyze_dfb_on_stack(stack=stack, period_nm=200, duty_cycle=0.5, order=1, length_um=g.length_um)
    assert r.status == "ok"
    assert r.kappa_per_cm == pytest.approx(abs(ana.kappa_per_cm), rel=0.05)
    assert 0.5 * (r.edge_short_nm + r.edge_long_nm) == pytest.approx(ana.bragg_wavelength_nm, abs=3.0)
    assert r.edge_long_nm - r.edge_short_nm > 5.0
    assert r.confinement_power == pytest.approx(ana.confinement_power, abs=0.03)
    d = r.to_dict()
    assert d["kappa_L"] == pytest.approx(r.kappa_per_cm * 20e-4)
    assert d["converged"] is False and "single resolution" in d["warnings"]
    assert d["q_short"] is None  # lossless stack: Q infinite -> reported as missing, not as a number


def test_simulate_dfb_refuses_too_coarse_a_grid():
    from perocav.fdtd.dfb import simulate_dfb
    from perocav.fdtd.models.dfb.grating import DfbGrating
    from perocav.fdtd.settings import FdtdSettings

    g = DfbGrating(period_nm=400, duty_cycle=0.3, order=2)
    # lossy media (both edges in one run): 4 px across the 20 nm ITO
    with pytest.raises(InputError) as err:
        simulate_dfb(stack=get_stack("transparent"), grating=g,
                     settings=FdtdSettings(resolution_px_per_um=100, parity_runs=False))
    assert "resolution_px_per_um" in str(err.value) and ">= 200" in str(err.value)
    # parity runs (lossless media, subpixel-smoothed): 1.5 px across it
    with pytest.raises(InputError) as err:
        simulate_dfb(stack=get_stack("transparent"), grating=g, settings=FdtdSettings(resolution_px_per_um=60))
    assert "resolution_px_per_um" in str(err.value) and ">= 75" in str(err.value)
