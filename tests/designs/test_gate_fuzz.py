"""validate == run (issue 22.4, issue 21.6): hypothesis writes design and stack files with physically degenerate
values (zero, tiny and huge thicknesses, no grating level, no gain layer, off-grid periods, metals of n < 1) and
runs `perocav validate` and `perocav run` (a tiny analytic sweep; one file in five with its mask and report) on
each, in process. Both must give the same verdict: both exit 0, or both exit 2 with the same one-line error and
nothing written; never an internal error, and no design point of a run fails for a reason the gate should have
caught (an input error) or for arithmetic gone wrong (a division by zero, an overflow)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.inproc import CliResult, run_inproc

pytestmark = pytest.mark.slow

SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)

#: thicknesses [nm] around every bound (the gain layer's stay below 1 um: a 5 um film costs ~8 s a point); valid
#: values are drawn far more often than degenerate ones, so that about half the files pass and are run
THIN = [0, 1e-9, 1e-3, 0.5, 0.999]


def _mostly(good: list, bad: list, *, one_in: int = 8) -> st.SearchStrategy:
    """A value of ``good``, or one time in ``one_in`` a value of ``bad``."""
    return st.integers(1, one_in).flatmap(lambda i: st.sampled_from(bad if i == 1 else good))


GAIN_NM = _mostly([150, 60, 400, 1], THIN + [5000.001, 1e4, 999999, 1e30])
OTHER_NM = _mostly([20, 50, 1, 4999.9, 5000], THIN + [5000.1, 999999])
PERIODS = st.lists(_mostly([380, 385], [100, 300, 372.5, 380.4, 390.25, 2000]), min_size=1, max_size=2, unique=True)
DUTIES = st.lists(_mostly([0.3, 0.5], [0.01, 0.98]), min_size=1, max_size=2, unique=True)


@st.composite
def stack_files(draw) -> dict:
    """A stack YAML document: grating (maybe absent), ITO, gain layer (maybe absent), a metal of n < 1 (maybe)."""
    layers = []
    if draw(st.booleans()) or draw(st.booleans()):
        layers.append({"name": "grating", "material": "Si3N4", "fill_material": "SiO2", "role": "grating",
                       "thickness_nm": draw(OTHER_NM)})
    layers.append({"name": "ito", "material": "ITO", "role": "contact", "thickness_nm": draw(OTHER_NM)})
    if draw(st.booleans()) or draw(st.booleans()):
        layers.append({"name": "film", "material": draw(st.sampled_from(["MAPbI3", {"n": 2.5, "k": 0.0}])),
                       "role": "gain", "thickness_nm": draw(GAIN_NM)})
    if draw(st.booleans()):
        layers.append({"name": "cathode", "material": {"n": draw(_mostly([0.14], [1e-3, 0.0])), "k": 4.5},
                       "role": "metal", "thickness_nm": draw(OTHER_NM)})
    return {"name": "fuzz_stack", "substrate": "SiO2", "emission_wavelength_nm": 780, "layers": layers}


@st.composite
def designs(draw) -> tuple[dict, dict | None]:
    """(design document, stack document or None for the PDK's transparent stack with overrides)."""
    stack = draw(stack_files()) if draw(st.booleans()) else None
    ref = ({"name": "s.yaml"} if stack else
           {"name": "transparent_MAPbI3", "thickness_nm": {"perovskite": draw(GAIN_NM), "grating": draw(OTHER_NM)}})
    grid = {"period_nm": draw(PERIODS), "duty_cycle": draw(DUTIES)}
    if draw(st.integers(0, 4)) == 0:
        grid = {"period_nm": {"start": 380, "stop": 385, "step": draw(st.sampled_from([5, 2.5, 0.1]))}}
    full = draw(st.integers(1, 5)) == 1  # one file in five: run with the mask and the report, as a user would
    design = {"name": "fuzz", "stack": ref,
              "cavity": {"type": "dfb", "order": draw(st.sampled_from([1, 2])), "period_nm": 380, "duty_cycle": 0.5,
                         "n_periods": draw(_mostly([250], [1, 3]))},
              "sweep": {"grid": grid}, "fidelity": "analytic", **({"mask": {"top_n": 1}} if full else {})}
    return design, stack


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _verdict(res: CliResult) -> tuple[int, list[str]]:
    assert "Traceback" not in res.stderr and "internal error" not in res.stderr, res.stderr[-3000:]
    assert res.returncode in (0, 2), (res.returncode, res.stderr[-2000:])
    lines = res.error_lines()
    if res.returncode == 2:
        assert len(lines) == 1 and lines[0].startswith("error: "), res.stderr
    return res.returncode, lines if res.returncode else []


@settings(max_examples=50, **SETTINGS)
@given(case=designs())
def test_validate_verdict_equals_run_verdict(case):
    design, stack = case
    # a sweep this small must cost seconds: the gate keeps the models finite and fast
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        if stack is not None:
            (folder / "s.yaml").write_text(yaml.safe_dump(stack, sort_keys=False))
        path = folder / "d.yaml"
        path.write_text(yaml.safe_dump(design, sort_keys=False))
        before = _files(folder)
        valid = _verdict(run_inproc("validate", path))
        quick = [] if "mask" in design else ["--no-report", "--no-mask"]
        ran = _verdict(run_inproc("run", path, "-o", folder / "out", "--workers", "1", "--no-progress", *quick))
        event(f"exit {ran[0]}" + (" (with mask and report)" if not quick else ""))
        assert valid == ran, (valid, ran)
        if ran[0] == 2:
            assert _files(folder) == before, "files written on exit 2"
        else:
            _check_failures(folder / "out")


#: What a failed design point may never fail with: an input the gate should have refused, or arithmetic gone wrong
NEVER = ("InputError", "ZeroDivisionError", "OverflowError", "FloatingPointError", "TypeError", "KeyError",
         "IndexError", "AttributeError")


def _check_failures(out: Path) -> None:
    import pandas as pd

    table = pd.read_parquet(out / "results.parquet")
    for error in table.loc[table["status"] != "ok", "error"]:
        assert not str(error).startswith(NEVER), error
