"""Frozen media made self-consistent for the cylindrical FDTD (``fdtd.circular``): per azimuthal order, the tracked
mode is re-run with the media frozen where it is predicted (``extract.freeze.self_consistent_mode``, shared with the
linear DFB) until it lies within ``freeze_tol_nm`` of the freezing wavelength. Wavelengths in nm, frequencies 1/um."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import gdsfactory as gf

from perocav.fdtd.circular_setup import CircularSetup
from perocav.fdtd.extract.freeze import FrozenFix, self_consistent_mode
from perocav.fdtd.extract.resonance import Resonance
from perocav.fdtd.meep.geometry_cyl import GeometryCyl
from perocav.fdtd.models.circular.circular_analytic import mode_region
from perocav.fdtd.models.dispersion.dispersion import frozen_group_index, neff_dispersion, region_stack
from perocav.fdtd.models.slab.slab_modes import NoGuidedModeError
from perocav.pdk.materials import resolve_material
from perocav.pdk.stack import Stack
from perocav.pdk.units import NM_PER_UM

if TYPE_CHECKING:
    from perocav.fdtd.meep.runner_cyl import CylRingdownResult


@dataclass(frozen=True)
class Frozen:
    """Order m after the freezing iteration: the run whose modes are reported (the last re-run, or the first run
    when none was needed or one lost the mode), its modes, the freezing wavelength of that run, the fix (None: not
    iterated, or lost), the order's status ("ok" or "freeze_lost"), the tracked mode, the MEEP runs of the main
    geometry and the (freezing wavelength, tracked wavelength) of each run."""

    m: int
    run: CylRingdownResult
    found: tuple[Resonance, ...]
    freeze_nm: float
    fix: FrozenFix | None
    status: str
    track: Resonance
    passes: int
    history: tuple[tuple[float, float], ...]


def media_change(*, geometry: GeometryCyl, wavelength_a_nm: float, wavelength_b_nm: float) -> float:
    """Largest |n + ik| change of the geometry's media between two freezing wavelengths (0: non-dispersive)."""
    change = 0.0
    for med in {x.medium for x in geometry.shapes} | {geometry.background}:
        if med.index is None:
            mat = resolve_material(med.material)
            change = max(change, abs(complex(mat.nk(wavelength_nm=wavelength_a_nm))
                                     - complex(mat.nk(wavelength_nm=wavelength_b_nm))))
    return change


def group_indices(*, component: gf.Component, stack: Stack, wavelength_min_nm: float, wavelength_max_nm: float):
    """(n_g,frozen(lambda), n_g(lambda)) callables of the mode's slab region (``models.dispersion.dispersion``); (1, 1) where
    the stack has no table there (the secant then starts with a plain fixed-point step)."""
    region, duty, _ = mode_region(component)
    try:
        table = neff_dispersion(stack=stack, region=region, duty_cycle=duty,
                                window_nm=(wavelength_min_nm, wavelength_max_nm))
        reg = region_stack(stack=stack, region=region, duty_cycle=duty)
        table.group_index(wavelength_nm=0.5 * (wavelength_min_nm + wavelength_max_nm))
    except (ValueError, NoGuidedModeError):  # InputError is a ValueError
        return (lambda lam: 1.0), (lambda lam: 1.0)
    lo, hi = table.range_nm
    return ((lambda lam: frozen_group_index(stack=reg, wavelength_nm=min(max(lam, lo + 1), hi - 1))),
            (lambda lam: float(table.group_index(wavelength_nm=min(max(lam, lo), hi)))))


def tracked_mode(found, family: str) -> Resonance:
    """The mode the media are frozen on: circular DFB the highest-Q one (band edge), ring/disk the strongest."""
    return max(found, key=(lambda r: r.q) if family == "circular-dfb" else (lambda r: abs(r.amplitude)))


def _nearest_nm(found, wavelength_nm: float) -> Resonance:
    return min(found, key=lambda r: abs(NM_PER_UM / r.freq - wavelength_nm))


def _rerun(setup: CircularSetup, m: int, history: list, last: dict) -> Callable[[float], tuple[float, float] | None]:
    """``run_mode(freeze_nm)`` for the secant: re-run m with the media frozen there; (wavelength, Q) of the mode
    nearest the freezing wavelength, or None when the run finds none. Records the run in ``last`` and ``history``."""
    def run_mode(freeze_nm: float):
        run = setup.run(setup.geometry, m, resolution=setup.resolution_px_per_um,
                        window_um=setup.circular.mode_window_um, freeze_nm=freeze_nm)
        got = setup.modes(run)
        if not got:
            return None
        last.update(run=run, found=got, freeze=freeze_nm)
        t = _nearest_nm(got, freeze_nm)
        history.append((freeze_nm, NM_PER_UM / t.freq))
        return NM_PER_UM / t.freq, t.q

    return run_mode


def freeze_to_mode(*, setup: CircularSetup, m: int, main: CylRingdownResult, found: list[Resonance],
                   freeze_nm: float) -> Frozen:
    """Iterate the freezing wavelength of order m on its tracked mode (module docstring); no re-run for dispersive
    media, with ``self_consistent_media`` off, or when no medium changes between the freezing point and the mode."""
    c, s = setup.circular, setup.settings
    target = tracked_mode(found, setup.family)
    lam = NM_PER_UM / target.freq
    history = [(freeze_nm, lam)]
    if c.dispersive or not c.self_consistent_media or media_change(
            geometry=setup.geometry, wavelength_a_nm=freeze_nm, wavelength_b_nm=lam) < 1e-9:
        return Frozen(m=m, run=main, found=tuple(found), freeze_nm=freeze_nm, fix=None, status="ok", track=target,
                      passes=1, history=tuple(history))
    last: dict = {}
    ng_frozen, ng = group_indices(component=setup.component, stack=setup.stack, wavelength_min_nm=setup.band_nm[0],
                                  wavelength_max_nm=setup.band_nm[1])
    fix = self_consistent_mode(run_mode=_rerun(setup, m, history, last), wavelength_nm=lam, q=target.q,
                               freeze_nm=freeze_nm, group_index_frozen=ng_frozen, group_index=ng,
                               tol_nm=s.freeze_tol_nm, max_passes=s.max_freeze_passes)
    if fix is None:
        return Frozen(m=m, run=main, found=tuple(found), freeze_nm=freeze_nm, fix=None, status="freeze_lost",
                      track=target, passes=1, history=tuple(history))
    run, got, fz = (last["run"], last["found"], last["freeze"]) if last else (main, found, freeze_nm)
    return Frozen(m=m, run=run, found=tuple(got), freeze_nm=fz, fix=fix, status="ok",
                  track=_nearest_nm(got, fix.wavelength_nm), passes=1 + fix.passes, history=tuple(history))
