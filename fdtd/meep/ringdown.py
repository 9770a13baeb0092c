"""What every MEEP ring-down shares (2D, cylindrical, 3D): the band and run settings, the Gaussian source, the run
that survives MEEP's NaN stop, and the Harminv read-out with its NaN check. Imports meep.

Units: lengths um, frequency f = 1000 / wavelength_nm (1/um), time um / c. A run whose fields go NaN/inf is
``status="unstable"``, one where Harminv finds nothing ``"no_resonance"``, never a number.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import meep as mp
import numpy as np

from perocav.fdtd.extract.resonance import Resonance, resonances_from_harminv
from perocav.fdtd.meep.quiet import silence_meep
from perocav.pdk.units import NM_PER_UM

silence_meep()  # no Jupyter widget text, no log, no exit-time line


@dataclass(frozen=True)
class RingdownSpec:
    """Band [wavelength_min_nm, wavelength_max_nm] the Gaussian source covers, grid resolution (px/um), ring-down
    after the source (um / c), and the media: Lorentz fits over the band (``dispersive``) or constant n,k frozen at
    ``freeze_wavelength_nm`` (None: the band-centre frequency); ``gain_width_fraction``: frozen gaining media as a
    negative-sigma Lorentzian of gamma / f0 = that value (None: a negative D conductivity, gain at every frequency;
    ``fdtd.meep.media.meep_medium``)."""

    wavelength_min_nm: float
    wavelength_max_nm: float
    resolution_px_per_um: float
    ring_down_um: float
    dispersive: bool = False
    freeze_wavelength_nm: float | None = None
    gain_width_fraction: float | None = None

    def __post_init__(self) -> None:
        if not 0 < self.wavelength_min_nm < self.wavelength_max_nm:
            raise ValueError(f"need 0 < wavelength_min_nm < wavelength_max_nm, got {self.wavelength_min_nm}, "
                             f"{self.wavelength_max_nm}")

    @property
    def band_per_um(self) -> tuple[float, float]:
        """(centre frequency, frequency width) of the source in 1/um."""
        f_max, f_min = NM_PER_UM / self.wavelength_min_nm, NM_PER_UM / self.wavelength_max_nm
        return 0.5 * (f_min + f_max), f_max - f_min

    def source(self) -> mp.GaussianSource:
        """The Gaussian pulse covering the band."""
        fcen, df = self.band_per_um
        return mp.GaussianSource(fcen, fwidth=df)

    def harminv(self, component, point: mp.Vector3) -> mp.Harminv:
        """Harminv on ``component`` at ``point`` over the band."""
        fcen, df = self.band_per_um
        return mp.Harminv(component, point, fcen, df)


@dataclass(frozen=True)
class RingdownOutcome:
    """status ("ok", "unstable", "no_resonance"), Harminv's resonances, the probe samples every dt_um (um / c) and
    the component on the whole cell at the end (None when not finite)."""

    status: str
    resonances: tuple[Resonance, ...]
    samples: np.ndarray = field(repr=False)
    dt_um: float
    field_end: np.ndarray | None = field(default=None, repr=False)


def run_ringdown(sim: mp.Simulation, harminv: mp.Harminv, *, ring_down_um: float) -> bool:
    """``sim.run`` with ``harminv`` after the sources for ``ring_down_um``; True when MEEP stopped on NaN / Inf
    fields (any other error propagates)."""
    try:
        with warnings.catch_warnings():  # MEEP warns when rounding puts Harminv's band edge 1 ulp outside the source's
            warnings.filterwarnings("ignore", message="Harminv frequency", category=RuntimeWarning)
            sim.run(mp.after_sources(harminv), until_after_sources=ring_down_um)
        return False
    except RuntimeError as err:  # MEEP stops itself with "simulation fields are NaN or Inf"
        if "NaN" not in str(err) and "Inf" not in str(err):
            raise
        return True


def read_ringdown(sim: mp.Simulation, harminv: mp.Harminv, component, *, blew_up: bool,
                  analyse: bool = True) -> RingdownOutcome:
    """Samples, status and resonances after ``run_ringdown``: unstable when the run blew up or the samples or the
    final field on the cell are not finite. ``analyse=False``: no Harminv analysis (resonances empty, status "ok"
    when finite) for callers that fit the samples themselves: on a short record (20 um / c) Harminv's own analysis
    took 50 s where the run took 1 s."""
    samples = np.asarray(harminv.data, dtype=complex)
    finite = not blew_up and bool(np.all(np.isfinite(samples)))
    field_end = None
    if finite:
        field_end = np.asarray(sim.get_array(component=component, center=sim.geometry_center, size=sim.cell_size))
        finite = bool(np.all(np.isfinite(field_end)))
    if finite and not analyse:
        resonances, status = (), "ok"
    elif finite:
        resonances = tuple(resonances_from_harminv(harminv.modes))
        status = "ok" if resonances else "no_resonance"
    else:
        resonances, status, field_end = (), "unstable", None
    dt = float(harminv.data_dt) if harminv.data_dt else float(sim.fields.dt)
    return RingdownOutcome(status=status, resonances=resonances, samples=samples, dt_um=dt, field_end=field_end)


def cell_snapshot(sim: mp.Simulation, field_end: np.ndarray) -> dict[str, np.ndarray]:
    """|field|^2 of a 2D cell at the end of the ring-down with its sample coordinates (um, cell centred on 0):
    the keywords ``field_abs2``, ``x_um``, ``y_um`` of a 2D ring-down result."""
    xs, ys, _, _ = sim.get_array_metadata(center=sim.geometry_center, size=sim.cell_size)
    return {"field_abs2": np.abs(np.asarray(field_end)) ** 2, "x_um": np.asarray(xs, dtype=float),
            "y_um": np.asarray(ys, dtype=float)}


def z_span_um(*, size_z_um: float, z0_um: float, z1_um: float) -> tuple[float, float]:
    """(centre, size) along z of a level from z0_um to z1_um; infinite bounds are clipped past the cell of height
    size_z_um (or give mp.inf for a z-invariant cell, size_z_um = 0)."""
    if size_z_um == 0:
        return 0.0, mp.inf
    a, b = max(z0_um, -size_z_um), min(z1_um, size_z_um)
    return 0.5 * (a + b), b - a
