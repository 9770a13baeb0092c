"""Numbers for docs/thermal.md: exact-solution errors, energy balance, grid / time-step convergence, the seed
paper's Fig. 2e device, pulse trains. Run: OMP_NUM_THREADS=1 .venv/bin/python benchmarks/thermal_validation.py"""

from __future__ import annotations

import math
import time

import numpy as np
from scipy.optimize import brentq
from scipy.special import erfc

from perocav.fdtd.models.thermal.thermal import pixel_system, simulate_heating
from perocav.fdtd.models.thermal.thermal_drive import PulseDrive, PulseTrain, photon_turn_on_v
from perocav.fdtd.models.thermal.thermal_grid import GridSettings
from perocav.fdtd.models.thermal.thermal_solver import integrate_pulses
from perocav.fdtd.models.thermal.thermal_stack import homogeneous_stack, thermal_stack_from_stack
from perocav.pdk.materials.thermal import get_thermal_material
from perocav.pdk.stacks import get_stack


def ierfc(x):
    return np.exp(-x**2) / np.sqrt(np.pi) - x * erfc(x)


def exact_checks() -> None:
    m = get_thermal_material("SiO2")
    k, a = m.conductivity_w_per_m_k, m.diffusivity_m2_per_s
    hs = homogeneous_stack(material=m, source_thickness_m=1e-9, depth_m=1e-3)
    q, tp = 1e7, 1e-6
    system = pixel_system(tstack=hs, opening_diameter_um=50, geometry="1d")
    run = integrate_pulses(system=system, power_w_per_m2=q, pulse_s=tp, period_s=tp, n_pulses=1, t_end_s=tp)
    on = (run.time_s >= 1e-8) & (run.time_s <= tp)
    surf = 2 * q * np.sqrt(a * run.time_s[on] / np.pi) / k
    zc = 0.5 * (system.z_faces_m[1:] + system.z_faces_m[:-1])
    ex = 2 * q * np.sqrt(a * tp) / k * ierfc((system.z_faces_m[-1] - zc) / (2 * np.sqrt(a * tp)))
    seen = ex > 0.05 * ex.max()
    print(f"erfc half-space: surface max rel error {np.max(np.abs(run.peak_rise_k[on] / surf - 1)):.2e} "
          f"(10 ns-1 us), profile {np.max(np.abs(run.final_rise_k[seen] / ex[seen] - 1)):.2e} ({seen.sum()} cells)")
    for d_um in (2.0, 10.0, 50.0):
        r = simulate_heating(tstack=hs, opening_diameter_um=d_um, power_w_per_cm2=1e3,
                             train=PulseTrain(pulse_ns=1e4, t_end_ns=1e4 * 1.0001))
        errs = []
        for t in (1e-7, 1e-6, 1e-5):
            s = math.sqrt(a * t)
            exact = 2 * q * s / k * (1 / math.sqrt(math.pi) - ierfc(d_um * 0.5e-6 / (2 * s)))
            errs.append(r.rise_at_s(t) / exact - 1)
        print(f"disk D = {d_um:g} um (r-z, {r.n_cells} cells): rel error at 0.1/1/10 us "
              + " ".join(f"{e:+.2e}" for e in errs) + f"; energy balance {r.energy_balance_rel_error:.1e}")


def convergence(tstack) -> None:
    kw = dict(tstack=tstack, opening_diameter_um=50, power_w_per_cm2=1e4, train=PulseTrain(pulse_ns=1000))
    for f in (1.0, 1.5, 2.0, 3.0):
        t0 = time.perf_counter()
        r = simulate_heating(**kw, grid=GridSettings().refined(f))
        print(f"grid x{f:g}: {r.n_cells} cells, rise at 1 us {r.max_temperature_rise_k:.5f} K, at 10 ns "
              f"{r.rise_at_s(1e-8):.5f} K, cool-down to 5 % {r.cooldown_time_s() * 1e6:.3f} us, "
              f"energy {r.energy_balance_rel_error:.1e}, {time.perf_counter() - t0:.1f} s")
    for rtol in (1e-4, 1e-5, 1e-6, 1e-7, 1e-8):
        r = simulate_heating(**kw, rtol=rtol)
        print(f"rtol {rtol:g}: rise at 1 us {r.max_temperature_rise_k:.7f} K, cool-down {r.cooldown_time_s() * 1e6:.4f} us")


def fig2e(tstack) -> None:
    drive = PulseDrive()
    v_on = photon_turn_on_v(wavelength_nm=780.0)
    power = lambda j: j * (v_on + j * drive.series_resistance_ohm_cm2)  # noqa: E731
    one_us = PulseTrain(pulse_ns=1000)
    long = simulate_heating(tstack=tstack, opening_diameter_um=50, power_w_per_cm2=1.0, train=one_us)
    one_d = simulate_heating(tstack=tstack, opening_diameter_um=50, power_w_per_cm2=1.0, train=one_us, geometry="1d")
    print(f"V_on {v_on:.3f} V, R_s {drive.series_resistance_ohm_cm2:g} Ohm cm^2; rise per W/cm^2 at 1 us "
          f"{long.max_temperature_rise_k:.4e} K (1D {one_d.max_temperature_rise_k:.4e})")
    for j in (100, 300, 1000, 3000, 10000):
        print(f"  J {j:>6} A/cm^2: V {v_on + j * drive.series_resistance_ohm_cm2:6.2f} V, rise at 1 us "
              f"{power(j) * long.max_temperature_rise_k:8.1f} K, at 300 ns {power(j) * long.rise_at_s(3e-7):8.1f} K")
    j60 = brentq(lambda j: power(j) * long.max_temperature_rise_k - 60, 1, 1e5)
    print(f"  60 K after 1 us at J = {j60:.0f} A/cm^2; share of the 1 us rise reached at 300 ns "
          f"{long.rise_at_s(3e-7) / long.max_temperature_rise_k:.2f}, at 100 ns {long.rise_at_s(1e-7) / long.max_temperature_rise_k:.2f}")
    for frac in (0.1, 0.05, 0.01):
        print(f"  cool-down to {frac:.0%} of the peak: r-z {long.cooldown_time_s(fraction=frac) * 1e6:.1f} us, "
              f"1D {one_d.cooldown_time_s(fraction=frac) * 1e6:.1f} us")
    for pulse_ns in (10, 5, 1):
        s = simulate_heating(tstack=tstack, opening_diameter_um=50, power_w_per_cm2=1.0,
                             train=PulseTrain(pulse_ns=pulse_ns))
        j10 = brentq(lambda j: power(j) * s.max_temperature_rise_k - 10, 1, 1e6)
        print(f"  {pulse_ns} ns pulse: rise {power(j60) * s.max_temperature_rise_k:.2f} K at J = {j60:.0f}, "
              f"{power(1000) * s.max_temperature_rise_k:.2f} K at 1 kA/cm^2; 10 K needs J = {j10:.0f} A/cm^2")
    for rate in (1.0, 10.0, 100.0):
        tr = simulate_heating(tstack=tstack, opening_diameter_um=50, power_w_per_cm2=power(1000),
                              train=PulseTrain(pulse_ns=1000, rep_rate_khz=rate, n_pulses=20))
        print(f"  1 kA/cm^2, 1 us at {rate:g} kHz: peak rise pulse 1 {tr.end_of_pulse_rise_k[0]:.1f} K, "
              f"pulse 20 {tr.end_of_pulse_rise_k[-1]:.1f} K, energy {tr.energy_balance_rel_error:.1e}")


if __name__ == "__main__":
    exact_checks()
    ts = thermal_stack_from_stack(stack=get_stack("transparent_MAPbI3"))
    convergence(ts)
    fig2e(ts)
