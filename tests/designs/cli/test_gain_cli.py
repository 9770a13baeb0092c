"""``perocav gain``: the JSON keys the issue names, both perovskites, and one-line refusals of bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest

from perocav.fdtd.models.spectral_gain.carriers import delta_mu_ev
from perocav.fdtd.models.spectral_gain.params import BAND_EDGES
from tests.inproc import assert_clean_refusal, run_inproc


@pytest.mark.slow  # the first call imports the CLI (0.5 s)
@pytest.mark.parametrize("name", ["MAPbI3", "CsPbBr3"])
def test_gain_json(name):
    res = run_inproc("gain", name, "--density-per-cm3", "1e18", "--temperature-k", "300", "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    wl, g = np.array(out["wavelength_nm"]), np.array(out["gain_per_cm"])
    assert wl.size == g.size > 100
    gap_nm = 1239.84198 / BAND_EDGES[name].gap_ev
    assert wl.min() <= gap_nm - 30 and wl.max() >= gap_nm + 30  # >= 60 nm around the gap
    assert g.min() < 0 < g.max()
    assert out["delta_mu_ev"] == pytest.approx(float(delta_mu_ev(edge=BAND_EDGES[name], density_per_cm3=1e18,
                                                                 temperature_k=300.0)))
    assert out["peak_wavelength_nm"] == wl[np.argmax(g)]
    lo, hi = out["gain_band_nm"]  # where g > 0: exactly the photon energies below Delta_mu (Bernard-Duraffourg)
    assert 1239.84198 / lo <= out["delta_mu_ev"] + 1e-12 and (g[wl < lo] <= 0).all() and (g[wl > hi] <= 0).all()
    w_lo, w_hi = out["gain_window_nm"]  # the window at the 1e19 ceiling holds the band at 1e18 (g rises with N)
    assert w_lo < lo and "exceeds 10 1/cm" in out["gain_window_reason"]


def test_gain_text():
    res = run_inproc("gain", "CsPbBr3", "--density-per-cm3", "2e18")
    assert res.returncode == 0 and "Delta_mu" in res.stdout and "gain peak" in res.stdout


@pytest.mark.parametrize("args,needles", [
    (("Si",), ("MATERIAL", "MAPbI3")),
    (("MAPbI3", "--density-per-cm3", "0"), ("--density-per-cm3", "1e+12 to 1e+20")),
    (("MAPbI3", "--density-per-cm3", "-3e17"), ("--density-per-cm3",)),
    (("CsPbBr3", "--temperature-k", "1000"), ("--temperature-k", "150 to 450 K")),
])
def test_gain_refuses_bad_input(args, needles):
    assert_clean_refusal(run_inproc("gain", *args), *needles)
