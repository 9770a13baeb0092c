"""Independent grid check of the finite-device FDTD (docs/validation.md, issue 24.5): ONE gain level of a validation
case at a finer resolution than the default ladder, its lowest mode's zero from a given slope (the coarser rungs'),
and the coupled-mode threshold with MEEP unit cells at that resolution. Run:
``OMP_NUM_THREADS=1 .venv/bin/python benchmarks/device_fdtd_fine_check.py CASE RES GAIN SLOPE LAMBDA_NM PARITY``
(GAIN: material gain level near the expected threshold, 1/cm; SLOPE: d decay / d gain from the default run's record;
LAMBDA_NM: where the mode is expected; PARITY: even / odd). E.g. ``quarter_wave 100 900 -2.8230e-6 816.0 even``.
"""

from __future__ import annotations

import json
import sys
import time

from perocav.fdtd.device_cmt import device_cmt_modes
from perocav.fdtd.device_fdtd import DeviceFdtdSettings, _level_poles
from perocav.fdtd.device_fdtd_setup import plan_device
from perocav.fdtd.device_unit_cells import meep_section_couplings
from perocav.fdtd.device_validation import CASES
from perocav.pdk.stacks import get_stack


def main(argv: list[str]) -> None:
    name, res, gain, slope, lam = argv[0], float(argv[1]), float(argv[2]), float(argv[3]), float(argv[4])
    case = next(c for c in CASES if c.name == name)
    stack = get_stack(case.stack)
    plan = plan_device(stack=stack, geometry=case.geometry, alpha_unpumped_per_cm=case.alpha_unpumped_per_cm)
    c0 = time.process_time()
    poles = _level_poles(stack=stack, geometry=case.geometry, plan=plan, settings=DeviceFdtdSettings(), gain=gain,
                         res=res, odd=argv[5] == "odd", alpha=case.alpha_unpumped_per_cm,
                         ring_down_um=plan.fine_ring_down_um)
    cpu = time.process_time() - c0
    near = min(poles, key=lambda q: abs(q[0] - lam))
    g_th = gain - near[1] / slope
    couplings = meep_section_couplings(stack=stack, geometry=case.geometry,
                                       alpha_unpumped_per_cm=case.alpha_unpumped_per_cm, resolution_px_per_um=res,
                                       freeze_nm=plan.freeze_nm, group_index=plan.group_index_frozen)
    ref = couplings[(case.geometry.sections[0].order, case.geometry.sections[0].duty_cycle)].centre_nm
    cmt = device_cmt_modes(geometry=case.geometry, couplings=couplings, reference_nm=ref,
                           group_index=plan.group_index_frozen, n_modes=1)[0].threshold_modal_gain_per_cm
    print(json.dumps(dict(case=name, resolution_px_per_um=res, wavelength_nm=near[0], decay_per_um=near[1],
                          fdtd_threshold_modal_gain_per_cm=g_th * plan.zone_confinement,
                          cmt_threshold_modal_gain_per_cm=cmt, fdtd_cpu_time_s=cpu)))


if __name__ == "__main__":
    main(sys.argv[1:])
