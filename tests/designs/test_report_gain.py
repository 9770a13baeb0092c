"""The report's gain-spectrum figure: drawn for a perovskite gain layer with the top designs' lasing lines, nothing
for a table without a finite threshold density."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from perocav.designs.report.gain import gain_spectra
from perocav.designs.spec import load_design
from tests.paths import REPO_ROOT

pytestmark = pytest.mark.slow  # matplotlib figure (~0.5 s)


def _table(density):
    return pd.DataFrame({"rank": [1.0, 2.0, math.nan], "wavelength_nm": [786.3, 791.0, 820.0],
                         "threshold_density_per_cm3": [density, 6.6e17, math.inf],
                         "threshold_material_gain_per_cm": [184.0, 181.0, math.nan],
                         "gain_model": ["spectral"] * 3})


def test_gain_figure_drawn(tmp_path):
    spec = load_design(REPO_ROOT / "designs" / "default.yaml")
    figs = gain_spectra(spec=spec, table=_table(6.56e17), figdir=tmp_path)
    assert len(figs) == 1 and figs[0].path.stat().st_size > 10_000 and "MAPbI3" in figs[0].caption


def test_no_figure_without_a_threshold(tmp_path):
    spec = load_design(REPO_ROOT / "designs" / "default.yaml")
    assert gain_spectra(spec=spec, table=_table(math.inf).iloc[2:], figdir=tmp_path) == []
