"""The RCWA answer for a MEEP unit cell's design and the differences, as one flat record (``rcwa_*`` fields), so
every FDTD study carries an independent cross-check. No meep import: it reads the MEEP record's fields."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from perocav.fdtd.models.dfb.grating import DfbGrating
from perocav.fdtd.result import DfbSolverResult
from perocav.pdk.stack import Stack

COMPARED = ("edge_short_nm", "edge_long_nm", "q_short", "q_long", "kappa_per_cm", "radiation_per_cm")


@dataclass(frozen=True)
class RcwaCrossCheck:
    """The RCWA answer for a MEEP unit cell's design beside MEEP's (``rcwa_cross_check``): RCWA's edges nm,
    Qs, kappa and h 1/cm, RCWA minus MEEP for the edges nm, RCWA over MEEP for the rest; None where absent."""

    rcwa_status: str
    rcwa_wall_time_s: float | None = None
    rcwa_edge_short_nm: float | None = None
    rcwa_minus_meep_edge_short_nm: float | None = None
    rcwa_edge_long_nm: float | None = None
    rcwa_minus_meep_edge_long_nm: float | None = None
    rcwa_q_short: float | None = None
    rcwa_over_meep_q_short: float | None = None
    rcwa_q_long: float | None = None
    rcwa_over_meep_q_long: float | None = None
    rcwa_kappa_per_cm: float | None = None
    rcwa_over_meep_kappa: float | None = None
    rcwa_radiation_per_cm: float | None = None
    rcwa_over_meep_radiation: float | None = None

    def to_dict(self) -> dict:
        """Flat JSON-ready fields: every field when RCWA ran, only ``rcwa_status`` when it was skipped or failed."""
        return asdict(self) if self.rcwa_wall_time_s is not None else {"rcwa_status": self.rcwa_status}


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def rcwa_cross_check(*, stack: Stack, meep: DfbSolverResult, rcwa: DfbSolverResult | None = None) -> RcwaCrossCheck:
    """RCWA of the ``meep`` unit-cell record's grating under ``stack``: ``rcwa_<field>`` for the COMPARED fields,
    ``rcwa_minus_meep_<edge>`` [nm] for the edges and ``rcwa_over_meep_<field>`` for the others. Other modes get
    ``rcwa_status`` 'skipped', a design the RCWA path cannot take 'failed: <reason>'. ``rcwa``: the same design's
    RCWA record when one was already solved (a screen's RCWA stage): compared as it is, RCWA is not run again."""
    from perocav.fdtd.rcwa.unit_cell import simulate_dfb_rcwa  # lazy: loads meent

    if meep.mode != "unit_cell":
        return RcwaCrossCheck(rcwa_status="skipped")
    try:
        grating = DfbGrating(period_nm=meep.period_nm, duty_cycle=meep.duty_cycle, order=meep.order,
                             n_periods=meep.n_periods, quarter_wave_shift=bool(meep.quarter_wave_shift))
        r = simulate_dfb_rcwa(stack=stack, grating=grating) if rcwa is None else rcwa
    except ValueError as err:  # InputError included: a design the RCWA path cannot take is reported, not raised
        return RcwaCrossCheck(rcwa_status=f"failed: {str(err).splitlines()[0]}")
    out: dict = {}
    for key in COMPARED:
        a, b = _finite(getattr(r, key)), _finite(getattr(meep, key))
        out[f"rcwa_{key}"] = a
        ok = a is not None and b is not None
        if key.endswith("_nm"):
            out[f"rcwa_minus_meep_{key}"] = a - b if ok else None
        else:
            out[f"rcwa_over_meep_{key.removesuffix('_per_cm')}"] = a / b if ok and b != 0 else None
    return RcwaCrossCheck(rcwa_status=r.status, rcwa_wall_time_s=r.wall_time_s, **out)
