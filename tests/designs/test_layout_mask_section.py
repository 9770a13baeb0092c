"""The design file's ``mask:`` section: the bracket defaults (period +-2 and duty +-1 sweep steps, where the
cavity has them), the step taken from the sweep, and one-line errors naming the field for bad sections."""

from __future__ import annotations

from pathlib import Path

import pytest

from perocav.designs.mask_bracket import bracket_axes
from perocav.designs.mask_export import _die
from perocav.designs.spec import load_design
from perocav.pdk.errors import InputError
from tests.paths import REPO_ROOT

ROOT = REPO_ROOT
BASE = """\
name: t
stack: {name: transparent_MAPbI3}
cavity: {type: dfb, order: 2, period_nm: 380, duty_cycle: 0.4, n_periods: 120}
sweep: {grid: {period_nm: {start: 370, stop: 390, step: 10}, duty_cycle: [0.3, 0.4, 0.6, 0.7]}}
"""


def design(tmp_path: Path, mask: str) -> Path:
    p = tmp_path / "d.yaml"
    p.write_text(BASE + mask + "\n")
    return p


def test_default_design_brackets_period_by_two_sweep_steps_and_duty_by_one() -> None:
    assert bracket_axes(load_design(ROOT / "designs" / "default.yaml")) == {"period_nm": (5.0, 2),
                                                                            "duty_cycle": (0.1, 1)}


def test_step_from_the_sweep_from_the_file_or_the_fallback(tmp_path: Path) -> None:
    assert bracket_axes(load_design(design(tmp_path, "mask: {top_n: 2}"))) == {"period_nm": (10.0, 2),
                                                                               "duty_cycle": (0.1, 1)}
    spec = load_design(design(tmp_path, "mask: {bracket: {period_nm: {steps: 1, step: 2.5}, n_periods: "
                                        "{steps: 2, step: 20}, duty_cycle: {steps: 0}}}"))
    assert bracket_axes(spec) == {"period_nm": (2.5, 1), "n_periods": (20.0, 2)}
    no_sweep = BASE.replace("sweep: {grid: {period_nm: {start: 370, stop: 390, step: 10}, duty_cycle: [0.3, 0.4, 0.6, "
                            "0.7]}}\n", "")
    (tmp_path / "n.yaml").write_text(no_sweep + "mask: {}\n")
    assert bracket_axes(load_design(tmp_path / "n.yaml")) == {"period_nm": (5.0, 2), "duty_cycle": (0.05, 1)}


def test_die_is_sized_to_the_blocks() -> None:
    """Four 5 x 4 blocks at 420 x 300 um: two bands of two blocks (10 x 8 slots: 4.2 x 2.4 mm) plus frame and
    margin (2 x 300 um), rounded up to 250 um: 5 x 3 mm (one band of four: 9 x 3 mm; four bands: 3 x 5.5 mm)."""
    block = {"name": "b", "params": {}, "bracket": {"cavity_params.period_nm": {"step": 5, "steps": 2},
                                                    "cavity_params.duty_cycle": {"step": 0.1, "steps": 1}}}
    blocks = [{**block, "name": f"rank{i}", "params": {"cavity_params": {"period_nm": 380, "duty_cycle": 0.5}}}
              for i in range(4)]
    die = _die(blocks, (420.0, 300.0))
    assert (die["width_um"], die["height_um"]) == (5000.0, 3000.0)
    assert (die["pitch_x_um"], die["pitch_y_um"]) == (420.0, 300.0)


BAD = [
    ("mask: {bracket: {n_rings: {steps: 1}}}",
     "mask.bracket.n_rings: not a numeric parameter of the dfb cavity (allowed: duty_cycle, n_periods, period_nm)"),
    ("mask: {bracket: {n_periods: {steps: 1}}}",
     "mask.bracket.n_periods.step: n_periods is not swept, so the bracket needs its step (allowed: > 0)"),
    ("mask: {bracket: {period_nm: {steps: -1}}}", "mask.bracket.period_nm.steps: "),
    ("mask: {controls: [no_pixel]}", "'no_grating' or 'no_electrodes'"),
    ("mask: {repeats: true}", "mask.repeats: "),
    ("mask: {top_n: 27}", "mask.top_n: "),
]


@pytest.mark.parametrize(("mask", "expected"), BAD)
def test_bad_mask_section_is_one_line_naming_the_field(tmp_path: Path, mask: str, expected: str) -> None:
    path = design(tmp_path, mask)
    with pytest.raises(InputError) as err:
        load_design(path)
    line = str(err.value)
    assert "\n" not in line and line.startswith(f"{path}: ") and expected in line, line


def test_block_without_bracket_axes_places_the_design_once():
    """A design block with no bracket axes: one design, its repeats and controls (the design was placed twice)."""
    from perocav.layout.mask_doe import DesignBlockSpec, expand_block

    devices = expand_block(DesignBlockSpec(name="solo", params={"cavity": "dfb_grating"}, repeats=2))
    roles = [d.role for d in devices]
    assert roles.count("design") == 1 and roles.count("repeat") == 2 and roles.count("control") == 2
    slots = [(d.row, d.col) for d in devices]
    assert len(set(slots)) == len(slots) and all(r == 0 for r, _ in slots)  # one row: 5 devices
