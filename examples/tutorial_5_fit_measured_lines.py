"""Tutorial 5: from the lab back to the design (docs/tutorial-5-fit-measured-lines.md).

The measured lasing lines of the UV-nanoimprinted MAPbI3 DFB of Goldberg et al., ACS Photonics 10, 1591 (2023)
(781.17, 784.661, 785.427 nm; 2nd order, period 405.27 nm, 140 um) are fitted with the section engine as the forward
model (``perocav fit lines``): n_eff, group index and kappa with their uncertainties, compared with the parameters the
authors matched by hand (their public notebook), then with the PDK stack's analytic prediction, and the stack is
corrected (perovskite thickness) so that the next design run starts from the measured n_eff. Without --quick the
three measured spectra are also fitted with the distributed-spontaneous-emission model (``perocav fit spectrum``).
Writes ``comparison.md``, ``comparison.json``, ``lines.png``, ``corrected.yaml`` (and ``spectrum.png``).

    .venv/bin/python examples/tutorial_5_fit_measured_lines.py -o out/tutorial_5            # + the spectra (~1 min)
    .venv/bin/python examples/tutorial_5_fit_measured_lines.py -o /tmp/t5 --quick           # lines only (~15 s)
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np
import yaml

from perocav.designs.fit.correction import correct_stack, correction_design
from perocav.designs.fit.plots import plot_lines, plot_spectrum
from perocav.designs.fit.report import correction_json, lines_json, spectrum_json
from perocav.fdtd.models.fit.lines_data import GratingParams, LinesData
from perocav.fdtd.models.fit.lines_fit import fit_lines, model_lines
from perocav.fdtd.models.fit.spectrum_fit import SpectrumData, fit_spectrum

#: the three measured spectra (MIT licence, copied unchanged with its LICENSE and source note)
DATA = Path(__file__).resolve().parent / "data" / "goldberg2023" / "spectra_normalized_2modes.csv"
LINES_NM = (781.17, 784.661, 785.427)
DEVICE = {"order": 2, "period_nm": 405.27, "length_um": 140.0}
#: the authors' notebook (jangenoe/Coupled-Wave-Theory_DFB-Lasers, NanoimprintedDFB.ipynb, modes.py)
NEFF1, NEFF2, DUTY, PERIOD_NM = 1.9167555139475958, 1.9499999999995208, 0.45, 405.27272387449297


def authors() -> GratingParams:
    """Their parameters: n0 the duty-weighted index, kappa = pi n2 / period from the 2nd Fourier harmonic, and the
    group index their detuning-to-wavelength map implies (1/lambda = 1/lambda_B + delta / (pi n0^2): n_g = n0^2/2)."""
    n0 = NEFF1 + DUTY * (NEFF2 - NEFF1)
    n2 = (NEFF2**2 - NEFF1**2) / n0 / 2 / math.pi * math.sin(2 * math.pi * DUTY)
    return GratingParams(n_eff=n0, group_index=n0 * n0 / 2, kappa_per_cm=math.pi * n2 / (PERIOD_NM * 1e-7))


def table(fit, theirs, their_lines, corr) -> str:
    """The comparison as a Markdown table (checked by tests/test_docs_numbers.py)."""
    p, sig = fit.params, dict(zip(fit.free, fit.uncertainty))
    nom, cor, length_cm = corr.nominal, corr.corrected, DEVICE["length_um"] * 1e-4
    rows = [("n_eff", p.n_eff, sig["n_eff"], theirs.n_eff, nom.n_eff, cor.n_eff, "{:.5f}"),
            ("group_index", p.group_index, sig["group_index"], theirs.group_index, nom.group_index,
             cor.group_index, "{:.3f}"),
            ("kappa_per_cm", p.kappa_per_cm, sig["kappa_per_cm"], theirs.kappa_per_cm, nom.kappa_per_cm,
             cor.kappa_per_cm, "{:.1f}"),
            ("kappa_L", p.kappa_per_cm * length_cm, sig["kappa_per_cm"] * length_cm, theirs.kappa_per_cm * length_cm,
             nom.kappa_per_cm * length_cm, cor.kappa_per_cm * length_cm, "{:.3f}"),
            ("bragg_wavelength_nm", fit.bragg_wavelength_nm, math.nan, 2 * theirs.n_eff * DEVICE["period_nm"] / 2,
             nom.bragg_wavelength_nm, cor.bragg_wavelength_nm, "{:.3f}")]
    rows += [(f"line_{k + 1}_nm", fit.model.wavelength_nm[k], math.nan, their_lines[k], math.nan, math.nan, "{:.3f}")
             for k in range(3)]
    rows += [(f"residual_{k + 1}_nm", fit.model.wavelength_nm[k] - fit.lines_nm[k], math.nan,
              their_lines[k] - fit.lines_nm[k], math.nan, math.nan, "{:.4f}") for k in range(3)]
    head = "| quantity | fit (device CMT) | 1 sigma | authors (hand-matched CMT) | PDK stack (analytic) | " \
           "corrected stack (analytic) |\n|---|---|---|---|---|---|\n"
    cell = (lambda v, f: "-" if not math.isfinite(v) else f.format(v))
    body = "".join(f"| {r[0]} | {cell(r[1], r[6])} | {cell(r[2], '{:.2g}')} | {cell(r[3], r[6])} | "
                   f"{cell(r[4], r[6])} | {cell(r[5], r[6])} |\n" for r in rows)
    return head + body + f"| modes | {' '.join(fit.assignment.labels)} | - | blue-1 red-1 red-2 | - | - |\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--out", type=Path, default=Path("out/tutorial_5"))
    ap.add_argument("--quick", action="store_true", help="lines only (skip the spectrum fit)")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    data = LinesData(**DEVICE, lines_nm=LINES_NM, lines_sigma_nm=0.02)
    fit = fit_lines(data)
    theirs = authors()
    their_lines = model_lines(data=data, params=theirs, positions=(3, 4, 5), kappa_sign=1).wavelength_nm
    corr = correct_stack(stack_name="grating_above_MAPbI3", layer="perovskite", duty_cycle=DUTY, **{
        k: DEVICE[k] for k in ("period_nm", "order", "length_um")}, fitted_n_eff=fit.params.n_eff,
        fitted_group_index=fit.params.group_index, fitted_kappa_per_cm=fit.params.kappa_per_cm)
    design = correction_design(correction=corr, name="goldberg2023_corrected", **DEVICE)
    (args.out / "corrected.yaml").write_text(yaml.safe_dump(design, sort_keys=False))
    out = {"lines": lines_json(fit), "correction": correction_json(corr),
           "authors": {"n_eff": theirs.n_eff, "group_index": theirs.group_index, "kappa_per_cm": theirs.kappa_per_cm,
                       "lines_model_nm": their_lines.tolist()}}
    plot_lines(fit, args.out / "lines.png")
    if not args.quick:
        raw = np.genfromtxt(DATA, delimiter=",", skip_header=1)
        spec = fit_spectrum(SpectrumData(wavelength_nm=tuple(raw[:, 2 * k] for k in range(3)),
                                         intensity=tuple(raw[:, 2 * k + 1] for k in range(3)), **DEVICE))
        out["spectrum"] = spectrum_json(spec)
        plot_spectrum(spec, args.out / "spectrum.png")
    (args.out / "comparison.json").write_text(json.dumps(out, indent=1))
    (args.out / "comparison.md").write_text(table(fit, theirs, their_lines, corr))
    print(table(fit, theirs, their_lines, corr))
    print(f"corrected design: {args.out / 'corrected.yaml'} ({corr.layer} {corr.corrected.thickness_nm:.2f} nm)")


if __name__ == "__main__":
    main()
