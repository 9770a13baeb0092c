"""Issue 25's Done-when for the far field, real MEEP: the coupled-mode emission (budget with the stack's up share,
far field of the near field, lobes) against the finite-device FDTD's (DFT line fields, angular spectrum, box fluxes
and absorbed power) on three 2nd-order surface emitters: lobe angles within 0.1 deg or 10 % of the divergence,
central-lobe fraction within 10 %, eta_up within 10 %; the uniform grating's beam has a null at normal, and so has
the quarter-wave-shifted one's (its defect mode is odd), the half-wave-shifted one a single central lobe. CMT couplings from MEEP unit cells at the run's resolution.
Cost and numbers in docs/validation.md ("Far field and eta_up: FDTD vs coupled-mode theory")."""

from __future__ import annotations

import math

import pytest

from perocav.fdtd.device_emission_validation import TEST_CASES, TEST_SETTINGS, compare_emission

pytestmark = [pytest.mark.slow, pytest.mark.meep]


def _largest(angles) -> float:
    return max((abs(a) for a in angles), default=math.nan)


@pytest.mark.parametrize("case", TEST_CASES, ids=[c.name for c in TEST_CASES])
def test_fdtd_emission_matches_coupled_mode_theory(case):
    cmp = compare_emission(case, settings=TEST_SETTINGS)
    cmt, fd = cmp.cmt, cmp.fdtd
    c_up, f_up = cmt.up_lobes, fd.up_beam.lobes
    tol_deg = max(0.1, 0.1 * c_up.fwhm_deg)
    assert abs(_largest(f_up.lobe_angles_deg) - _largest(c_up.lobe_angles_deg)) <= tol_deg, cmp
    assert abs(f_up.central_lobe_fraction - c_up.central_lobe_fraction) <= 0.1 * max(c_up.central_lobe_fraction,
                                                                                      1e-9) or (
        c_up.dip_at_normal and f_up.dip_at_normal), cmp
    assert fd.eta_up == pytest.approx(cmt.budget.eta_up, rel=0.10), cmp
    if case.name.startswith(("uniform", "quarter_wave")):
        assert c_up.dip_at_normal and f_up.dip_at_normal and len(f_up.lobe_angles_deg) == 2, cmp
    if case.name.startswith("half_wave"):
        assert not c_up.dip_at_normal and not f_up.dip_at_normal and len(f_up.lobe_angles_deg) == 1, cmp
        assert abs(f_up.lobe_angles_deg[0]) < 0.05, cmp
