"""Band diagram of a linear DFB grating near its Bragg point from MEEP unit-cell runs at a few Bloch k.

``dfb_band_diagram`` runs the same Bloch cell, source and search window as ``simulate_dfb(mode="unit_cell")``
at k = k_B + m kappa / (2 pi) (m = ``k_offsets_kappa``, kappa the CMT kappa; MEEP k in cycles / um; 1st order
k_B = 1 / (2 Lambda), 2nd order k_B = 0), and keeps the two band-edge modes of each run (the two highest-Q
resonances in the window). At m = 0 the two bands are exactly ``simulate_dfb``'s band edges (the same run).
Dispersion: the runs freeze the media at the solved Bragg point; every band point is mapped to the dispersive
stack at the same propagation constant (``dfb.dispersive_wavelength_nm``; to first order offsets from the
freezing point scale by n_g,frozen / n_g). ``simulate_dfb`` re-runs each edge frozen where it lies instead: the two
agree within 0.1 nm at the gap (1st order, electrode-free MAPbI3, 200 nm, D 0.5). The CMT hyperbola uses one n_g
(at the Bragg point): beyond ~1 kappa from k_B the dispersive bands leave it (1.5 nm at 2.5 kappa, same grating).
``plot_band_diagram`` writes a PNG: FDTD points (mirrored to -m, the bands are symmetric about k_B) and the
coupled-mode hyperbola f = f0 +- sqrt(kappa^2 + q^2) / (2 pi n_g), q = 2 pi (k - k_B), with the FDTD kappa.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from perocav.fdtd.extract import band_edges as E
from perocav.fdtd.meep import pixels as P
from perocav.fdtd.meep.geometry_2d import dfb_unit_cell_2d
from perocav.fdtd.models.dfb_analytic import analyze_dfb_on_stack
from perocav.fdtd.dfb import _gain_y, _window_nm, dispersive_wavelength_nm, frozen_group_index, true_group_index
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
        return E.kappa_from_edges_per_cm(short_nm=s, long_nm=l, group_index=self.group_index)


def dfb_band_diagram(
    *, stack: Stack, period_nm: float, duty_cycle: float, order: int, resolution_px_per_um: float,
    k_offsets_kappa: Sequence[float] = (0.0, 0.5, 1.0, 2.0, 3.0), ring_down_um: float = 150.0,
    force: bool = False, min_px_per_layer: float = 4.0, window_fraction: float = 0.05,
    substrate_um: float = 0.8, cover_um: float = 0.8, pml_um: float = 1.0,
) -> BandDiagram:
    """Unit-cell ring-downs at k_B + m kappa_CMT / (2 pi) for m in ``k_offsets_kappa`` (same defaults as
    ``simulate_dfb``); the resolution is snapped to whole pixels per period and checked against the pixel rule."""
    import time

    from perocav.fdtd.meep.runner_2d import run_ringdown_2d
    from perocav.layout.dfb_grating import dfb_grating
    from perocav.pdk import activate

    activate()
    t0 = time.perf_counter()
    res = P.whole_pixel_resolution(period_nm=period_nm, resolution_px_per_um=resolution_px_per_um)
    P.check_resolution(stack=stack, resolution_px_per_um=res, min_px_per_layer=min_px_per_layer, force=force)
    ana = analyze_dfb_on_stack(stack=stack, period_nm=period_nm, duty_cycle=duty_cycle, order=order,
                               length_um=period_nm / 1000.0, phase_shift_rad=0.0)
    wl_lo, wl_hi = _window_nm(ana, window_fraction=window_fraction)
    f_b, f_w = 1.0 / ana.bragg_wavelength_nm, 1.0 / wl_lo - 1.0 / ana.bragg_wavelength_nm
    band = (1.0 / (f_b + 1.6 * f_w), 1.0 / (f_b - 1.6 * f_w))
    lam_b = ana.bragg_wavelength_nm
    ng_f = frozen_group_index(stack=stack, duty_cycle=duty_cycle, wavelength_nm=lam_b)
    n_g = true_group_index(stack=stack, duty_cycle=duty_cycle, wavelength_nm=lam_b)

    def mapped(lam: float) -> float:
        return dispersive_wavelength_nm(stack=stack, duty_cycle=duty_cycle, wavelength_nm=lam, freeze_nm=lam_b,
                                        group_index_frozen=ng_f)

    comp = dfb_grating(period_nm=period_nm, duty_cycle=duty_cycle, n_periods=4, order=order)
    geom = dfb_unit_cell_2d(component=comp, stack=stack, substrate_um=substrate_um, cover_um=cover_um, pml_um=pml_um)
    k_b = E.bragg_k_per_um(period_nm=period_nm, order=order)
    kappa_um = abs(ana.kappa_per_cm) * 1e-4
    xs, y = 0.13 * geom.size_x_um, _gain_y(geom, stack)
    ks, lo, up, ql, qu = [], [], [], [], []
    for m in k_offsets_kappa:
        k = k_b + m * kappa_um / (2 * math.pi)
        run = run_ringdown_2d(geometry=geom, wavelength_min_nm=band[0], wavelength_max_nm=band[1],
                              source_xy_um=(xs, y), probe_xy_um=(xs, y), resolution_px_per_um=res,
                              ring_down_um=ring_down_um, k_x_per_um=k, freeze_wavelength_nm=lam_b)
        picked = E.pick_band_edges(resonances=run.resonances, wavelength_min_nm=wl_lo, wavelength_max_nm=wl_hi) \
            if run.status == "ok" else ()
        ks.append(k)
        if len(picked) == 2:
            up.append(mapped(picked[0].wavelength_nm)), lo.append(mapped(picked[1].wavelength_nm))
            qu.append(picked[0].q * n_g / ng_f), ql.append(picked[1].q * n_g / ng_f)
        else:
            for a in (lo, up, ql, qu):
                a.append(math.nan)
    return BandDiagram(period_nm=float(period_nm), order=int(order), resolution_px_per_um=res, bragg_k_per_um=k_b,
                       kappa_cmt_per_cm=abs(ana.kappa_per_cm), group_index=n_g, k_per_um=tuple(ks),
                       lower_nm=tuple(lo), upper_nm=tuple(up), q_lower=tuple(ql), q_upper=tuple(qu),
                       wall_time_s=time.perf_counter() - t0)


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
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

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
