"""Issue 25's Done-when for the far field, real MEEP: the coupled-mode emission (budget with the stack's up share, far
field of the near field, lobes) against the finite-device FDTD's (DFT line fields, angular spectrum, box fluxes and
absorbed power) on four surface emitters of the MAPbI3 stack and one of the CsPbBr3 stack: lobe angles within 0.1
deg or 10 % of the divergence, central-lobe fraction within 10 %, eta_up within 10 %, ends within 2 %; the uniform
grating's beam has a null at normal, and so has the quarter-wave-shifted one's (its defect mode is odd), the half-
wave-shifted one a single central lobe, and the mixed-order one (1st-order 15 + 15 periods around the same 50-period
2nd-order outcoupler, phase-free junctions: its lowest mode is odd, eta_up ~1 %) a null, as has the uniform CsPbBr3
grating's (80 periods of 250 nm). The dark mixed-order device of issue 24.5 (its lowest mode radiates 0.1 %, the
scattering at its ends and junctions, which the CMT lacks, adds +50 % to eta_up) is documented in docs/validation.md
and not run here. CMT couplings from MEEP unit cells at the run's resolution. Cost and numbers in docs/validation.md
("Far field and eta_up: FDTD vs coupled-mode theory")."""

from __future__ import annotations

import functools
import math

import pytest

from perocav.fdtd.device_emission_validation import TEST_CASES, TEST_SETTINGS, compare_emission

pytestmark = [pytest.mark.slow, pytest.mark.meep]
CASES = {c.name: c for c in TEST_CASES}


@functools.lru_cache(maxsize=None)
def _compare(name: str):
    return compare_emission(CASES[name], settings=TEST_SETTINGS)


def _largest(angles) -> float:
    return max((abs(a) for a in angles), default=math.nan)


@pytest.mark.parametrize("name", list(CASES))
def test_fdtd_beam_matches_coupled_mode_theory(name):
    cmp = _compare(name)
    c_up, f_up = cmp.cmt.up_lobes, cmp.fdtd.up_beam.lobes
    assert abs(_largest(f_up.lobe_angles_deg) - _largest(c_up.lobe_angles_deg)) <= max(0.1, 0.1 * c_up.fwhm_deg), cmp
    assert f_up.dip_at_normal == c_up.dip_at_normal, cmp
    assert abs(f_up.central_lobe_fraction - c_up.central_lobe_fraction) <= 0.1 * c_up.central_lobe_fraction, cmp
    if name in ("uniform_2nd", "quarter_wave_2nd", "mixed_order", "cspbbr3_uniform_2nd"):
        assert f_up.dip_at_normal and f_up.central_lobe_fraction == 0.0, cmp
    if name == "half_wave_2nd":
        assert len(f_up.lobe_angles_deg) == 1 and abs(f_up.lobe_angles_deg[0]) < 0.05, cmp


@pytest.mark.parametrize("name", list(CASES))
def test_fdtd_eta_up_matches_coupled_mode_theory(name):
    cmp = _compare(name)
    assert cmp.fdtd.eta_up == pytest.approx(cmp.cmt.budget.eta_up, rel=0.10), cmp
    assert cmp.fdtd.ends == pytest.approx(cmp.cmt.budget.ends, rel=0.02), cmp

