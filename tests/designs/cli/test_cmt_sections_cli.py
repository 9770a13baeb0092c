"""``perocav cmt sections FILE.yaml``: the JSON keys, a Kogelnik-Shank device through the command line, and one-line
errors (exit code 2) naming the file, the field and the allowed range; the old ``perocav cmt --neff-high ...``
still runs."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.inproc import run_inproc


def _run(*args):
    """``perocav cmt ARGS`` in this process: (exit code, stdout, stderr)."""
    res = run_inproc("cmt", *args)
    return res.returncode, res.stdout, res.stderr


def _file(tmp_path, text: str):
    path = tmp_path / "device.yaml"
    path.write_text(text)
    return path


def test_kogelnik_shank_device_through_the_command(tmp_path):
    """kappa L = 2 over 200 um, pumped all along: the pair at 2 alpha L = 2 x 0.9847, delta L = +/- 1.0758 pi."""
    path = _file(tmp_path, "sections:\n  - {length_um: 200, kappa_per_cm: 100, h_per_cm: 0, phase_rad: 0, "
                           "pumped: true}\nmodes: 2\n")
    code, out, err = _run("sections", path, "--json")
    assert code == 0, err
    res = json.loads(out)
    assert {"modes", "gain_margin_per_cm", "length_um", "pumped_length_um"} <= set(res)
    assert len(res["modes"]) == 2
    for m in res["modes"]:
        assert {"threshold_modal_gain_per_cm", "detuning_per_cm"} <= set(m)
        assert m["threshold_modal_gain_per_cm"] * 200e-4 / 2 == pytest.approx(0.9847, abs=1e-4)
        assert abs(m["detuning_per_cm"]) * 200e-4 / np.pi == pytest.approx(1.0758, abs=1e-4)
    assert res["gain_margin_per_cm"] == pytest.approx(0.0, abs=1e-6)


def test_lossy_wings_and_table(tmp_path):
    """An unpumped lossy section raises the threshold above the fully pumped one; the table prints."""
    body = ("sections:\n  - {length_um: 100, kappa_per_cm: 100, h_per_cm: 0, phase_rad: 0, pumped: true}\n"
            "  - {length_um: 100, kappa_per_cm: 100, h_per_cm: 0, phase_rad: 0, gain_per_cm: %s}\n")
    gains = []
    for loss in (0, -200):
        code, out, err = _run("sections", _file(tmp_path, body % loss), "--json")
        assert code == 0, err
        modes = json.loads(out)["modes"]
        thresholds = [m["threshold_modal_gain_per_cm"] for m in modes]
        assert thresholds == sorted(thresholds)
        gains.append(modes[0]["threshold_modal_gain_per_cm"])
    assert gains[1] > gains[0] > 2 * 0.9847 / 200e-4  # half pumped needs more than the fully pumped device
    code, out, _ = _run("sections", _file(tmp_path, body % -200))
    assert code == 0 and "threshold g_p" in out and "gain margin" in out


@pytest.mark.parametrize("text, field, allowed", [
    (None, "file", "readable"),
    ("sections: [\n", "file", "valid YAML"),
    ("sections:\n  - {length_um: 5, pumped: true}\n", "sections[0].kappa_per_cm", "1/cm"),
    ("sections:\n  - {length_um: 5, kappa_per_cm: 1, pumped: true}\n  - {length_um: 5, kappa_per_cm: 1}\n"
     "  - {length_um: -2, kappa_per_cm: 1}\n", "sections[2].length_um", "> 0"),
    ("sections:\n  - {length_um: 5, kappa_per_cm: 1, gain_per_cm: -3}\n", "sections", "pumped: true"),
    ("sections:\n  - {length_um: 5, kappa_per_cm: 1, pumped: true, kapa: 2}\n", "sections[0].kapa", "kappa_per_cm"),
    ("sections:\n  - {length_um: 5, kappa_per_cm: 1, h_per_cm: -1, pumped: true}\n", "sections[0].h_per_cm", "0 to"),
])
def test_bad_file_is_one_line_naming_file_field_and_range(tmp_path, text, field, allowed):
    path = tmp_path / "missing.yaml" if text is None else _file(tmp_path, text)
    code, out, err = _run("sections", path)
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2 and out == ""
    assert len(lines) == 1, err
    assert path.name in lines[0] and f" {field}:" in lines[0] and "allowed:" in lines[0] and allowed in lines[0], lines


def test_old_grating_invocation_and_help_still_work():
    base = ["--neff-high", "1.95", "--neff-low", "1.90", "--duty", "0.5", "--period-nm", "200", "--length-um", "100"]
    code, out, err = _run(*base, "--modes", "1", "--json")
    assert code == 0, err
    assert json.loads(out)["kappa_L"] > 0
    code, out, err = _run(*base[2:], "--json")
    assert code == 2 and "--neff-high" in err and len(err.strip().splitlines()) == 1
    code, out, _ = _run("--help")
    assert code == 0 and "--neff-high" in out and "sections" in out
