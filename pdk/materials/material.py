"""A material: complex refractive index n + i k (k > 0 is loss) versus wavelength, with source and valid range."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from perocav.pdk.errors import InputError


@dataclass(frozen=True)
class Material:
    """Dispersive optical material. ``nk(wavelength_nm=...)`` checks the valid range."""

    name: str
    citation: str
    wavelength_min_nm: float
    wavelength_max_nm: float
    model: str  # "tabulated", "sellmeier", "lorentz-drude", "drude", "constant"
    _nk_um: Callable[[np.ndarray], np.ndarray] = field(repr=False, compare=False)

    def nk(self, *, wavelength_nm: float | np.ndarray, field_name: str = "wavelength_nm"):
        """Complex index at ``wavelength_nm`` (scalar or array); outside the data -> InputError."""
        wl = np.asarray(wavelength_nm, dtype=float)
        lo, hi = self.wavelength_min_nm, self.wavelength_max_nm
        if np.any(wl < lo - 1e-9) or np.any(wl > hi + 1e-9) or np.any(~np.isfinite(wl)):
            bad = wl[(wl < lo) | (wl > hi) | ~np.isfinite(wl)].ravel()[0] if wl.ndim else float(wl)
            raise InputError(
                f"{bad:g} nm is outside the data of material {self.name!r}",
                field=field_name,
                allowed=f"{lo:g}-{hi:g} nm",
            )
        out = self._nk_um(wl / 1000.0)
        return complex(out) if np.ndim(out) == 0 else out

    def epsilon(self, *, wavelength_nm: float | np.ndarray):
        """Relative permittivity (n + i k)^2 at ``wavelength_nm``."""
        return np.square(self.nk(wavelength_nm=wavelength_nm))


def constant_material(*, n: float, k: float = 0.0, name: str | None = None) -> Material:
    """Non-dispersive material valid at every wavelength."""
    value = complex(n, k)
    return Material(
        name=name or f"n={n:g},k={k:g}",
        citation="user-defined constant index",
        wavelength_min_nm=0.0,
        wavelength_max_nm=float("inf"),
        model="constant",
        _nk_um=lambda wl_um: np.full(np.shape(wl_um), value, dtype=complex),
    )


HC_EV_UM = 1.23984193  # photon energy [eV] times wavelength [um]


def drude_lorentz_nk(
    wavelength_um: np.ndarray, *, eps_inf: float, plasma_eV: float, oscillators: list[tuple[float, float, float]]
) -> np.ndarray:
    """n + i k of eps = eps_inf + sum_j f_j wp^2 / (w_j^2 - w^2 - i g_j w); w_j = 0 is a Drude term (eV)."""
    w = HC_EV_UM / np.asarray(wavelength_um, dtype=float)
    eps = np.full(np.shape(w), eps_inf, dtype=complex)
    for f, w0, g in oscillators:
        eps = eps + f * plasma_eV**2 / (w0**2 - w**2 - 1j * g * w)
    return np.sqrt(eps)
