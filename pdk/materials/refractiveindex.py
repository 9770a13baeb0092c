"""Reader for refractiveindex.info YAML files (tabulated n/k and formulas 1 and 5)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import yaml
from scipy.interpolate import PchipInterpolator


@dataclass(frozen=True)
class RiiData:
    """Dispersion of one refractiveindex.info dataset; wavelengths in um."""

    references: str
    comments: str
    wavelength_min_um: float
    wavelength_max_um: float
    _n_table: tuple[np.ndarray, np.ndarray] | None
    _k_table: tuple[np.ndarray, np.ndarray] | None
    _formula: tuple[int, tuple[float, ...]] | None

    def nk(self, wavelength_um: np.ndarray) -> np.ndarray:
        """Complex index n + i k at ``wavelength_um`` (no range check here)."""
        wl = np.asarray(wavelength_um, dtype=float)
        if self._formula is not None:
            n = _formula_n(self._formula[0], self._formula[1], wl)
        else:
            n = self._n_interp(wl)
        k = np.zeros_like(n) if self._k_table is None else np.maximum(self._k_interp(wl), 0.0)
        return n + 1j * k

    # Shape-preserving C1 interpolants (PCHIP): smooth n and dn/dlambda, so group indices are continuous between
    # data points (linear interpolation made dn/dlambda jump at every node), and k never overshoots below 0.
    @cached_property
    def _n_interp(self) -> PchipInterpolator:
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):  # flat runs of a table (k = 0): harmless
            return PchipInterpolator(*self._n_table)

    @cached_property
    def _k_interp(self) -> PchipInterpolator:
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            return PchipInterpolator(*self._k_table)


def _formula_n(kind: int, c: tuple[float, ...], wl: np.ndarray) -> np.ndarray:
    if kind == 1:  # Sellmeier: n^2 - 1 = C1 + sum C_i wl^2 / (wl^2 - C_{i+1}^2)
        n2 = 1.0 + c[0]
        for b, lam in zip(c[1::2], c[2::2]):
            n2 = n2 + b * wl**2 / (wl**2 - lam**2)
        return np.sqrt(n2)
    if kind == 5:  # Cauchy-type: n = C1 + sum C_i wl^C_{i+1}
        n = np.full_like(wl, c[0])
        for a, p in zip(c[1::2], c[2::2]):
            n = n + a * wl**p
        return n
    raise NotImplementedError(f"refractiveindex.info formula {kind} is not supported")


def _table(text: str) -> np.ndarray:
    rows = np.array([[float(v) for v in line.split()] for line in text.strip().splitlines()])
    rows = rows[np.argsort(rows[:, 0], kind="stable")]
    return rows[np.concatenate([[True], np.diff(rows[:, 0]) > 0])]  # one row per wavelength


def read_rii(path: Path) -> RiiData:
    """Parse one refractiveindex.info YAML file."""
    doc = yaml.safe_load(Path(path).read_text())
    n_table = k_table = formula = None
    lo, hi = -np.inf, np.inf
    for entry in doc["DATA"]:
        kind = entry["type"]
        if kind.startswith("formula"):
            a, b = (float(v) for v in str(entry["wavelength_range"]).split())
            coeffs = tuple(float(v) for v in str(entry["coefficients"]).split())
            formula = (int(kind.split()[1]), coeffs)
        else:
            rows = _table(entry["data"])
            a, b = rows[0, 0], rows[-1, 0]
            if kind == "tabulated nk":
                n_table, k_table = (rows[:, 0], rows[:, 1]), (rows[:, 0], rows[:, 2])
            elif kind == "tabulated n":
                n_table = (rows[:, 0], rows[:, 1])
            elif kind == "tabulated k":
                k_table = (rows[:, 0], rows[:, 1])
            else:
                raise NotImplementedError(f"{path}: data type {kind!r} is not supported")
        lo, hi = max(lo, a), min(hi, b)
    return RiiData(
        references=" ".join(str(doc.get("REFERENCES", "")).split()),
        comments=" ".join(str(doc.get("COMMENTS", "")).split()),
        wavelength_min_um=float(lo),
        wavelength_max_um=float(hi),
        _n_table=n_table,
        _k_table=k_table,
        _formula=formula,
    )
