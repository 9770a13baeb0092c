"""Modal gain and loss of the device's perovskite split through its thickness: the power-weighted confinement of
the recombination zone and the modal gain of a pumped and an unpumped stretch of one grating section's averaged
guide (slab solver, TE). Modal intensity gain of the pumped stretch = Gamma_zone g_material + its background
(the rest of the thickness absorbing at alpha0, the contacts); the unpumped stretch: its background only (the
whole perovskite at alpha0). Wavelengths nm, gains 1/cm (negative = loss).
"""

from __future__ import annotations

from dataclasses import dataclass

from perocav.fdtd.models.dispersion.dispersion import region_stack
from perocav.fdtd.models.gain_medium import gain_index
from perocav.fdtd.models.slab.slab_modes import solve_slab_mode
from perocav.layout.device_geometry import PumpGeometry
from perocav.pdk.materials import resolve_material
from perocav.pdk.stack import IndexProfile, Stack

ZONE, REST = "zone", "rest"


def zone_rows_nm(*, thickness_nm: float, pump: PumpGeometry) -> tuple[float, float]:
    """(y0, y1) [nm above the perovskite's bottom] of the recombination zone: hole side = the bottom interface
    (toward the grating and the hole contact), electron side = the top, uniform = the whole thickness."""
    t = pump.zone_fraction * thickness_nm
    if pump.zone_side == "electron":
        return thickness_nm - t, thickness_nm
    return 0.0, t


@dataclass(frozen=True)
class ZoneModal:
    """Power-weighted confinement of the zone and of the whole perovskite; modal intensity gain [1/cm] of a
    pumped stretch at zero zone gain and of an unpumped stretch (both negative: losses)."""

    zone_confinement: float
    perovskite_confinement: float
    pumped_background_per_cm: float
    unpumped_background_per_cm: float
    n_perovskite: float


def split_profile(*, stack: Stack, duty_cycle: float | None, wavelength_nm: float, pump: PumpGeometry,
                  zone_gain_per_cm: float, alpha_unpumped_per_cm: float) -> IndexProfile:
    """The averaged guide (``duty_cycle`` None: the unpatterned gap stack) at ``wavelength_nm`` with the perovskite
    split into zone (gain ``zone_gain_per_cm``) and rest (absorbing ``alpha_unpumped_per_cm``), bottom to top."""
    region = "gap" if duty_cycle is None else "average"
    prof = region_stack(stack=stack, region=region, duty_cycle=duty_cycle).index_profile(wavelength_nm=wavelength_nm)
    j = prof.names.index(stack.gain_layer)
    t, n = prof.thickness_nm[j], complex(prof.n_layers[j]).real
    y0, y1 = zone_rows_nm(thickness_nm=t, pump=pump)
    zone = gain_index(n_real=n, gain_per_cm=zone_gain_per_cm, wavelength_nm=wavelength_nm)
    rest = gain_index(n_real=n, gain_per_cm=-alpha_unpumped_per_cm, wavelength_nm=wavelength_nm)
    parts = [(f"{REST}_below", y0, rest), (ZONE, y1 - y0, zone), (f"{REST}_above", t - y1, rest)]
    parts = [p for p in parts if p[1] > 1e-9]
    names = prof.names[:j] + tuple(p[0] for p in parts) + prof.names[j + 1:]
    thick = prof.thickness_nm[:j] + tuple(p[1] for p in parts) + prof.thickness_nm[j + 1:]
    idx = prof.n_layers[:j] + tuple(p[2] for p in parts) + prof.n_layers[j + 1:]
    return IndexProfile(names=names, thickness_nm=thick, n_layers=idx, n_substrate=prof.n_substrate,
                        n_cover=prof.n_cover, wavelength_nm=wavelength_nm)


def zone_modal(*, stack: Stack, duty_cycle: float | None, wavelength_nm: float, pump: PumpGeometry,
               alpha_unpumped_per_cm: float) -> ZoneModal:
    """Confinements and the pumped / unpumped backgrounds of one section's guide (see the module docstring)."""
    kw = dict(stack=stack, duty_cycle=duty_cycle, wavelength_nm=wavelength_nm, pump=pump)
    pumped = _pumped_mode(**kw, alpha_unpumped_per_cm=alpha_unpumped_per_cm)
    unpumped = solve_slab_mode(profile=split_profile(**kw, zone_gain_per_cm=-alpha_unpumped_per_cm,
                                                     alpha_unpumped_per_cm=alpha_unpumped_per_cm), pol="TE")
    zone, film = _confinements(pumped)
    return ZoneModal(zone_confinement=zone, perovskite_confinement=film,
                     pumped_background_per_cm=-pumped.loss_per_cm, unpumped_background_per_cm=-unpumped.loss_per_cm,
                     n_perovskite=perovskite_index(stack=stack, wavelength_nm=wavelength_nm))


def zone_confinement(*, stack: Stack, duty_cycle: float | None, wavelength_nm: float, pump: PumpGeometry,
                     alpha_unpumped_per_cm: float) -> tuple[float, float]:
    """(Gamma_zone, Gamma_film): the power-weighted confinements of the zone and of the whole perovskite, the zone
    without gain and the rest absorbing ``alpha_unpumped_per_cm`` [1/cm] (one slab solve; ``zone_modal``'s)."""
    return _confinements(_pumped_mode(stack=stack, duty_cycle=duty_cycle, wavelength_nm=wavelength_nm, pump=pump,
                                      alpha_unpumped_per_cm=alpha_unpumped_per_cm))


def _pumped_mode(*, alpha_unpumped_per_cm: float, **kw):
    """The TE mode of the split guide with zero zone gain and the rest absorbing (``split_profile``)."""
    return solve_slab_mode(profile=split_profile(**kw, zone_gain_per_cm=0.0,
                                                 alpha_unpumped_per_cm=alpha_unpumped_per_cm), pol="TE")


def _confinements(mode) -> tuple[float, float]:
    conf = mode.confinement_power
    return conf[ZONE], sum(v for k, v in conf.items() if k == ZONE or k.startswith(REST))


def perovskite_index(*, stack: Stack, wavelength_nm: float) -> float:
    """Real index of the gain layer's material at ``wavelength_nm`` (the frozen FDTD medium takes the same)."""
    return float(complex(resolve_material(stack.layer(stack.gain_layer).material).nk(wavelength_nm=wavelength_nm)).real)
