"""The RCWA answer for a MEEP unit cell's design and the differences, as flat record fields (``rcwa_*``), so every
FDTD study carries an independent cross-check. No meep import: it reads the MEEP record's dict."""

from __future__ import annotations

import math

from perocav.pdk.stack import Stack

COMPARED = ("edge_short_nm", "edge_long_nm", "q_short", "q_long", "kappa_per_cm", "radiation_per_cm")


def rcwa_cross_check(*, stack: Stack, meep: dict) -> dict:
    """``rcwa_<field>`` for COMPARED fields, ``rcwa_minus_meep_<edge>`` [nm] for the edges and
    ``rcwa_over_meep_<field>`` for the others, plus ``rcwa_status`` / ``rcwa_wall_time_s``. ``meep``: a
    ``DfbFdtdResult.to_dict()`` of a unit-cell run (other modes get ``rcwa_status`` 'skipped')."""
    from perocav.fdtd.models.grating import DfbGrating
    from perocav.fdtd.rcwa.unit_cell import simulate_dfb_rcwa

    if meep.get("mode") != "unit_cell":
        return {"rcwa_status": "skipped"}
    try:
        grating = DfbGrating(period_nm=meep["period_nm"], duty_cycle=meep["duty_cycle"], order=meep["order"],
                             n_periods=meep.get("n_periods", 100),
                             quarter_wave_shift=bool(meep.get("quarter_wave_shift")))
        r = simulate_dfb_rcwa(stack=stack, grating=grating).to_dict()
    except ValueError as err:  # InputError included: a design the RCWA path cannot take is reported, not raised
        return {"rcwa_status": f"failed: {str(err).splitlines()[0]}"}
    out: dict = {"rcwa_status": r["status"], "rcwa_wall_time_s": r["wall_time_s"]}
    for key in COMPARED:
        a, b = r.get(key), meep.get(key)
        out[f"rcwa_{key}"] = a
        ok = isinstance(a, (int, float)) and isinstance(b, (int, float)) and math.isfinite(a) and math.isfinite(b)
        if key.endswith("_nm"):
            out[f"rcwa_minus_meep_{key}"] = a - b if ok else None
        else:
            out[f"rcwa_over_meep_{key.removesuffix('_per_cm')}"] = a / b if ok and b != 0 else None
    return out
