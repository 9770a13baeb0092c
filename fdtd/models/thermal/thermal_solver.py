"""Method of lines in time: scipy's stiff BDF integrator with the (constant, sparse) Jacobian of the heat equation,
one call per interval in which the source is constant (pulse on / off), so no step straddles a switching edge.

The state carries one extra entry, the heat conducted into the heat sink so far, so the energy balance
heat in = stored + conducted out is checked on the integrator's own solution.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.integrate import solve_ivp

from perocav.fdtd.models.thermal.thermal_grid import ThermalSystem


@dataclass(frozen=True)
class Integration:
    """Raw time series of one run (SI units); rises in K over the heat-sink temperature."""

    time_s: np.ndarray
    peak_rise_k: np.ndarray
    mean_rise_k: np.ndarray
    end_of_pulse_rise_k: tuple[float, ...]
    heat_in_j: float
    stored_j: float
    conducted_out_j: float
    final_rise_k: np.ndarray


def _segments(*, pulse_s: float, period_s: float, n_pulses: int, t_end_s: float) -> list[tuple[float, float, bool]]:
    """(start, stop, source on) intervals of a rectangular pulse train."""
    out = []
    for k in range(n_pulses):
        t0 = k * period_s if n_pulses > 1 else 0.0
        stop = (k + 1) * period_s if k < n_pulses - 1 else t_end_s
        out.append((t0, t0 + pulse_s, True))
        if stop > t0 + pulse_s:
            out.append((t0 + pulse_s, stop, False))
    return out


def _samples(t0: float, t1: float, n: int) -> np.ndarray:
    """Log-spaced (resolves the start of each interval) plus linear samples in (t0, t1]."""
    dur = t1 - t0
    return np.unique(np.concatenate([t0 + np.geomspace(dur * 1e-4, dur, n), np.linspace(t0, t1, n)[1:]]))


def integrate_pulses(*, system: ThermalSystem, power_w_per_m2: float, pulse_s: float, period_s: float,
                     n_pulses: int, t_end_s: float, rtol: float = 1e-6, samples: int = 60) -> Integration:
    """Integrate C dT/dt = -K T + source * P(t) for a rectangular pulse train (BDF, sparse Jacobian)."""
    cap = system.capacity_j_per_k
    n = cap.size
    inv_c = sp.diags(1.0 / cap)
    jac = sp.bmat([[-(inv_c @ system.conductance), None],
                   [sp.csr_matrix(system.sink_conductance_w_per_k[None, :]), sp.csr_matrix((1, 1))]]).tocsc()
    drive = np.concatenate([system.source_w / cap, [0.0]]) * power_w_per_m2
    hot = system.heated_mask
    w = system.volume_m3[hot] / system.volume_m3[hot].sum()
    heat_per_pulse_j = power_w_per_m2 * system.source_w.sum() * pulse_s
    adiabatic_rise_k = heat_per_pulse_j / cap[hot].sum()          # upper bound of the film's rise
    atol = np.concatenate([np.full(n, 1e-9 * adiabatic_rise_k), [1e-9 * heat_per_pulse_j]])
    y = np.zeros(n + 1)
    times, peaks, means, ends = [np.zeros(1)], [np.zeros(1)], [np.zeros(1)], []
    for t0, t1, on in _segments(pulse_s=pulse_s, period_s=period_s, n_pulses=n_pulses, t_end_s=t_end_s):
        b = drive if on else np.zeros(n + 1)
        sol = solve_ivp(lambda t, v, b=b: jac @ v + b, (t0, t1), y, method="BDF", jac=jac,
                        t_eval=_samples(t0, t1, samples), rtol=rtol, atol=atol)
        if sol.status != 0:
            raise RuntimeError(f"heat solver failed on [{t0:g}, {t1:g}] s: {sol.message}")
        temps = sol.y[:n, :]
        times.append(sol.t)
        peaks.append(temps[hot, :].max(axis=0))
        means.append(w @ temps[hot, :])
        y = sol.y[:, -1]
        if on:
            ends.append(float(peaks[-1][-1]))
    heat_in = heat_per_pulse_j * n_pulses
    return Integration(
        time_s=np.concatenate(times), peak_rise_k=np.concatenate(peaks), mean_rise_k=np.concatenate(means),
        end_of_pulse_rise_k=tuple(ends), heat_in_j=heat_in, stored_j=float(cap @ y[:n]),
        conducted_out_j=float(y[n]), final_rise_k=y[:n],
    )


def relative_energy_error(run: Integration) -> float:
    """|heat in - stored - conducted out| / heat in."""
    return abs(run.heat_in_j - run.stored_j - run.conducted_out_j) / run.heat_in_j if run.heat_in_j else math.nan


def integrate_train_by_superposition(*, system: ThermalSystem, power_w_per_m2: float, pulse_s: float,
                                     period_s: float, n_pulses: int, rtol: float = 1e-6,
                                     samples: int = 60) -> Integration:
    """Pulse train over ``n_pulses`` whole periods from ONE single-pulse solve: the model is linear and
    time-invariant, so T_train(m T + tau) = sum_{j <= m} T_single(j T + tau) (exact; checked against
    ``integrate_pulses`` in the tests). Costs one pulse instead of 2 n solver restarts."""
    tau = np.unique(np.concatenate([[0.0], _samples(0.0, pulse_s, samples), _samples(pulse_s, period_s, samples)]))
    shifts = np.arange(n_pulses)[:, None] * period_s + tau[None, :]          # (n, n_tau)
    wanted, inverse = np.unique(shifts.ravel(), return_inverse=True)
    cap = system.capacity_j_per_k
    n = cap.size
    hot = system.heated_mask
    inv_c = sp.diags(1.0 / cap)
    jac = sp.bmat([[-(inv_c @ system.conductance), None],
                   [sp.csr_matrix(system.sink_conductance_w_per_k[None, :]), sp.csr_matrix((1, 1))]]).tocsc()
    drive = np.concatenate([system.source_w / cap, [0.0]]) * power_w_per_m2
    heat_per_pulse_j = power_w_per_m2 * system.source_w.sum() * pulse_s
    atol = np.concatenate([np.full(n, 1e-9 * heat_per_pulse_j / cap[hot].sum()), [1e-9 * heat_per_pulse_j]])
    y = np.zeros(n + 1)
    hot_t, stored, out = [], [], []
    for t0, t1, b in ((0.0, pulse_s, drive), (pulse_s, wanted[-1], np.zeros(n + 1))):
        t_eval = wanted[(wanted > t0) & (wanted <= t1)] if t0 > 0 else wanted[wanted <= t1]
        sol = solve_ivp(lambda t, v, b=b: jac @ v + b, (t0, t1), y, method="BDF", jac=jac, t_eval=t_eval,
                        rtol=rtol, atol=atol)
        if sol.status != 0:
            raise RuntimeError(f"heat solver failed on [{t0:g}, {t1:g}] s: {sol.message}")
        hot_t.append(sol.y[:n][hot])
        stored.append(cap @ sol.y[:n])
        out.append(sol.y[n])
        y = sol.y[:, -1]
    single_hot = np.concatenate(hot_t, axis=1)[:, inverse].reshape(hot.sum(), n_pulses, tau.size)
    train_hot = np.cumsum(single_hot, axis=1)                                # sum over earlier pulses
    w = system.volume_m3[hot] / system.volume_m3[hot].sum()
    i_end = int(np.searchsorted(tau, pulse_s))
    stored_end = np.concatenate(stored)[inverse].reshape(n_pulses, tau.size)[:, -1].sum()
    out_end = np.concatenate(out)[inverse].reshape(n_pulses, tau.size)[:, -1].sum()
    peaks = train_hot.max(axis=0)
    keep = ~((np.arange(n_pulses)[:, None] > 0) & (tau[None, :] == 0.0)).ravel()  # t = m T listed once
    return Integration(
        time_s=shifts.ravel()[keep], peak_rise_k=peaks.ravel()[keep],
        mean_rise_k=np.einsum("c,cmt->mt", w, train_hot).ravel()[keep],
        end_of_pulse_rise_k=tuple(float(p) for p in peaks[:, i_end]), heat_in_j=heat_per_pulse_j * n_pulses,
        stored_j=float(stored_end), conducted_out_j=float(out_end), final_rise_k=np.full(n, np.nan),
    )
