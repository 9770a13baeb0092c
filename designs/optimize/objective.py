"""A trial's score from its evaluation: the value the sampler minimises (log10 of the objective; a design that
does not lase below the density ceiling scores above every lasing one, ordered by its threshold material gain) and
its constraint violations (<= 0: satisfied; optuna's convention): die rules, the wavelength window, the gain margin,
eta_up, a single central lobe."""

from __future__ import annotations

import math
from dataclasses import dataclass

from perocav.designs.records import DesignResult
from perocav.designs.table import SINGLE_LOBE_FRACTION

#: score of a design without a finite objective: above log10 of any real threshold (1e7 A/cm^2, 1/cm), then its
#: threshold material gain over 1e4 1/cm (the sampler still sees which way is better)
NO_LASING_SCORE = 7.0
#: violation of a design that could not be built or evaluated (die rules, solver failure)
INFEASIBLE = 1.0


@dataclass(frozen=True)
class TrialScore:
    """``value``: the minimised score (log10 of ``objective`` [its unit]); ``constraints``: violations, each <= 0
    when satisfied, in the order of ``CONSTRAINT_NAMES``; ``objective``: the objective itself (inf: no lasing)."""

    value: float
    objective: float
    constraints: tuple[float, ...]

    @property
    def feasible(self) -> bool:
        return all(c <= 0 for c in self.constraints)


CONSTRAINT_NAMES = ("die_and_solver", "wavelength_window_nm", "gain_margin_per_cm", "eta_up", "single_central_lobe")


def infeasible_score() -> TrialScore:
    """A trial the die rules refuse or the solver failed on."""
    return TrialScore(value=NO_LASING_SCORE + 1.0, objective=math.inf,
                      constraints=(INFEASIBLE,) + (0.0,) * (len(CONSTRAINT_NAMES) - 1))


def score(result: DesignResult, *, spec) -> TrialScore:
    """The score of an evaluated trial (``spec``: the design; its objective window and optimize constraints)."""
    if not result.ok or result.metrics is None:
        return infeasible_score()
    m, opt = result.metrics, spec.optimize
    target = float(getattr(m, opt.objective))
    if math.isfinite(target) and target > 0:
        value = math.log10(target)
    else:
        g = m.threshold_material_gain_per_cm
        value = NO_LASING_SCORE + (min(g, 1e6) / 1e4 if math.isfinite(g) else 100.0)
    cols = result.device.columns() if result.device is not None else {}
    return TrialScore(value=value, objective=target, constraints=(
        0.0, _window(m.wavelength_nm, spec.objective.wavelength_window_nm),
        _at_least(cols.get("gain_margin_per_cm"), opt.constraints.min_gain_margin_per_cm, scale=100.0),
        _at_least(cols.get("eta_up"), opt.constraints.min_eta_up, scale=0.1),
        _at_least(cols.get("central_lobe_fraction"),
                  SINGLE_LOBE_FRACTION if opt.constraints.single_central_lobe else None, scale=0.1)))


def _window(wavelength_nm: float, window) -> float:
    """Distance outside the window over 10 nm (<= 0 inside)."""
    if window is None:
        return 0.0
    if not math.isfinite(wavelength_nm):
        return INFEASIBLE
    low, high = window
    return max(low - wavelength_nm, wavelength_nm - high) / 10.0


def _at_least(value, minimum, *, scale: float) -> float:
    """(minimum - value) / scale (<= 0: satisfied); no minimum: 0; no value: infeasible."""
    if minimum is None:
        return 0.0
    if value is None or not math.isfinite(value):
        return INFEASIBLE
    return (minimum - value) / scale
