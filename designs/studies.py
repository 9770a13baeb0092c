"""The stack studies a run's report shows, solved once by the pipeline and stored in ``studies.json`` beside the
table: net modal gain versus gain-layer thickness (paper Fig. 3c), the gain material's carrier dynamics (paper
eqs. 2, 3) in the design's film, and the best design's heating at 0.5 / 1 / 2 x its J_th. The report reads this
record and never solves. Thicknesses nm, gains 1/cm, densities cm^-3, times s, rises K."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from perocav.designs.io import write_text_atomic
from perocav.designs.record_codec import decode_dataclass, encode
from perocav.designs.spec import DesignSpec, StackRef
from perocav.designs.thermal_rank import OPENING, RISE, best_design_transients
from perocav.designs.threshold import auger_critical_density_per_cm3, peak_density_for_pulse_per_cm3, plqy
from perocav.fdtd.models.slab.thickness_study import GainPoint, thickness_sweep, thinnest_net_gain_nm

STUDIES_FILE = "studies.json"
#: the record's layout; a stored file with another is solved again
STUDIES_SCHEMA = 2  # 2: the thickness curve on the main job's grid (5 nm), with its slab-mode rows
GAIN_PER_CM = 500.0
#: the thickness grid of the stored curve: the main job's thickness study (``perocav thickness-study`` defaults)
THICKNESS_MIN_NM, THICKNESS_MAX_NM, THICKNESS_STEP_NM = 20.0, 300.0, 5.0
FLUENCES_UJ_PER_CM2 = (10.0, 100.0, 500.0)


@dataclass(frozen=True)
class ThicknessCurve:
    """g_net = Gamma g_i - alpha of the unpatterned stack's TE0 mode versus gain-layer thickness."""

    stack_name: str
    wavelength_nm: float
    gain_per_cm: float
    thickness_nm: tuple[float, ...]
    g_net_per_cm: tuple[float, ...]
    thinnest_net_gain_nm: float | None  # where g_net first turns positive; None: never
    points: tuple[GainPoint, ...] = ()  # the slab-mode rows behind g_net (TE0), one per thickness


@dataclass(frozen=True)
class PeakDensityCurve:
    """Peak carrier density versus pump pulse width at one fluence, with or without Auger recombination."""

    fluence_uj_per_cm2: float
    auger: bool
    peak_density_per_cm3: tuple[float, ...]


@dataclass(frozen=True)
class CarrierCurves:
    """Rate-equation peak densities over ``pulse_fwhm_s`` (50 % absorbed in ``film_nm``) and PLQY(N)."""

    film_nm: float
    pulse_fwhm_s: tuple[float, ...]
    peaks: tuple[PeakDensityCurve, ...]
    density_per_cm3: tuple[float, ...]
    plqy: tuple[float, ...]
    auger_critical_density_per_cm3: float


@dataclass(frozen=True)
class HeatingRun:
    """Peak rise of the gain layer versus time at one drive current (from ``ThermalTransient``)."""

    time_s: tuple[float, ...]
    peak_rise_k: tuple[float, ...]
    pulse_s: float
    n_pulses: int
    current_density_a_per_cm2: float
    voltage_v: float
    power_density_w_per_cm2: float
    max_temperature_rise_k: float
    cooldown_time_s: float  # after the last pulse, to 5 % of the peak; inf: not within the window


@dataclass(frozen=True)
class BestHeating:
    """The best-ranked design's heating at 0.5 / 1 / 2 x its threshold current density (those <= 1e6 A/cm^2)."""

    threshold_current_density_a_per_cm2: float
    runs: tuple[HeatingRun, ...]


@dataclass(frozen=True)
class StackStudies:
    """What the report's stack and heating sections draw; None where the design has nothing to show."""

    schema: int
    thickness: ThicknessCurve | None
    carriers: CarrierCurves | None
    heating: BestHeating | None


def stack_studies(spec: DesignSpec, table) -> StackStudies:
    """Solve the studies of a ranked run (``table``: the results table, for the best design)."""
    return StackStudies(schema=STUDIES_SCHEMA, thickness=thickness_curve(spec), carriers=carrier_curves(spec),
                        heating=best_heating(spec, table))


def thickness_curve(spec: DesignSpec) -> ThicknessCurve | None:
    """g_net versus gain-layer thickness 20-300 nm at the stack's emission wavelength (None without one)."""
    stack = spec.stack.resolve()
    if stack.gain_layer is None or stack.emission_wavelength_nm is None:
        return None
    t = np.arange(THICKNESS_MIN_NM, THICKNESS_MAX_NM + 0.5 * THICKNESS_STEP_NM, THICKNESS_STEP_NM)
    pts = thickness_sweep(stack=stack, thicknesses_nm=t, wavelength_nm=stack.emission_wavelength_nm,
                          gain_per_cm=GAIN_PER_CM)
    return ThicknessCurve(stack_name=stack.name, wavelength_nm=float(stack.emission_wavelength_nm),
                          gain_per_cm=GAIN_PER_CM, thickness_nm=tuple(float(x) for x in t),
                          g_net_per_cm=tuple(float(p.g_net_per_cm) for p in pts),
                          thinnest_net_gain_nm=thinnest_net_gain_nm(pts), points=tuple(pts))


def carrier_curves(spec: DesignSpec) -> CarrierCurves | None:
    """Peak density versus pulse width for three fluences (with / without Auger) and PLQY(N) in the design's film."""
    stack = spec.stack.resolve()
    if stack.gain_layer is None:
        return None
    film_nm = stack.layer(stack.gain_layer).thickness_nm
    mat = spec.gain_material
    widths = np.logspace(-13, -7, 25)
    peaks = tuple(PeakDensityCurve(fluence_uj_per_cm2=f, auger=auger, peak_density_per_cm3=tuple(
        float(peak_density_for_pulse_per_cm3(material=mat, fluence_uJ_per_cm2=f, pulse_fwhm_s=w, absorption=0.5,
                                             thickness_nm=film_nm, auger=auger)) for w in widths))
        for f in FLUENCES_UJ_PER_CM2 for auger in (False, True))
    n = np.logspace(14, 20, 200)
    return CarrierCurves(film_nm=float(film_nm), pulse_fwhm_s=tuple(float(w) for w in widths), peaks=peaks,
                         density_per_cm3=tuple(float(x) for x in n),
                         plqy=tuple(float(plqy(material=mat, carrier_density_per_cm3=x)) for x in n),
                         auger_critical_density_per_cm3=float(auger_critical_density_per_cm3(material=mat)))


def best_heating(spec: DesignSpec, table) -> BestHeating | None:
    """The best-ranked design's heating transients (None without a ``drive`` section or a finite J_th)."""
    if spec.drive is None or RISE not in table:
        return None
    ranked = table[table["rank"].notna()].sort_values("rank")
    if ranked.empty or not math.isfinite(float(ranked.iloc[0]["threshold_current_density_a_per_cm2"])):
        return None
    best = ranked.iloc[0]
    j_th = float(best["threshold_current_density_a_per_cm2"])
    runs = best_design_transients(stack=best_stack(spec, best), drive=spec.drive, j_th=j_th,
                                  opening_diameter_um=float(best[OPENING]))
    return BestHeating(threshold_current_density_a_per_cm2=j_th, runs=tuple(_heating_run(r) for r in runs))


def best_stack(spec: DesignSpec, row):
    """The best design's stack: the design file's stack with the row's swept thicknesses."""
    thickness = dict(spec.stack.thickness_nm)
    for col in row.index:
        if col.startswith("thickness_nm.") and row[col] == row[col]:
            thickness[col.split(".", 1)[1]] = float(row[col])
    return StackRef(name=spec.stack.name, thickness_nm=thickness).resolve()


def _heating_run(tr) -> HeatingRun:
    return HeatingRun(time_s=tuple(float(x) for x in tr.time_s), peak_rise_k=tuple(float(x) for x in tr.peak_rise_k),
                      pulse_s=float(tr.pulse_s), n_pulses=int(tr.n_pulses),
                      current_density_a_per_cm2=float(tr.current_density_a_per_cm2), voltage_v=float(tr.voltage_v),
                      power_density_w_per_cm2=float(tr.power_density_w_per_cm2),
                      max_temperature_rise_k=float(tr.max_temperature_rise_k),
                      cooldown_time_s=float(tr.cooldown_time_s()))


def write_studies(out_dir: Path, studies: StackStudies) -> Path:
    """``studies.json`` in ``out_dir`` (atomic)."""
    return write_text_atomic(Path(out_dir) / STUDIES_FILE, json.dumps(encode(studies), indent=1) + "\n")


def read_studies(out_dir: Path) -> StackStudies | None:
    """The stored studies of a run; None when absent, unreadable or of another schema (solve them again)."""
    path = Path(out_dir) / STUDIES_FILE
    try:
        data = json.loads(path.read_text())
        studies = decode_dataclass(StackStudies, data)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return studies if studies.schema == STUDIES_SCHEMA else None
