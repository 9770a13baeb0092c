"""The JSON of ``perocav fit``: a lines fit, a spectrum fit and the stack correction as plain mappings (every
number says its model)."""

from __future__ import annotations

from perocav.designs.fit.correction import StackCorrection
from perocav.fdtd.models.fit.lines_data import LinesData
from perocav.fdtd.models.fit.lines_fit import LinesFit
from perocav.fdtd.models.fit.spectrum_fit import SpectrumFit


def lines_json(fit: LinesFit) -> dict:
    """The issue's keys (n_eff, group_index, kappa_per_cm, uncertainty, lines_model_nm) and more."""
    p = fit.params
    return {"model": fit.model_name, "n_eff": p.n_eff, "group_index": p.group_index, "kappa_per_cm": p.kappa_per_cm,
            "loss_per_cm": p.loss_per_cm, "bragg_wavelength_nm": fit.bragg_wavelength_nm, "free": list(fit.free),
            "uncertainty": dict(zip(fit.free, fit.uncertainty)),
            "covariance": {"names": list(fit.free), "matrix": fit.covariance.tolist()},
            "lines_nm": list(fit.lines_nm), "lines_model_nm": fit.model.wavelength_nm.tolist(),
            "residuals_nm": (fit.model.wavelength_nm - fit.lines_nm).tolist(),
            "linewidths_nm": fit.linewidths_nm, "linewidths_model_nm": fit.model.linewidth_nm.tolist(),
            "threshold_modal_gain_per_cm": fit.model.threshold_per_cm.tolist(),
            "chi2": fit.chi2, "dof": fit.dof, "kappa_sign_in_engine": fit.assignment.kappa_sign,
            "assignment": list(fit.assignment.labels), "ambiguous": fit.ambiguous,
            "assignments_tried": [{"modes": list(a.labels), "chi2": a.chi2, "order_sum": a.order_sum}
                                  for a in fit.tried]}


def spectrum_json(fit: SpectrumFit) -> dict:
    """Parameters, uncertainties, per-spectrum amplitude and gain, the window, the peaks and their lines fit."""
    p = fit.params
    return {"model": fit.model_name, "n_eff": p.n_eff, "group_index": p.group_index, "kappa_per_cm": p.kappa_per_cm,
            "bragg_wavelength_nm": fit.bragg_wavelength_nm, "free": list(fit.free),
            "uncertainty": dict(zip(fit.free, fit.uncertainty)),
            "uncertainty_note": "Jacobian x reduced chi^2 (no error bars in the spectra); a lasing spectrum's lines "
                                "narrower than its sampling make it far too small: take the lines fit's",
            "amplitude": list(fit.amplitude), "net_gain_per_cm": list(fit.gain_per_cm),
            "lowest_threshold_per_cm": fit.lowest_threshold_per_cm, "window_nm": list(fit.window_nm),
            "reduced_chi2": fit.reduced_chi2, "peaks_nm": list(fit.peaks_nm), "lines_fit": lines_json(fit.lines)}


def correction_json(c: StackCorrection) -> dict:
    """The stack's prediction at its own and at the corrected thickness beside the fit."""
    def pred(s):
        return {"thickness_nm": s.thickness_nm, "bragg_wavelength_nm": s.bragg_wavelength_nm, "n_eff": s.n_eff,
                "group_index": s.group_index, "kappa_per_cm": s.kappa_per_cm, "h_per_cm": s.h_per_cm}
    return {"model": c.model_name, "stack": c.stack, "layer": c.layer, "duty_cycle": c.duty_cycle,
            "nominal": pred(c.nominal), "corrected": pred(c.corrected),
            "fitted": {"n_eff": c.fitted_n_eff, "group_index": c.fitted_group_index,
                       "kappa_per_cm": c.fitted_kappa_per_cm},
            "n_eff_offset": c.fitted_n_eff - c.nominal.n_eff,
            "kappa_ratio_fitted_to_corrected": c.fitted_kappa_per_cm / c.corrected.kappa_per_cm}


def lines_data(spec) -> LinesData:
    """``LinesData`` of a validated ``LinesFile``."""
    return LinesData(order=spec.order, period_nm=spec.period_nm, length_um=spec.length_um,
                     lines_nm=tuple(spec.lines_nm), lines_sigma_nm=spec.lines_sigma_nm,
                     linewidths_nm=None if spec.linewidths_nm is None else tuple(spec.linewidths_nm),
                     linewidths_sigma_nm=None if spec.linewidths_sigma_nm is None else tuple(spec.linewidths_sigma_nm),
                     h_per_cm=spec.h_per_cm, free=tuple(spec.free), n_eff=spec.n_eff, group_index=spec.group_index,
                     kappa_per_cm=spec.kappa_per_cm, loss_per_cm=spec.loss_per_cm)
