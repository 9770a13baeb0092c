"""Pure helpers for DFB FDTD runs: which poles are the band edges or the lasing mode, and whether a ring-down
resolves a Q. No solver here; every function is tested on synthetic numbers. The couplings from the edges are in
``perocav.fdtd.models.dfb.dfb_couplings``, the threshold gain in ``models.gain``, pixel rules in ``fdtd.meep.pixels``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from perocav.fdtd.extract.resonance import Resonance

if TYPE_CHECKING:  # resonance imports scipy.signal (~0.5 s): the RCWA path uses only the formulas here
    from perocav.fdtd.extract.resonance import Resonance

BAND_EDGE_Q_MIN = 30.0  # radiation-continuum modes of a unit cell have Q of a few


def pick_band_edges(*, resonances: Sequence[Resonance], wavelength_min_nm: float, wavelength_max_nm: float,
                    q_min: float = BAND_EDGE_Q_MIN) -> tuple[Resonance, ...]:
    """The two band-edge modes: the two highest-Q resonances with wavelength in the window and Q >= q_min,
    returned short wavelength first (fewer if fewer qualify). Radiation-continuum modes have Q of a few."""
    inside = [lossless_as_infinite(r) for r in resonances if wavelength_min_nm <= r.wavelength_nm <= wavelength_max_nm]
    inside = [r for r in inside if r.q >= q_min]
    best = sorted(inside, key=lambda r: r.q, reverse=True)[:2]
    return tuple(sorted(best, key=lambda r: r.wavelength_nm))


def lossless_as_infinite(r: Resonance, *, q_huge: float = 1e8) -> Resonance:
    """A mode whose |Q| exceeds q_huge (a lossless cell: Harminv returns +-1e10 or so, sign is noise) gets Q = inf."""
    if abs(r.q) >= q_huge:
        return Resonance(freq=r.freq, q=math.inf, amplitude=r.amplitude, error=r.error)
    return r


def q_resolved(*, q: float, freq_per_um: float, ring_down_um: float, min_decay: float = 0.1) -> bool:
    """Whether a ring-down of ``ring_down_um`` (um / c) sees the amplitude of a mode of quality q fall by at
    least ``min_decay`` (fraction): amplitude ~ exp(-pi f t / Q). Longer-lived modes give only a lower bound."""
    if not math.isfinite(q):
        return False
    return 1.0 - math.exp(-math.pi * freq_per_um * ring_down_um / q) >= min_decay


def pick_lasing_mode(*, resonances: Sequence[Resonance], wavelength_min_nm: float, wavelength_max_nm: float,
                     q_min: float = 30.0, rel_amp_min: float = 0.05) -> Resonance | None:
    """The lasing mode of a finite grating's ring-down: the highest-Q resonance in the window with Q >= q_min
    among those whose |amplitude| is at least ``rel_amp_min`` of the strongest one in the window. Harminv also
    returns weak poles with spurious high Q (|amplitude| ~1% of the cavity mode, Q 10-100x the CMT value);
    the amplitude floor drops them. None when nothing qualifies."""
    inside = [lossless_as_infinite(r) for r in resonances
              if wavelength_min_nm <= r.wavelength_nm <= wavelength_max_nm and r.q >= q_min]
    if not inside:
        return None
    a_max = max(abs(r.amplitude) for r in inside)
    strong = [r for r in inside if abs(r.amplitude) >= rel_amp_min * a_max]
    return max(strong, key=lambda r: r.q)
