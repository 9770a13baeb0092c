"""The search window of a device's lasing modes, shared by the scalar engine and the batch so both report the same
modes. Natural units: y = (g_p + o) L_p / 2, the pumped amplitude gain-length (o the length-weighted gain offset of
the pumped sections; y = alpha L of Kogelnik-Shank for a fully pumped device), and x = delta L.

A mode is kept when its Newton converged, 0 < y <= Y_MAX (widened 8, 16, 32, 64 until enough modes are found, as
``dfb.cmt_dfb`` widens alpha L), |x| <= x_max (L max_j(|kappa_j| + |h_j| + |delta0_j|) + pi (n/2 + 3), or the given
window) and g_p <= G_CEILING_PER_CM: a modal gain beyond any gain medium, reported as no mode rather than a number.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from perocav.pdk.units import CM_PER_UM

#: thresholds above this modal intensity gain [1/cm] are dropped (no perovskite film reaches 1e4 /cm modal gain)
G_CEILING_PER_CM = 1e5
#: the successive windows in y
Y_WINDOWS = (8.0, 16.0, 32.0, 64.0)


@dataclass(frozen=True)
class Scales:
    """Per device (arrays (N,)): length and pumped length [cm], pumped gain offset o [1/cm] and the |x| window."""

    length_cm: np.ndarray
    pumped_cm: np.ndarray
    offset_per_cm: np.ndarray
    x_max: np.ndarray

    @property
    def g_unit(self) -> np.ndarray:
        """g_p per unit of y [1/cm]."""
        return 2.0 / self.pumped_cm

    @property
    def delta_unit(self) -> np.ndarray:
        """delta per unit of x [1/cm]."""
        return 1.0 / self.length_cm

    def g_of_y(self, y):
        return y * self.g_unit - self.offset_per_cm

    def y_of_g(self, g):
        return (g + self.offset_per_cm) / self.g_unit


def device_scales(*, length_um, kappa_per_cm, radiation_per_cm, radiation_reactive_per_cm, pumped, gain_per_cm,
                  detuning_offset_per_cm, n_modes: int, delta_window_per_cm=None) -> Scales:
    """Scales of N devices from (N, S) arrays (``DeviceSection`` units); ``delta_window_per_cm`` fixes |delta|."""
    length = np.asarray(length_um, dtype=float) * CM_PER_UM
    pump = np.asarray(pumped, dtype=float)
    pumped_cm = (length * pump).sum(axis=1)
    offset = (length * pump * np.asarray(gain_per_cm, dtype=float)).sum(axis=1) / pumped_cm
    total = length.sum(axis=1)
    if delta_window_per_cm is None:
        rate = (np.abs(kappa_per_cm) + np.abs(np.asarray(radiation_per_cm) + 1j * np.asarray(radiation_reactive_per_cm))
                + np.abs(detuning_offset_per_cm)).max(axis=1)
        x_max = rate * total + np.pi * (n_modes / 2.0 + 3.0)
    else:
        x_max = np.broadcast_to(float(delta_window_per_cm) * total, total.shape).copy()
    return Scales(length_cm=total, pumped_cm=pumped_cm, offset_per_cm=offset, x_max=x_max)


def accepted(scales: Scales, *, g_p, delta, converged, y_max: float, rows=None) -> np.ndarray:
    """Which converged points are modes inside the window (``rows``: each point's device; None: device 0)."""
    rows = np.zeros(np.shape(g_p), dtype=int) if rows is None else rows
    y = (g_p + scales.offset_per_cm[rows]) / scales.g_unit[rows]
    x = delta * scales.length_cm[rows]
    with np.errstate(invalid="ignore"):
        return (converged & (y > 1e-12) & (y <= y_max) & (np.abs(x) <= scales.x_max[rows])
                & (g_p <= G_CEILING_PER_CM))
