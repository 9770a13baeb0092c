"""The terminal's verification table of a run (``perocav main`` and ``perocav run``): one row per verified design
(FDTD, then RCWA), the analytic model, RCWA and MEEP side by side; every Q named by kind (radiating edge, dark edge,
lasing mode)."""

from __future__ import annotations

import math
from pathlib import Path

COLUMNS = ("rank", "period [nm]", "duty", "model", "edges analytic [nm]", "edges RCWA [nm]", "edges FDTD [nm]",
           "max |diff| vs analytic [nm]", "|kappa| an. / RCWA / FDTD [1/cm]", "Q radiating / dark edge",
           "Q lasing mode", "J_th [A/cm2]", "converged")


def _f(v, fmt: str) -> str:
    return "-" if v is None or isinstance(v, str) or (isinstance(v, float) and not math.isfinite(v)) \
        else format(v, fmt)


def _edge_qs(get, edge) -> str:
    """``radiating / dark`` band-edge Qs of a stage (``get(quantity)``)."""
    if edge not in ("short", "long"):
        return f"{_f(get('q_short'), '.0f')} / {_f(get('q_long'), '.0f')} (short / long)"
    dark = "long" if edge == "short" else "short"
    return f"{_f(get('q_' + edge), '.0f')} / {_f(get('q_' + dark), '.0f')}"


def _row(r, long) -> list[str]:
    from perocav.designs.table import stage_value

    def at(stage):
        return lambda q: stage_value(long, key=r["key"], stage=stage, quantity=q)

    an, rc, fd = at("analytic"), at("rcwa"), at("fdtd")
    top = fd if r["model"] == "fdtd" else rc
    edges = {"analytic": (an("stopband_short_nm"), an("stopband_long_nm")),
             "rcwa": (rc("edge_short_nm"), rc("edge_long_nm")), "fdtd": (fd("edge_short_nm"), fd("edge_long_nm"))}
    diffs = [abs(t - a) for t, a in zip(edges[r["model"]], edges["analytic"])
             if isinstance(t, float) and isinstance(a, float)]
    kap = " / ".join(_f(abs(v) if isinstance(v, float) else v, ".0f") for v in
                     (an("kappa_per_cm"), rc("kappa_per_cm"), fd("kappa_per_cm")))
    return [_f(r["rank"], "d"), _f(r["period_nm"], "g"), _f(r["duty_cycle"], "g"), r["model"].upper(),
            *(" / ".join(_f(v, ".2f") for v in edges[m]) for m in ("analytic", "rcwa", "fdtd")),
            _f(max(diffs), ".2f") if diffs else "-", kap, _edge_qs(top, top("radiating_edge")),
            _f(r["q_estimate"], ".0f"), _f(r["threshold_current_density_a_per_cm2"], ".3g"),
            "yes" if r.get("converged") else "no"]


def print_verified_summary(*, out: Path, console) -> None:
    """The verified designs of the run in ``out`` (results.parquet: rank order; results_long.parquet: every tier's
    numbers), FDTD-verified first."""
    import pandas as pd
    from rich.table import Table

    path, long_path = out / "results.parquet", out / "results_long.parquet"
    if not (path.is_file() and long_path.is_file()):
        return
    df, long = pd.read_parquet(path), pd.read_parquet(long_path)
    if "model" not in df:
        return
    ver = df[df["model"].isin(("fdtd", "rcwa"))].sort_values("rank")
    if ver.empty:
        console.print("no RCWA- or FDTD-verified design in this run: every number is the analytic model's")
        return
    t = Table(title="Verified designs: analytic (coupled modes) vs RCWA (meent) vs FDTD (MEEP unit cell); "
                    "'model' names the tier of the row's Qs and J_th", title_justify="left")
    for col in COLUMNS:
        t.add_column(col, justify="right")
    for _, r in ver.iterrows():
        t.add_row(*_row(r, long))
    console.print(t)
