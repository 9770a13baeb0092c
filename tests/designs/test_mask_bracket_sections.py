"""The die's bracket around a sectioned device (mixed order, apodised, an explicit list with phase steps): each
bracket point is the neighbouring design with every section re-derived (periods scaled together, the duty profile
around the new duty, phase-step gaps kept as phases), the pump opening kept; brackets of neighbouring winners are
placed once; the manifest predicts each device from its row of the results table. Both perovskites' stacks."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from perocav.designs.mask_export import _params, mask_plan
from perocav.designs.pipeline import RunOptions, run_design
from perocav.designs.spec import DfbCavity, expand_points, load_design
from perocav.layout.mask import _same_as
from perocav.layout.mask_doe import DesignBlockSpec, expand_block
from perocav.layout.mask_spec import plan

CAVITIES = {
    "mixed_order": "n_periods: 20, mixed_order: {first_order_periods: 120}",
    "apodised": "n_periods: 250, apodization: {profile: raised_cosine, min_duty: 0.4, steps: 5}",
    "phase_steps": "n_periods: 240, sections: [{order: 1, n_periods: 100}, {order: 2, n_periods: 40, phase_step: "
                   "quarter_wave}, {order: 1, n_periods: 100, phase_step: half_wave}]",
}
#: stack, centre period [nm] and duty, window: CsPbBr3's shorter periods need a lower duty for the 1st-order gaps
STACKS = {"MAPbI3": ("transparent_MAPbI3", 370, 0.6, "[700, 830]"),
          "CsPbBr3": ("transparent_CsPbBr3", 250, 0.55, "[480, 560]")}


def design(tmp_path, kind: str, gain: str = "MAPbI3", *, fidelity: str = "analytic") -> str:
    stack, period, duty, window = STACKS[gain]
    path = tmp_path / f"{kind}_{gain}.yaml"
    path.write_text(f"""\
name: {kind}_{gain}
stack: {{name: {stack}, thickness_nm: {{perovskite: 150}}}}
cavity: {{type: dfb, order: 2, period_nm: {period}, duty_cycle: {duty}, {CAVITIES[kind]},
          pump: {{opening_um: 40, offset_um: 4}}}}
sweep: {{grid: {{period_nm: [{period - 5}, {period}, {period + 5}], duty_cycle: [{duty - 0.05:.2f}, {duty}]}}}}
fidelity: {fidelity}
objective: {{wavelength_window_nm: {window}, rank_by: threshold_current_density_a_per_cm2}}
mask: {{top_n: 2, repeats: 1}}
""")
    return path


def _cavity(spec, period: float, duty: float) -> DfbCavity:
    """The neighbouring cavity built from scratch: the design file's cavity keys with another period and duty."""
    data = spec.cavity.model_dump() | {"period_nm": period, "duty_cycle": duty}
    return DfbCavity.model_validate(data)


@pytest.mark.parametrize("gain", STACKS)
@pytest.mark.parametrize("kind", CAVITIES)
def test_bracket_rederives_every_section_and_keeps_the_opening(tmp_path, kind, gain):
    spec = load_design(design(tmp_path, kind, gain))
    point = next(p for p in expand_points(spec) if p.params["period_nm"] == STACKS[gain][1]
                 and p.params["duty_cycle"] == STACKS[gain][2])
    block = mask_plan(spec, [point]).spec.designs[0]
    devices = [d for d in expand_block(block) if d.role in ("design", "bracket")]
    assert [d for d in devices if d.role == "design"][0].params == _params(point, spec)
    assert len(devices) >= 9 and len({json.dumps(d.params, sort_keys=True) for d in devices}) == len(devices)
    design_secs = point.cavity.layout_cell()[1]["device_sections"]
    for d in devices:
        period, duty = d.varied["cavity.period_nm"], d.varied["cavity.duty_cycle"]
        assert d.offsets["cavity.period_nm"] * 5 == pytest.approx(period - point.cavity.period_nm)
        secs = d.params["cavity_params"]["device_sections"]
        rebuilt = _cavity(spec, period, duty).layout_cell()[1]["device_sections"]
        assert [list(s) for s in secs] == [list(s) for s in rebuilt]
        # every section's period scales with the cavity's (1st-order ones: half the 2nd-order period)
        for (order, p, _, n, _), (order0, p0, _, n0, _) in zip(secs, design_secs, strict=True):
            assert (order, n) == (order0, n0) and p / p0 == pytest.approx(period / point.cavity.period_nm, rel=1e-9)
            assert p == pytest.approx(period * order / 2, rel=1e-9)
        if kind == "apodised":  # the centre section carries the duty the bracket set, the ends the minimum
            assert secs[len(secs) // 2][2] == pytest.approx(duty, abs=0.02) and secs[0][2] < duty
        if kind == "phase_steps":  # the gaps keep their phases: a period's quarter or half, scaled with it
            gaps = [s[4] for s in secs]
            assert [g / (period / 2) for g in gaps] == pytest.approx([g / (point.cavity.period_nm / 2)
                                                                      for g in (s[4] for s in design_secs)], abs=1e-6)
        # the pump opening (40 um, 4 um off centre) is kept
        assert d.params["pixel_params"] == devices[0].params["pixel_params"] and d.params["opening_offset_um"] == 4.0


def test_neighbouring_winners_share_their_bracket_points_once(tmp_path):
    """Winners 5 nm apart with +-2 period steps of 5 nm and +-1 duty step: 4 periods x 3 duties coincide."""
    spec = load_design(design(tmp_path, "mixed_order"))
    points = [p for p in expand_points(spec) if p.params["duty_cycle"] == 0.6 and p.params["period_nm"] in (370, 375)]
    mask = mask_plan(spec, points).spec
    planned = plan(mask)
    same = _same_as(planned)
    brackets = [d for d in planned if d.role in ("design", "bracket")]
    assert len(brackets) == 30 and len(same) == 12
    assert len({json.dumps(d.params, sort_keys=True) for d in brackets}) == 30 - 12
    for a, b in same.items():
        da, db = (next(d for d in planned if d.device_id == i) for i in (a, b))
        assert da.params == db.params


def test_variants_and_bracket_exclude_each_other():
    with pytest.raises(ValueError, match="exclude each other"):
        DesignBlockSpec.model_validate({"name": "b", "params": {"cavity_params": {"period_nm": 1.0}},
                                        "bracket": {"cavity_params.period_nm": {"step": 1, "steps": 1}},
                                        "variants": [{"offsets": {}, "varied": {}, "params": {}}]})


@pytest.mark.slow
def test_manifest_predicts_each_sectioned_device_from_its_table_row(tmp_path):
    """A mixed-order run (analytic device model) taped out: each design and bracket device inside the sweep carries
    its results-table row's wavelength, Q, J_th and model; those outside say "not computed"."""
    spec = load_design(design(tmp_path, "mixed_order"))
    run_design(spec, out_dir=tmp_path / "run", options=RunOptions(workers=1, progress=False, report=False))
    table = pd.read_csv(tmp_path / "run" / "results.csv")
    manifest = json.loads(next((tmp_path / "run" / "mask").glob("*_manifest.json")).read_text())
    devices = [d for d in manifest["devices"] if d["role"] in ("design", "bracket")]
    checked = 0
    for d in devices:
        period, duty = d["varied"]["cavity.period_nm"], d["varied"]["cavity.duty_cycle"]
        row = table[(table["period_nm"] == period) & (table["duty_cycle"].round(9) == round(duty, 9))]
        if row.empty:
            assert d["predicted"]["status"].startswith("not computed")
            continue
        r, p = row.iloc[0], d["predicted"]
        assert p["model"] == r["model"] == "analytic" and p["status"] == r["status"]
        for col in ("wavelength_nm", "q_estimate", "threshold_current_density_a_per_cm2"):
            if math.isfinite(r[col]):
                assert p[col] == pytest.approx(r[col], rel=1e-5), col
        checked += 1
    assert checked >= 4 and len(devices) >= 2 * 9
