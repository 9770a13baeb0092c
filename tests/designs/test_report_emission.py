"""The report's "where the light goes" figure of a device design (device CMT): the run's HTML report shows it for the
best device design, its caption names the model, and its budget bars are the record's budget (shares of the zone's
stimulated emission of the two lowest modes, one bar per absorbing layer, their sum the budget's closure; the
unpumped film's share of the unpumped absorption is Gamma alpha0 over the record's unpumped modal loss), drawn from
the stored record, not solved again."""

from __future__ import annotations

import html
import re

import pytest

from perocav.designs.pipeline import RunOptions, run_design
from perocav.designs.report.emission import budget_bars, budget_text
from perocav.designs.spec import load_design

pytestmark = pytest.mark.slow  # one analytic device and the HTML report (~15 s)

DESIGN = """name: emit_report
stack: {name: transparent_CsPbBr3}
cavity:
  type: dfb
  order: 2
  period_nm: 250
  duty_cycle: 0.7
  n_periods: 250
  pump: {opening_um: 50}
  sections:
    - {order: 2, n_periods: 125}
    - {order: 2, n_periods: 125, phase_step: half_wave}
"""


def test_report_shows_the_budget_bars_and_far_fields(tmp_path):
    path = tmp_path / "emit.yaml"
    path.write_text(DESIGN)
    summary = run_design(load_design(path), out_dir=tmp_path / "out",
                         options=RunOptions(workers=1, progress=False, report=True, mask=False))
    page = html.unescape((tmp_path / "out" / "report.html").read_text())
    assert "alt=\"device_emission_1\"" in page  # embedded (base64) or linked, alt: the file stem
    png = next((tmp_path / "out").rglob("device_emission_1.png"))
    assert png.stat().st_size > 20_000
    record = summary.best.device
    sol, modes = record.solution, record.solution.mode_emissions
    assert len(modes) == 2 and len(record.cells) == 1  # one section geometry: one film share everywhere
    film_share = record.cells[0].confinement_power * sol.absorption_per_cm / sol.unpumped_loss_per_cm
    caption = re.search(r"Design #1 \(device CMT model\): power budget.*?docs/physics\.md\)", page, re.S).group(0)
    for m in modes:
        b = m.budget
        bars = dict(budget_bars(m))
        stim = b.stimulated
        assert {k: bars.pop(k) for k in ("up", "down", "left end", "right end")} == pytest.approx(
            {"up": b.radiated_up / stim, "down": b.radiated_down / stim, "left end": b.left_end / stim,
             "right end": b.right_end / stim}, rel=1e-12)
        # one bar per absorbing layer, named as in the stack; a uniform zone: no film absorption under the opening
        assert set(bars) == {"perovskite unpumped", "ito_bottom unpumped", "ito_top unpumped", "ito_bottom pumped",
                             "ito_top pumped"}
        film = bars["perovskite unpumped"] * stim
        other = (bars["ito_bottom unpumped"] + bars["ito_top unpumped"]) * stim
        assert film + other == pytest.approx(b.absorbed_unpumped, rel=1e-12)
        assert film == pytest.approx(m.absorbed_unpumped_film, rel=1e-12)
        assert film == pytest.approx(film_share * b.absorbed_unpumped, rel=1e-9)
        assert 0.5 < film_share < 1  # the perovskite's Urbach tail dominates the unpumped loss (ITO the rest)
        assert sum(dict(budget_bars(m)).values()) == pytest.approx(1.0 - b.closure_residual / stim, abs=1e-12)
        assert budget_text(m) in caption
        assert f"up {b.radiated_up / stim:.1%}" in caption and "sum 100.0%" in caption
        assert f"slope {m.slope.slope_w_per_a:.3f} W/A" in caption
