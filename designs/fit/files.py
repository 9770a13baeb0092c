"""The files of ``perocav fit``: the lines file (``LinesFile``) and the device file of a spectrum fit
(``DeviceFile``), strict and frozen; any problem is one line naming the file, the field and the allowed range."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator

from perocav.fdtd.models.fit.lines_data import DEFAULT_FREE, MAX_LINES, PARAM_NAMES
from perocav.pdk.bounds import StrictModel
from perocav.pdk.errors import InputError, from_validation_error
from perocav.pdk.yaml_io import read_yaml_mapping

ALLOWED = {"order": "1 or 2", "period_nm": "> 0 and <= 100000 nm", "length_um": "> 0 and <= 100000 um",
           "lines_nm": f"a list of 1 to {MAX_LINES} wavelengths 100-20000 nm",
           "lines_sigma_nm": "> 0 and <= 10 nm", "linewidths_nm": "one FWHM > 0 nm per line",
           "h_per_cm": "0 to 1e5 1/cm", "free": f"a non-empty subset of {', '.join(PARAM_NAMES)}",
           "n_eff": "1 to 5", "group_index": "1 to 20", "kappa_per_cm": "> 0 and <= 1e5 1/cm",
           "loss_per_cm": "0 to 1e5 1/cm", "stack": "a PDK stack name or a stack YAML file",
           "layer": "a layer of the stack", "duty_cycle": "0 < duty_cycle < 1"}
Wavelength = Field(gt=100, le=20000)


class DesignLink(StrictModel):
    """The design the device was made from: PDK stack, duty cycle, the layer whose thickness is corrected."""

    stack: str = Field(min_length=1)
    duty_cycle: float = Field(gt=0, lt=1)
    layer: str = "perovskite"


class DeviceFile(StrictModel):
    """A uniform grating: order, period [nm], length [um], fixed h [1/cm], free parameters, start or fixed values,
    optional design link."""

    order: Literal[1, 2]
    period_nm: float = Field(gt=0, le=100_000)
    length_um: float = Field(gt=0, le=100_000)
    h_per_cm: float = Field(0.0, ge=0, le=1e5)
    free: tuple[Literal["n_eff", "group_index", "kappa_per_cm", "loss_per_cm"], ...] = Field(DEFAULT_FREE,
                                                                                            min_length=1)
    n_eff: float | None = Field(None, ge=1, le=5)
    group_index: float | None = Field(None, ge=1, le=20)
    kappa_per_cm: float | None = Field(None, gt=0, le=1e5)
    loss_per_cm: float = Field(0.0, ge=0, le=1e5)
    design: DesignLink | None = None

    @model_validator(mode="after")
    def _fixed_values(self) -> "DeviceFile":
        for name in ("n_eff", "group_index", "kappa_per_cm"):
            if name not in self.free and getattr(self, name) is None:
                raise InputError(f"{name} is not free, so it needs its value", field=name, relative=True,
                                 allowed=f"{ALLOWED[name]} (or add it to free)")
        return self


class LinesFile(DeviceFile):
    """A device file with its measured lines [nm], their sigma [nm] and optional linewidths (FWHM) [nm]."""

    lines_nm: list[float] = Field(min_length=1, max_length=MAX_LINES)
    lines_sigma_nm: float = Field(0.02, gt=0, le=10)
    linewidths_nm: list[float] | None = None
    linewidths_sigma_nm: list[float] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "LinesFile":
        if any(not 100 < x <= 20000 for x in self.lines_nm):
            raise InputError("a wavelength is out of range", field="lines_nm", allowed=ALLOWED["lines_nm"],
                             relative=True)
        if self.linewidths_nm is not None and (len(self.linewidths_nm) != len(self.lines_nm)
                                               or any(not w > 0 for w in self.linewidths_nm)):
            raise InputError("needs one positive width per line", field="linewidths_nm",
                             allowed=ALLOWED["linewidths_nm"], relative=True)
        if "loss_per_cm" in self.free and self.linewidths_nm is None:
            raise InputError("loss_per_cm moves no line: it needs linewidths_nm", field="free",
                             allowed="n_eff, group_index, kappa_per_cm (loss_per_cm only with linewidths_nm)",
                             relative=True)
        n_data = len(self.lines_nm) * (1 if self.linewidths_nm is None else 2)
        if n_data < len(self.free):
            raise InputError(f"{n_data} measured numbers cannot fix {len(self.free)} free parameters", field="free",
                             allowed=f"at most {n_data} names", relative=True)
        return self


def load(path: Path, model: type[StrictModel]):
    """The validated file, or a one-line InputError naming the file, the field and the allowed range."""
    src = str(path)
    doc = read_yaml_mapping(path, keys_hint=", ".join(model.model_fields))
    try:
        return model.model_validate(doc)
    except ValidationError as err:
        own = isinstance((err.errors()[0].get("ctx") or {}).get("error"), InputError)  # raised by a validator here
        bad = from_validation_error(err, source=src)
    except InputError as err:
        bad, own = err.with_source(src), True
    parts = bad.field.split(".") if bad.field else [""]
    last = parts[-2] if parts[-1].isdigit() and len(parts) > 1 else parts[-1]
    allowed = bad.allowed if own and bad.allowed else ALLOWED.get(last) or bad.allowed
    if allowed == "see the documented keys" or last not in ALLOWED and not own:
        allowed = "the keys " + ", ".join(model.model_fields)
    raise InputError(bad.problem, field=bad.field, allowed=allowed, source=src) from None
