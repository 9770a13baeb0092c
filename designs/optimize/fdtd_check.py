"""The finite-device FDTD of an optimum (``fdtd.device_fdtd.simulate_device_meep``: the whole grating, pump and
absorbing unpumped stretch in MEEP, ~1-2 minutes of one core) and its threshold chain to J_th over the
recombination zone's thickness. The numbers are kept in the run folder's ``study/`` by the design's cache key, so
a rerun does not repeat the FDTD."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

from perocav.designs.cavities.metrics import gain_perovskite
from perocav.designs.io import write_json_atomic
from perocav.designs.records import DesignResult
from perocav.designs.threshold import threshold_from_material_gain


@dataclass(frozen=True)
class FdtdCheck:
    """Finite-device FDTD numbers: threshold modal and material gain [1/cm], lasing wavelength [nm], gain margin
    [1/cm], J_th [A/cm^2] (material gain -> N_th -> J_th), CPU time [s]; model "finite-device FDTD"."""

    threshold_modal_gain_per_cm: float
    threshold_material_gain_per_cm: float
    wavelength_nm: float
    gain_margin_per_cm: float
    jth_a_per_cm2: float
    cpu_time_s: float
    model: str = "finite-device FDTD"


def fdtd_check(result: DesignResult, *, out: Path) -> FdtdCheck:
    """The FDTD check of ``result``'s design (its device record gives the unpumped absorption and the zone)."""
    path = Path(out) / "study" / f"fdtd_{result.first().key[:16]}.json"
    if path.is_file():
        return FdtdCheck(**json.loads(path.read_text()))
    from perocav.fdtd.device_fdtd import simulate_device_meep  # lazy: loads meep

    point, device = result.point, result.device
    stack = point.stack.resolve()
    fd = simulate_device_meep(stack=stack, geometry=point.cavity.geometry(),
                              alpha_unpumped_per_cm=device.solution.absorption_per_cm)
    thr = threshold_from_material_gain(material=point.gain_material, material_gain_per_cm=fd.threshold_material_gain_per_cm,
                                       thickness_nm=device.zone_thickness_nm, wavelength_nm=fd.wavelength_nm,
                                       perovskite=gain_perovskite(stack))
    check = FdtdCheck(threshold_modal_gain_per_cm=fd.threshold_modal_gain_per_cm,
                      threshold_material_gain_per_cm=fd.threshold_material_gain_per_cm, wavelength_nm=fd.wavelength_nm,
                      gain_margin_per_cm=fd.gain_margin_per_cm if math.isfinite(fd.gain_margin_per_cm) else math.nan,
                      jth_a_per_cm2=thr.current_density_A_per_cm2, cpu_time_s=fd.cpu_time_s)
    write_json_atomic(path, asdict(check))
    return check
