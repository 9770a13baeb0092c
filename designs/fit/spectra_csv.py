"""Read a spectrum CSV: a header line, then (wavelength [nm], intensity) column pairs, one pair per spectrum
(several spectra of one device side by side, as in the Goldberg 2023 data); one-line errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from perocav.pdk.errors import InputError

ALLOWED = "a header line, then numeric (wavelength nm 100-20000, intensity) column pairs, >= 10 rows"


def read_spectra(path: Path) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]:
    """(wavelengths, intensities) per spectrum, each sorted by wavelength, rows with a NaN dropped."""
    try:
        table = np.genfromtxt(path, delimiter=",", skip_header=1, dtype=float)
    except (OSError, ValueError) as err:
        raise InputError(f"cannot read: {' '.join(str(err).split())[:120]}", field="file", allowed=ALLOWED,
                         source=str(path)) from None
    if table.ndim != 2 or table.shape[1] % 2 or table.shape[0] < 10:
        raise InputError(f"shape {table.shape} is not column pairs", field="columns", allowed=ALLOWED,
                         source=str(path))
    lams, ints = [], []
    for k in range(table.shape[1] // 2):
        lam, inten = table[:, 2 * k], table[:, 2 * k + 1]
        ok = np.isfinite(lam) & np.isfinite(inten)
        if ok.sum() < 10 or not np.all((lam[ok] > 100) & (lam[ok] <= 20000)):
            raise InputError(f"spectrum {k}: wavelengths out of range or fewer than 10 rows",
                             field=f"columns {2 * k + 1}-{2 * k + 2}", allowed=ALLOWED, source=str(path))
        order = np.argsort(lam[ok])
        lams.append(lam[ok][order])
        ints.append(inten[ok][order])
    return tuple(lams), tuple(ints)
