"""Back to the design: what the PDK stack's analytic unit-cell model (``analyze_dfb_on_stack``: slab modes, overlap
kappa, Kazarinov-Henry h) predicts for the measured device, and the thickness of one layer that makes its Bragg
wavelength (hence n_eff at it) the fitted one. The correction is a design file ``perocav run`` accepts."""

from __future__ import annotations

from dataclasses import dataclass

from scipy.optimize import brentq

from perocav.fdtd.models.dfb.dfb_analytic import DfbAnalytic, analyze_dfb_on_stack
from perocav.pdk.errors import InputError
from perocav.pdk.stack_file import resolve_stack

#: thickness search range [nm] as factors of the stack's own thickness of the corrected layer
SEARCH = (0.3, 2.0)
#: the corrected thickness is found to this [nm]
THICKNESS_TOL_NM = 0.01


@dataclass(frozen=True)
class StackPrediction:
    """The analytic model's numbers for the device on a stack with the corrected layer at ``thickness_nm``."""

    thickness_nm: float
    bragg_wavelength_nm: float
    n_eff: float
    group_index: float
    kappa_per_cm: float
    h_per_cm: float


@dataclass(frozen=True)
class StackCorrection:
    """The stack, the layer corrected, the prediction at the stack's own thickness and at the corrected one (its
    n_eff equals the fitted one), and the fitted n_eff, n_g and |kappa| compared. Model: analytic."""

    stack: str
    layer: str
    duty_cycle: float
    nominal: StackPrediction
    corrected: StackPrediction
    fitted_n_eff: float
    fitted_group_index: float
    fitted_kappa_per_cm: float
    model_name: str = "analytic (PDK stack, slab modes + coupled-mode theory)"


def predict(*, stack_name: str, layer: str, thickness_nm: float, duty_cycle: float, period_nm: float, order: int,
            length_um: float) -> StackPrediction:
    """The analytic model on ``stack_name`` with ``layer`` at ``thickness_nm`` [nm]."""
    stack = resolve_stack(stack_name, thickness_nm={layer: thickness_nm})
    r: DfbAnalytic = analyze_dfb_on_stack(stack=stack, period_nm=period_nm, duty_cycle=duty_cycle, order=order,
                                          length_um=length_um)
    return StackPrediction(thickness_nm=float(thickness_nm), bragg_wavelength_nm=r.bragg_wavelength_nm,
                           n_eff=r.n_avg, group_index=r.group_index, kappa_per_cm=abs(r.kappa_per_cm),
                           h_per_cm=r.radiation_per_cm)


def correct_stack(*, stack_name: str, layer: str, duty_cycle: float, period_nm: float, order: int, length_um: float,
                  fitted_n_eff: float, fitted_group_index: float, fitted_kappa_per_cm: float) -> StackCorrection:
    """The thickness of ``layer`` whose Bragg wavelength is 2 n_eff period / order with the fitted n_eff."""
    own = resolve_stack(stack_name).layer(layer).thickness_nm
    kw = dict(stack_name=stack_name, layer=layer, duty_cycle=duty_cycle, period_nm=period_nm, order=order,
              length_um=length_um)
    target = 2.0 * fitted_n_eff * period_nm / order

    def miss(t: float) -> float:
        try:
            return predict(thickness_nm=t, **kw).bragg_wavelength_nm - target
        except InputError:  # no Bragg root in the gain window at this thickness
            return float("nan")

    lo, hi = SEARCH[0] * own, SEARCH[1] * own
    grid = [lo + (hi - lo) * i / 5 for i in range(6)]
    vals = [miss(t) for t in grid]
    for (a, fa), (b, fb) in zip(zip(grid, vals), zip(grid[1:], vals[1:])):
        if fa == fa and fb == fb and fa * fb <= 0:
            t = brentq(miss, a, b, xtol=THICKNESS_TOL_NM)
            return StackCorrection(stack=stack_name, layer=layer, duty_cycle=duty_cycle,
                                   nominal=predict(thickness_nm=own, **kw), corrected=predict(thickness_nm=t, **kw),
                                   fitted_n_eff=fitted_n_eff, fitted_group_index=fitted_group_index,
                                   fitted_kappa_per_cm=fitted_kappa_per_cm)
    raise InputError(f"no thickness of {layer!r} in {lo:.4g}-{hi:.4g} nm puts the Bragg wavelength of {stack_name!r} "
                     f"at {target:.3f} nm", field="design.layer", allowed="a layer whose thickness moves n_eff there")


def correction_design(*, correction: StackCorrection, name: str, period_nm: float, order: int,
                      length_um: float) -> dict:
    """A design file (mapping) with the corrected thickness: the measured device, analytic fidelity. Its period is
    the nearest one on the layout's 1 nm grid (``DESIGN_RULES``; the thickness was solved at the measured period)."""
    drawn = float(round(period_nm))
    n_periods = max(1, round(length_um * 1000.0 / drawn))
    note = "" if drawn == period_nm else f"; period {period_nm:g} nm rounded to the 1 nm layout grid"
    return {"name": name,
            "description": (f"stack corrected by perocav fit: {correction.layer} "
                            f"{correction.corrected.thickness_nm:.2f} nm reproduces the fitted n_eff {correction.fitted_n_eff:.5f}{note}"),
            "stack": {"name": correction.stack, "thickness_nm": {correction.layer: round(
                correction.corrected.thickness_nm, 3)}},
            "cavity": {"type": "dfb", "order": order, "period_nm": drawn, "duty_cycle": correction.duty_cycle,
                       "n_periods": n_periods},
            "fidelity": "analytic"}
