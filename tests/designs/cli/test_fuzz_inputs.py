"""Fuzzing the input gate (issue 13, item 6): hypothesis mutates valid stack, design and mask files (values of every
type at every key, deleted and unknown keys, damaged bytes) and CLI values, runs the CLI in-process and asserts:
exit 0 or 2 (mask: 1 only for a DRC refusal), never a traceback, at most one error line, nothing written on exit 2.
Bounded to about two minutes in all (max_examples per test below)."""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.inproc import CliResult, run_inproc

pytestmark = pytest.mark.slow

SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
                derandomize=True)

BASE_STACK = {
    "name": "fuzz_stack", "substrate": "SiO2", "cover": "air", "emission_wavelength_nm": 780,
    "layers": [
        {"name": "grating", "material": "Si3N4", "fill_material": "SiO2", "thickness_nm": 50, "role": "grating",
         "fill_fraction": 0.5},
        {"name": "ito", "material": "ITO", "thickness_nm": 20, "role": "contact"},
        {"name": "perovskite", "material": {"n": 2.5, "k": 0.0}, "thickness_nm": 150, "role": "gain"},
    ],
}
BASE_DESIGN = {
    "name": "fuzz", "stack": {"name": "transparent_MAPbI3", "thickness_nm": {"perovskite": 150}},
    "cavity": {"type": "dfb", "order": 2, "period_nm": 380, "duty_cycle": 0.5, "n_periods": 250},
    "sweep": {"grid": {"period_nm": [375, 385], "duty_cycle": {"start": 0.4, "stop": 0.6, "num": 2}}},
    "fidelity": "analytic", "objective": {"wavelength_window_nm": [770, 800], "min_q": 0},
}
BASE_MASK = {
    "name": "fuzz_mask", "die": {"width_um": 2000, "height_um": 2000, "margin_um": 300, "pitch_x_um": 400,
                                 "pitch_y_um": 400},
    "marks": {"alignment": False, "verniers": False, "die_label": True},
    "devices": [{"cell": "disk_resonator", "params": {"radius_um": 10}}],
}

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=False),  # MEEP's -ffast-math flushes subnormals st.sampled_from([0, -1, 1e30, 1e-30, 1e308, -0.0]),
    st.text(max_size=12), st.sampled_from(["", "..", "../x", "a/b", "x" * 300, "1e30", ".inf", "Si3N4", "dfb"]),
)
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=4), st.dictionaries(st.text(max_size=6), SCALARS, max_size=3),
                   st.just({"start": 0, "stop": 1e9, "step": 1e-3}), st.just([]), st.just({}))


def _paths(node, prefix=()):
    """Every (path to a value) in a nested dict/list document."""
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


def _mutate(doc, path, action, value):
    doc = copy.deepcopy(doc)
    parent = doc
    for p in path[:-1]:
        parent = parent[p]
    key = path[-1]
    if action == "replace":
        parent[key] = value
    elif action == "delete":
        del parent[key]
    elif action == "add" and isinstance(parent, dict):
        parent[f"{key}_extra"] = value
    elif action == "duplicate" and isinstance(parent, list):
        parent.append(copy.deepcopy(parent[key]))
    return doc


@st.composite
def mutated_files(draw, base: dict) -> bytes:
    """A YAML file: the base document with 1-3 mutations, sometimes with its bytes damaged afterwards."""
    doc = base
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(doc)
        if not paths:
            break
        doc = _mutate(doc, draw(st.sampled_from(paths)), draw(st.sampled_from(["replace", "replace", "delete", "add",
                                                                                "duplicate"])), draw(VALUES))
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True).encode()
    damage = draw(st.sampled_from(["none", "none", "none", "truncate", "flip", "insert", "duplicate-line"]))
    if damage == "truncate":
        text = text[: draw(st.integers(0, len(text)))]
    elif damage == "flip":
        i = draw(st.integers(0, max(0, len(text) - 1)))
        text = text[:i] + bytes([draw(st.integers(0, 255))]) + text[i + 1:]
    elif damage == "insert":
        i = draw(st.integers(0, len(text)))
        text = text[:i] + draw(st.binary(max_size=8)) + text[i:]
    elif damage == "duplicate-line":
        lines = text.splitlines(keepends=True)
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        text = b"".join(lines[: i + 1] + lines[i:])
    return text


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _check(res: CliResult, folder: Path, before: list[str], *, allow_drc_refusal: bool = False) -> None:
    assert "Traceback" not in res.stderr, res.stderr[-3000:]
    lines = res.error_lines()
    if allow_drc_refusal and res.returncode == 1:
        assert lines[-1].startswith("error: mask") and "DRC violations" in lines[-1], res.stderr[-2000:]
        return
    assert res.returncode in (0, 2), (res.returncode, res.stderr[-2000:])
    if res.returncode == 2:
        assert len(lines) == 1 and lines[0].startswith("error: "), res.stderr
        assert _files(folder) == before, "files written on exit 2"


@settings(max_examples=40, **SETTINGS)
@given(text=mutated_files(BASE_STACK))
def test_fuzz_stack_file(text):
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        (folder / "s.yaml").write_bytes(text)
        design = folder / "d.yaml"
        design.write_text("name: f\nstack: {name: s.yaml}\ncavity: {type: dfb, period_nm: 380}\n")
        before = _files(folder)
        _check(run_inproc("validate", design), folder, before)


@settings(max_examples=50, **SETTINGS)
@given(text=mutated_files(BASE_DESIGN))
def test_fuzz_design_file(text):
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        (folder / "d.yaml").write_bytes(text)
        before = _files(folder)
        _check(run_inproc("validate", folder / "d.yaml"), folder, before)


@settings(max_examples=12, **SETTINGS)
@given(text=mutated_files(BASE_MASK))
def test_fuzz_mask_file(text):
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        (folder / "m.yaml").write_bytes(text)
        before = _files(folder)
        res = run_inproc("mask", folder / "m.yaml", "-o", folder / "out")
        _check(res, folder, before, allow_drc_refusal=True)
        if res.returncode == 1:
            assert not (folder / "out").exists() or not list((folder / "out").glob("*.gds"))


CLI_WORDS = st.one_of(st.text(max_size=10), st.sampled_from(
    ["0", "-1", "abc", "nan", "inf", "-inf", "1e400", "780", "550", "perovskite=80", "perovskite=-3", "x=1", "=",
     "TE", "TM", "XY", "transparent", "nonsense", "transparent_CsPbBr3", "", "--json", "1e9", "local:0"]))


@settings(max_examples=40, **SETTINGS)
@given(wl=CLI_WORDS, pol=CLI_WORDS, thickness=CLI_WORDS, stack=CLI_WORDS)
def test_fuzz_cli_values(wl, pol, thickness, stack):
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        res = run_inproc("modes", "--stack", stack, "--wavelength-nm", wl, "--pol", pol, "--thickness", thickness,
                         "--json")
        if res.returncode == 1:  # a valid question whose answer is "no guided mode" (documented exit 1)
            assert json.loads(res.stdout)["guided"] is False
            return
        _check(res, folder, [])


@settings(max_examples=200, **SETTINGS)
@given(scheduler=st.one_of(st.text(max_size=30), st.sampled_from(["local", "local:0", "local:-1", "local:99999",
                                                                  "local:3", "tcp://", "tcp://h:0", "tcp://h:70000",
                                                                  "tcp://[::1]:8786", "tls://a.b:1", "inproc://x"])),
       workers=st.one_of(st.none(), st.integers(-5, 10**6)))
def test_fuzz_scheduler_and_workers(scheduler, workers):
    from perocav.designs.executor import MAX_WORKERS, parse_scheduler
    from perocav.pdk.errors import InputError

    try:
        choice = parse_scheduler(scheduler, workers=workers)
    except InputError as err:
        assert "\n" not in str(err) and err.field in ("--scheduler", "--workers")
        return
    assert choice.kind in ("local", "remote")
    assert choice.kind == "remote" or 1 <= choice.n <= MAX_WORKERS
    assert workers is None or 1 <= workers <= MAX_WORKERS
