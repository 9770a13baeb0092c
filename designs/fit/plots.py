"""PNG figures of a fit: measured vs model lines (with residuals) and spectra, and the parameters with their
one-sigma uncertainties."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from perocav.fdtd.models.fit.lines_fit import LinesFit  # noqa: E402
from perocav.fdtd.models.fit.spectrum_fit import SpectrumFit  # noqa: E402


def _params_panel(ax, names, values, sigmas, title: str) -> None:
    ax.axis("off")
    rows = [f"{n} = {v:.6g} +- {s:.2g}" for n, v, s in zip(names, values, sigmas)]
    ax.text(0.0, 1.0, title + "\n" + "\n".join(rows), va="top", family="monospace", fontsize=9)


def plot_lines(fit: LinesFit, path: Path) -> Path:
    """Lines: measured and model wavelengths with labels, residuals [pm], the parameters."""
    fig, (a1, a2, a3) = plt.subplots(3, 1, figsize=(7, 7), gridspec_kw={"height_ratios": [2, 1, 1]})
    for lam in fit.lines_nm:
        a1.axvline(lam, color="k", ls="--", lw=1)
    a1.vlines(fit.model.wavelength_nm, 0, fit.model.threshold_per_cm, color="C0", lw=2, label="model (device CMT)")
    for lam, g, lab in zip(fit.model.wavelength_nm, fit.model.threshold_per_cm, fit.assignment.labels):
        a1.annotate(lab, (lam, g), textcoords="offset points", xytext=(3, 3), fontsize=8)
    a1.axvline(fit.bragg_wavelength_nm, color="C1", lw=1, label="Bragg")
    a1.set(xlabel="wavelength [nm]", ylabel="threshold modal gain [1/cm]", title="measured (dashed) vs fitted lines")
    a1.legend(fontsize=8)
    res_pm = (fit.model.wavelength_nm - np.asarray(fit.lines_nm)) * 1e3
    a2.bar(range(len(fit.lines_nm)), res_pm, color="C2")
    top = max(1.0, 1.2 * float(np.max(np.abs(res_pm))))
    a2.set_ylim(-top, top)
    a2.set(ylabel="model - measured [pm]", xticks=range(len(fit.lines_nm)),
           xticklabels=[f"{x:.3f}" for x in fit.lines_nm])
    p = fit.params
    _params_panel(a3, fit.free, [getattr(p, n) for n in fit.free], fit.uncertainty,
                  f"device CMT fit, chi2 {fit.chi2:.3g} ({fit.dof} dof), modes {', '.join(fit.assignment.labels)}")
    return _save(fig, path)


def plot_spectrum(fit: SpectrumFit, path: Path) -> Path:
    """Each spectrum measured vs model inside the fitted window, residuals, the parameters."""
    n = len(fit.measured)
    fig, axes = plt.subplots(n + 1, 1, figsize=(7, 2.2 * n + 2))
    for k, ax in enumerate(axes[:n]):
        lam, meas, mod = _gapped(fit.wavelength_nm[k], fit.measured[k], fit.model[k])
        ax.plot(lam, meas, ".", ms=3, color="k", label="measured")
        ax.plot(lam, mod, "-", color="C0", lw=1, label="model")
        ax.plot(lam, meas - mod, "-", color="C3", lw=0.7, label="residual")
        ax.set(ylabel=f"spectrum {k}")
        ax.legend(fontsize=7)
    axes[n - 1].set_xlabel("wavelength [nm]")
    p = fit.params
    _params_panel(axes[n], fit.free, [getattr(p, x) for x in fit.free], fit.uncertainty,
                  f"{fit.model_name}, reduced chi2 {fit.reduced_chi2:.3g}")
    return _save(fig, path)


def _gapped(lam, *ys):
    """The arrays with a NaN between points further apart than 5 sampling steps (lines stop at window gaps)."""
    lam = np.asarray(lam)
    if lam.size < 3:
        return (lam, *ys)
    cut = np.flatnonzero(np.diff(lam) > 5 * np.median(np.diff(lam))) + 1
    return tuple(np.insert(np.asarray(v, dtype=float), cut, np.nan) for v in (lam, *ys))


def _save(fig, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
