"""Design maps paint only computed designs, on the sweep's own values (no band at an uncomputed duty cycle)."""

import numpy as np
import pandas as pd
import pytest

from perocav.designs.report.maps import _grid, cell_text, design_map


def _table():
    rows = []
    for period in (370, 380):
        for duty in (0.3, 0.4, 0.6, 0.7):  # no 0.5: a numeric axis would paint a band there
            ok = not (period == 380 and duty == 0.6)
            rows.append({"period_nm": period, "duty_cycle": duty, "status": "ok" if ok else "failed",
                         "wavelength_nm": 780 + period / 100 + duty if ok else np.nan,
                         "feasible": ok and duty != 0.7, "rank": pd.NA, "model": "analytic"})
    df = pd.DataFrame(rows)
    df.loc[0, "rank"] = 1
    df["rank"] = df["rank"].astype("Int64")
    return df


def test_grid_holds_only_computed_cells():
    t = _table()
    xs, ys = [370, 380], [0.3, 0.4, 0.6, 0.7]
    g = _grid(t[t["status"] == "ok"], "period_nm", "duty_cycle", xs, ys, "wavelength_nm")
    assert g.shape == (4, 2) and np.isnan(g[2, 1]) and np.isfinite(np.delete(g.ravel(), 5)).all()
    assert g[0, 0] == 780 + 3.7 + 0.3


@pytest.mark.slow
def test_map_paints_computed_cells_on_categorical_axes(tmp_path, monkeypatch):
    import perocav.designs.report.maps as rm

    seen = {}
    original = rm.save_png

    def spy(fig, path, **kw):
        ax = fig.axes[0]
        seen["data"] = ax.images[0].get_array()
        seen["yticks"] = [t.get_text() for t in ax.get_yticklabels()]
        seen["xticks"] = [t.get_text() for t in ax.get_xticklabels()]
        seen["hatched"] = [p for p in ax.patches if p.get_hatch()]
        return original(fig, path, **kw)

    monkeypatch.setattr(rm, "save_png", spy)
    fig = design_map(_table(), x="period_nm", y="duty_cycle", others=[], column="wavelength_nm",
                     window_nm=(783, 785), path=tmp_path / "map.png")
    assert fig.path.read_bytes()[:4] == b"\x89PNG"
    assert seen["yticks"] == ["0.3", "0.4", "0.6", "0.7"] and seen["xticks"] == ["370", "380"]  # no 0.5 row
    data = seen["data"]
    assert data.shape == (4, 2) and bool(data.mask[2, 1]) and int(data.mask.sum()) == 1  # failed cell blank only
    assert len(seen["hatched"]) == 2  # duty 0.7 at both periods: computed but outside the constraints


def _outlined(ax, xs, ys) -> dict:
    """(x value, y value) -> model of every outlined map cell, read back from the drawn rectangles."""
    from matplotlib.colors import to_rgba

    from perocav.designs.report.maps import OUTLINES

    by_style = {(to_rgba(c), ls): m for m, (c, ls) in OUTLINES.items()}
    out = {}
    for p in ax.patches:
        if p.get_fill():
            continue
        ls = "-" if p.get_linestyle() in ("-", "solid") else "--"
        i, j = round(p.get_x() + p.get_width() / 2), round(p.get_y() + p.get_height() / 2)
        out[(xs[i], ys[j])] = by_style[(tuple(p.get_edgecolor()), ls)]
    return out


def test_every_map_cell_is_outlined_by_its_table_model(tmp_path, monkeypatch):
    """The map's outline of each cell (FDTD solid red, RCWA dashed orange, none: analytic) is the table's model."""
    import perocav.designs.report.maps as rm

    t = _table()
    t["model"] = ["fdtd", "rcwa", "rcwa", "analytic", "fdtd", "analytic", "analytic", "rcwa"]
    seen = {}
    monkeypatch.setattr(rm, "save_png", lambda fig, path, **kw: seen.setdefault("ax", fig.axes[0]) and path)
    design_map(t, x="period_nm", y="duty_cycle", others=[], column="wavelength_nm", path=tmp_path / "m.png")
    drawn = _outlined(seen["ax"], [370, 380], [0.3, 0.4, 0.6, 0.7])
    for _, r in t.iterrows():
        assert drawn.get((r["period_nm"], r["duty_cycle"]), "analytic") == r["model"], r.to_dict()
    assert sorted(drawn.values()) == ["fdtd", "fdtd", "rcwa", "rcwa", "rcwa"]


@pytest.mark.parametrize(("value", "text"), [(445.089, "445.1"), (1377.2, "1377"), (9999.4, "9999"),
                                             (13770.0, "14k"), (123456.0, "123k"), (0.70, "0.7")])
def test_a_map_cell_holds_at_most_five_characters(value, text):
    assert cell_text(value) == text
