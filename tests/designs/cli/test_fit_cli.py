"""``perocav fit lines|spectrum``: the JSON keys of the issue's interface, a plot, one-line errors (exit 2) naming the
file, the field and the allowed range, and the corrected design file that ``perocav run`` accepts reproducing the
fitted n_eff."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from tests.inproc import run_inproc
from tests.paths import REPO_ROOT

GOLDBERG = "order: 2\nperiod_nm: 405.27\nlength_um: 140\nlines_nm: [781.17, 784.661, 785.427]\n"


def _run(monkeypatch, capsys, *args):
    """``perocav fit ARGS`` in this process (``tests.inproc.run_inproc``): (exit code, stdout, stderr)."""
    res = run_inproc("fit", *args)
    return res.returncode, res.stdout, res.stderr


def _file(tmp_path, text: str, name: str = "lines.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_lines_json_and_plot(tmp_path, monkeypatch, capsys):
    """The issue's keys (n_eff, group_index, kappa_per_cm, uncertainty per free name, lines_model_nm), the measured
    lines reproduced, the model named, a PNG written."""
    png = tmp_path / "lines.png"
    code, out, err = _run(monkeypatch, capsys, "lines", _file(tmp_path, GOLDBERG), "--json", "--plot", png)
    assert code == 0, err
    res = json.loads(out)
    assert {"n_eff", "group_index", "kappa_per_cm", "uncertainty", "lines_model_nm", "residuals_nm", "covariance",
            "chi2", "assignment"} <= set(res)
    assert set(res["uncertainty"]) == {"n_eff", "group_index", "kappa_per_cm"}
    assert res["model"] == "device CMT"
    assert max(abs(r) for r in res["residuals_nm"]) < 0.05
    assert png.stat().st_size > 10_000


@pytest.mark.parametrize("text, field, allowed", [
    (GOLDBERG.replace("781.17", "50"), "lines_nm", "wavelengths 100-20000 nm"),
    (GOLDBERG + "free: [n_eff, group_index, kappa_per_cm, loss_per_cm]\n", "free", "only with linewidths_nm"),
    (GOLDBERG + "free: [n_eff, width]\n", "free", "subset of n_eff"),
    (GOLDBERG + "n_eff: 7\n", "n_eff", "1 to 5"),
    (GOLDBERG + "free: [n_eff, kappa_per_cm]\n", "group_index", "or add it to free"),
    (GOLDBERG.replace("order: 2", "order: 3"), "order", "1 or 2"),
    (GOLDBERG.replace("period_nm: 405.27", "period_nm: -4"), "period_nm", "> 0"),
    (GOLDBERG + "colour: red\n", "colour", "lines_nm"),
    (GOLDBERG + "linewidths_nm: [0.1]\n", "linewidths_nm", "one FWHM"),
    ("order: 2\nperiod_nm: 405\nlength_um: 140\nlines_nm: [781.0]\n", "free", "at most 1 names"),
])
def test_bad_input_is_one_line(tmp_path, monkeypatch, capsys, text, field, allowed):
    path = _file(tmp_path, text)
    code, _, err = _run(monkeypatch, capsys, "lines", path)
    assert code == 2
    lines = [x for x in err.splitlines() if x.startswith("error:")]
    assert len(lines) == 1, err
    line = lines[0]
    assert str(path) in line and field in line and allowed in line, line


def test_spectrum_rejects_a_bad_csv(tmp_path, monkeypatch, capsys):
    dev = _file(tmp_path, "order: 2\nperiod_nm: 405.27\nlength_um: 140\n", "device.yaml")
    csv = _file(tmp_path, "w,i,w\n1,2,3\n", "s.csv")
    code, _, err = _run(monkeypatch, capsys, "spectrum", csv, "--device", dev)
    assert code == 2 and str(csv) in err and "column pairs" in err


@pytest.mark.slow
def test_correction_reruns_to_the_fitted_n_eff(tmp_path, monkeypatch, capsys):
    """--write-correction on the Goldberg lines: the corrected stack puts the analytic Bragg wavelength of the
    measured 405.27 nm period on the fitted 2 n_eff period / 2 (n_eff within 2e-5: the thickness is solved to 0.01
    nm); the design file (period 405 nm, the layout's 1 nm grid) runs through ``perocav run`` and its record's n_eff
    and Bragg wavelength are the corrected stack's at 405 nm."""
    from perocav.designs.fit.correction import predict

    path = _file(tmp_path, GOLDBERG + "design: {stack: grating_above_MAPbI3, duty_cycle: 0.45}\n")
    corr = tmp_path / "corrected.yaml"
    code, out, err = _run(monkeypatch, capsys, "lines", path, "--json", "--write-correction", corr)
    assert code == 0, err
    res = json.loads(out)
    fixed = res["design"]["corrected"]
    assert fixed["n_eff"] == pytest.approx(res["n_eff"], abs=2e-5)
    assert fixed["bragg_wavelength_nm"] == pytest.approx(res["bragg_wavelength_nm"], abs=0.02)
    assert res["design"]["nominal"]["n_eff"] - res["n_eff"] > 0.05  # the 150 nm stack predicts a higher n_eff
    doc = yaml.safe_load(corr.read_text())
    thickness = doc["stack"]["thickness_nm"]["perovskite"]
    assert thickness == pytest.approx(fixed["thickness_nm"], abs=1e-3) and doc["cavity"]["period_nm"] == 405
    subprocess.run([sys.executable, "-m", "perocav.designs.cli", "run", str(corr), "-o", str(tmp_path / "run"),
                    "--workers", "1", "--no-progress", "--no-mask", "--no-report"], check=True, capture_output=True,
                   text=True, timeout=600, cwd=REPO_ROOT)
    import pandas as pd

    row = pd.read_csv(tmp_path / "run" / "results.csv").iloc[0]
    at_405 = predict(stack_name="grating_above_MAPbI3", layer="perovskite", thickness_nm=thickness, duty_cycle=0.45,
                     period_nm=405.0, order=2, length_um=140.0)
    assert row["status"] == "ok"
    assert row["bragg_wavelength_nm"] == pytest.approx(at_405.bragg_wavelength_nm, abs=0.01)
    assert row["bragg_wavelength_nm"] * 2 / (2 * 405.0) == pytest.approx(at_405.n_eff, abs=3e-5)  # n_eff at it
