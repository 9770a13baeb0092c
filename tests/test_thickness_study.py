"""Paper Fig. 3c study: the transparent stack reaches net gain at a thinner perovskite than the conventional one."""

import json

import pandas as pd
import pytest


def test_thickness_study_command(cli, tmp_path):
    proc = cli("thickness-study", "--step-nm", "10", "-o", tmp_path, "--json")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    t = summary["thinnest_net_gain_nm"]
    assert set(t) == {"transparent", "conventional", "electrode_free", "grating_above"}
    # paper (Goldberg 2024, Fig. 3c): conventional needs much thicker perovskite than the transparent stack
    assert t["transparent"] is not None and t["conventional"] is not None
    assert t["transparent"] + 50 < t["conventional"]
    assert t["electrode_free"] <= t["transparent"]  # no contacts, no contact loss
    df = pd.read_csv(tmp_path / "thickness_study.csv")
    assert (tmp_path / "thickness_study.png").stat().st_size > 10_000
    guided = df[df.guided]
    # eq. 6 with the power-weighted Gamma equals the modal gain of the pumped guide (independent complex solve)
    assert (guided.g_net_per_cm - guided.g_net_direct_per_cm).abs().max() < 0.03 * 500
    # g_net -> g_i for a thick gain layer in the loss-free electrode-free stack
    thick = guided[(guided["stack"] == "electrode_free_MAPbI3") & (guided.gain_thickness_nm == 300)]
    assert thick.g_net_per_cm.iloc[0] == pytest.approx(500 * thick.gamma_power.iloc[0], rel=1e-9)
    assert thick.gamma_power.iloc[0] > 0.95


def test_thickness_study_bad_input(cli, tmp_path):
    proc = cli("thickness-study", "--perovskite", "FAPbI3", "-o", tmp_path)
    assert proc.returncode == 2 and "--perovskite" in proc.stderr and not any(tmp_path.iterdir())
    proc = cli("thickness-study", "--min-nm", "300", "--max-nm", "100", "-o", tmp_path)
    assert proc.returncode == 2 and "--max-nm" in proc.stderr
