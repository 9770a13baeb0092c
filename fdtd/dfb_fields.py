"""Numbers from the end-of-run |E|^2 snapshot of a DFB FDTD cell: gain-layer confinement (power-weighted, Visser: the
definition of ``SlabMode.confinement_power``, with the Bloch mode's n_eff = order lambda / (2 Lambda)), cold
modal loss (1/cm) from the layers' Im(eps), and the reduced cross-section for the record. PMLs left out."""

from __future__ import annotations

import math

from perocav.fdtd.extract.cross_section import CrossSection, reduce_cross_section
from perocav.fdtd.extract.fields import modal_loss_from_profile_per_cm, power_confinement_from_profile, vertical_profile
from perocav.fdtd.meep.geometry_2d import Geometry2D
from perocav.fdtd.meep.runner_2d import RingdownResult
from perocav.pdk.stack import Stack


def cross_section(run: RingdownResult, geom: Geometry2D) -> CrossSection | None:
    """The run's end-of-run |E|^2 inside the y PMLs, reduced for a record (None without a finite snapshot)."""
    if run.field_abs2 is None:
        return None
    y_range = geom.inner_y_um
    return reduce_cross_section(field_abs2=run.field_abs2, x_um=run.x_um, y_um=run.y_um,
                                levels_um=dict(geom.levels_um), y_range_um=y_range)


def field_numbers(*, run: RingdownResult, geom: Geometry2D, stack: Stack, wavelength_nm: float,
                   n_eff: float) -> tuple[float, float]:
    """(gain-layer power-weighted confinement, modal loss 1/cm) from the end-of-run snapshot, PML left out."""
    prof = vertical_profile(field_abs2=run.field_abs2)
    y_range = geom.inner_y_um
    levels = dict(geom.levels_um)
    prof_idx = stack.index_profile(wavelength_nm=wavelength_nm)
    gain = stack.gain_layer
    n_gain = {layer.name: complex(n).real for layer, n in zip(stack.optical_layers(), prof_idx.n_layers)
              if layer.name == gain}
    gamma = power_confinement_from_profile(y_um=run.y_um, profile_abs2=prof, levels_um=levels, n_real=n_gain,
                                           n_eff=n_eff, y_range_um=y_range)
    eps_imag = {}
    for layer, n in zip(stack.optical_layers(), prof_idx.n_layers):
        lossless = layer.role == "gain" and stack.gain_layer_lossless
        eps_imag[layer.name] = 0.0 if lossless else float((complex(n) ** 2).imag)
    # the grating level's average Im(eps) is already in n_layers (fill fraction); MEEP uses the same media
    loss = modal_loss_from_profile_per_cm(y_um=run.y_um, profile_abs2=prof, levels_um=levels, eps_imag=eps_imag,
                                          n_eff=n_eff, wavelength_nm=wavelength_nm, y_range_um=y_range)
    return (gamma.get(gain, math.nan) if gain else math.nan), loss
