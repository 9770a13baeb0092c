"""2nd-order gratings: kappa and radiation coupling from the band edges and the Bragg centre (pure), the duty-averaged
Bloch cell (builder), a uniform guide's degenerate standing waves (MEEP regression), and the MAPbI3 transparent
stack against coupled-mode theory (real MEEP)."""

import math

import pytest

from perocav.pdk import activate

activate()

from perocav.fdtd.models.dfb import dfb_couplings as C  # noqa: E402
from perocav.fdtd.meep.geometry_2d import Medium2D, dfb_unit_cell_2d  # noqa: E402
from perocav.layout.dfb_grating import dfb_grating  # noqa: E402
from perocav.pdk.stacks import get_stack  # noqa: E402


@pytest.mark.parametrize("kappa, h_i", [(400.0, 14.0), (-250.0, -30.0), (60.0, 0.0)])
def test_couplings_from_edges_invert_the_kazarinov_henry_positions(kappa, h_i):
    """Edges placed by hand at delta = +kappa (dark) and -kappa - 2 h_i (radiating) around a centre come back."""
    lam_c, n_g = 813.0, 2.47

    def lam(delta_per_cm):  # delta = 2 pi n_g (lam_c - lam) / lam_c^2
        return lam_c - delta_per_cm * (lam_c * 1e-7) ** 2 / (2 * math.pi * n_g) * 1e7

    k, hi = C.second_order_couplings_per_cm(centre_nm=lam_c, dark_nm=lam(kappa), radiating_nm=lam(-kappa - 2 * h_i),
                                            group_index=n_g)
    assert k == pytest.approx(kappa, rel=1e-9)
    assert hi == pytest.approx(h_i, abs=1e-9)


def test_averaged_unit_cell_replaces_the_grating_level_by_the_duty_average():
    comp = dfb_grating(period_nm=400, duty_cycle=0.25, n_periods=4, order=2)
    stack = get_stack("transparent_MAPbI3")
    plain = dfb_unit_cell_2d(component=comp, stack=stack)
    avg = dfb_unit_cell_2d(component=comp, stack=stack, averaged=True)
    grating = [s for s in avg.shapes if s.name.startswith("grating")]
    assert [s.name for s in grating] == ["grating:averaged"]
    m = grating[0].medium
    assert m.blend_fraction == pytest.approx(0.25) and m.blend_material == "Si3N4" and m.material == "SiO2"
    assert avg.levels_um == plain.levels_um and avg.size_x_um == plain.size_x_um
    with pytest.raises(ValueError):
        Medium2D(material="SiO2", blend_material="Si3N4", blend_fraction=1.5)


@pytest.mark.meep
@pytest.mark.slow
def test_uniform_guide_bloch_cell_has_degenerate_standing_waves():
    """A uniform guide in a 2nd-order Bloch cell (k = 0): the cos- and sin-like standing waves of the folded
    +-K guided waves must have the same frequency. Regression: levels drawn as finite blocks put their x edges on
    the periodic copies, and the subpixel-averaged corners split the pair by 0.8 nm at 50 px/um (cos 818.30 nm,
    sin 817.48 nm); with infinite-in-x levels both are 817.479 nm."""
    from perocav.fdtd.meep.runner_2d import Symmetry2D, run_ringdown_2d
    from perocav.fdtd.meep.ringdown import RingdownSpec
    from perocav.fdtd.extract.resonance import find_resonances

    comp = dfb_grating(period_nm=400, duty_cycle=0.45, n_periods=4, order=2)
    geom = dfb_unit_cell_2d(component=comp, stack=get_stack("transparent_MAPbI3"), substrate_um=0.8, cover_um=0.8,
                            averaged=True)
    y = sum(geom.levels_um["perovskite"]) / 2
    waves = []
    for x in (0.0, 0.1):  # cos-like (antinode at x = 0) and sin-like (antinode a quarter period away)
        run = run_ringdown_2d(geometry=geom, spec=RingdownSpec(wavelength_min_nm=790, wavelength_max_nm=840, resolution_px_per_um=50, ring_down_um=150), source_xy_um=(x, y), probe_xy_um=(x, y), symmetry=Symmetry2D(k_x_per_um=0.0))
        modes = find_resonances(samples=run.samples, dt=run.dt_um, freq_min=1000 / 830, freq_max=1000 / 805, q_min=100)
        assert len(modes) == 1, modes
        waves.append(modes[0].wavelength_nm)
    assert waves[0] == pytest.approx(waves[1], abs=0.02)


@pytest.mark.meep
@pytest.mark.slow
def test_transparent_stack_second_order_kappa_radiation_and_threshold_follow_coupled_mode_theory():
    """MAPbI3 transparent stack (Si3N4 grating 50 nm / ITO 20 / MAPbI3 150 / ITO 20), 400 nm, duty 0.25, where the
    2nd-harmonic coupling is strong and first-order coupled-mode theory holds (near duty 0.5 it does not: kappa_2
    ~ sin(2 pi D) vanishes and higher-order couplings through the 1st and 3rd harmonics take over).
    Converged (200 -> 300 px/um, `perocav simulate dfb ... --duty 0.25 --tol-nm 0.2`): kappa 402.5 vs CMT 427.9
    /cm, h 41.3 vs 35.7 /cm (Born, no stack interference), threshold 158.3 vs 154.3 /cm, radiating edge long (both),
    dark-edge Q 2732 vs the absorption limit 2833. This test, forced to 100 px/um (~20 s): kappa 383, h 42.6,
    threshold 159.4 /cm. Independent answers: the coupled-mode model of the same stack, and for the dark edge the
    absorption-limited Q = 2 pi n_g / (lambda alpha) with the FDTD modal loss."""
    from perocav.fdtd.dfb import simulate_dfb
    from perocav.fdtd.models.dfb.grating import DfbGrating
    from perocav.fdtd.settings import FdtdSettings

    from perocav.fdtd.models.dfb.dfb_analytic import analyze_dfb_on_stack

    stack, g = get_stack("transparent_MAPbI3"), DfbGrating(period_nm=400, duty_cycle=0.25, order=2, n_periods=250)
    r = simulate_dfb(stack=stack, grating=g,
                     settings=FdtdSettings(resolution_px_per_um=100, force=True, converge=False, ring_down_um=300))
    ana = analyze_dfb_on_stack(stack=stack, period_nm=400, duty_cycle=0.25, order=2, length_um=g.length_um)
    assert r.status == "ok", r.warnings
    assert r.radiating_edge == "long"  # CMT: duty < 0.5 -> the long edge radiates
    assert r.kappa_per_cm == pytest.approx(abs(ana.kappa_per_cm), rel=0.15)
    assert r.radiation_per_cm == pytest.approx(ana.radiation_per_cm, rel=0.35)
    assert r.threshold_modal_gain_per_cm == pytest.approx(ana.threshold_modal_gain_per_cm, rel=0.10)
    assert r.bragg_wavelength_nm == pytest.approx(ana.bragg_wavelength_nm, abs=1.0)
    q_abs = 2 * math.pi * r.group_index / (r.edge_short_nm * 1e-7 * r.modal_loss_per_cm)
    assert r.q_short == pytest.approx(q_abs, rel=0.10)  # the dark edge only absorbs
    assert r.q_long < 0.5 * r.q_short  # the radiating edge also emits
