"""``perocav simulate dfb``: JSON on stdout (MEEP's log kept off it), one-line error for a too-coarse grid."""

import json

import pytest

from tests.conftest import assert_one_line_error

pytestmark = pytest.mark.slow


@pytest.mark.meep
def test_simulate_dfb_json(cli):
    proc = cli("simulate", "dfb", "--stack", "electrode_free", "--period-nm", "200", "--duty", "0.5", "--order", "1",
               "--n-periods", "100", "--resolution", "80", "--single", "--json")
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)
    for key in ("edge_short_nm", "edge_long_nm", "q_short", "q_long", "kappa_per_cm", "kappa_L", "confinement_power",
                "modal_loss_per_cm", "threshold_modal_gain_per_cm", "converged", "resolution_px_per_um",
                "wall_time_s"):
        assert key in d
    assert d["model"] == "fdtd" and d["confinement_model"] == "fdtd"
    assert abs(d["kappa_per_cm"] - d["analytic.kappa_per_cm"]) < 0.05 * d["analytic.kappa_per_cm"]  # beside, by the CLI
    assert "resolution 80 px/um" in proc.stderr  # progress


def test_simulate_dfb_refuses_coarse_grid(cli):
    # 2nd-order unit cell (parity runs, lossless media): 1.5 px across the 20 nm ITO
    proc = cli("simulate", "dfb", "--resolution", "60")
    assert_one_line_error(proc, "resolution_px_per_um", ">= 75 px/um")
    # 1st order (lossy media, both edges per run): 4 px
    proc = cli("simulate", "dfb", "--order", "1", "--period-nm", "192.5", "--resolution", "100")
    assert_one_line_error(proc, "resolution_px_per_um", ">= 200 px/um")


@pytest.mark.meep
def test_simulate_dfb_band_diagram_png(cli, tmp_path):
    png = tmp_path / "bands.png"
    proc = cli("simulate", "dfb", "--stack", "electrode_free", "--period-nm", "200", "--duty", "0.5", "--order", "1",
               "--resolution", "40", "--force", "--single", "--json", "--band-diagram", str(png))
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)
    assert d["band_diagram_png"] == str(png) and png.read_bytes()[:4] == b"\x89PNG"
