"""``pumped.solve_device`` for many devices at once: every pass of the wavelength self-consistency solves all
devices still moving in one call of the vectorised engine (``batch``, grouped by section count), the lasing choice
and the finishing (profiles, emission) per device as the scalar path does them. A device the batch engine flags
(fewer modes than asked in its widest window) is solved by the scalar engine in that pass, so every answer is the
scalar path's. Units as ``pumped``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

import numpy as np

from perocav.fdtd.models.device.batch import FIELDS, batch_modes
from perocav.fdtd.models.device.engine import device_modes
from perocav.fdtd.models.device.lasing import ModeRanking
from perocav.fdtd.models.device.plan import DevicePlan
from perocav.fdtd.models.device.pumped import (
    MAX_PASSES,
    WAVELENGTH_TOL_NM,
    DeviceSolution,
    finish_solution,
    lasing_step,
)


def solve_devices(*, plans: Sequence[DevicePlan], absorption_per_cm: Sequence[Callable[[float], float]],
                  rankings: Sequence[ModeRanking | None], up_fractions: Sequence[float], n_modes: int = 3,
                  profile_points: int = 241,
                  n_substrates: Sequence[float] | None = None) -> list[DeviceSolution | ValueError]:
    """The solution of every plan (``pumped.device_plan``) with its alpha0(lambda), gain ranking and upward
    fraction and substrate index (as ``pumped.solve_device`` takes them; None: 1.0 each), or the ValueError the scalar path raises for it."""
    n = len(plans)
    lam = np.array([p.ref.bragg_wavelength_nm for p in plans], dtype=float)
    alpha0 = np.zeros(n)
    state: list = [None] * n  # (thresholds, detunings, choice) of the last pass
    out: list = [None] * n
    active, passes = list(range(n)), 0
    while active:
        passes += 1
        for i in active:
            alpha0[i] = float(absorption_per_cm[i](lam[i]))
        found = _modes(plans, alpha0, active, n_modes)
        moving = []
        for i in active:
            g, d = found[i]
            if not g:
                out[i] = ValueError("the coupled-mode engine finds no device mode")
                continue
            choice, new = lasing_step(plans[i], g, d, rankings[i])
            state[i] = (g, d, choice)
            done = abs(new - lam[i]) < WAVELENGTH_TOL_NM or passes >= MAX_PASSES
            lam[i] = new
            if done:
                out[i] = finish_solution(plans[i], alpha0_per_cm=float(alpha0[i]), thresholds_per_cm=g,
                                         detunings_per_cm=d, choice=choice, passes=passes,
                                         profile_points=profile_points, up_fraction=up_fractions[i],
                                         n_substrate=1.0 if n_substrates is None else float(n_substrates[i]))
            else:
                moving.append(i)
        active = moving
    return out


def _modes(plans, alpha0: np.ndarray, active: list[int], n_modes: int) -> dict[int, tuple[list, list]]:
    """{device: (thresholds, detunings) by rising threshold} of the ``active`` devices at their alpha0."""
    groups: dict[int, list[int]] = defaultdict(list)
    for i in active:
        groups[len(plans[i].pieces)].append(i)
    found = {}
    for idx in groups.values():
        cols = [plans[i].columns(float(alpha0[i])) for i in idx]
        res = batch_modes(n_modes=n_modes, **{k: np.concatenate([c[k] for c in cols]) for k in FIELDS})
        for row, i in enumerate(idx):
            if res.ok[row]:
                found[i] = (res.threshold_modal_gain_per_cm[row].tolist(), res.detuning_per_cm[row].tolist())
            else:  # fewer modes than asked: the scalar engine is the reference for this device
                modes = device_modes(sections=plans[i].sections(float(alpha0[i])), n_modes=n_modes).modes
                found[i] = ([m.threshold_modal_gain_per_cm for m in modes], [m.detuning_per_cm for m in modes])
    return found
