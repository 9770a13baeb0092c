"""Independent check of ``simulate_dfb``: a hand-written MEEP script of the same 2nd-order grating on a stack that
nothing else in perocav has seen (tests/data/stacks/unseen_sapphire_tio2_MAPbI3.yaml) must give the same band
edges to 1 nm (issue 4, "done when").

The script below shares no code with perocav's builder or runner: its blocks are typed in from the stack file's
thicknesses, the tooth sits at a different place in the Bloch cell (starting at x = 0 instead of centred), the
source and probe are elsewhere and the modes come from MEEP's Harminv, not perocav's matrix pencil. What it shares
is the physics input: the material data (refractive-index tables) and the wavelength at which both freeze the
indices of their non-dispersive media (the coupled-mode Bragg wavelength, where perocav centres its band).
"""

import math

import pytest

from perocav.pdk import activate

activate()

from perocav.pdk.materials import resolve_material  # noqa: E402
from perocav.pdk.stack_file import load_stack_file  # noqa: E402
from tests.paths import DATA_DIR

pytestmark = [pytest.mark.slow, pytest.mark.meep]

STACK_FILE = DATA_DIR / "stacks" / "unseen_sapphire_tio2_MAPbI3.yaml"
PERIOD_NM, DUTY, RESOLUTION = 400.0, 0.3, 100.0  # 100 px/um = 4 px across the 40 nm ZnO (the pixel rule)


def hand_written_band_edges(*, freeze_nm: float) -> list[tuple[float, float]]:
    """(wavelength nm, Q) of the two highest-Q modes near the Bragg point, by plain MEEP."""
    import meep as mp

    def medium(name: str, lossless: bool = False) -> mp.Medium:
        n = complex(resolve_material(name).nk(wavelength_nm=freeze_nm))
        if lossless:
            n = complex(n.real, 0.0)
        eps = n * n
        f = 1000.0 / freeze_nm
        return mp.Medium(epsilon=eps.real, D_conductivity=2 * math.pi * f * eps.imag / eps.real)

    a = PERIOD_NM / 1000  # um
    t_grating, t_etl, t_pvk = 0.080, 0.040, 0.130
    pml, pad = 1.0, 0.8
    sy = 2 * pml + 2 * pad + t_grating + t_etl + t_pvk
    y0 = -sy / 2 + pml + pad  # bottom of the grating level
    big = mp.inf

    def layer(y_bottom: float, t: float, med: mp.Medium) -> mp.Block:
        return mp.Block(size=mp.Vector3(big, t, big), center=mp.Vector3(0, y_bottom + t / 2), material=med)

    geometry = [
        layer(-sy / 2, pml + pad, medium("Al2O3")),  # sapphire substrate
        layer(y0, t_grating, medium("Al2O3")),  # grating level fill
        mp.Block(size=mp.Vector3(DUTY * a, t_grating, big), center=mp.Vector3(DUTY * a / 2, y0 + t_grating / 2),
                 material=medium("TiO2")),  # the tooth from x = 0 to D a
        layer(y0 + t_grating, t_etl, medium("ZnO")),
        layer(y0 + t_grating + t_etl, t_pvk, medium("MAPbI3", lossless=True)),  # the gain layer, transparent
    ]
    f0 = 1000.0 / freeze_nm
    df = 0.08 * f0
    y_probe = y0 + t_grating + t_etl + 0.6 * t_pvk
    sim = mp.Simulation(cell_size=mp.Vector3(a, sy), geometry=geometry, default_material=mp.air,
                        boundary_layers=[mp.PML(pml, direction=mp.Y)], resolution=RESOLUTION,
                        k_point=mp.Vector3(0, 0, 0),  # 2nd order: the Bragg point is the zone centre
                        sources=[mp.Source(mp.GaussianSource(f0, fwidth=df), component=mp.Ez,
                                           center=mp.Vector3(0.31 * a, y_probe))])
    h = mp.Harminv(mp.Ez, mp.Vector3(0.31 * a, y_probe), f0, df)
    sim.run(mp.after_sources(h), until_after_sources=300)
    modes = [(1000.0 / m.freq, m.Q) for m in h.modes if m.Q > 30 and abs(1000.0 / m.freq - freeze_nm) < 25]
    sim.reset_meep()
    return sorted(sorted(modes, key=lambda m: -m[1])[:2])


def test_band_edges_agree_with_a_hand_written_meep_script_on_an_unseen_stack():
    """Measured (100 px/um, ~30 s): perocav 798.764 / 805.410 nm, Q 8957 / 217; hand script 798.764 / 805.410 nm,
    Q 8963 / 217. (The coupled-mode model puts the stop band around 803.0 nm with kappa 888 / cm; FDTD kappa 774.)"""
    from perocav.fdtd.dfb import simulate_dfb
    from perocav.fdtd.models.dfb.grating import DfbGrating
    from perocav.fdtd.settings import FdtdSettings

    stack = load_stack_file(STACK_FILE)
    r = simulate_dfb(stack=stack, grating=DfbGrating(period_nm=PERIOD_NM, duty_cycle=DUTY, order=2, n_periods=200),
                     settings=FdtdSettings(resolution_px_per_um=RESOLUTION, converge=False, ring_down_um=300))
    assert r.status == "ok", r.warnings
    from perocav.fdtd.models.dfb.dfb_analytic import analyze_dfb_on_stack

    ana = analyze_dfb_on_stack(stack=stack, period_nm=PERIOD_NM, duty_cycle=DUTY, order=2,
                               length_um=200 * PERIOD_NM / 1000)
    hand = hand_written_band_edges(freeze_nm=ana.bragg_wavelength_nm)  # where perocav's ladder froze its media
    assert len(hand) == 2, hand
    (hs, qs), (hl, ql) = hand
    # the ladder's run, media frozen at the Bragg point, as the hand script
    d = r.details
    assert d.edge_short_frozen_nm == pytest.approx(hs, abs=1.0)
    assert d.edge_long_frozen_nm == pytest.approx(hl, abs=1.0)
    assert hl - hs > 2.0  # a real stop band, not one mode seen twice
    assert d.q_short_frozen == pytest.approx(qs, rel=0.05) and d.q_long_frozen == pytest.approx(ql, rel=0.05)
    # dispersion: the hand script, re-frozen at perocav's self-consistent edges, finds each edge where it froze
    for which, edge in ((0, r.edge_short_nm), (1, r.edge_long_nm)):
        again = hand_written_band_edges(freeze_nm=edge)
        assert len(again) == 2 and again[which][0] == pytest.approx(edge, abs=0.2)
    # the same edge radiates in both (lower Q), and by the coupled-mode rule (duty < 0.5: the long edge)
    assert r.radiating_edge == ("short" if qs < ql else "long") == "long"
