"""Band diagram of a linear DFB grating near its Bragg point from MEEP unit-cell runs at a few Bloch k.

``dfb_band_diagram`` runs the same Bloch cell, source and search window as ``simulate_dfb(mode="unit_cell")``
at k = k_B + m kappa / (2 pi) (m = ``k_offsets_kappa``, kappa the CMT kappa; MEEP k in cycles / um; 1st order
k_B = 1 / (2 Lambda), 2nd order k_B = 0), and keeps the two band-edge modes of each run (the two highest-Q
resonances in the window). At m = 0 the two bands are exactly ``simulate_dfb``'s band edges (the same run).
Dispersion: the runs freeze the media at the solved Bragg point; every band point is mapped to the dispersive
stack at the same propagation constant (``models.dfb.dfb_dispersion.dispersive_wavelength_nm``; to first order offsets from the
freezing point scale by n_g,frozen / n_g). ``simulate_dfb`` re-runs each edge frozen where it lies instead: the two
agree within 0.1 nm at the gap (1st order, electrode-free MAPbI3, 200 nm, D 0.5). The CMT hyperbola uses one n_g
(at the Bragg point): beyond ~1 kappa from k_B the dispersive bands leave it (1.5 nm at 2.5 kappa, same grating).
``plot_band_diagram`` writes a PNG: FDTD points (mirrored to -m, the bands are symmetric about k_B) and the
coupled-mode hyperbola f = f0 +- sqrt(kappa^2 + q^2) / (2 pi n_g), q = 2 pi (k - k_B), with the FDTD kappa.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np

from perocav.fdtd.extract import band_edges as E
from perocav.fdtd.meep import dfb_runs as R
from perocav.fdtd.meep import pixels as P
from perocav.fdtd.meep.dfb_cell import build_dfb_cell
from perocav.fdtd.models.dfb.dfb_couplings import kappa_from_edges_per_cm
from perocav.fdtd.models.dfb.dfb_dispersion import dispersive_wavelength_nm, true_group_index
from perocav.fdtd.models.dfb.grating import DfbGrating
from perocav.fdtd.result import BlochBands
from perocav.fdtd.settings import FdtdSettings
from perocav.pdk.stack import Stack


@dataclass(frozen=True)
class BandDiagram:
    """k_per_um: Bloch k (cycles / um, MEEP units); lower_nm / upper_nm: the long- and short-wavelength band at
    each k (NaN where fewer than two modes were found); q_lower / q_upper their Qs. kappa_fdtd_per_cm from the
    k_B gap with the dispersive n_g (``group_index``) of the slab solver."""

    period_nm: float
    order: int
    resolution_px_per_um: float
    bragg_k_per_um: float
    kappa_cmt_per_cm: float
    group_index: float
    k_per_um: tuple[float, ...]
    lower_nm: tuple[float, ...]
    upper_nm: tuple[float, ...]
    q_lower: tuple[float, ...]
    q_upper: tuple[float, ...]
    wall_time_s: float

    @property
    def gap_at_bragg_nm(self) -> tuple[float, float]:
        """(short edge, long edge) at the k closest to k_B."""
        i = min(range(len(self.k_per_um)), key=lambda j: abs(self.k_per_um[j] - self.bragg_k_per_um))
        return self.upper_nm[i], self.lower_nm[i]

    @property
    def kappa_fdtd_per_cm(self) -> float:
        s, l = self.gap_at_bragg_nm
        return kappa_from_edges_per_cm(short_nm=s, long_nm=l, group_index=self.group_index)


def dfb_band_diagram(
    *, stack: Stack, grating: DfbGrating, resolution_px_per_um: float,
    k_offsets_kappa: Sequence[float] = (0.0, 0.5, 1.0, 2.0, 3.0), settings: FdtdSettings = FdtdSettings(),
) -> BandDiagram:
    """Unit-cell ring-downs at k_B + m kappa_CMT / (2 pi) for m in ``k_offsets_kappa`` (cells, window and source
    as ``simulate_dfb``; ring-down ``settings.ring_down_um``, default 150 um / c); the resolution is snapped to
    whole pixels per period and checked against the pixel rule (``settings.force`` to go below it)."""
    t0 = time.perf_counter()
    g = grating
    res = P.whole_pixel_resolution(period_nm=g.period_nm, resolution_px_per_um=resolution_px_per_um)
    P.check_resolution(stack=stack, resolution_px_per_um=res, min_px_per_layer=settings.min_px_per_layer,
                       force=settings.force)
    cell = build_dfb_cell(stack=stack, grating=replace(g, n_periods=2), mode="unit_cell",
                          settings=replace(settings, parity_runs=False))  # lossy media, both bands per run
    ng_f = cell.group_index_frozen
    n_g = true_group_index(stack=stack, duty_cycle=g.duty_cycle, wavelength_nm=cell.bragg_nm)
    kappa_um = abs(cell.analytic.kappa_per_cm) * 1e-4
    ring = settings.ring_down_um or 150.0
    ks, lo, up, ql, qu = [], [], [], [], []
    for m in k_offsets_kappa:
        k = cell.k_x_per_um + m * kappa_um / (2 * math.pi)
        run = R.ring_down(replace(cell, k_x_per_um=k), resolution_px_per_um=res, ring_down_um=ring, harminv=True)
        picked = E.pick_band_edges(resonances=run.resonances, wavelength_min_nm=cell.window_nm[0],
                                   wavelength_max_nm=cell.window_nm[1]) if run.status == "ok" else ()
        ks.append(k)
        if len(picked) == 2:
            mapped = [dispersive_wavelength_nm(stack=stack, duty_cycle=g.duty_cycle, wavelength_nm=p.wavelength_nm,
                                               freeze_nm=cell.bragg_nm, group_index_frozen=ng_f) for p in picked]
            up.append(mapped[0]), lo.append(mapped[1])
            qu.append(picked[0].q * n_g / ng_f), ql.append(picked[1].q * n_g / ng_f)
        else:
            for a in (lo, up, ql, qu):
                a.append(math.nan)
    return BandDiagram(period_nm=float(g.period_nm), order=int(g.order), resolution_px_per_um=res,
                       bragg_k_per_um=cell.k_x_per_um, kappa_cmt_per_cm=kappa_um * 1e4, group_index=n_g,
                       k_per_um=tuple(ks), lower_nm=tuple(lo), upper_nm=tuple(up), q_lower=tuple(ql),
                       q_upper=tuple(qu), wall_time_s=time.perf_counter() - t0)


def cmt_bands_per_um(*, diagram: BandDiagram, k_per_um: Sequence[float]) -> tuple[list[float], list[float]]:
    """Coupled-mode bands (lower, upper frequency, 1/um) at ``k_per_um`` with the FDTD kappa and mid-gap f0."""
    s, l = diagram.gap_at_bragg_nm
    f0 = 0.5 * (1000.0 / s + 1000.0 / l)
    kap = diagram.kappa_fdtd_per_cm * 1e-4
    lower, upper = [], []
    for k in k_per_um:
        q = 2 * math.pi * (k - diagram.bragg_k_per_um)
        d = math.sqrt(kap**2 + q**2) / (2 * math.pi * diagram.group_index)
        lower.append(f0 - d), upper.append(f0 + d)
    return lower, upper


def plot_band_diagram(diagram: BandDiagram, path: str | Path) -> Path:
    """PNG of the bands (wavelength vs (k - k_B) Lambda), FDTD points and the CMT hyperbola; returns the path."""
    matplotlib.use("Agg")
    lam_um = diagram.period_nm / 1000.0
    dk = np.array(diagram.k_per_um) - diagram.bragg_k_per_um
    kk = np.concatenate([-dk[::-1], dk]) * lam_um
    lo = np.concatenate([np.array(diagram.lower_nm)[::-1], diagram.lower_nm])
    up = np.concatenate([np.array(diagram.upper_nm)[::-1], diagram.upper_nm])
    fig, ax = plt.subplots(figsize=(5, 4))
    ax.plot(kk, lo, "o", color="C0", label="FDTD lower band")
    ax.plot(kk, up, "s", color="C1", label="FDTD upper band")
    span = max(abs(dk).max(), 1e-9)
    kf = np.linspace(-span, span, 201) + diagram.bragg_k_per_um
    cl, cu = cmt_bands_per_um(diagram=diagram, k_per_um=kf)
    xf = (kf - diagram.bragg_k_per_um) * lam_um
    ax.plot(xf, 1000.0 / np.array(cl), "-", color="C0", lw=1, label="CMT (FDTD kappa)")
    ax.plot(xf, 1000.0 / np.array(cu), "-", color="C1", lw=1)
    ax.set_xlabel(r"$(k - k_B)\,\Lambda$ [cycles]")
    ax.set_ylabel("wavelength [nm]")
    ax.set_title(f"order {diagram.order}, {diagram.period_nm:g} nm, {diagram.resolution_px_per_um:g} px/um, "
                 f"kappa {diagram.kappa_fdtd_per_cm:.0f}/cm", fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


#: the Bloch runs an FDTD design record keeps (the report's band diagram): k offsets in units of the CMT kappa and
#: the ring-down [um/c]. Measured 2026-12-07 on the default design (375 nm, duty 0.7, 80 px/um, 2-core machine at
#: load ~15): 60 um/c gives the 150 um/c band points to 1e-6 nm and their Qs to 1e-5, in 5.9 s of CPU instead of
#: 10.9 s (a MEEP design's ladder: ~15 s)
RECORD_K_OFFSETS_KAPPA = (0.0, 1.0, 2.0)
RECORD_RING_DOWN_UM = 60.0


def record_bands(*, stack: Stack, grating: DfbGrating, resolution_px_per_um: float,
                 settings: FdtdSettings = FdtdSettings()) -> BlochBands:
    """The band points a design record keeps: ``dfb_band_diagram`` at ``RECORD_K_OFFSETS_KAPPA`` with the
    ``RECORD_RING_DOWN_UM`` ring-down at ``resolution_px_per_um`` (the ladder's first rung, which passed its own
    pixel rule: not checked again)."""
    d = dfb_band_diagram(stack=stack, grating=grating, resolution_px_per_um=resolution_px_per_um,
                         k_offsets_kappa=RECORD_K_OFFSETS_KAPPA,
                         settings=replace(settings, ring_down_um=RECORD_RING_DOWN_UM, force=True))
    return BlochBands(resolution_px_per_um=d.resolution_px_per_um, ring_down_um=RECORD_RING_DOWN_UM,
                      dk_per_um=tuple(k - d.bragg_k_per_um for k in d.k_per_um), lower_nm=d.lower_nm,
                      upper_nm=d.upper_nm, q_lower=d.q_lower, q_upper=d.q_upper, wall_time_s=d.wall_time_s)
