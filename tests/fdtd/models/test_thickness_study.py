"""Paper Fig. 3c study: the transparent stack reaches net gain at a thinner perovskite than the conventional one."""

import json

import pandas as pd
import pytest

pytestmark = pytest.mark.slow


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


def test_thickness_study_contact_material(cli, tmp_path):
    """--contact-material swaps the ITO contacts: thick-film ITO (Minenkov, k 0.026 at 780 nm) moves the transparent
    stack's net-gain crossing from ~36 nm (thin-film ITO, k 0.0046) to ~115 nm, near the paper's ~130 nm (Fig. 3c)."""
    thin = cli("thickness-study", "--contact-material", "ITO", "--min-nm", "20", "--max-nm", "160", "--step-nm", "5",
               "-o", tmp_path / "thin", "--json")
    thick = cli("thickness-study", "--contact-material", "ITO_thick", "--min-nm", "20", "--max-nm", "160",
                "--step-nm", "5", "-o", tmp_path / "thick", "--json")
    assert thin.returncode == 0 and thick.returncode == 0, thin.stderr + thick.stderr
    t_thin, t_thick = (json.loads(p.stdout)["thinnest_net_gain_nm"] for p in (thin, thick))
    assert json.loads(thick.stdout)["contact_material"] == "ITO_thick"
    assert 30 < t_thin["transparent"] < 45
    assert 100 < t_thick["transparent"] < 140
    assert t_thin["electrode_free"] == t_thick["electrode_free"]  # no ITO in it: unchanged


def test_contact_swap_matches_hand_written_stack(tmp_path):
    """Independent construction: the swapped built-in stack and a stack file typed by hand with ITO_thick contacts
    give the same net gain (same slab solver, different path to the stack)."""
    from perocav.fdtd.models.slab.thickness_study import net_gain_point, with_contact_material
    from perocav.pdk.stack_file import load_stack_file
    from perocav.pdk.stacks import get_stack

    f = tmp_path / "thick_ito.yaml"
    f.write_text(
        "name: thick_ito\nsubstrate: SiO2\ncover: air\nlayers:\n"
        "  - {name: grating, material: Si3N4, fill_material: SiO2, fill_fraction: 0.5, thickness_nm: 50, role: grating}\n"
        "  - {name: ito_bottom, material: ITO_thick, thickness_nm: 20, role: contact}\n"
        "  - {name: perovskite, material: MAPbI3, thickness_nm: 150, role: gain}\n"
        "  - {name: ito_top, material: ITO_thick, thickness_nm: 20, role: contact}\n"
    )
    kw = dict(gain_thickness_nm=120.0, wavelength_nm=780.0, gain_per_cm=500.0)
    swapped = net_gain_point(stack=with_contact_material(stack=get_stack("transparent_MAPbI3"), material="ITO_thick"), **kw)
    hand = net_gain_point(stack=load_stack_file(f), **kw)
    default = net_gain_point(stack=get_stack("transparent_MAPbI3"), **kw)
    assert swapped.g_net_per_cm == pytest.approx(hand.g_net_per_cm, abs=1e-6)
    assert swapped.loss_per_cm > 3 * default.loss_per_cm  # k 0.026 vs 0.0046


def test_thickness_study_bad_contact_material(cli, tmp_path):
    proc = cli("thickness-study", "--contact-material", "Unobtainium", "-o", tmp_path)
    assert proc.returncode == 2 and "--contact-material" in proc.stderr and not any(tmp_path.iterdir())
