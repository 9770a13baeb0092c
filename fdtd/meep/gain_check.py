"""MEEP check of the gain models: a plane wave of fixed real Bloch k in a homogeneous medium of index n with the gain
``gain_per_cm`` frozen at ``wavelength_nm``, either as a D conductivity (``models.gain_medium``: grows in time at the
intensity rate g c / n, its group velocity times g, at every k) or as a negative-sigma Lorentzian
(``models.lorentzian_gain``: the same at the line centre, ~nothing far from it). Imports meep. 1D cell along z, Ex,
lengths um, rates 1/um (c = 1)."""

from __future__ import annotations

import math

import meep as mp
import numpy as np

from perocav.fdtd.extract.resonance import PencilSettings, find_resonances
from perocav.fdtd.meep.geometry_2d import Medium2D
from perocav.fdtd.meep.media import meep_medium
from perocav.fdtd.meep.quiet import silence_meep
from perocav.fdtd.models.gain_medium import gain_index

silence_meep()


def homogeneous_intensity_rate_per_um(*, n_real: float, gain_per_cm: float, wavelength_nm: float,
                                      gain_width_fraction: float | None = None, k_per_um: float | None = None,
                                      resolution_px_per_um: float = 40.0, run_um: float = 60.0) -> float:
    """Temporal intensity growth rate [1/um of c t] (negative: decay) of the Bloch mode k (default n / lambda) of a
    homogeneous medium whose gain is the MEEP D conductivity (``gain_width_fraction`` None) or the Lorentzian of
    that gamma / f0 (``fdtd.meep.media.meep_medium``): 4 pi Im f from the pencil fit (nan: no pole)."""
    f = 1000.0 / wavelength_nm
    k = n_real * f if k_per_um is None else k_per_um
    medium = meep_medium(medium=Medium2D(index=gain_index(n_real=n_real, gain_per_cm=gain_per_cm,
                                                          wavelength_nm=wavelength_nm)),
                         wavelength_min_nm=wavelength_nm, wavelength_max_nm=wavelength_nm,
                         freeze_wavelength_nm=wavelength_nm, gain_width_fraction=gain_width_fraction)
    f_k = k / n_real
    sim = mp.Simulation(cell_size=mp.Vector3(0, 0, 1.0), dimensions=1, default_material=medium,
                        k_point=mp.Vector3(0, 0, k), resolution=resolution_px_per_um,
                        sources=[mp.Source(mp.GaussianSource(f_k, fwidth=0.2 * f_k), component=mp.Ex,
                                           center=mp.Vector3(0, 0, 0.1))])
    samples: list[complex] = []
    sim.run(mp.after_sources(lambda s: samples.append(complex(s.get_field_point(mp.Ex, mp.Vector3(0, 0, 0.3))))),
            until_after_sources=run_um)
    dt = float(sim.fields.dt)
    sim.reset_meep()
    poles = find_resonances(samples=np.asarray(samples), dt=dt, freq_min=0.8 * f_k, freq_max=1.2 * f_k, q_min=1.0,
                            settings=PencilSettings(keep_growing=True))
    if not poles:
        return math.nan
    best = max(poles, key=lambda r: abs(r.amplitude))
    return 4.0 * math.pi * best.decay
