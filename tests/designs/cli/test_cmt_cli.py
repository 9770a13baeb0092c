"""``perocav cmt``: JSON output and one-line errors (exit code 2) naming the bad option."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from tests.inproc import run_inproc

BASE = ["--neff-high", "1.95", "--neff-low", "1.90", "--duty", "0.5", "--period-nm", "200", "--length-um", "100"]


def _run(args):
    """``perocav cmt ARGS`` in this process: (exit code, stdout, stderr)."""
    res = run_inproc("cmt", *args)
    return res.returncode, res.stdout, res.stderr


def _replace(args, option, value):
    out = list(args)
    out[out.index(option) + 1] = value
    return out


@pytest.mark.parametrize(
    "option, value",
    [
        ("--duty", "0"),
        ("--duty", "1.2"),
        ("--period-nm", "-200"),
        ("--length-um", "0"),
        ("--order", "3"),
        ("--neff-low", "nan"),
        ("--phase-shift", "half-ish"),
        ("--modes", "0"),
    ],
)
def test_bad_input_exits_2_with_one_line(option, value):
    args = _replace(BASE, option, value) if option in BASE else [*BASE, option, value]
    code, out, err = _run(args)
    assert code == 2
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert option in lines[0] and "allowed" in lines[0]
    assert out == ""


@pytest.mark.slow
def test_json_first_order_quarter_wave():
    code, out, err = _run([*BASE, "--order", "1", "--phase-shift", "quarter", "--modes", "3", "--json"])
    assert code == 0, err
    res = json.loads(out)
    n_avg = 1.925
    lam_b = 2 * n_avg * 200
    kappa = 2 * 0.05 * np.sin(np.pi * 0.5) / (lam_b * 1e-7)  # 2 dn sin(pi D) / lambda [1/cm]
    assert res["bragg_wavelength_nm"] == pytest.approx(lam_b)
    assert res["kappa_per_cm"] == pytest.approx(kappa, rel=1e-12)
    assert res["kappa_L"] == pytest.approx(kappa * 100e-4, rel=1e-12)
    assert res["delta_n_abs"] == pytest.approx(0.05)
    assert res["stopband_short_nm"] < lam_b < res["stopband_long_nm"]
    modes = res["modes"]
    assert len(modes) == 3
    assert modes[0]["wavelength_nm"] == pytest.approx(lam_b, abs=1e-6)  # lambda/4: lases at Bragg
    assert modes[0]["power_gain_per_cm"] == pytest.approx(2 * modes[0]["alpha_per_cm"])
    assert [m["alpha_L"] for m in modes] == sorted(m["alpha_L"] for m in modes)


def test_neff_low_above_high_is_allowed():
    args = _replace(_replace(BASE, "--neff-high", "1.90"), "--neff-low", "1.95")
    code, out, err = _run([*args, "--json", "--modes", "2"])
    assert code == 0, err
    res = json.loads(out)
    assert res["delta_n_abs"] == pytest.approx(0.05)
    assert res["kappa_per_cm"] < 0 and res["kappa_L"] > 0


@pytest.mark.slow
def test_installed_command_end_to_end():
    """The real entry point in a fresh interpreter: table output and an error line."""
    ok = subprocess.run([sys.executable, "-m", "perocav.designs.cli", "cmt", *BASE, "--order", "2", "--duty", "0.3"],
                        capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert "kappa" in ok.stdout and "radiating edge = long" in ok.stdout
    bad = subprocess.run([sys.executable, "-m", "perocav.designs.cli", "cmt", *_replace(BASE, "--duty", "1")],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2
    assert bad.stderr.strip().count("\n") == 0 and "--duty" in bad.stderr
