"""Finite-cavity FDTD (real MEEP, small) against coupled-mode theory fed with the FDTD unit-cell kappa.

Electrode-free MAPbI3 stack, 1st order, 200 nm, duty 0.5, 40 periods with a quarter-wave shift (kappa L ~ 0.57),
60 px/um (forced: the pixel rule asks 80). The unit-cell run's Kogelnik-Shank mode (wavelength, and the Q its
threshold implies, Q = 2 pi n_g / (lambda 2 alpha_th)) is the independent answer. Measured: finite 809.70 nm,
Q 56.5; unit cell + CMT 810.59 nm, Q 56.6 (~30 s on 2 shared cores)."""

import pytest

from perocav.pdk import activate

activate()

from perocav.fdtd.extract import band_edges as E  # noqa: E402
from perocav.fdtd.extract.resonance import Resonance  # noqa: E402
from perocav.pdk.stacks import get_stack  # noqa: E402


def test_pick_lasing_mode_ignores_weak_spurious_high_q_poles():
    res = [Resonance(freq=1000 / 824.4, q=6019, amplitude=0.005, error=1e-5),
           Resonance(freq=1000 / 798.4, q=99, amplitude=0.226, error=2e-5),
           Resonance(freq=1000 / 804.2, q=-94, amplitude=3e-5, error=6e-4)]
    best = E.pick_lasing_mode(resonances=res, wavelength_min_nm=750, wavelength_max_nm=880)
    assert best.wavelength_nm == pytest.approx(798.4)
    assert E.pick_lasing_mode(resonances=res[2:], wavelength_min_nm=750, wavelength_max_nm=880) is None


@pytest.mark.meep
@pytest.mark.slow
def test_finite_quarter_wave_cavity_matches_kogelnik_shank_with_the_unit_cell_kappa():
    from perocav.fdtd.dfb import simulate_dfb
    from perocav.fdtd.models.dfb.grating import DfbGrating
    from perocav.fdtd.settings import FdtdSettings

    kw = dict(stack=get_stack("electrode_free"),
              grating=DfbGrating(period_nm=200, duty_cycle=0.5, order=1, n_periods=40, quarter_wave_shift=True),
              settings=FdtdSettings(resolution_px_per_um=60, converge=False, force=True))
    uc = simulate_dfb(mode="unit_cell", **kw)
    fin = simulate_dfb(mode="finite", **kw)
    assert uc.status == "ok" and fin.status == "ok"
    # the quarter-wave mode sits mid-gap
    assert uc.edge_short_nm < fin.lasing_wavelength_nm < uc.edge_long_nm
    assert fin.lasing_wavelength_nm == pytest.approx(uc.lasing_wavelength_nm, abs=1.5)
    # Q: CMT neglects the end pads (unpatterned stack into PML: no facet) and kappa's dispersion; 25% covers it
    assert fin.lasing_q == pytest.approx(uc.lasing_q, rel=0.25)
    assert fin.threshold_modal_gain_per_cm == pytest.approx(uc.threshold_modal_gain_per_cm, rel=0.25)
    assert len(fin.details.mode_profile_abs2) > 0
