"""|E|^2 over a 2D FDTD cross-section, cropped to the physical cell and block-averaged to a few thousand pixels,
small enough to keep in a result record (JSON) and draw in a report."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CrossSection:
    """``abs2[i, j]`` at (``x_um[i]``, ``y_um[j]``), normalised to a maximum of 1; ``levels_um``: stack level
    name -> (y_bottom, y_top) in um (cell centred on 0)."""

    x_um: np.ndarray
    y_um: np.ndarray
    abs2: np.ndarray
    levels_um: dict

    def to_record(self) -> dict:
        """Plain lists (4 significant digits) for JSON."""
        return {"x_um": [round(float(v), 5) for v in self.x_um], "y_um": [round(float(v), 5) for v in self.y_um],
                "abs2": [[float(f"{v:.4g}") for v in row] for row in self.abs2],
                "levels_um": {k: [float(a), float(b)] for k, (a, b) in self.levels_um.items()}}

    @classmethod
    def from_record(cls, rec: dict) -> "CrossSection":
        return cls(x_um=np.asarray(rec["x_um"], float), y_um=np.asarray(rec["y_um"], float),
                   abs2=np.asarray(rec["abs2"], float), levels_um={k: tuple(v) for k, v in rec["levels_um"].items()})


def _block_mean(a: np.ndarray, axis: int, step: int) -> np.ndarray:
    n = a.shape[axis] // step * step
    a = np.take(a, np.arange(n), axis=axis)
    shape = list(a.shape)
    shape[axis: axis + 1] = [n // step, step]
    return a.reshape(shape).mean(axis=axis + 1)


def reduce_cross_section(*, field_abs2: np.ndarray, x_um: np.ndarray, y_um: np.ndarray, levels_um: dict,
                         y_range_um: tuple[float, float] | None = None, max_x: int = 80,
                         max_y: int = 160) -> CrossSection:
    """Crop ``field_abs2`` [x, y] to ``y_range_um`` (e.g. inside the PMLs), block-average to at most
    ``max_x`` x ``max_y`` samples, normalise to a maximum of 1."""
    f = np.asarray(field_abs2, dtype=float)
    x, y = np.asarray(x_um, float), np.asarray(y_um, float)
    if f.shape != (x.size, y.size):
        raise ValueError(f"field {f.shape} does not match x {x.size} and y {y.size}")
    if y_range_um is not None:
        keep = (y >= y_range_um[0]) & (y <= y_range_um[1])
        f, y = f[:, keep], y[keep]
    sx, sy = max(1, -(-x.size // max_x)), max(1, -(-y.size // max_y))
    f = _block_mean(_block_mean(f, 0, sx), 1, sy)
    x, y = _block_mean(x, 0, sx), _block_mean(y, 0, sy)
    peak = float(np.nanmax(f)) if f.size else 0.0
    return CrossSection(x_um=x, y_um=y, abs2=f / peak if peak > 0 else f,
                        levels_um={k: (float(a), float(b)) for k, (a, b) in levels_um.items()})
