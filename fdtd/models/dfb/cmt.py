"""Coupled-mode theory of a DFB grating, end to end: kappa, stopband, lasing modes with their
wavelengths and threshold gains. The building blocks live in

* ``cmt_kappa``     - kappa from region effective indices or from a transverse mode overlap
* ``cmt_radiation`` - 2nd-order surface-emission coupling h and which band edge radiates
* ``cmt_dfb``       - Kogelnik-Shank closed form and the transfer-matrix threshold search
* ``tests/oracles/cmt_exact1d`` - exact 1D layer-stack optics, the independent reference for the above

Wiring a stack (slab solver) in: compute the unperturbed mode (n_eff, n_g, E(z)) and the grating
layer's permittivity step d_eps(z), then
``analyze_dfb(grating=..., couplings=DfbCouplings(kappa_per_cm=kappa_from_overlap_per_cm(...),
radiation_per_cm=radiation_coupling_per_cm(...) if order == 2 else 0.0), n_avg=n_eff, group_index=n_g)``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from perocav.fdtd.models.dfb.cmt_dfb import DfbMode, phase_shifted_grating, threshold_modes, uniform_grating
from perocav.fdtd.models.dfb.cmt_kappa import (
    average_index,
    bragg_wavelength_nm,
    kappa_from_indices_per_cm,
    stopband_edges_nm,
    wavelength_from_delta_nm,
)
from perocav.fdtd.models.dfb.cmt_kappa import kappa_from_overlap_per_cm  # noqa: F401  (re-export)
from perocav.fdtd.models.dfb.cmt_radiation import SecondOrderEdges, second_order_band_edges
from perocav.fdtd.models.dfb.cmt_radiation import radiation_coupling_per_cm  # noqa: F401  (re-export)
from perocav.fdtd.models.dfb.grating import DfbGrating

__all__ = [
    "CmtGrating",
    "CmtResult",
    "DfbCouplings",
    "SpectralMode",
    "analyze_dfb",
    "analyze_dfb_from_indices",
    "kappa_from_overlap_per_cm",
    "phase_shift_rad",
    "radiation_coupling_per_cm",
]


def phase_shift_rad(*, period_fraction: float, order: int) -> float:
    """Phase jump of the coupling (m-th) harmonic when the grating is displaced by a fraction of
    a period: 2 pi m f. A quarter-wave (lambda/4) shift is pi at any order (f = 1/(2m))."""
    return float(2.0 * np.pi * order * period_fraction)


@dataclass(frozen=True)
class CmtGrating:
    """The grating as coupled-mode theory sees it: period (nm), duty cycle (fraction of the period with the high
    index), Bragg order, length (um, any length: not a whole number of periods) and the coupling's phase jump at the
    centre (rad, any value). A ``DfbGrating`` has the same attributes (whole periods, 0 or pi); no checks here."""

    period_nm: float
    duty_cycle: float
    order: int
    length_um: float
    phase_shift_rad: float = 0.0


@dataclass(frozen=True)
class DfbCouplings:
    """A grating's couplings [1/cm, amplitude]: kappa (signed: the sign of the m-th harmonic), the 2nd-order radiation
    coupling h (Kazarinov-Henry, dissipative part) and its reactive part h_i (``cmt_dfb.GratingSection``)."""

    kappa_per_cm: float
    radiation_per_cm: float = 0.0
    radiation_reactive_per_cm: float = 0.0


@dataclass(frozen=True)
class SpectralMode:
    """A lasing mode: wavelength [nm], amplitude gain alpha and power gain 2 alpha [1/cm],
    detuning delta = beta - beta_B [1/cm], and both times L."""

    wavelength_nm: float
    power_gain_per_cm: float
    alpha_per_cm: float
    alpha_L: float
    delta_per_cm: float
    delta_L: float


@dataclass(frozen=True)
class CmtResult:
    """Everything ``perocav cmt`` reports (flat, JSON-ready through ``to_dict``)."""

    order: int
    duty: float
    period_nm: float
    length_um: float
    n_avg: float
    group_index: float
    group_index_source: str
    bragg_wavelength_nm: float
    kappa_per_cm: float  # signed (sign of the m-th harmonic)
    kappa_L: float  # |kappa| L
    stopband_short_nm: float
    stopband_long_nm: float
    phase_shift_rad: float
    radiation_per_cm: float
    modes: tuple[SpectralMode, ...]
    second_order: SecondOrderEdges | None = None
    delta_n_abs: float | None = None
    warnings: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict:
        d = asdict(self)
        if self.second_order is not None:
            so = d["second_order"]
            for key in ("radiating_q", "dark_q"):
                so[key] = None if not np.isfinite(so[key]) else so[key]
        return d


def _sections(*, couplings: DfbCouplings, length_um: float, phase_shift_rad: float):
    """Grating sections: uniform, or two halves with a phase jump at the centre."""
    c = couplings
    if phase_shift_rad % (2.0 * np.pi) == 0.0:
        return uniform_grating(length_um=length_um, kappa_per_cm=c.kappa_per_cm, radiation_per_cm=c.radiation_per_cm,
                               radiation_reactive_per_cm=c.radiation_reactive_per_cm)
    return phase_shifted_grating(
        length_um=length_um, kappa_per_cm=c.kappa_per_cm, phase_shift_rad=phase_shift_rad,
        radiation_per_cm=c.radiation_per_cm, radiation_reactive_per_cm=c.radiation_reactive_per_cm,
    )


def _threshold_modes(*, couplings: DfbCouplings, length_um: float, phase_shift_rad: float, n_modes: int,
                     warnings: list[str]) -> list[DfbMode]:
    """The ``n_modes`` lowest-threshold modes (none without any coupling); shortfalls go to ``warnings``."""
    if abs(couplings.kappa_per_cm) * (length_um * 1e-4) < 1e-6 and couplings.radiation_per_cm == 0:
        warnings.append("no index coupling at this duty cycle and order (kappa = 0): no DFB modes")
        return []
    sections = _sections(couplings=couplings, length_um=length_um, phase_shift_rad=phase_shift_rad)
    modes = threshold_modes(sections=sections, n_modes=n_modes)
    if len(modes) < n_modes:
        warnings.append(f"found {len(modes)} of {n_modes} requested modes")
    return modes


def _second_order(*, kappa_per_cm: float, radiation_per_cm: float, bragg_wavelength_nm: float, group_index: float,
                  duty: float, warnings: list[str]) -> SecondOrderEdges:
    """Which 2nd-order band edge radiates; the model's caveats go to ``warnings``."""
    second = second_order_band_edges(kappa_per_cm=kappa_per_cm, radiation_per_cm=radiation_per_cm,
                                     bragg_wavelength_nm=bragg_wavelength_nm, group_index=group_index)
    if radiation_per_cm == 0:
        warnings.append(
            "2nd order without radiation coupling h: thresholds ignore surface emission "
            "(h needs the transverse mode profile: radiation_coupling_per_cm)"
        )
    if abs(duty - 0.5) < 0.05 - 1e-9:
        warnings.append("duty near 0.5: 2nd-harmonic kappa is small and the radiating edge is model-dependent")
    return second


def _spectral(mode: DfbMode, *, bragg_wavelength_nm: float, group_index: float) -> SpectralMode:
    return SpectralMode(
        wavelength_nm=wavelength_from_delta_nm(delta_per_cm=mode.delta_per_cm, bragg_wavelength_nm=bragg_wavelength_nm,
                                               group_index=group_index),
        power_gain_per_cm=mode.power_gain_per_cm, alpha_per_cm=mode.alpha_per_cm, alpha_L=mode.alpha_L,
        delta_per_cm=mode.delta_per_cm, delta_L=mode.delta_L,
    )


def analyze_dfb(
    *,
    grating: DfbGrating | CmtGrating,
    couplings: DfbCouplings,
    n_avg: float,
    group_index: float | None = None,
    n_modes: int = 4,
    delta_n_abs: float | None = None,
) -> CmtResult:
    """Lasing modes of a finite grating (``grating.length_um`` long, one phase jump of ``grating.phase_shift_rad``
    at the centre when != 0) with the ``couplings`` [1/cm]. Wavelengths use the first-order relation
    lambda = lambda_B - delta lambda_B^2 / (2 pi n_g); without ``group_index`` n_g is taken equal to ``n_avg`` (no
    dispersion), which the result says. ``couplings.radiation_reactive_per_cm`` is 0 in the Born model here."""
    if n_modes < 1:
        raise ValueError(f"n_modes={n_modes} must be >= 1")
    g, c = grating, couplings
    n_g = n_avg if group_index is None else group_index
    lam_b = bragg_wavelength_nm(n_avg=n_avg, period_nm=g.period_nm, order=g.order)
    short, long_ = stopband_edges_nm(kappa_per_cm=c.kappa_per_cm, bragg_wavelength_nm=lam_b, group_index=n_g)
    if g.order != 2 and (c.radiation_per_cm or c.radiation_reactive_per_cm):
        raise ValueError("radiation_per_cm applies to 2nd-order gratings only")
    warnings: list[str] = []
    modes = _threshold_modes(couplings=c, length_um=g.length_um, phase_shift_rad=g.phase_shift_rad, n_modes=n_modes,
                             warnings=warnings)
    second = None
    if g.order == 2:
        second = _second_order(kappa_per_cm=c.kappa_per_cm, radiation_per_cm=c.radiation_per_cm,
                               bragg_wavelength_nm=lam_b, group_index=n_g, duty=g.duty_cycle, warnings=warnings)
    return CmtResult(
        order=g.order, duty=g.duty_cycle, period_nm=g.period_nm, length_um=g.length_um, n_avg=n_avg, group_index=n_g,
        group_index_source="n_avg (dispersion neglected)" if group_index is None else "given",
        bragg_wavelength_nm=lam_b, kappa_per_cm=c.kappa_per_cm, kappa_L=abs(c.kappa_per_cm) * (g.length_um * 1e-4),
        stopband_short_nm=short, stopband_long_nm=long_, phase_shift_rad=g.phase_shift_rad,
        radiation_per_cm=c.radiation_per_cm,
        modes=tuple(_spectral(m, bragg_wavelength_nm=lam_b, group_index=n_g) for m in modes),
        second_order=second, delta_n_abs=delta_n_abs, warnings=tuple(warnings),
    )


def analyze_dfb_from_indices(
    *,
    neff_high: float,
    neff_low: float,
    grating: DfbGrating | CmtGrating,
    group_index: float | None = None,
    radiation_per_cm: float = 0.0,
    n_modes: int = 4,
) -> CmtResult:
    """``analyze_dfb`` with kappa from the effective indices of the two grating regions (``grating.duty_cycle`` =
    fraction of the period with ``neff_high``) and a 2nd-order radiation coupling ``radiation_per_cm`` [1/cm]."""
    g = grating
    n_avg = average_index(neff_high=neff_high, neff_low=neff_low, duty=g.duty_cycle)
    kappa = kappa_from_indices_per_cm(
        neff_high=neff_high, neff_low=neff_low, duty=g.duty_cycle, period_nm=g.period_nm, order=g.order
    )
    return analyze_dfb(
        grating=g,
        couplings=DfbCouplings(kappa_per_cm=kappa, radiation_per_cm=radiation_per_cm),
        n_avg=n_avg,
        group_index=group_index,
        n_modes=n_modes,
        delta_n_abs=abs(neff_high - neff_low),
    )
