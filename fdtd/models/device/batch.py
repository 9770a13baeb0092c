"""Lasing modes of many devices at once, each with S sections (arrays (D, S)): the modes ``engine.device_modes``
reports, for a screen. Per device, T22 and its slopes on a coarse (y, x) grid (``window``'s units); the seeds of
the 2D real Newton (``newton``, all devices' seeds in one vectorised run) are the grid's local minima of |T22| and
of the Newton step length (under unpumped losses of thousands /cm |T22| is dominated by its exponential trend and
its minima alone miss zeros), and every grid point whose own Newton step is shorter than SEED_RADIUS (step taken,
seeds within SEED_CLUSTER merged): a zero is found when some grid point lies in its basin, also where two zeros
share one grid cell. Modes are kept and ordered as the scalar engine keeps and orders them (same window, widened
8, 16, 32, 64 in y; a wider window seeds only its new rows, the zeros of the narrower ones stand). A device with
fewer modes than asked in the widest window is flagged (``ok`` False) and its missing entries are NaN, never
guessed. The random-device tests against the scalar engine (tests/fdtd/device/test_device_batch.py) are the check
that no zero is missed in the tested range (1-5 sections, |kappa| <= 300 /cm, L <= 400 um, unpumped loss up to
15000 /cm, pumped sections' offsets down to -0.7 x that).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from perocav.fdtd.models.device.newton import newton_2d
from perocav.fdtd.models.device.transfer import SectionArrays, t22_with_slopes
from perocav.fdtd.models.device.window import Y_WINDOWS, Scales, accepted, device_scales

#: grid rows in y as fractions of the window, and the column step in x = delta L
Y_ROWS = np.array([0.0, 0.04, 0.1, 0.2, 0.33, 0.5, 0.72, 1.0])
X_STEP = np.pi / 4
#: row step in y beyond the first window (few devices get there: the ones with few low modes)
WIDE_ROW_STEP = 1.0
#: grid points whose Newton step is shorter than this (in (y, x) units) seed Newton too
SEED_RADIUS = 0.7
#: seeds closer than this in (y, x) are one
SEED_CLUSTER = 0.5
#: devices solved together (working arrays of a few MB)
CHUNK = 256
#: two roots closer than this in (y, x) are one
SAME_ROOT = 1e-7
FIELDS = ("length_um", "kappa_per_cm", "radiation_per_cm", "radiation_reactive_per_cm", "phase_rad", "pumped",
          "gain_per_cm", "detuning_offset_per_cm")


@dataclass(frozen=True)
class BatchModes:
    """Per device (D rows): thresholds g_p [1/cm] and detunings [1/cm] of the lowest ``n_modes`` modes (D, n),
    NaN-padded; the gain margin [1/cm] (inf with one mode asked, NaN when the second is missing) and ``ok``: False
    when fewer than ``n_modes`` modes were found in the widest window (the scalar engine is the reference for those
    rows: their entries are true zeros, but a low one may be missing)."""

    threshold_modal_gain_per_cm: np.ndarray
    detuning_per_cm: np.ndarray
    gain_margin_per_cm: np.ndarray
    ok: np.ndarray


def _columns(kwargs: dict) -> dict:
    cols = {k: np.atleast_2d(np.asarray(kwargs[k], dtype=float)) for k in FIELDS}
    shape = np.broadcast_shapes(*(c.shape for c in cols.values()))
    cols = {k: np.broadcast_to(v, shape) for k, v in cols.items()}
    if not all(np.isfinite(v).all() for v in cols.values()):
        raise ValueError("every section field must be finite")
    if (cols["length_um"] <= 0).any() or (cols["radiation_per_cm"] < 0).any():
        raise ValueError("length_um must be > 0 and radiation_per_cm >= 0")
    if not (cols["pumped"] > 0).any(axis=1).all():
        raise ValueError("every device needs a pumped section")
    return cols


def _rows(y_max: float) -> np.ndarray:
    """Grid rows in y: Y_ROWS of the first window, then steps of WIDE_ROW_STEP up to ``y_max``."""
    first = Y_ROWS * Y_WINDOWS[0]
    return np.concatenate([first, np.arange(first[-1] + WIDE_ROW_STEP, y_max + 1e-9, WIDE_ROW_STEP)])


def _seeds(arr: SectionArrays, sc: Scales, rows: np.ndarray, y_max: float, x_half: np.ndarray,
           y_from: float = -np.inf):
    """(device, g_p, delta) seeds from each device's grid (its own x range, steps <= X_STEP): the local minima of
    |T22| and every grid point whose Newton step is shorter than SEED_RADIUS in (y, x) units (the step taken)."""
    n_x = int(np.ceil((x_half[rows].max() + X_STEP) / X_STEP))
    u = np.linspace(-1.0, 1.0, 2 * n_x + 1)
    ys = _rows(y_max)
    ys = ys[ys >= y_from]
    shape = (rows.size, ys.size, u.size)
    xx = np.broadcast_to((x_half[rows] + X_STEP)[:, None, None] * u[None, None, :], shape)
    yy = np.broadcast_to(ys[None, :, None], shape)
    gu, du, off = (v[rows][:, None] for v in (sc.g_unit, sc.delta_unit, sc.offset_per_cm))
    g, dl = yy.reshape(rows.size, -1) * gu - off, xx.reshape(rows.size, -1) * du
    with np.errstate(all="ignore"):
        f, fg, fd = t22_with_slopes(arr.take(rows).per_point(), g, dl, stable=False)
        det = fg.real * fd.imag - fd.real * fg.imag
        step_y = -(f.real * fd.imag - fd.real * f.imag) / det / gu
        step_x = -(fg.real * f.imag - fg.imag * f.real) / det / du
        near = np.hypot(step_y, step_x) < SEED_RADIUS
        step = np.hypot(step_y, step_x)
    is_min = (_local_minima(np.where(np.isfinite(f), np.abs(f), np.inf).reshape(xx.shape))
              | _local_minima(np.where(np.isfinite(step), step, np.inf).reshape(xx.shape))).reshape(rows.size, -1)
    dev = np.broadcast_to(rows[:, None], near.shape)
    y0, x0 = yy.reshape(rows.size, -1), xx.reshape(rows.size, -1)
    d_all = np.concatenate([dev[is_min], dev[near]])
    y_all = np.concatenate([y0[is_min], (y0 + step_y)[near]])
    x_all = np.concatenate([x0[is_min], (x0 + step_x)[near]])
    # one seed per cluster: grid points stepping to the same place would all find the same zero
    _, first = np.unique(np.stack([d_all, np.round(y_all / SEED_CLUSTER), np.round(x_all / SEED_CLUSTER)], axis=1),
                         axis=0, return_index=True)
    d_all, y_all, x_all = d_all[first], y_all[first], x_all[first]
    return d_all, y_all * sc.g_unit[d_all] - sc.offset_per_cm[d_all], x_all / sc.length_cm[d_all]


def _local_minima(value: np.ndarray) -> np.ndarray:
    """Grid points (device, row, column) no larger than their four neighbours (finite values only)."""
    grid = np.pad(value, ((0, 0), (1, 1), (1, 1)), constant_values=np.inf)
    out = np.isfinite(value)
    for di, dj in ((-1, 0), (1, 0), (0, -1), (0, 1)):
        out &= value <= grid[:, 1 + di:grid.shape[1] - 1 + di, 1 + dj:grid.shape[2] - 1 + dj]
    return out


def _newton_from(arr: SectionArrays, sc: Scales, dev, g0, d0, y_max: float):
    """Newton from the seeds; the converged points inside the window (device, g_p, delta)."""
    gu, du = sc.g_unit[dev], sc.delta_unit[dev]
    box = (-sc.offset_per_cm[dev] - gu, (y_max + 2.0) * gu - sc.offset_per_cm[dev], (sc.x_max[dev] + 2.0) * du)
    res = newton_2d(arr, g_p=g0, delta=d0, g_unit=gu, delta_unit=du, rows=dev, iters=30, box=box)
    ok = accepted(sc, g_p=res.g_p, delta=res.delta, converged=res.converged, y_max=y_max, rows=dev)
    return dev[ok], res.g_p[ok], res.delta[ok]


def _modes(sc: Scales, dev, g, dl, n_modes: int, out_g, out_d, count) -> None:
    """Keep the distinct modes in the window, order them as the scalar engine does, fill the first ``n_modes`` of
    every device in ``dev`` into ``out_g``/``out_d`` and their number into ``count``."""
    y, x = (g + sc.offset_per_cm[dev]) / sc.g_unit[dev], dl * sc.length_cm[dev]
    order = np.lexsort((np.round(x, 7), np.round(y, 7), dev))
    dev, y, x, g, dl = dev[order], y[order], x[order], g[order], dl[order]
    tol = SAME_ROOT * np.maximum(1.0, np.maximum(np.abs(y), np.abs(x)))
    repeat = np.zeros(dev.size, dtype=bool)
    repeat[1:] = (dev[1:] == dev[:-1]) & (np.abs(y[1:] - y[:-1]) + np.abs(x[1:] - x[:-1]) < tol[1:])
    dev, y, x, g, dl = dev[~repeat], y[~repeat], x[~repeat], g[~repeat], dl[~repeat]
    order = np.lexsort((x, np.round(y, 9), dev))
    dev, g, dl = dev[order], g[order], dl[order]
    rank = np.arange(dev.size) - np.searchsorted(dev, dev, side="left")
    take = rank < n_modes
    out_g[dev[take], rank[take]] = g[take]
    out_d[dev[take], rank[take]] = dl[take]
    count[:] = 0
    np.add.at(count, dev, 1)


def batch_modes(*, n_modes: int = 3, delta_window_per_cm: float | None = None, **columns) -> BatchModes:
    """Lowest ``n_modes`` lasing modes of D devices given as (D, S) arrays named like ``DeviceSection``'s fields
    (``length_um``, ``kappa_per_cm``, ``radiation_per_cm``, ``radiation_reactive_per_cm``, ``phase_rad``,
    ``pumped`` (0/1), ``gain_per_cm``, ``detuning_offset_per_cm``; all required, broadcastable). Devices are solved
    CHUNK at a time (the working arrays then stay in cache: ~2x faster than all at once)."""
    if n_modes < 1:
        raise ValueError(f"n_modes={n_modes} must be >= 1")
    if set(columns) != set(FIELDS):
        raise ValueError(f"columns must be exactly {FIELDS}")
    cols = _columns(columns)
    n_dev = cols["length_um"].shape[0]
    out_g, out_d = np.full((n_dev, n_modes), np.nan), np.full((n_dev, n_modes), np.nan)
    for start in range(0, n_dev, CHUNK):
        part = slice(start, start + CHUNK)
        out_g[part], out_d[part] = _solve({k: v[part] for k, v in cols.items()}, n_modes, delta_window_per_cm)
    ok = np.isfinite(out_g).all(axis=1)
    margin = np.full(n_dev, np.inf) if n_modes == 1 else out_g[:, 1] - out_g[:, 0]
    return BatchModes(threshold_modal_gain_per_cm=out_g, detuning_per_cm=out_d, gain_margin_per_cm=margin, ok=ok)


def _solve(cols: dict, n_modes: int, delta_window_per_cm: float | None) -> tuple[np.ndarray, np.ndarray]:
    """(thresholds, detunings) (D, n_modes), NaN-padded, of the devices in ``cols``, window by window."""
    arr = SectionArrays.from_columns(**cols)
    sc = device_scales(**{k: v for k, v in cols.items() if k != "phase_rad"}, n_modes=n_modes,
                       delta_window_per_cm=delta_window_per_cm)
    n_dev = sc.length_cm.size
    out_g, out_d = np.full((n_dev, n_modes), np.nan), np.full((n_dev, n_modes), np.nan)
    todo = np.arange(n_dev)
    dev, g, dl, y_from = np.zeros(0, dtype=int), np.zeros(0), np.zeros(0), -np.inf
    for y_max in Y_WINDOWS:
        keep = np.isin(dev, todo)  # the zeros of the narrower windows stand; only the new rows are seeded
        new = _newton_from(arr, sc, *_seeds(arr, sc, todo, y_max, sc.x_max, y_from), y_max)
        dev, g, dl = (np.concatenate([a[keep], b]) for a, b in zip((dev, g, dl), new))
        y_from = y_max - WIDE_ROW_STEP
        count = np.zeros(n_dev, dtype=int)
        out_g[todo], out_d[todo] = np.nan, np.nan
        _modes(sc, dev, g, dl, n_modes, out_g, out_d, count)
        todo = todo[count[todo] < n_modes]
        if todo.size == 0:
            break
    return out_g, out_d
