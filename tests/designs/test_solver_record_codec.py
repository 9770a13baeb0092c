"""The one DFB solver record (``fdtd.result.DfbSolverResult``) of either backend goes through the cache codec and
comes back equal, its backend details included (a MEEP record with a rung and a cross-section, an RCWA one)."""

from __future__ import annotations

import json
import math

import numpy as np

from perocav.designs.record_codec import result_from_json, result_to_json
from perocav.designs.records import DesignMetrics, DesignResult
from perocav.designs.spec import DesignPoint
from perocav.fdtd.extract.convergence import ConvergenceStep
from perocav.fdtd.extract.cross_section import CrossSection
from perocav.fdtd.result import BlochBands, DfbSolverResult, MeepDetails, RcwaDetails

POINT = DesignPoint.model_validate({"stack": {"name": "transparent_MAPbI3"}, "gain_material": {},
                                    "cavity": {"type": "dfb", "period_nm": 385.0}, "params": {"period_nm": 385.0}})
METRICS = DesignMetrics(wavelength_nm=812.0, q_estimate=900.0, threshold_modal_gain_per_cm=150.0,
                        threshold_material_gain_per_cm=170.0, threshold_density_per_cm3=6e17, plqy_at_threshold=0.7,
                        threshold_current_density_a_per_cm2=240.1, below_auger_limit=True, gain_thickness_nm=150.0)
BASE = dict(status="ok", stack="transparent_MAPbI3", period_nm=385.0, duty_cycle=0.3, order=2, n_periods=250,
            quarter_wave_shift=False, length_um=96.25, edge_short_nm=810.8, edge_long_nm=813.6, q_short=math.inf,
            q_long=850.0, radiating_edge="long", kappa_per_cm=340.0, confinement_power=0.88, modal_loss_per_cm=60.0)


def _round_trip(record: DfbSolverResult, fidelity: str) -> DfbSolverResult:
    result = DesignResult(key="ab" + "0" * 62, point=POINT, fidelity=fidelity, status="ok", metrics=METRICS,
                          solver=record)
    return result_from_json(json.loads(json.dumps(result_to_json(result)))).solver


def test_meep_and_rcwa_records_round_trip_with_their_details():
    cs = CrossSection(x_um=np.linspace(0, 0.385, 3), y_um=np.linspace(-1, 1, 4), abs2=np.ones((3, 4)),
                      levels_um={"perovskite": (0.07, 0.22)})
    step = ConvergenceStep(resolution_px_per_um=80.0, ring_down_um=80.0, status="ok", wavelengths_nm=(810.8, 813.6),
                           qs=(math.inf, 850.0), q_resolved=(True, True))
    bands = BlochBands(resolution_px_per_um=80.0, ring_down_um=60.0, dk_per_um=(0.0, 0.0068), lower_nm=(813.6, 814.0),
                       upper_nm=(810.8, math.nan), q_lower=(850.0, 700.0), q_upper=(math.inf, math.nan), wall_time_s=5.9)
    meep = DfbSolverResult(model="fdtd", confinement_model="fdtd", **BASE, details=MeepDetails(
        group_index_frozen=2.4, freeze_passes=2, resolutions_tried="80, 160", meep_version="1.25.0", history=(step,),
        cross_section=cs, cross_section_other=cs, bands=bands)).stored()
    rcwa = DfbSolverResult(model="rcwa", confinement_model="analytic", n_harmonics=15, **BASE,
                           details=RcwaDetails(harmonics_tried="10, 15", fano_q=850.0, rcwa_library="meent 0.9"))
    back_meep, back_rcwa = _round_trip(meep, "fdtd"), _round_trip(rcwa, "rcwa")
    assert back_rcwa.to_dict() == rcwa.to_dict() and type(back_rcwa.details) is RcwaDetails  # NaN != NaN: dicts
    assert type(back_meep.details) is MeepDetails and back_meep.details.history == (step,)  # the ladder table's rungs
    kept = back_meep.details.bands  # the band diagram's Bloch points, NaN (no second mode) kept
    assert kept.dk_per_um == bands.dk_per_um and kept.lower_nm == bands.lower_nm and math.isnan(kept.upper_nm[1])
    assert back_meep.to_dict() == meep.to_dict()
    assert back_meep.details.cross_section.abs2.shape == (3, 4) == back_meep.details.cross_section_other.abs2.shape
    assert set(meep.to_dict()) - set(rcwa.to_dict()) >= {"meep_version", "freeze_passes"}
    assert "details" not in meep.to_dict() and meep.to_dict()["q_short"] is None
