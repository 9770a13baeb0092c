"""The cavity-family seam (designs/cavities/): no cavity-type string is compared outside the family files, the
registry builds the design schema, and each family evaluates a design point at analytic fidelity on both built-in
perovskite stacks with the numbers the code had before the seam.

Regression anchor: ``ANCHORS`` were recorded on 2026-12-07 from ``evaluate_point`` at commit c593162 (before the
DFB / circular evaluation moved out of designs/evaluate.py and designs/spec.py into the family files). They check
that the move changed no number, not that the numbers are right. Re-recorded for issue 23 (the gain window became
the perovskite spectrum's result, wider): the DFB and MAPbI3 numbers moved <= 2e-4 relative (the n_eff tables'
knots move with the window), the CsPbBr3 ring and disk pick another highest-Q whispering-gallery mode in the wider
489.8-556 nm window. The physics tests are the independent check: the physics tests (tests/fdtd/models/,
test_dfb_screen.py against Kogelnik-Shank and the per-design path, test_threshold.py) are the independent check."""

from __future__ import annotations

import ast

import pytest

from perocav.designs.cavities import FAMILIES, cavity_specs, family, supporting
from perocav.designs.evaluate import EvalTask, evaluate_point
from perocav.designs.spec import DesignPoint, DesignSpec
from perocav.designs.table import result_columns
from perocav.designs.threshold import GainMaterial
from tests.paths import REPO_ROOT

#: cavity: type -> (stack -> the cavity's other keys); one point per family and built-in perovskite stack
CASES = {
    "dfb": {"transparent_MAPbI3": {"period_nm": 385.0, "duty_cycle": 0.4, "n_periods": 250, "order": 2},
            "transparent_CsPbBr3": {"period_nm": 270.0, "duty_cycle": 0.4, "n_periods": 370, "order": 2}},
    "dfb_qw1": {"transparent_MAPbI3": {"period_nm": 190.0, "duty_cycle": 0.5, "n_periods": 300, "order": 1,
                                       "phase_shift": "quarter_wave"},
                "transparent_CsPbBr3": {"period_nm": 135.0, "duty_cycle": 0.5, "n_periods": 300, "order": 1,
                                        "phase_shift": "quarter_wave"}},
    "circular_dfb": {"transparent_MAPbI3": {"period_nm": 385.0, "duty_cycle": 0.3, "n_rings": 60},
                     "transparent_CsPbBr3": {"period_nm": 266.0, "duty_cycle": 0.3, "n_rings": 90}},
    "ring": {s: {"outer_radius_um": 10.0, "width_nm": 800.0} for s in ("transparent_MAPbI3", "transparent_CsPbBr3")},
    "disk": {s: {"radius_um": 10.0} for s in ("transparent_MAPbI3", "transparent_CsPbBr3")},
}

#: (wavelength_nm, q_estimate, threshold_modal_gain_per_cm, threshold_current_density_a_per_cm2,
#:  record.confinement_power, record.group_index) before the seam (see the module docstring)
ANCHORS = {
    ("transparent_MAPbI3", "dfb"): (797.1844751959198, 1308.3375063684846, 254.25686624890557, 299.77687169763766,
                                    0.8888841173755455, 4.220573284380146),
    ("transparent_MAPbI3", "dfb_qw1"): (793.6930228001103, 3957.9723861652906, 89.34245211994664, 200.8750264358626,
                                        0.8877030886663421, 4.466870090900295),
    ("transparent_MAPbI3", "circular_dfb"): (796.6133430482904, 715.4706602651555, 476.36411160917464,
                                             517.0351753420075, 0.895197588641321, 4.3211423390820265),
    ("transparent_MAPbI3", "ring"): (782.2843507580043, 39.94748530674581, 9778.816284300277, 1.2240519548786026e+16,
                                     0.872046638399959, 4.863629756250926),
    ("transparent_MAPbI3", "disk"): (782.2776008170356, 39.95635187857085, 9776.818929767573, 1.2152858143760294e+16,
                                     0.872054836934307, 4.863673667553783),
    ("transparent_CsPbBr3", "dfb"): (540.3753242808017, 3109.7924865917735, 180.82552306616512, 250.4586026249155,
                                     0.8894415931988228, 4.836228152122721),
    ("transparent_CsPbBr3", "dfb_qw1"): (541.1635617004692, 6960.698038605179, 79.05837130369203, 196.2592905814291,
                                         0.880823580888646, 4.73968342757526),
    ("transparent_CsPbBr3", "circular_dfb"): (537.4924027824159, 2790.270668529121, 235.883969742725,
                                              283.9638486800718, 0.9031468468566145, 5.630373734257601),
    ("transparent_CsPbBr3", "ring"): (529.4714950689086, 125.47479907363805, 8031.43706325423, 26540460721633.305,
                                      0.8759427916831464, 8.492048877131545),
    ("transparent_CsPbBr3", "disk"): (531.5626835639295, 96.72035783787842, 9814.238062754053, 1.8060455679709656e+16,
                                      0.8652013919191014, 8.030620441379398),
}


def _type_comparisons(path, root=REPO_ROOT) -> list[str]:
    """``file:line`` of every comparison whose operand is a registered cavity-type string (also inside a tuple,
    list or set) or a ``.type`` attribute / ``getattr(x, "type")``."""
    names = set(FAMILIES)
    hits = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not isinstance(node, ast.Compare):
            continue
        for op in (node.left, *node.comparators):
            items = op.elts if isinstance(op, (ast.Tuple, ast.List, ast.Set)) else [op]
            strings = {i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)}
            attr = isinstance(op, ast.Attribute) and op.attr == "type"
            getattr_type = (isinstance(op, ast.Call) and getattr(op.func, "id", "") == "getattr" and len(op.args) > 1
                            and isinstance(op.args[1], ast.Constant) and op.args[1].value == "type")
            if strings & names or attr or getattr_type:
                hits.append(f"{path.relative_to(root).as_posix()}:{node.lineno}")
                break
    return hits


def test_no_cavity_type_comparison_outside_the_family_files():
    """The pipeline asks ``designs.cavities.family(cavity)``; only designs/cavities/ may look at type names."""
    files = [p for p in sorted((REPO_ROOT / "designs").rglob("*.py")) if "cavities" not in p.parts]
    assert len(files) > 20
    offenders = [hit for p in files for hit in _type_comparisons(p)]
    assert not offenders, f"cavity-type comparisons outside designs/cavities/: {offenders}"


def test_the_check_catches_a_type_comparison(tmp_path):
    bad = tmp_path / "probe.py"
    bad.write_text("def f(p, c):\n    if p.cavity.type == 'x':\n        pass\n    return c in ('ring', 'disk') or "
                   "getattr(c, 'type', None) != 'y'\n\n\ndef g(c):\n    return c.kind == 'pool'\n")
    assert _type_comparisons(bad, root=tmp_path) == ["probe.py:2", "probe.py:4", "probe.py:4"]


def test_the_registry_builds_the_schema_and_knows_each_family():
    union = DesignSpec.model_fields["cavity"].annotation
    assert set(getattr(union, "__args__", ())) == set(cavity_specs())
    assert list(FAMILIES) == ["dfb", "circular_dfb", "ring", "disk"]
    for name, fam in FAMILIES.items():
        cav = fam.spec()
        assert family(cav) is fam and fam.name == name == cav.type
        assert fam.layout_cell(cav) == cav.layout_cell() and fam.size_um(cav) > 0
        assert "analytic" in fam.fidelities and fam.records
    assert supporting("fdtd") == supporting("rcwa") == ("dfb",)
    with pytest.raises(ValueError, match="unknown cavity type"):
        family("photonic_crystal")


def test_an_unsupported_fidelity_is_refused_by_the_schema():
    doc = {"name": "x", "stack": {"name": "transparent_MAPbI3"}, "cavity": {"type": "ring"}, "fidelity": "fdtd"}
    with pytest.raises(ValueError, match="available for cavity type dfb only"):
        DesignSpec.model_validate(doc)


def _point(stack: str, case: str) -> DesignPoint:
    kind = "dfb" if case.startswith("dfb") else case
    return DesignPoint.model_validate({"stack": {"name": stack}, "cavity": {"type": kind, **CASES[case][stack]},
                                       "gain_material": GainMaterial(gain_model="seed").model_dump()})


@pytest.mark.slow
@pytest.mark.parametrize("stack, case", sorted(ANCHORS))
def test_each_family_evaluates_as_before(stack, case):
    """Analytic fidelity through ``evaluate_point`` (the registry's dispatch) on both built-in perovskite stacks:
    the numbers recorded before the seam (regression anchor; J_th with the seed gain model they were recorded
    with), and the record's table columns from its family."""
    r = evaluate_point(EvalTask(key="k", point=_point(stack, case), fidelity="analytic"))
    assert r.ok, r.error
    m, s = r.metrics, r.solver
    got = (m.wavelength_nm, m.q_estimate, m.threshold_modal_gain_per_cm, m.threshold_current_density_a_per_cm2,
           s.confinement_power, s.group_index)
    assert got == pytest.approx(ANCHORS[stack, case], rel=1e-10)
    row = result_columns(r)
    assert all(row[c] == getattr(s, c) for c in family(r.point.cavity).reader_columns)  # the family's own columns


def test_a_new_family_plugs_in_through_the_registry(monkeypatch):
    """A third family (here a toy) is one ``CavityFamily`` in ``FAMILIES``: evaluation, table columns, the cache
    codec's tags, the thermal opening and the die's parameters reach it without an edit elsewhere in designs/.
    (The schema's union is built at import, so the toy point is constructed without validation.)"""
    from dataclasses import dataclass
    from typing import Literal

    from types import SimpleNamespace

    from perocav.designs import mask_export, record_codec, thermal_rank
    from perocav.designs.cavities.family import CavityFamily
    from perocav.designs.records import DesignMetrics
    from perocav.designs.spec import StackRef
    from perocav.pdk.bounds import StrictModel

    class ToyCavity(StrictModel):
        type: Literal["toy"] = "toy"
        radius_um: float = 5.0

        def layout_cell(self) -> tuple[str, dict]:
            return "disk_resonator", {"radius_um": self.radius_um}

    @dataclass(frozen=True)
    class ToyRecord:
        note: str

    def solve(point, fidelity, *, settings=None, cell=None, earlier=None):
        nan = float("nan")
        return DesignMetrics(wavelength_nm=780.0, q_estimate=1e3, threshold_modal_gain_per_cm=nan,
                             threshold_material_gain_per_cm=nan, threshold_density_per_cm3=nan, plqy_at_threshold=nan,
                             threshold_current_density_a_per_cm2=nan, below_auger_limit=False,
                             gain_thickness_nm=60.0), ToyRecord(note="toy"), None

    toy = CavityFamily(spec=ToyCavity, solve=solve, fidelities=("analytic",), size_um=lambda c: 2 * c.radius_um,
                       records={"toy_analytic": ToyRecord}, reader_columns=("note",), mask_params=lambda mask: {"label": "toy"})
    monkeypatch.setitem(FAMILIES, "toy", toy)
    cav = ToyCavity()
    point = DesignPoint.model_construct(stack=StackRef(name="transparent_MAPbI3"), cavity=cav,
                                        gain_material=GainMaterial(), params={})
    r = evaluate_point(EvalTask(key="k", point=point, fidelity="analytic"))
    assert r.ok and isinstance(r.solver, ToyRecord)
    assert {k: result_columns(r)[k] for k in ("wavelength_nm", "note")} == {"wavelength_nm": 780.0, "note": "toy"}
    assert record_codec._solver_tag(r.solver) == "toy_analytic"
    assert record_codec._solver_type("toy_analytic") is ToyRecord
    assert thermal_rank.cavity_size_um(cav) == 10.0
    spec = SimpleNamespace(mask=SimpleNamespace(opening_diameter_um=50.0))
    assert mask_export._params(point, spec)["cavity_params"] == {"radius_um": 5.0, "label": "toy"}
    failed = evaluate_point(EvalTask(key="k", point=point, fidelity="fdtd"))
    assert "not an evaluator of cavity type toy" in failed.error
