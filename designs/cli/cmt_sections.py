"""``perocav cmt sections FILE.yaml``: the lasing modes of a device given as a list of sections (the bare engine of
``fdtd.models.device``): thresholds (modal intensity gain of the pumped sections), detunings and the gain margin."""

from __future__ import annotations

import re
from pathlib import Path

import typer
from pydantic import Field, StrictBool, ValidationError, model_validator

from perocav.designs.cli._common import print_json
from perocav.designs.cli._console import make_console
from perocav.pdk.bounds import StrictModel
from perocav.pdk.errors import InputError, from_validation_error
from perocav.pdk.yaml_io import read_yaml_mapping

#: largest |coupling|, |gain| and |detuning offset| accepted [1/cm], longest section [um], most sections
MAX_RATE_PER_CM = 1e5
MAX_LENGTH_UM = 1e5
MAX_SECTIONS = 200
KEYS = ("length_um", "kappa_per_cm", "h_per_cm", "h_reactive_per_cm", "phase_rad", "pumped", "gain_per_cm",
        "detuning_offset_per_cm")

_RATE = f"-{MAX_RATE_PER_CM:g} to {MAX_RATE_PER_CM:g} 1/cm"
#: the allowed range of every key, for the error line
ALLOWED = {"length_um": f"> 0 and <= {MAX_LENGTH_UM:g} um", "kappa_per_cm": _RATE,
           "h_per_cm": f"0 to {MAX_RATE_PER_CM:g} 1/cm", "h_reactive_per_cm": _RATE, "phase_rad": "-1000 to 1000 rad",
           "pumped": "true or false", "gain_per_cm": _RATE, "detuning_offset_per_cm": _RATE,
           "modes": "an integer 1 to 20", "sections": f"a list of 1 to {MAX_SECTIONS} sections, at least one pumped"}

Rate = Field(0.0, ge=-MAX_RATE_PER_CM, le=MAX_RATE_PER_CM)


class SectionEntry(StrictModel):
    """One section of the file: length [um], signed index coupling kappa [1/cm], radiation coupling h >= 0 [1/cm]
    and its reactive part, grating phase phi [rad] (quarter-wave step: pi/2), pumped or not, the modal intensity
    gain [1/cm] (pumped: an offset added to the threshold; unpumped: fixed, negative = loss), Bragg mismatch [1/cm]."""

    length_um: float = Field(gt=0, le=MAX_LENGTH_UM)
    kappa_per_cm: float = Field(ge=-MAX_RATE_PER_CM, le=MAX_RATE_PER_CM)
    h_per_cm: float = Field(0.0, ge=0, le=MAX_RATE_PER_CM)
    h_reactive_per_cm: float = Rate
    phase_rad: float = Field(0.0, ge=-1e3, le=1e3)
    pumped: StrictBool = False
    gain_per_cm: float = Rate
    detuning_offset_per_cm: float = Rate


class SectionsFile(StrictModel):
    """The file: ``sections`` left to right, and optionally ``modes`` (how many lowest modes, default 3)."""

    sections: list[SectionEntry] = Field(min_length=1, max_length=MAX_SECTIONS)
    modes: int = Field(3, ge=1, le=20)

    @model_validator(mode="after")
    def _one_pumped(self) -> "SectionsFile":
        if not any(s.pumped for s in self.sections):
            raise InputError("no section is pumped", field="sections", allowed="at least one section with pumped: true",
                             relative=True)
        return self


def _indexed(field: str) -> str:
    """``sections.2.length_um`` -> ``sections[2].length_um``."""
    return re.sub(r"\.(\d+)(?=\.|$)", r"[\1]", field)


def load_sections_file(path: Path) -> SectionsFile:
    """The validated file; any problem is a one-line InputError naming the file, the field and the allowed range."""
    src = str(path)
    doc = read_yaml_mapping(path, keys_hint="sections, modes")
    try:
        return SectionsFile.model_validate(doc)
    except ValidationError as err:
        bad = from_validation_error(err, source=src)
    except InputError as err:
        bad = err.with_source(src)
    allowed, last = bad.allowed, bad.field.split(".")[-1]
    if allowed == "see the documented keys":
        allowed = ", ".join(KEYS) if bad.field.startswith("sections.") else "sections, modes"
    elif last in ALLOWED and (bad.field != "sections" or not allowed):
        allowed = ALLOWED[last]
    raise InputError(bad.problem, field=_indexed(bad.field), allowed=allowed, source=src) from None


def _device_sections(spec: SectionsFile):
    from perocav.fdtd.models.device.sections import DeviceSection

    return [DeviceSection(length_um=s.length_um, kappa_per_cm=s.kappa_per_cm, radiation_per_cm=s.h_per_cm,
                          radiation_reactive_per_cm=s.h_reactive_per_cm, phase_rad=s.phase_rad, pumped=s.pumped,
                          gain_per_cm=s.gain_per_cm, detuning_offset_per_cm=s.detuning_offset_per_cm)
            for s in spec.sections]


def sections(
    file: Path = typer.Argument(..., help="YAML file: sections: [{length_um, kappa_per_cm, h_per_cm, phase_rad, "
                                          "pumped: true | gain_per_cm}, ...], optional modes: N."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Lasing modes of a device made of sections (coupled-mode engine, no facet reflections): threshold modal
    intensity gain of the pumped sections [1/cm], detuning delta [1/cm], gain margin to the next mode."""
    from perocav.fdtd.models.device.engine import device_modes

    spec = load_sections_file(file)
    res = device_modes(sections=_device_sections(spec), n_modes=spec.modes)
    out = {"file": str(file), **res.to_dict(), "n_sections": len(spec.sections), "modes_requested": spec.modes}
    if as_json:
        print_json(out)
        return
    _print_table(out)


def _print_table(out: dict) -> None:
    from rich.table import Table

    console = make_console()
    console.print(f"{out['file']}: {out['n_sections']} sections, L {out['length_um']:g} um, "
                  f"pumped {out['pumped_length_um']:g} um")
    table = Table(title="lowest-threshold modes")
    for col in ("#", "threshold g_p [1/cm]", "detuning delta [1/cm]", "delta L"):
        table.add_column(col, justify="right")
    for i, m in enumerate(out["modes"]):
        table.add_row(str(i), f"{m['threshold_modal_gain_per_cm']:.5g}", f"{m['detuning_per_cm']:.5g}",
                      f"{m['detuning_per_cm'] * out['length_um'] * 1e-4:.4f}")
    console.print(table)
    margin = out["gain_margin_per_cm"]
    console.print(f"gain margin {margin:.4g} 1/cm" if margin is not None else "gain margin: one mode only")
    if len(out["modes"]) < out["modes_requested"]:
        console.print(f"[yellow]warning:[/] found {len(out['modes'])} of {out['modes_requested']} modes "
                      "below the threshold ceiling")
