"""Building blocks of the HTML report: a figure with its caption, PNG saving, readable column labels with units."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from perocav.designs.io import atomic_path  # noqa: E402


@dataclass(frozen=True)
class Figure:
    """A saved PNG and the caption printed under it (what it shows and the model behind it)."""

    path: Path
    caption: str
    wide: bool = False  # full page width (pictures with small print: the die, two-panel figures)


def save_png(fig, path: Path, *, dpi: int = 110) -> Path:
    """Save a matplotlib figure atomically and close it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=dpi)
    plt.close(fig)
    return path


#: readable names (with units) of record fields; anything else goes through ``label``'s suffix rules
LABELS: dict[str, str] = {
    "rank": "rank",
    "temperature_rise_at_threshold_k": "temperature rise at J_th [K]",
    "drive_voltage_at_threshold_v": "voltage at J_th [V]",
    "drive_power_at_threshold_w_per_cm2": "J V at J_th [W/cm²]",
    "heated_opening_diameter_um": "heated opening [µm]",
    "period_nm": "period [nm]",
    "duty_cycle": "duty cycle",
    "n_periods": "periods",
    "length_um": "length [µm]",
    "radius_um": "radius [µm]",
    "wavelength_nm": "lasing λ [nm]",
    "kappa_L": "κL",
    "kappa_per_cm": "κ [1/cm]",
    "radiating_edge": "radiating edge",
    "q_estimate": "Q (lasing mode)",
    "confinement": "Γ (power-weighted, used)",
    "confinement_model": "Γ from",
    "band_edge_short_nm": "band edge short [nm]",
    "band_edge_long_nm": "band edge long [nm]",
    "q_edge_short": "Q short edge",
    "q_edge_long": "Q long edge",
    "confinement_power": "Γ (power)",
    "modal_loss_per_cm": "modal loss [1/cm]",
    "threshold_modal_gain_per_cm": "modal threshold gain [1/cm]",
    "threshold_material_gain_per_cm": "material threshold gain [1/cm]",
    "threshold_density_per_cm3": "N_th [cm⁻³]",
    "threshold_current_density_a_per_cm2": "J_th [A/cm²]",
    "model": "model",
    "feasible": "meets constraints",
    "m": "azimuthal order m",
    "gain_margin_per_cm": "gain margin (other modes' shortfall at N_th) [1/cm]",
    "pumped_fraction": "pumped length fraction",
    "unpumped_loss_per_cm": "unpumped modal loss [1/cm]",
    "device_model": "device couplings from",
    "eta_up": "η_up (emitted up)",
    "central_lobe_fraction": "central-lobe fraction",
    "lobe_angle_deg": "lobe angle [°]",
    "slope_efficiency_w_per_a": "slope efficiency up [W/A]",
    "differential_quantum_efficiency": "η_d (ext. differential QE, up)",
}

#: what each tier is called where a person reads it
MODEL_NAMES: dict[str, str] = {"analytic": "analytic", "rcwa": "RCWA", "fdtd": "FDTD"}

_SUFFIXES = (("_a_per_cm2", "[A/cm²]"), ("_per_cm3", "[cm⁻³]"), ("_per_cm", "[1/cm]"), ("_nm", "[nm]"),
             ("_um", "[µm]"), ("_ps", "[ps]"), ("_s", "[s]"))


def label(column: str) -> str:
    """``p.period_nm`` -> ``period [nm]``, ``analytic.wavelength_nm`` -> ``lasing λ [nm] (analytic)``,
    ``rcwa.kappa_per_cm`` -> ``κ [1/cm] (RCWA)``."""
    prefix, _, name = column.rpartition(".")
    if name in LABELS:
        text = LABELS[name]
    else:
        text, unit = name, ""
        for suffix, u in _SUFFIXES:
            if name.endswith(suffix):
                text, unit = name[: -len(suffix)], " " + u
                break
        text = re.sub(r"_+", " ", text) + unit
    return f"{text} ({prefix if prefix == 'analytic' else prefix.upper()})" if prefix in ("analytic", "rcwa") else text


def label_value(column: str, value) -> str:
    """``period_nm``, 385 -> ``period 385 nm``; unit-less fields: ``duty cycle 0.3``."""
    text = label(column)
    m = re.match(r"^(.*) \[(.+)\]$", text)
    v = f"{value:.4g}" if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)
    return f"{m.group(1)} {v} {m.group(2)}" if m else f"{text} {v}"
