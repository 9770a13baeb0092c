"""A device design's power budget by stack layer (device CMT) on the real dispersive PDK stacks of both perovskites:
each unit cell's layer split of alpha_other adds up to the analytic cold guide's modal loss (the complex slab
solve of the averaged stack at the cell's Bragg point), the budget closes (up + down + ends + every layer = the
zone's stimulated emission), the unpumped film's part is Gamma alpha0 over the unpumped modal loss and the two ITO
contacts split the rest as the averaged guide's first-order overlaps do."""

from __future__ import annotations

import pytest

from perocav.designs.device.simulate import cmt_device
from perocav.fdtd.models.dispersion.dispersion import region_stack
from perocav.fdtd.models.slab.layer_absorption import layer_absorption
from perocav.fdtd.models.slab.slab_modes import solve_slab_mode

DESIGN = """name: layers_{gain}
stack: {{name: transparent_{gain}}}
cavity:
  type: dfb
  order: 2
  period_nm: {period}
  duty_cycle: 0.7
  n_periods: 200
  pump: {{opening_um: 30, recombination_zone: {{side: {side}{frac}}}}}
"""


@pytest.mark.parametrize("gain,period,side", [("MAPbI3", 365, "uniform"), ("CsPbBr3", 250, "hole")])
def test_device_budget_by_layer(tmp_path, gain, period, side):
    path = tmp_path / "d.yaml"
    frac = "" if side == "uniform" else ", fraction: 0.4"
    path.write_text(DESIGN.format(gain=gain, period=period, side=side, frac=frac))
    point, _, rec = cmt_device(str(path))
    stack, sol = point.stack.resolve(), rec.solution
    (cell,) = rec.cells
    guide = region_stack(stack=stack, region="average", duty_cycle=0.7).index_profile(
        wavelength_nm=cell.bragg_wavelength_nm)
    first = layer_absorption(profile=guide, first_order=True)
    assert first.total_per_cm == pytest.approx(solve_slab_mode(profile=guide).loss_per_cm, rel=1e-5)
    # the cell's alpha_other: the analytic model's at its Bragg root (a fraction of a nm from the CMT Bragg point)
    assert first.total_per_cm == pytest.approx(cell.modal_loss_per_cm, rel=1e-3)
    assert dict(cell.layer_loss_shares) == pytest.approx(dict(first.shares()), rel=1e-4)
    film_share = cell.confinement_power * sol.absorption_per_cm / sol.unpumped_loss_per_cm
    for m in sol.mode_emissions:
        b = m.budget
        assert sum(v for _, v in b.destinations()) == pytest.approx(1.0, abs=1e-6)
        assert m.absorbed_unpumped_film == pytest.approx(film_share * b.absorbed_unpumped, rel=1e-9)
        by = {(a.layer, a.pumped): a.fraction for a in b.absorbed_by_layer}
        assert set(by) == {(n, p) for n in ("perovskite", "ito_bottom", "ito_top") for p in (False, True)}
        for pumped in (False, True):
            ratio = by[("ito_bottom", pumped)] / by[("ito_top", pumped)]
            assert ratio == pytest.approx(first.of("ito_bottom") / first.of("ito_top"), rel=1e-4)
        # the film under the opening absorbs only outside the recombination zone: nothing for a uniform zone
        assert (by[("perovskite", True)] == 0.0) == (side == "uniform")
