"""Where the finite device's lowest mode sends its light, by FDTD (MEEP, 2D TE, the cell of ``device_fdtd``): the
run has the recombination zone's material gain set near the lowest mode's threshold (the caller's level, e.g.
0.9 x the threshold: the mode shape is the threshold one to the accuracy the gain's distribution changes it) and
records the DFT fields of that mode only after the source and the faster-decaying modes have rung down
(``meep.device_emission_run``). From them:

- the power budget, as ``models.device.budget`` defines it (fractions of the power the gain generates, which at
  threshold is the total outflow plus the absorption outside the pumped stretch): up = flux through the cover line
  over the device, down = through the substrate line, ends = through the two vertical lines at the device ends,
  absorbed = 2 pi f_c Im(eps) |E|^2 over the unpumped stretch of the device (film at alpha0, ITO); eta_up = up over
  their sum. Inside the pumped stretch the absorption of ITO and of the film outside the zone nets out against the
  zone's gain, as the coupled-mode budget's net section gain does;
- the angular spectrum of the cover and substrate line fields (``extract.angular_spectrum``): power per angle in air
  and in the substrate, its lobe angles, central-lobe fraction and FWHM divergence (``models.device.lobes``);
- optionally MEEP's near-to-far transform of the cover line, as the cross-check of the angular spectrum.

Symmetric devices run on half cells, both x parities unless one is given; the lowest mode is the parity whose
least-damped pole decays slowest. Gains 1/cm, wavelengths nm, lengths um.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from perocav.fdtd.device_fdtd import probe_points_um
from perocav.fdtd.device_fdtd_setup import DevicePlan, plan_device
from perocav.fdtd.extract.angular_spectrum import LossyBlock, absorbed_power, im_eps_map, line_spectrum
from perocav.fdtd.meep.device_geometry_2d import (
    GainLayerMedia,
    _lossy_index,
    device_cross_section_2d,
    is_mirror_symmetric,
)
from perocav.fdtd.meep.geometry_2d import Geometry2D
from perocav.fdtd.models.device.farfield import FarField
from perocav.fdtd.models.device.lobes import Lobes, lobes
from perocav.fdtd.models.lorentzian_gain import DEFAULT_WIDTH_FRACTION
from perocav.layout.device_geometry import DeviceGeometry
from perocav.pdk.stack import Stack

#: a box balance above this flags a growing field (docs/validation.md: the partially pumped case gave +0.25)
GROWING_BALANCE = 0.02
PARITIES = {"auto": None, "even": (False,), "odd": (True,), "none": (None,)}


@dataclass(frozen=True)
class EmissionFdtdSettings:
    """Resolution [px/um]; ring-down before the DFTs start and DFT length [um / c] (None: the plan's ring-down);
    cladding / PML / end padding [um] (as ``DeviceFdtdSettings``); half cells for symmetric devices; far-field
    points of the near-to-far cross-check (0: none; odd) on |sin theta| <= near2far_sin_max; angle grid of the line
    spectra (odd); freezing wavelength; the zone's gain as a Lorentzian line of gamma / f0 = ``gain_width_fraction``
    centred at the freezing wavelength (``models.lorentzian_gain``; None: a negative D conductivity, which also
    amplifies grid-scale fields: docs/validation.md, issue 25.2)."""

    resolution_px_per_um: float = 60.0
    settle_um: float | None = None
    dft_um: float | None = None
    substrate_um: float = 0.6
    cover_um: float = 0.6
    pml_um: float = 0.6
    end_pad_um: float = 1.0
    use_symmetry: bool = True
    near2far_points: int = 0
    near2far_sin_max: float = 0.15
    n_angles: int = 2001
    freeze_wavelength_nm: float | None = None
    gain_width_fraction: float | None = DEFAULT_WIDTH_FRACTION


@dataclass(frozen=True)
class FdtdBeam:
    """One side's far field (power per radian as a share of the line's propagating power) and its lobe figures."""

    far_field: FarField
    lobes: Lobes


@dataclass(frozen=True)
class DeviceEmissionFdtd:
    """The FDTD emission of the lowest mode (see the module docstring): its wavelength [nm], the run's material gain
    [1/cm] and the mode's Im f [1/um] there (< 0: below threshold), x parity and every parity run's (parity,
    wavelength, Im f); budget fractions up / down / ends / absorbed in the unpumped stretch (sum 1) and eta_up = up;
    the box's balance residual (generated - absorbed - outflow) / generated (the decay term: ~0 at threshold, < 0
    below; > 0 flags a field still growing in the box, so not a single decaying mode); beams up (air) and down
    (substrate), the near-to-far beam (None unless asked); resolution, wall / CPU time [s]; warnings."""

    wavelength_nm: float
    material_gain_per_cm: float
    decay_per_um: float
    parity: str
    parity_runs: tuple[tuple[str, float, float], ...]
    up: float
    down: float
    ends: float
    absorbed_unpumped: float
    balance_residual: float
    up_beam: FdtdBeam
    down_beam: FdtdBeam
    near2far_beam: FdtdBeam | None
    resolution_px_per_um: float
    wall_time_s: float
    cpu_time_s: float
    warnings: tuple[str, ...] = ()

    @property
    def eta_up(self) -> float:
        return self.up


def _lossy_blocks(geom: Geometry2D, wavelength_nm: float) -> list[LossyBlock]:
    out = []
    for r in geom.shapes:
        n = _lossy_index(r.medium, wavelength_nm)
        out.append(LossyBlock(r.x0_um, r.x1_um, r.y0_um, r.y1_um, 0.0 if n is None else float((n * n).imag)))
    return out


def _cell(stack: Stack, geometry: DeviceGeometry, plan: DevicePlan, gain: float, alpha: float,
          s: EmissionFdtdSettings) -> Geometry2D:
    media = GainLayerMedia(n_real=plan.n_perovskite, zone_gain_per_cm=gain, alpha_unpumped_per_cm=alpha,
                           wavelength_nm=plan.freeze_nm)
    return device_cross_section_2d(stack=stack, geometry=geometry, media=media, resolution_px_per_um=s.resolution_px_per_um,
                                   substrate_um=s.substrate_um, cover_um=s.cover_um, pml_um=s.pml_um,
                                   end_pad_um=s.end_pad_um)


def _monitors(geom: Geometry2D, geometry: DeviceGeometry, s: EmissionFdtdSettings):
    from perocav.fdtd.meep.device_emission_run import EmissionMonitors  # lazy: loads meep

    rows = [y for pair in geom.levels_um.values() for y in pair]
    lo, hi = geom.inner_y_um
    half = 0.5 * geom.size_x_um - geom.pml_x_um - 1.0 / s.resolution_px_per_um
    far = tuple(np.linspace(-s.near2far_sin_max, s.near2far_sin_max, s.near2far_points)) if s.near2far_points else ()
    return EmissionMonitors(x0_um=-0.5 * geometry.length_um, x1_um=0.5 * geometry.length_um,
                            y0_um=0.5 * (lo + min(rows)), y1_um=0.5 * (hi + max(rows)), line_half_um=half, far_sin=far)


def _run_parities(*, geom: Geometry2D, geometry: DeviceGeometry, plan: DevicePlan, s: EmissionFdtdSettings,
                  parities: tuple, gain_layer: str):
    from perocav.fdtd.meep.device_emission_run import device_emission_run  # lazy: loads meep

    y = 0.5 * sum(geom.levels_um[gain_layer])
    src, probe = probe_points_um(geometry=geometry, y_um=y)
    lo, hi = plan.window_nm
    mon = _monitors(geom, geometry, s)
    runs = []
    for odd in parities:
        run = device_emission_run(geometry=geom, band_nm=plan.band_nm, window_per_um=(1000.0 / hi, 1000.0 / lo),
                                  freeze_nm=plan.freeze_nm, resolution_px_per_um=s.resolution_px_per_um,
                                  settle_um=s.settle_um or plan.ring_down_um, dft_um=s.dft_um or plan.ring_down_um,
                                  source_xy_um=src, probe_xy_um=probe, monitors=mon, odd=odd,
                                  gain_width_fraction=s.gain_width_fraction)
        if run.status == "ok":
            runs.append((run, odd))
    if not runs:
        raise RuntimeError(f"no mode found in the emission run(s) at {s.resolution_px_per_um:g} px/um")
    return max(runs, key=lambda ro: ro[0].decay_per_um), mon, tuple(
        (_parity_name(odd), 1000.0 / r.frequency_per_um, r.decay_per_um) for r, odd in runs)


def _parity_name(odd: bool | None) -> str:
    return "none" if odd is None else ("odd" if odd else "even")


def _beam(line, *, wavelength_nm: float, n: float, n_angles: int) -> FdtdBeam:
    order = np.argsort(line.x_um)
    sp = line_spectrum(x_um=line.x_um[order], weight_um=np.ravel(line.weight)[order], field=np.ravel(line.ez)[order],
                       wavelength_nm=wavelength_nm, n_medium=n, n_angles=n_angles)
    return FdtdBeam(far_field=sp.far_field, lobes=lobes(sp.far_field))


def _near2far_beam(far_abs2: np.ndarray, far_sin: tuple, wavelength_nm: float, length_um: float) -> FdtdBeam:
    """|E|^2 at a fixed radius is the power per radian up to a constant: normalised to its integral over the
    points (so its central-lobe share is of the power inside the points' window, not of all of it)."""
    th = np.arcsin(np.asarray(far_sin))
    p = np.asarray(far_abs2, dtype=float)
    total = float(np.sum(0.5 * (p[1:] + p[:-1]) * np.diff(th)))
    ff = FarField(theta_deg=np.degrees(th), power_per_rad=p / total, n_out=1.0, wavelength_nm=wavelength_nm,
                  length_um=length_um)
    return FdtdBeam(far_field=ff, lobes=lobes(ff))


def simulate_device_emission_meep(*, stack: Stack, geometry: DeviceGeometry, alpha_unpumped_per_cm: float,
                                  material_gain_per_cm: float, parity: str = "auto",
                                  settings: EmissionFdtdSettings = EmissionFdtdSettings()) -> DeviceEmissionFdtd:
    """The emission of ``geometry``'s lowest mode on ``stack`` with the zone's material gain ``material_gain_per_cm``
    (set it just below the threshold); ``parity``: "auto" (both on a symmetric device, else the whole cell), "even",
    "odd" or "none" (whole cell). See the module docstring."""
    if parity not in PARITIES:
        raise ValueError(f"parity={parity!r} not in {sorted(PARITIES)}")
    t0, c0 = time.perf_counter(), time.process_time()
    s = settings
    plan = plan_device(stack=stack, geometry=geometry, alpha_unpumped_per_cm=alpha_unpumped_per_cm,
                       freeze_wavelength_nm=s.freeze_wavelength_nm)
    symmetric = s.use_symmetry and is_mirror_symmetric(geometry)
    parities = PARITIES[parity] or ((False, True) if symmetric else (None,))
    if not symmetric:
        parities = (None,)
    geom = _cell(stack, geometry, plan, material_gain_per_cm, alpha_unpumped_per_cm, s)
    (run, odd), mon, tried = _run_parities(geom=geom, geometry=geometry, plan=plan, s=s, parities=parities,
                                    gain_layer=stack.gain_layer)
    lam = 1000.0 / run.frequency_per_um
    box = run.box
    eps_i = im_eps_map(x_um=box.x_um, y_um=box.y_um, blocks=_lossy_blocks(geom, plan.freeze_nm))
    lo, hi = (v - 0.5 * geometry.length_um for v in geometry.pumped_interval_um())
    unpumped = np.broadcast_to(((box.x_um < lo) | (box.x_um > hi))[:, None], eps_i.shape)
    f_c = 1000.0 / plan.freeze_nm
    absorbed, _ = absorbed_power(field=box.ez, weight_um2=box.weight, eps_imag=eps_i, freeze_frequency_per_um=f_c,
                                 mask=unpumped)
    abs_all, gen_all = absorbed_power(field=box.ez, weight_um2=box.weight, eps_imag=eps_i, freeze_frequency_per_um=f_c)
    up, down, left, right = run.fluxes
    outflow = up + down + left + right
    total = outflow + absorbed
    prof = stack.index_profile(wavelength_nm=plan.freeze_nm)
    beam_kw = dict(wavelength_nm=lam, n_angles=s.n_angles)
    balance = (gen_all - abs_all - outflow) / gen_all if gen_all > 0 else math.nan
    warn = (f"the box gains energy (balance {balance:+.2f}): a field still grows, the DFTs are not of one decaying "
            f"mode",) if balance > GROWING_BALANCE else ()
    n2f = None if run.far_abs2 is None else _near2far_beam(run.far_abs2, mon.far_sin, lam, geometry.length_um)
    return DeviceEmissionFdtd(
        wavelength_nm=lam, material_gain_per_cm=float(material_gain_per_cm), decay_per_um=run.decay_per_um,
        parity=_parity_name(odd), parity_runs=tried, up=up / total, down=down / total,
        ends=(left + right) / total, absorbed_unpumped=absorbed / total,
        balance_residual=balance, warnings=warn,
        up_beam=_beam(run.cover, n=prof.n_cover.real, **beam_kw),
        down_beam=_beam(run.substrate, n=prof.n_substrate.real, **beam_kw),
        near2far_beam=n2f, resolution_px_per_um=float(s.resolution_px_per_um),
        wall_time_s=time.perf_counter() - t0, cpu_time_s=time.process_time() - c0)
