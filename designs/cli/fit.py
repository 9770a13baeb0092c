"""``perocav fit lines FILE.yaml`` and ``perocav fit spectrum FILE.csv --device DEVICE.yaml``: measured lasing lines
or spectra of a uniform DFB grating -> n_eff, group index, |kappa| (and the modal loss with linewidths), with the
section engine as the forward model (device CMT); with a ``design:`` link, the PDK stack's analytic prediction and
a corrected design file (``--write-correction``) that ``perocav run`` accepts."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from perocav.designs.cli._common import print_json

fit_app = typer.Typer(help="Fit measured lasing lines or spectra of a uniform DFB grating (device CMT).",
                      no_args_is_help=True)

PLOT = typer.Option(None, "--plot", help="Write a PNG of measured vs fitted lines/spectra and the parameters.")
CORR = typer.Option(None, "--write-correction",
                    help="Write the corrected design file (needs a design: block) for perocav run.")
JSON = typer.Option(False, "--json", help="Print one JSON object.")


def lines(file: Path = typer.Argument(..., help="YAML: order, period_nm, length_um, lines_nm; optional "
                                                "linewidths_nm, h_per_cm, free, design: {stack, duty_cycle, layer}."),
          plot: Optional[Path] = PLOT, write_correction: Optional[Path] = CORR, as_json: bool = JSON) -> None:
    """Fit measured lasing lines: n_eff, group index, |kappa| [1/cm] (+ loss with linewidths), 1-sigma errors."""
    from perocav.designs.fit.files import LinesFile, load
    from perocav.designs.fit.report import lines_data, lines_json
    from perocav.fdtd.models.fit.lines_fit import fit_lines

    spec = load(file, LinesFile)
    fit = fit_lines(lines_data(spec))
    out = {"file": str(file), **lines_json(fit)}
    _finish(out, spec, fit.params, plot=plot, write_correction=write_correction, as_json=as_json,
            draw=lambda p: _plot_lines(fit, p), source=str(file))


def spectrum(file: Path = typer.Argument(..., help="CSV: header, then (wavelength nm, intensity) column pairs."),
             device: Path = typer.Option(..., "--device", help="YAML: order, period_nm, length_um; optional "
                                                               "h_per_cm, free, design."),
             plot: Optional[Path] = PLOT, write_correction: Optional[Path] = CORR, as_json: bool = JSON) -> None:
    """Fit measured spectra with the model spectrum of distributed spontaneous emission (device CMT)."""
    from perocav.designs.fit.files import DeviceFile, load
    from perocav.designs.fit.report import spectrum_json
    from perocav.designs.fit.spectra_csv import read_spectra
    from perocav.fdtd.models.fit.spectrum_fit import SpectrumData, fit_spectrum
    from perocav.pdk.errors import InputError

    spec = load(device, DeviceFile)
    if "loss_per_cm" in spec.free:
        raise InputError("a spectrum fit has a net gain per spectrum instead", field="free", source=str(device),
                         allowed="a subset of n_eff, group_index, kappa_per_cm")
    lams, ints = read_spectra(file)
    fit = fit_spectrum(SpectrumData(wavelength_nm=lams, intensity=ints, order=spec.order, period_nm=spec.period_nm,
                                    length_um=spec.length_um, h_per_cm=spec.h_per_cm, free=tuple(spec.free),
                                    n_eff=spec.n_eff, group_index=spec.group_index, kappa_per_cm=spec.kappa_per_cm))
    out = {"file": str(file), "device": str(device), **spectrum_json(fit)}
    _finish(out, spec, fit.params, plot=plot, write_correction=write_correction, as_json=as_json,
            draw=lambda p: _plot_spectrum(fit, p), source=str(device))


def _plot_lines(fit, path):
    from perocav.designs.fit.plots import plot_lines

    return plot_lines(fit, path)


def _plot_spectrum(fit, path):
    from perocav.designs.fit.plots import plot_spectrum

    return plot_spectrum(fit, path)


def _finish(out: dict, spec, params, *, plot, write_correction, as_json: bool, draw, source: str) -> None:
    """Add the stack comparison, write the plot and the correction, print."""
    from perocav.pdk.errors import InputError

    if write_correction is not None and spec.design is None:
        raise InputError("--write-correction needs the design the device was made from", field="design",
                         allowed="design: {stack, duty_cycle, layer}", source=source)
    if spec.design is not None:
        out["design"] = _correction(spec, params, write_correction)
    if plot is not None:
        out["plot"] = str(draw(plot))
    if as_json:
        print_json(out)
        return
    _print(out)


def _correction(spec, params, write_correction) -> dict:
    import yaml

    from perocav.designs.fit.correction import correct_stack, correction_design
    from perocav.designs.fit.report import correction_json
    from perocav.designs.io import write_text_atomic

    c = correct_stack(stack_name=spec.design.stack, layer=spec.design.layer, duty_cycle=spec.design.duty_cycle,
                      period_nm=spec.period_nm, order=spec.order, length_um=spec.length_um,
                      fitted_n_eff=params.n_eff, fitted_group_index=params.group_index,
                      fitted_kappa_per_cm=params.kappa_per_cm)
    doc = correction_design(correction=c, name="fit_corrected", period_nm=spec.period_nm, order=spec.order,
                            length_um=spec.length_um)
    out = correction_json(c)
    out["design_file"] = doc
    if write_correction is not None:
        write_text_atomic(write_correction, yaml.safe_dump(doc, sort_keys=False))
        out["written"] = str(write_correction)
    return out


def _print(out: dict) -> None:
    from perocav.designs.cli._console import make_console

    con = make_console()
    sig = out["uncertainty"]
    con.print(f"{out['model']}: Bragg {out['bragg_wavelength_nm']:.3f} nm")
    for name in ("n_eff", "group_index", "kappa_per_cm", "loss_per_cm"):
        if name in sig:
            con.print(f"  {name} = {out[name]:.6g} +- {sig[name]:.2g}")
    lines = out.get("lines_fit", out)
    con.print(f"  modes {', '.join(lines['assignment'])}; lines {lines['lines_nm']} nm; model "
              f"{[round(x, 4) for x in lines['lines_model_nm']]} nm" + ("  (ambiguous)" if lines["ambiguous"] else ""))
    if "design" in out:
        d = out["design"]
        con.print(f"{d['model']}: {d['stack']} predicts n_eff {d['nominal']['n_eff']:.5f}, kappa "
                  f"{d['nominal']['kappa_per_cm']:.4g} 1/cm; {d['layer']} {d['corrected']['thickness_nm']:.2f} nm "
                  f"reproduces n_eff {d['corrected']['n_eff']:.5f} (kappa there {d['corrected']['kappa_per_cm']:.4g})")
        if "written" in d:
            con.print(f"corrected design: {d['written']}")
    if "plot" in out:
        con.print(f"plot: {out['plot']}")


def register(app: typer.Typer) -> None:
    fit_app.command("lines")(lines)
    fit_app.command("spectrum")(spectrum)
    app.add_typer(fit_app, name="fit", help="Fit measured lasing lines or spectra of a uniform DFB grating to n_eff, "
                                            "group index and kappa (device CMT), and correct the design's stack.")
