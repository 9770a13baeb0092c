"""2D cross-sections from a dfb_grating component and a stack: the teeth come from the GRATING polygons,
the levels from the stack; a real (small) MEEP Bloch run of the unpatterned stack against the slab solver."""

import pytest

from perocav.pdk import activate

activate()

from perocav.fdtd.meep.geometry_2d import (  # noqa: E402
    Medium2D,
    Rect,
    dfb_cross_section_2d,
    dfb_unit_cell_2d,
    grating_intervals_nm,
)
from perocav.layout.dfb_grating import dfb_grating  # noqa: E402
from perocav.pdk.stacks import get_stack  # noqa: E402

STACK = get_stack("transparent")


def _teeth(geom):
    return sorted((s for s in geom.shapes if ":tooth" in s.name), key=lambda s: s.x0_um)


def _expected_teeth_um(c):
    """Tooth intervals from the cell's info (an independent record of what the cell was asked for)."""
    xs, ws = c.info["tooth_x_nm"], c.info["tooth_width_nm"]
    xc = 0.5 * (xs[0] + xs[-1] + ws[-1])
    return [((x - xc) / 1000, (x + w - xc) / 1000) for x, w in zip(xs, ws, strict=True)]


@pytest.mark.parametrize("kwargs", [
    dict(period_nm=400, duty_cycle=0.5, n_periods=12, order=2, quarter_wave_shift=True),
    dict(period_nm=220, duty_cycle=0.4, n_periods=9, order=1),
    dict(period_nm=400, duty_cycle=0.6, n_periods=15, order=2, apodization="raised_cosine"),
])
def test_teeth_are_the_component_polygons(kwargs):
    c = dfb_grating(**kwargs)
    assert len(grating_intervals_nm(c)) == c.info["n_teeth"]
    geom = dfb_cross_section_2d(component=c, stack=STACK, end_pad_um=0.5, pml_um=1.0)
    teeth = _teeth(geom)
    expected = _expected_teeth_um(c)
    assert len(teeth) == len(expected)
    for t, (a, b) in zip(teeth, expected, strict=True):
        assert (t.x0_um, t.x1_um) == (pytest.approx(a, abs=1e-9), pytest.approx(b, abs=1e-9))
        assert t.medium == Medium2D(material="Si3N4")
        assert (t.y0_um, t.y1_um) == geom.levels_um["grating"]
    assert geom.size_x_um == pytest.approx(c.info["length_nm"] / 1000 + 2 * (0.5 + 1.0))
    assert geom.pml_x_um == geom.pml_y_um == 1.0


def test_levels_follow_the_stack():
    c = dfb_grating(period_nm=400, duty_cycle=0.5, n_periods=4, order=2)
    geom = dfb_cross_section_2d(component=c, stack=STACK, substrate_um=0.7, cover_um=0.9, pml_um=0.5)
    layers = STACK.optical_layers()
    assert list(geom.levels_um) == [layer.name for layer in layers]
    y = -geom.size_y_um / 2 + 0.5 + 0.7  # PML + substrate below the stack
    for layer in layers:
        y0, y1 = geom.levels_um[layer.name]
        assert y0 == pytest.approx(y)
        assert y1 - y0 == pytest.approx(layer.thickness_nm / 1000)
        y = y1
    assert geom.size_y_um / 2 - y == pytest.approx(0.9 + 0.5)  # cover + PML above
    by_name = {s.name: s for s in geom.shapes if isinstance(s, Rect)}
    assert by_name["substrate"].medium.material == STACK.substrate
    assert by_name["cover"].medium.material == STACK.cover
    assert by_name["grating:fill"].medium.material == "SiO2"
    assert by_name["perovskite"].medium == Medium2D(material="MAPbI3", lossless=STACK.gain_layer_lossless)
    assert by_name["ito_bottom"].medium == Medium2D(material="ITO")
    # uniform levels reach past the cell on both sides (no seam at the boundary)
    for name in ("substrate", "grating:fill", "perovskite", "cover"):
        assert by_name[name].x0_um < -geom.size_x_um / 2 and by_name[name].x1_um > geom.size_x_um / 2
    # and exactly fill the cell in y (periodic copies of taller blocks would land on the stack)
    assert by_name["substrate"].y0_um == pytest.approx(-geom.size_y_um / 2)
    assert by_name["cover"].y1_um == pytest.approx(geom.size_y_um / 2)


def test_unit_cell_is_one_period_and_skips_the_phase_shift():
    c = dfb_grating(period_nm=400, duty_cycle=0.3, n_periods=10, order=2, quarter_wave_shift=True)
    geom = dfb_unit_cell_2d(component=c, stack=STACK)
    assert geom.size_x_um == pytest.approx(0.4)
    assert geom.pml_x_um == 0.0
    (tooth,) = _teeth(geom)
    assert (tooth.x0_um, tooth.x1_um) == (pytest.approx(-0.06), pytest.approx(0.06))
    flat = dfb_unit_cell_2d(component=c, stack=STACK, patterned=False)
    assert _teeth(flat) == []
    assert flat.levels_um == geom.levels_um
    # the period across the shift is longer, and asking for it gives it
    shifted = dfb_unit_cell_2d(component=c, stack=STACK, period_index=4)
    assert shifted.size_x_um == pytest.approx(0.4 + c.info["phase_shift_nm"][0] / 1000)
    with pytest.raises(ValueError):
        dfb_unit_cell_2d(component=c, stack=STACK, period_index=9)


F0_PER_UM = 1 / 0.78  # band centre: 780 nm
BAND_NM = (1000 / (F0_PER_UM + 0.15), 1000 / (F0_PER_UM - 0.15))


def _profile(*, wavelength_nm, dispersive):
    """The unpatterned stack (grating level all fill = SiO2) as the runner sees it: indices at the band centre,
    or at ``wavelength_nm`` when dispersive (except the lossless gain layer, constant at the band centre)."""
    at_centre = STACK.index_profile(wavelength_nm=1000 / F0_PER_UM)
    here = STACK.index_profile(wavelength_nm=wavelength_nm if dispersive else 1000 / F0_PER_UM)
    gain = [layer.name for layer in STACK.optical_layers()].index("perovskite")
    n = list(here.n_layers)
    n[0] = here.n_substrate
    n[gain] = at_centre.n_layers[gain]
    return here.model_copy(update={"n_layers": tuple(n), "wavelength_nm": float(wavelength_nm)})


def _fdtd_neff(resolution, *, dispersive=False):
    from perocav.fdtd.meep.runner_2d import Symmetry2D, run_ringdown_2d
    from perocav.fdtd.meep.ringdown import RingdownSpec
    from perocav.fdtd.models.slab.slab_modes import solve_slab_mode

    c = dfb_grating(period_nm=400, duty_cycle=0.5, n_periods=4, order=2)
    geom = dfb_unit_cell_2d(component=c, stack=STACK, patterned=False, substrate_um=0.8, cover_um=0.8, pml_um=1.0)
    k = solve_slab_mode(profile=_profile(wavelength_nm=780.0, dispersive=dispersive), pol="TE").neff.real / 0.78
    y = sum(geom.levels_um["perovskite"]) / 2
    run = run_ringdown_2d(geometry=geom, spec=RingdownSpec(wavelength_min_nm=BAND_NM[0], wavelength_max_nm=BAND_NM[1], resolution_px_per_um=resolution, ring_down_um=60.0, dispersive=dispersive), source_xy_um=(0.037, y), probe_xy_um=(0.037, y), symmetry=Symmetry2D(k_x_per_um=k))
    assert run.status == "ok"
    mode = max(run.resonances, key=lambda r: r.q)  # the guided mode; radiation decays fast
    exact = solve_slab_mode(profile=_profile(wavelength_nm=1000 / mode.freq, dispersive=dispersive), pol="TE")
    return k / mode.freq, exact.neff.real


@pytest.mark.meep
@pytest.mark.slow
def test_fdtd_neff_of_the_unpatterned_stack_converges_to_the_slab_solver():
    """20 nm ITO is 1 px at 50 px/um and 2 px at 100 px/um. Measured |n_fdtd - n_exact|: 0.0116 (50),
    0.0017 (100), 0.00043 (200): second order. We require < 0.02 at 50, < 0.003 at 100, and at least a
    3x drop from 50 to 100 (a wrong stack or wrong k/f conversion gives neither)."""
    n50, exact50 = _fdtd_neff(50)
    n100, exact100 = _fdtd_neff(100)
    err50, err100 = abs(n50 - exact50), abs(n100 - exact100)
    assert err50 < 0.02
    assert err100 < 0.003
    assert err100 < err50 / 3


@pytest.mark.meep
@pytest.mark.slow
def test_dispersive_media_give_the_same_neff():
    """Lorentz-fitted SiO2 / Si3N4 / ITO (fit errors in n <= 0.0018 over the band): measured error 0.0018 at
    100 px/um, as without dispersion; allowed 0.003 + the fit error budget 0.002."""
    n100, exact100 = _fdtd_neff(100, dispersive=True)
    assert abs(n100 - exact100) < 0.005



def test_runner_refuses_a_bloch_cell_of_fractional_pixels():
    """370 nm at 50 px/um is 18.5 px: MEEP would silently make the period 380 nm (measured: the k = 0 modes
    of 370 and 380 nm cells coincide at ~800 nm)."""
    from perocav.fdtd.meep.runner_2d import Symmetry2D, run_ringdown_2d
    from perocav.fdtd.meep.ringdown import RingdownSpec

    c = dfb_grating(period_nm=370, duty_cycle=0.5, n_periods=4, order=2)
    geom = dfb_unit_cell_2d(component=c, stack=STACK)
    with pytest.raises(ValueError, match="18.5 px"):
        run_ringdown_2d(geometry=geom, spec=RingdownSpec(wavelength_min_nm=720.0, wavelength_max_nm=860.0, resolution_px_per_um=50, ring_down_um=10.0), source_xy_um=(0.0, 0.0), probe_xy_um=(0.0, 0.0), symmetry=Symmetry2D(k_x_per_um=0.0))
