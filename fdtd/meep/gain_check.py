"""MEEP check of the gain <-> conductivity conversion (``models.gain_medium``): a plane wave of fixed real Bloch k
in a homogeneous medium of index n with the D conductivity of a gain g grows in time at the intensity rate
g c / n (its group velocity times g). Imports meep. 1D cell along z, Ex, lengths um, rates 1/um (c = 1)."""

from __future__ import annotations

import math

import meep as mp
import numpy as np

from perocav.fdtd.extract.resonance import PencilSettings, find_resonances
from perocav.fdtd.meep.quiet import silence_meep
from perocav.fdtd.models.gain_medium import d_conductivity_per_um

silence_meep()


def homogeneous_intensity_rate_per_um(*, n_real: float, gain_per_cm: float, wavelength_nm: float,
                                      resolution_px_per_um: float = 40.0, run_um: float = 60.0) -> float:
    """Temporal intensity growth rate [1/um of c t] (negative: decay) of the Bloch mode k = n / lambda of a
    homogeneous medium with the MEEP D conductivity of ``gain_per_cm``: 4 pi Im f from the pencil fit."""
    f = 1000.0 / wavelength_nm
    sigma = d_conductivity_per_um(n_real=n_real, gain_per_cm=gain_per_cm, wavelength_nm=wavelength_nm)
    medium = mp.Medium(epsilon=n_real**2, D_conductivity=sigma)
    cell_um = 1.0
    sim = mp.Simulation(cell_size=mp.Vector3(0, 0, cell_um), dimensions=1, default_material=medium,
                        k_point=mp.Vector3(0, 0, n_real * f), resolution=resolution_px_per_um,
                        sources=[mp.Source(mp.GaussianSource(f, fwidth=0.2 * f), component=mp.Ex,
                                           center=mp.Vector3(0, 0, 0.1))])
    samples: list[complex] = []
    sim.run(mp.after_sources(lambda s: samples.append(complex(s.get_field_point(mp.Ex, mp.Vector3(0, 0, 0.3))))),
            until_after_sources=run_um)
    dt = float(sim.fields.dt)
    sim.reset_meep()
    poles = find_resonances(samples=np.asarray(samples), dt=dt, freq_min=0.8 * f, freq_max=1.2 * f, q_min=1.0,
                            settings=PencilSettings(keep_growing=True))
    if not poles:
        return math.nan
    best = max(poles, key=lambda r: abs(r.amplitude))
    return 4.0 * math.pi * best.decay
