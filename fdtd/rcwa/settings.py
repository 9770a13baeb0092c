"""Settings of the RCWA unit cell (``simulate_dfb_rcwa``): one frozen, validated object. Wavelengths nm."""

from __future__ import annotations

import math
from dataclasses import dataclass

from perocav.pdk.errors import InputError


@dataclass(frozen=True)
class RcwaSettings:
    """Harmonics ladder: first rung ``n_harmonics`` (orders -N..N), x1.5 per rung up to ``max_harmonics`` until both
    edges move < ``wavelength_tol_nm`` and their Qs < ``q_relative_tol`` (``converge=False``: one rung).
    window_nm: where the Bragg centre is looked for (None: the stack's gain window; the longest root wins)."""

    n_harmonics: int = 10
    max_harmonics: int = 60
    wavelength_tol_nm: float = 0.005
    q_relative_tol: float = 0.01
    converge: bool = True
    window_nm: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        if not 3 <= self.n_harmonics <= self.max_harmonics <= 200:
            raise InputError(f"{self.n_harmonics} .. {self.max_harmonics}", field="n_harmonics",
                             allowed="3 <= n_harmonics <= max_harmonics <= 200")
        for name in ("wavelength_tol_nm", "q_relative_tol"):
            v = getattr(self, name)
            if not (math.isfinite(v) and v > 0):
                raise InputError(f"{v!r} must be > 0", field=name, allowed="> 0")
        if self.window_nm is not None and not 0 < self.window_nm[0] < self.window_nm[1]:
            raise InputError(f"{self.window_nm!r}", field="window_nm", allowed="0 < low < high (nm)")
