"""Fabrication tolerance of an optimum by the search's model (the coupled-mode device model, analytic cells):
period +-dP, duty cycle +-dD, the gain layer's thickness +-r (relative), one at a time and all eight corners;
the J_th spread says which tolerance the mask should bracket."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from perocav.designs.optimize.points import trial_point
from perocav.designs.optimize.spec import Tolerance
from perocav.designs.stage import Stage


@dataclass(frozen=True)
class Perturbed:
    """One perturbed design: the offsets (period nm, duty, relative thickness), its J_th [A/cm^2] (inf: no lasing,
    NaN: infeasible or failed) and lasing wavelength [nm]."""

    d_period_nm: float
    d_duty: float
    d_thickness_relative: float
    jth_a_per_cm2: float
    wavelength_nm: float


@dataclass(frozen=True)
class ToleranceReport:
    """The optimum's J_th [A/cm^2] and the spread over the perturbed designs: min, max, and the worst relative
    rise per parameter (one at a time); model "device CMT, analytic cells"."""

    jth_a_per_cm2: float
    jth_min_a_per_cm2: float
    jth_max_a_per_cm2: float
    worst_rise_by_parameter: dict
    perturbed: tuple[Perturbed, ...]
    model: str = "device CMT, analytic cells"


def tolerance_values(spec, values: dict) -> list[tuple[tuple[float, float, float], dict]]:
    """(offsets, variable values) of every perturbed design: 6 one at a time, then the 8 corners."""
    tol = spec.optimize.tolerance or Tolerance()  # --tolerance without a tolerance section: the defaults
    steps = (tol.period_nm, tol.duty_cycle, tol.thickness_relative)
    offsets = [tuple(s * (k == i) * sign for k, s in enumerate(steps)) for i in range(3) for sign in (-1, 1)]
    offsets += list(itertools.product(*[(-s, s) for s in steps]))
    gain_layer = spec.stack.resolve().gain_layer
    key_t = f"thickness_nm.{gain_layer}"
    base_t = values.get(key_t, spec.stack.resolve().layer(gain_layer).thickness_nm)
    base_p = values.get("period_nm", spec.cavity.period_nm)
    base_d = values.get("duty_cycle", spec.cavity.duty_cycle)
    return [(o, {**values, "period_nm": base_p + o[0], "duty_cycle": base_d + o[1], key_t: base_t * (1 + o[2])})
            for o in offsets]


def tolerance(spec, values: dict, *, stage: Stage) -> ToleranceReport:
    """The tolerance analysis of the design at ``values`` (the optimum's variable values)."""
    base = stage.run([trial_point(spec, values).point], "analytic")[0]
    cases = tolerance_values(spec, values)
    built = [trial_point(spec, v) for _, v in cases]
    ok = [b.point for b in built if b.point is not None]
    results = iter(stage.run(ok, "analytic") if ok else [])
    rows = []
    for (o, _), b in zip(cases, built):
        r = next(results) if b.point is not None else None
        good = r is not None and r.ok
        rows.append(Perturbed(*o, jth_a_per_cm2=r.metrics.threshold_current_density_a_per_cm2 if good else math.nan,
                              wavelength_nm=r.metrics.wavelength_nm if good else math.nan))
    j0 = base.metrics.threshold_current_density_a_per_cm2
    finite = [p.jth_a_per_cm2 for p in rows if not math.isnan(p.jth_a_per_cm2)]
    worst = {}
    for i, name in enumerate(("period_nm", "duty_cycle", "thickness_relative")):
        pair = [p.jth_a_per_cm2 for p in rows[2 * i:2 * i + 2]]
        worst[name] = max((j / j0 - 1 for j in pair if not math.isnan(j)), default=math.nan)
    return ToleranceReport(jth_a_per_cm2=j0, jth_min_a_per_cm2=min(finite, default=math.nan),
                           jth_max_a_per_cm2=max(finite, default=math.nan), worst_rise_by_parameter=worst,
                           perturbed=tuple(rows))
