"""Which device mode lases: the one with the lowest threshold current density. The modes of a device sit at
different wavelengths, so the same modal gain needs different carrier densities there (spectral gain g(lambda, N));
J_th rises monotonically with N_th (J = q d (k1 N + k2 N^2 + k3 N^3)), so the lowest N_th is the lowest J_th.
The gain margin of the chosen mode is the smallest shortfall of the other modes at its threshold density:
min_k (g_p,k - G(N_th, lambda_k)) [1/cm], G the zone's modal gain at lambda_k (with a wavelength-blind gain model
this is the 2nd-lowest minus the lowest threshold modal gain). Without a ranking: the lowest threshold modal gain."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


class ModeRanking(Protocol):
    """The gain model of the pumped zone (from the design side's threshold chain)."""

    def density_per_cm3(self, *, modal_gain_per_cm: float, wavelength_nm: float) -> float:
        """N [cm^-3] at which the zone gives modal gain ``modal_gain_per_cm`` at ``wavelength_nm`` (inf: never)."""

    def modal_gain_per_cm(self, *, density_per_cm3: float, wavelength_nm: float) -> float:
        """The zone's modal gain [1/cm] at ``wavelength_nm`` and density ``density_per_cm3``."""


@dataclass(frozen=True)
class LasingChoice:
    """The index of the lasing mode in the threshold-ordered list, the gain margin [1/cm] (inf with one mode) and
    the threshold density of each mode [cm^-3] (NaN without a ranking)."""

    index: int
    gain_margin_per_cm: float
    density_per_cm3: tuple[float, ...]


def choose_lasing(*, threshold_modal_gain_per_cm: Sequence[float], wavelength_nm: Sequence[float],
                  ranking: ModeRanking | None) -> LasingChoice:
    """The lasing mode among modes listed by rising threshold modal gain (see the module doc)."""
    g = [float(v) for v in threshold_modal_gain_per_cm]
    if not g:
        raise ValueError("no device mode to choose from")
    plain = g[1] - g[0] if len(g) > 1 else math.inf
    if ranking is None:
        return LasingChoice(0, plain, tuple(math.nan for _ in g))
    dens = [ranking.density_per_cm3(modal_gain_per_cm=gk, wavelength_nm=lk) for gk, lk in zip(g, wavelength_nm)]
    best = min(range(len(g)), key=lambda k: (dens[k], k))
    if not math.isfinite(dens[best]):  # no mode reaches threshold: the lowest modal gain, plain margin
        return LasingChoice(0, plain, tuple(dens))
    shortfall = [g[k] - ranking.modal_gain_per_cm(density_per_cm3=dens[best], wavelength_nm=wavelength_nm[k])
                 for k in range(len(g)) if k != best]
    return LasingChoice(best, min(shortfall, default=math.inf), tuple(dens))
