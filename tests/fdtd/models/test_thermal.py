"""Pixel heat model (issue 15): exact half-space solutions, energy balance, convergence, the seed paper's Fig. 2e
statements, the ``perocav thermal`` command and its one-line errors.

Exact references (Carslaw & Jaeger, Conduction of Heat in Solids, 2nd ed., sections 2.9 and 10.5):
- constant flux q on the surface of a half-space: T(z, t) = (2 q sqrt(a t) / k) ierfc(z / (2 sqrt(a t))),
  ierfc(x) = exp(-x^2)/sqrt(pi) - x erfc(x); at the surface T = 2 q sqrt(a t / pi) / k;
- flux q on a disk of radius R (adiabatic elsewhere), centre: T = (2 q sqrt(a t) / k) [1/sqrt(pi) - ierfc(R / (2 sqrt(a t)))].
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy.special import erfc

from perocav.fdtd.models.thermal.thermal import pixel_system, pixel_thermal_transient, simulate_heating
from perocav.fdtd.models.thermal.thermal_drive import DiodeDrive, PulseDrive, PulseTrain, photon_turn_on_v
from perocav.fdtd.models.thermal.thermal_grid import GridSettings
from perocav.fdtd.models.thermal.thermal_solver import integrate_pulses, integrate_train_by_superposition
from perocav.fdtd.models.thermal.thermal_stack import homogeneous_stack, thermal_stack_from_stack
from perocav.pdk.errors import InputError
from perocav.pdk.materials.thermal import get_thermal_material, thermal_material_names
from perocav.pdk.stacks import get_stack
from tests.inproc import run_inproc

SIO2 = get_thermal_material("SiO2")
K, ALPHA = SIO2.conductivity_w_per_m_k, SIO2.diffusivity_m2_per_s
HALF_SPACE = homogeneous_stack(material=SIO2, source_thickness_m=1e-9, depth_m=1e-3)


def ierfc(x):
    return np.exp(-x**2) / np.sqrt(np.pi) - x * erfc(x)


def test_surface_flux_on_half_space_matches_erfc_solution():
    q, tp = 1e7, 1e-6  # 1 kW/cm^2 for 1 us
    system = pixel_system(tstack=HALF_SPACE, opening_diameter_um=50, geometry="1d")
    run = integrate_pulses(system=system, power_w_per_m2=q, pulse_s=tp, period_s=tp, n_pulses=1, t_end_s=tp)
    t = run.time_s
    on = (t >= 1e-8) & (t <= tp)
    surface = 2 * q * np.sqrt(ALPHA * t[on] / np.pi) / K
    assert np.max(np.abs(run.peak_rise_k[on] / surface - 1)) < 0.01
    z_c = 0.5 * (system.z_faces_m[1:] + system.z_faces_m[:-1])
    depth = system.z_faces_m[-1] - z_c
    exact = 2 * q * np.sqrt(ALPHA * tp) / K * ierfc(depth / (2 * np.sqrt(ALPHA * tp)))
    seen = exact > 0.05 * exact.max()  # the profile down to ~1.6 diffusion lengths
    assert seen.sum() > 20
    assert np.max(np.abs(run.final_rise_k[seen] / exact[seen] - 1)) < 0.01


def _talbot(transform, t, m=24):
    """Fixed-Talbot inverse Laplace transform (Abate & Valko 2004) of ``transform`` at time ``t``."""
    r = 2 * m / (5 * t)
    th = np.arange(1, m) * np.pi / m
    cot = 1 / np.tan(th)
    s = r * th * (cot + 1j)
    sig = th + (th * cot - 1) * cot
    terms = np.exp(t * s) * np.array([transform(x) for x in s]) * (1 + 1j * sig)
    return float((r / m * (0.5 * np.exp(r * t) * transform(r) + terms.sum())).real)


def test_layered_stack_matches_laplace_domain_quadrupoles():
    """Surface flux on 151 nm MAPbI3 / 20 nm ITO / SiO2 half-space: the thermal-quadrupole solution (exact in the
    Laplace domain, Maillet et al., Thermal Quadrupoles, Wiley 2000) inverted numerically, vs the finite volumes."""
    from perocav.fdtd.models.thermal.thermal_stack import ThermalSlab, ThermalStack

    ito, pero = get_thermal_material("ITO"), get_thermal_material("MAPbI3")

    def surface_impedance(p):
        z = 1 / (K * np.sqrt(p / ALPHA))                       # glass half-space
        for m, length in ((ito, 20e-9), (pero, 151e-9)):
            k = np.sqrt(p / m.diffusivity_m2_per_s)
            lam = m.conductivity_w_per_m_k
            ch, sh = np.cosh(k * length), np.sinh(k * length)
            z = (ch * z + sh / (lam * k)) / (lam * k * sh * z + ch)
        return z

    q, src = 1e7, 0.1e-9
    tstack = ThermalStack((ThermalSlab("substrate", 1e-3, SIO2), ThermalSlab("ito", 20e-9, ito),
                           ThermalSlab("pero", 151e-9 - src, pero), ThermalSlab("src", src, pero, True)))
    run = simulate_heating(tstack=tstack, opening_diameter_um=50, power_w_per_cm2=q / 1e4,
                           train=PulseTrain(pulse_ns=1000, t_end_ns=1000.0001), geometry="1d")
    for t in (1e-8, 1e-7, 1e-6):
        assert run.rise_at_s(t) == pytest.approx(_talbot(lambda p: q / p * surface_impedance(p), t), rel=0.01)


@pytest.mark.slow
@pytest.mark.parametrize("diameter_um", [2.0, 10.0])
def test_disk_source_centre_matches_exact_rz_solution(diameter_um):
    q = 1e7
    run = simulate_heating(tstack=HALF_SPACE, opening_diameter_um=diameter_um, power_w_per_cm2=q / 1e4,
                           train=PulseTrain(pulse_ns=1e4, t_end_ns=1e4 * 1.0001))
    r = diameter_um * 0.5e-6
    for t in (1e-7, 1e-6, 1e-5):
        s = math.sqrt(ALPHA * t)
        exact = 2 * q * s / K * (1 / math.sqrt(math.pi) - ierfc(r / (2 * s)))
        assert run.rise_at_s(t) == pytest.approx(exact, rel=0.01)
    # lateral spreading matters here: the 1D (no spreading) answer is far off at 10 us
    assert run.rise_at_s(1e-5) < 0.9 * 2 * q * math.sqrt(ALPHA * 1e-5 / math.pi) / K


@pytest.mark.slow
def test_energy_balance_with_heat_reaching_the_sink():
    """Thin substrate, long window: a good part of the heat leaves through the heat sink."""
    tstack = thermal_stack_from_stack(stack=get_stack("transparent_CsPbBr3"), substrate_thickness_um=5.0)
    run = simulate_heating(tstack=tstack, opening_diameter_um=20, power_w_per_cm2=5e3, train=PulseTrain(pulse_ns=100))
    heat_in = 5e3 * 1e4 * math.pi * (10e-6) ** 2 * 100e-9   # independent of the source vector
    assert run.heat_in_j == pytest.approx(heat_in, rel=1e-12)
    assert run.conducted_out_j > 0.3 * heat_in
    assert abs(heat_in - run.stored_j - run.conducted_out_j) / heat_in < 1e-3


@pytest.mark.slow
def test_pulse_train_superposition_equals_direct_integration():
    system = pixel_system(tstack=thermal_stack_from_stack(stack=get_stack("transparent_MAPbI3")),
                          opening_diameter_um=50, geometry="1d")
    kw = dict(system=system, power_w_per_m2=1e7, pulse_s=1e-6, period_s=1e-5, n_pulses=4)
    direct = integrate_pulses(**kw, t_end_s=4e-5)
    sup = integrate_train_by_superposition(**kw)
    assert sup.end_of_pulse_rise_k == pytest.approx(direct.end_of_pulse_rise_k, rel=1e-4)
    assert sup.end_of_pulse_rise_k[-1] > 1.2 * sup.end_of_pulse_rise_k[0]  # heat piles up at 100 kHz
    assert abs(sup.heat_in_j - sup.stored_j - sup.conducted_out_j) / sup.heat_in_j < 1e-3


@pytest.mark.slow
def test_grid_and_time_step_convergence():
    tstack = thermal_stack_from_stack(stack=get_stack("transparent_MAPbI3"))
    kw = dict(tstack=tstack, opening_diameter_um=50, power_w_per_cm2=1e4,
              train=PulseTrain(pulse_ns=1000, t_end_ns=1000.1))
    base = simulate_heating(**kw).max_temperature_rise_k
    fine = simulate_heating(**kw, grid=GridSettings().refined(1.5)).max_temperature_rise_k
    tight = simulate_heating(**kw, rtol=1e-8).max_temperature_rise_k
    assert fine == pytest.approx(base, rel=5e-3)
    assert tight == pytest.approx(base, rel=1e-4)


@pytest.fixture(scope="module")
def fig2e():
    """The paper's Fig. 2e device: 150 nm MAPbI3 between 20 nm ITO, 50 um opening; rise per W/cm^2."""
    tstack = thermal_stack_from_stack(stack=get_stack("transparent_MAPbI3"))
    long = simulate_heating(tstack=tstack, opening_diameter_um=50, power_w_per_cm2=1.0, train=PulseTrain(pulse_ns=1000))
    short = simulate_heating(tstack=tstack, opening_diameter_um=50, power_w_per_cm2=1.0, train=PulseTrain(pulse_ns=10))
    return long, short


def _power(j):
    return j * (photon_turn_on_v(wavelength_nm=780.0) + j * PulseDrive().series_resistance_ohm_cm2)


@pytest.mark.slow
def test_fig2e_statements_of_the_paper(fig2e):
    long, short = fig2e
    per_w = long.max_temperature_rise_k
    rises = [_power(j) * per_w for j in (100, 1000, 10000)]
    assert rises[0] < 5 < 60 < rises[2] and rises[0] < rises[1] < rises[2]
    j60 = next(j for j in np.arange(100, 10001, 10.0) if _power(j) * per_w > 60)
    assert 1000 < j60 < 2000                  # paper: > 60 K at J > 1 kA/cm^2 (with the assumed R_s)
    assert 0.4 < long.rise_at_s(3e-7) / per_w < 0.7   # about half of the rise comes after ~300 ns
    assert 1.0 < _power(j60) * short.max_temperature_rise_k < 10.0   # paper: ~10 K with sub-10 ns pulses
    assert 30e-6 < long.cooldown_time_s(fraction=0.05) < 150e-6      # paper: up to 100 us to cool down


def test_every_pdk_stack_of_both_perovskites_has_thermal_data():
    for kind in ("transparent", "conventional", "electrode_free", "grating_above"):
        for gain in ("MAPbI3", "CsPbBr3"):
            tstack = thermal_stack_from_stack(stack=get_stack(f"{kind}_{gain}"))
            assert tstack.slabs[tstack.heated_index].material.name == gain
    for name in thermal_material_names():
        m = get_thermal_material(name)
        assert m.conductivity_source and m.density_source and m.specific_heat_source
        assert m.temperature_min_k < 300 < m.temperature_max_k or m.name == "MAPbI3"


@pytest.mark.slow
def test_transient_record_for_a_real_stack():
    tr = pixel_thermal_transient(stack=get_stack("transparent_CsPbBr3"), opening_diameter_um=30,
                                 drive=DiodeDrive(current_density_a_per_cm2=1000),
                                 train=PulseTrain(pulse_ns=200, rep_rate_khz=100, n_pulses=3))
    assert tr.voltage_v == pytest.approx(1239.841984 / 525 + 1000 * 5e-3)
    assert len(tr.end_of_pulse_rise_k) == 3 and tr.max_temperature_rise_k >= tr.end_of_pulse_rise_k[0] > 0
    assert tr.energy_balance_rel_error < 1e-3


def _run(args):
    """``perocav thermal ARGS`` in this process: (exit code, stdout, stderr)."""
    res = run_inproc("thermal", *args)
    return res.returncode, res.stdout, res.stderr


def _stack_file(tmp_path, material, gain_nm=1.0):
    path = tmp_path / "slab.yaml"
    path.write_text(f"name: slab\nsubstrate: SiO2\ncover: air\nemission_wavelength_nm: 780\nlayers:\n"
                    f"  - {{name: hot, material: {material}, thickness_nm: {gain_nm}, role: gain}}\n")
    return str(path)


@pytest.mark.slow
def test_cli_reproduces_the_surface_flux_solution(tmp_path):
    args = ["--stack", _stack_file(tmp_path, "SiO2"), "--current-density-a-per-cm2", "1000", "--pulse-ns", "1000",
            "--turn-on-v", "1", "--series-resistance-ohm-cm2", "0", "--geometry", "1d", "--json",
            "--plot", str(tmp_path / "rise.png")]
    code, out, err = _run(args)
    assert code == 0, err
    run = json.loads(out)["runs"][0]
    exact = 2 * 1e7 * math.sqrt(ALPHA * 1e-6 / math.pi) / K
    assert run["power_density_w_per_cm2"] == pytest.approx(1000.0)
    assert run["max_temperature_rise_k"] == pytest.approx(exact, rel=0.01)
    assert run["energy_balance_rel_error"] < 1e-3
    assert (tmp_path / "rise.png").stat().st_size > 1000


@pytest.mark.parametrize("extra, needle", [
    (["--pulse-ns", "-5"], "--pulse-ns"),
    (["--opening-diameter-um", "0"], "--opening-diameter-um"),
    (["--pulse-ns", "2000", "--rep-rate-khz", "1000"], "--pulse-ns"),
    (["--current-density-a-per-cm2", "nan"], "--current-density-a-per-cm2"),
    (["--series-resistance-ohm-cm2", "-1"], "--series-resistance-ohm-cm2"),
    (["--geometry", "3d"], "--geometry"),
])
def test_cli_bad_drive_one_line(extra, needle):
    args = ["--stack", "transparent_MAPbI3", "--current-density-a-per-cm2", "100", *extra]
    code, out, err = _run(args)
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2 and len(lines) == 1 and out == "", err
    assert needle in lines[0] and "allowed" in lines[0]


def test_cli_material_without_thermal_data(tmp_path):
    code, out, err = _run(["--stack", _stack_file(tmp_path, "HfO2", 100),
                                                "--current-density-a-per-cm2", "100"])
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2 and len(lines) == 1, err
    assert "layers.hot.material" in lines[0] and "HfO2" in lines[0] and "MAPbI3" in lines[0]


def test_drive_spec_rejects_pulse_longer_than_period():
    with pytest.raises(ValueError, match="pulse_ns"):
        PulseDrive(pulse_ns=200_000, rep_rate_khz=10)
    with pytest.raises(ValueError):
        PulseDrive(opening_diameter_um=0)
    with pytest.raises(InputError, match="cover"):
        thermal_stack_from_stack(stack=get_stack("transparent_MAPbI3").model_copy(update={"cover": "HfO2"}))


@pytest.mark.parametrize("kw, field", [
    (dict(pulse_ns=0.0), "pulse_ns"), (dict(pulse_ns=math.nan), "pulse_ns"),
    (dict(pulse_ns=100, rep_rate_khz=-1), "rep_rate_khz"), (dict(pulse_ns=100, rep_rate_khz=10, n_pulses=0), "n_pulses"),
    (dict(pulse_ns=100, n_pulses=2.0), "n_pulses"), (dict(pulse_ns=2000, rep_rate_khz=1000), "pulse_ns"),
    (dict(pulse_ns=100, t_end_ns=-1.0), "t_end_ns"),
])
def test_pulse_train_names_the_bad_field(kw, field):
    with pytest.raises(InputError) as err:
        PulseTrain(**kw)
    assert err.value.field == field and err.value.allowed
    with pytest.raises(InputError, match="current_density_a_per_cm2"):
        DiodeDrive(current_density_a_per_cm2=0.0)
    assert PulseDrive(pulse_ns=100, rep_rate_khz=10).pulse_train() == PulseTrain(pulse_ns=100, rep_rate_khz=10, n_pulses=10)
    assert PulseTrain(pulse_ns=100, n_pulses=10).pulses_simulated == 1


@pytest.mark.slow
def test_rise_at_threshold_columns_match_a_direct_transient():
    """The pipeline's per-stack scaling (rise per W/cm^2 x J V(J)) equals a full transient at that J."""
    import pandas as pd

    from perocav.designs.spec import DesignPoint, DfbCavity, StackRef
    from perocav.designs.thermal_rank import POWER, RISE, VOLTAGE, add_thermal_columns
    from perocav.designs.threshold import GainMaterial

    drive = PulseDrive(pulse_ns=100, opening_diameter_um=30)
    points = [DesignPoint(stack=StackRef(name="transparent_MAPbI3", thickness_nm={"perovskite": t}),
                          cavity=DfbCavity(), gain_material=GainMaterial()) for t in (100, 100, 150, 150)]
    df = pd.DataFrame({"status": ["ok", "ok", "ok", "failed"],
                       "threshold_current_density_a_per_cm2": [800.0, 2500.0, math.inf, 900.0]})
    out = add_thermal_columns(df, points=points, drive=drive)
    assert np.isnan(out[RISE].iloc[2]) and np.isnan(out[RISE].iloc[3])   # no threshold / failed design
    direct = pixel_thermal_transient(stack=get_stack("transparent_MAPbI3", thickness_nm={"perovskite": 100}),
                                     opening_diameter_um=30, drive=DiodeDrive(current_density_a_per_cm2=2500),
                                     train=PulseTrain(pulse_ns=100))
    assert out[VOLTAGE].iloc[1] == pytest.approx(direct.voltage_v, rel=1e-12)
    assert out[POWER].iloc[1] == pytest.approx(2500 * direct.voltage_v, rel=1e-12)
    assert out[RISE].iloc[1] == pytest.approx(direct.max_temperature_rise_k, rel=1e-4)
    assert out[RISE].iloc[0] < out[RISE].iloc[1]


@pytest.mark.slow
def test_opening_interpolation_in_log_diameter_is_within_one_percent():
    from perocav.designs.thermal_rank import rise_per_power, rise_per_power_at

    stack, drive = get_stack("transparent_MAPbI3"), PulseDrive(pulse_ns=1000)
    table = rise_per_power_at(stack, drive, [4.0, 6.0, 7.5, 13.0, 20.0])
    exact = rise_per_power(stack, drive, opening_diameter_um=7.5)
    assert table[7.5] == pytest.approx(exact, rel=0.01)
    assert table[4.0] < table[7.5] < table[20.0]        # small openings spread heat sideways


def test_cavity_sized_opening():
    from perocav.designs.spec import CircularDfbCavity, DesignPoint, DfbCavity, DiskCavity, StackRef
    from perocav.designs.thermal_rank import opening_um
    from perocav.designs.threshold import GainMaterial

    drive = PulseDrive(opening_diameter_um="cavity")
    point = lambda cav: DesignPoint(stack=StackRef(name="transparent_MAPbI3"), cavity=cav,  # noqa: E731
                                    gain_material=GainMaterial())
    assert opening_um(point(DfbCavity(period_nm=400, n_periods=250)), drive) == pytest.approx(100.0)
    assert opening_um(point(DiskCavity(radius_um=5)), drive) == pytest.approx(10.0)
    assert opening_um(point(CircularDfbCavity(period_nm=250, n_rings=100, center_radius_nm=500)), drive) == \
        pytest.approx(51.0)
    assert opening_um(point(DfbCavity()), PulseDrive(opening_diameter_um=30)) == 30.0


DESIGN = """name: thermal_t
stack: {name: transparent_MAPbI3, thickness_nm: {perovskite: 100}}
cavity: {type: dfb, order: 2, period_nm: 395, duty_cycle: 0.4, n_periods: 260}
sweep: {grid: {n_periods: [130, 520]}}
fidelity: analytic
gain_material: {gain_model: seed}
drive: {pulse_ns: 1000, opening_diameter_um: cavity}
objective: {wavelength_window_nm: [770, 800], max_temperature_rise_k: 10, rank_by: RANK}
"""


@pytest.mark.slow
def test_pipeline_ranks_with_a_temperature_limit(tmp_path):
    """Two DFB lengths: the short one needs ~420 A/cm^2 (11 K over a 51 um opening), the long one ~150 A/cm^2
    (2.5 K over 205 um): the 10 K limit drops the short one; the report shows the heating of the best. The paper's
    seed gain model g0 ln(N/N_tr) (with the spectral gain the short one needs 9.8 K, under the limit)."""
    import pandas as pd

    from perocav.designs.pipeline import RunOptions, run_design
    from perocav.designs.spec import load_design

    path = tmp_path / "d.yaml"
    path.write_text(DESIGN.replace("RANK", "threshold_current_density_a_per_cm2"))
    run_design(load_design(path), out_dir=tmp_path / "o",
               options=RunOptions(workers=1, progress=False, report=True, mask=False))
    df = pd.read_parquet(tmp_path / "o" / "results.parquet").set_index("n_periods")
    rise, j = df["temperature_rise_at_threshold_k"], df["threshold_current_density_a_per_cm2"]
    assert rise[130] > 10 > rise[520] > 0
    assert list(df.sort_index()["heated_opening_diameter_um"]) == pytest.approx([130 * 0.395, 520 * 0.395])  # rank order
    direct = pixel_thermal_transient(stack=get_stack("transparent_MAPbI3", thickness_nm={"perovskite": 100}),
                                     opening_diameter_um=520 * 0.395,
                                     drive=DiodeDrive(current_density_a_per_cm2=j[520]),
                                     train=PulseTrain(pulse_ns=1000, t_end_ns=1000.1))
    assert rise[520] == pytest.approx(direct.max_temperature_rise_k, rel=1e-4)
    assert not df.loc[130, "feasible"] and df.loc[520, "rank"] == 1
    report = (tmp_path / "o" / "report.html").read_text()
    assert "Heating at threshold" in report and (tmp_path / "o" / "figures" / "heating_best.png").is_file()
    assert (tmp_path / "o" / "figures" / "temperature_rise_map.png").is_file()


@pytest.mark.slow
def test_design_file_errors_for_the_drive(cli, tmp_path):
    from tests.conftest import assert_one_line_error

    path = tmp_path / "d.yaml"
    bad = {
        "drive.pulse_ns": DESIGN.replace("pulse_ns: 1000", "pulse_ns: 200000, rep_rate_khz: 10"),
        "drive.opening_diameter_um": DESIGN.replace("opening_diameter_um: cavity", "opening_diameter_um: 0"),
        "drive": DESIGN.replace("drive: {pulse_ns: 1000, opening_diameter_um: cavity}\n", ""),
    }
    for field, text in bad.items():
        path.write_text(text.replace("RANK", "temperature_rise_at_threshold_k"))
        assert_one_line_error(cli("validate", path), "d.yaml", f"{field}:", "allowed")
    stack = tmp_path / "hf.yaml"
    stack.write_text("name: hf\nsubstrate: SiO2\nemission_wavelength_nm: 780\nlayers:\n"
                     "  - {name: grating, material: HfO2, thickness_nm: 50}\n"
                     "  - {name: perovskite, material: MAPbI3, thickness_nm: 150, role: gain}\n")
    path.write_text(DESIGN.replace("transparent_MAPbI3", str(stack)).replace("RANK", "q_estimate"))
    assert_one_line_error(cli("validate", path), "stack.layers.grating.material", "HfO2")
