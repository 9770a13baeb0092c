"""Numbers a doc quotes from an output are checked against that output (issue 26, docs that cannot drift): a doc
marks a quoted table with ``<!-- numbers: NAME -->`` ... ``<!-- /numbers -->``; the test re-runs the command the doc
shows (its fast variant) and compares cell by cell: wavelengths within WAVELENGTH_TOL_NM, other numbers within
RELATIVE_TOL, words equal. A change that moves a documented number fails here until the doc is updated."""

import math
import re
import subprocess
import sys

import pytest

from tests.paths import REPO_ROOT

#: tolerances of a quoted number against the output: nm absolute, others relative
WAVELENGTH_TOL_NM = 0.05
RELATIVE_TOL = 0.01


def marked_table(text: str, name: str) -> dict[tuple[str, str], str]:
    """{(row name, column header): cell} of the Markdown table marked ``name`` in ``text``."""
    m = re.search(rf"<!-- numbers: {name} -->\n(.*?)<!-- /numbers -->", text, re.S)
    assert m, f"no table marked {name!r}"
    return parse_table(m.group(1))


def parse_table(block: str) -> dict[tuple[str, str], str]:
    lines = [line.strip() for line in block.strip().splitlines() if line.strip().startswith("|")]
    head = [c.strip() for c in lines[0].strip("|").split("|")]
    out = {}
    for line in lines[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        for col, cell in zip(head[1:], cells[1:]):
            out[(cells[0], col)] = cell
    return out


def drift(quoted: dict, actual: dict, *, abs_tol: float = 0.0) -> list[str]:
    """The quoted cells that the output no longer gives (within the tolerances; ``abs_tol``: the rounding of a
    table quoted in whole numbers), one line each."""
    bad = []
    for key, q in quoted.items():
        a = actual.get(key)
        try:
            qv, av = float(q), float(a)
        except (TypeError, ValueError):
            if q != a:
                bad.append(f"{key}: doc {q!r}, output {a!r}")
            continue
        if math.isnan(qv) or math.isnan(av):  # "NaN" / "-" quoted: the output must have no number either
            if not (math.isnan(qv) and math.isnan(av)):
                bad.append(f"{key}: doc {q}, output {a}")
            continue
        tol = WAVELENGTH_TOL_NM if key[0].endswith("_nm") else max(RELATIVE_TOL * abs(av), abs_tol)
        if abs(qv - av) > tol:
            bad.append(f"{key}: doc {q}, output {a} (tolerance {tol:.3g})")
    return bad


def marked_text_table(text: str, name: str) -> list[list[str]]:
    """The rows (header first, whitespace-split) of the ```text block marked ``name`` in ``text`` (a table printed
    by a script, as the doc quotes it)."""
    m = re.search(rf"<!-- numbers: {name} -->\n```text\n(.*?)^```", text, re.S | re.M)
    assert m, f"no text table marked {name!r}"
    return [line.split() for line in m.group(1).splitlines() if line.strip()]


def printed_table(stdout: str, header: list[str]) -> list[list[str]]:
    """The table a script printed with the header ``header`` (header first), up to the first line of another
    width."""
    lines = [line.split() for line in stdout.splitlines()]
    start = lines.index(header)
    rows = [header]
    for tokens in lines[start + 1:]:
        if len(tokens) != len(header):
            break
        rows.append(tokens)
    return rows


def text_table_drift(quoted: list[list[str]], actual: list[list[str]]) -> list[str]:
    """``drift`` of a quoted text table against the printed one, row by row in order (header cells name the
    columns: those ending in ``_nm`` are wavelengths); a missing or extra row is a drift too."""
    head = quoted[0]
    if actual[0] != head or len(actual) != len(quoted):
        return [f"table shape: doc {len(quoted) - 1} rows of {head}, output {len(actual) - 1} rows of {actual[0]}"]
    q = {(f"row {i}", col): cell for i, row in enumerate(quoted[1:], 1) for col, cell in zip(head, row)}
    a = {(f"row {i}", col): cell for i, row in enumerate(actual[1:], 1) for col, cell in zip(head, row)}
    bad = []
    for key in q:
        d = drift({(key[1], key[0]): q[key]}, {(key[1], key[0]): a[key]})  # row name first: "_nm" is the column
        bad += d
    return bad


def test_text_table_drift_flags_a_moved_cell_and_a_lost_row():
    doc = [["rank", "lambda_nm", "J_th_A_per_cm2"], ["1.0", "790.223", "479.823"], ["NaN", "799.900", "NaN"]]
    assert text_table_drift(doc, [doc[0], ["1.0", "790.25", "481.0"], ["NaN", "799.900", "NaN"]]) == []
    assert len(text_table_drift(doc, [doc[0], ["1.0", "790.223", "1042.27"], ["2.0", "799.900", "490.6"]])) == 3
    assert text_table_drift(doc, doc[:2]) != []
    assert printed_table("x\n" + "\n".join(" ".join(r) for r in doc) + "\nbest: 1", doc[0]) == doc


def test_drift_flags_a_moved_number_and_keeps_a_close_one():
    quoted = {("edge_short_nm", "rcwa"): "795.98", ("q_short", "rcwa"): "5493", ("radiating_edge", "rcwa"): "long"}
    assert drift(quoted, {("edge_short_nm", "rcwa"): "795.99", ("q_short", "rcwa"): "5500",
                          ("radiating_edge", "rcwa"): "long"}) == []
    assert len(drift(quoted, {("edge_short_nm", "rcwa"): "796.10", ("q_short", "rcwa"): "5409",
                              ("radiating_edge", "rcwa"): "short"})) == 3


@pytest.mark.slow
def test_reproduce_paper_fig4a_table_matches_its_run(tmp_path):
    """docs/reproduce-paper.md quotes the Fig. 4a map's threshold material gain per (duty, period), whole numbers."""
    import pandas as pd

    subprocess.run([sys.executable, "-m", "perocav.designs.cli", "run", str(REPO_ROOT / "examples" / "paper_fig4a_map.yaml"),
                    "-o", str(tmp_path), "--workers", "1", "--no-progress", "--no-mask", "--no-report"], check=True,
                   capture_output=True, text=True, timeout=600)
    table = pd.read_csv(tmp_path / "results.csv")
    actual = {(f"{r.duty_cycle:g}", f"{r.period_nm:g}"): ("-" if r.status != "ok" else
                                                          f"{r.threshold_material_gain_per_cm:.2f}")
              for r in table.itertuples()}
    quoted = marked_table((REPO_ROOT / "docs" / "reproduce-paper.md").read_text(), "fig4a")
    assert len(quoted) == len(table) and not drift(quoted, actual, abs_tol=0.51), "\n".join(drift(quoted, actual,
                                                                                                     abs_tol=0.51))


#: (example script, its quick run's table file, the page that quotes it, the page's table marker)
TUTORIAL_TABLES = [
    pytest.param("tutorial_3_fdtd_validation.py", "comparison.md", "tutorial-3-fdtd-validation.md", "tutorial_3",
                 marks=pytest.mark.meep, id="tutorial_3"),  # all four models
    pytest.param("tutorial_5_fit_measured_lines.py", "comparison.md", "tutorial-5-fit-measured-lines.md", "tutorial_5",
                 id="tutorial_5"),  # fit, authors, PDK stack
    pytest.param("tutorial_6_optimise_a_device.py", "summary.md", "tutorial-6-optimise-a-device.md", "tutorial_6",
                 id="tutorial_6"),  # search, RCWA rung, tolerance
]


@pytest.mark.slow
@pytest.mark.parametrize(("script", "table", "page", "marker"), TUTORIAL_TABLES)
def test_tutorial_table_matches_its_quick_run(tmp_path, script, table, page, marker):
    """The tutorial page quotes its example's quick run table (between its numbers markers) as the run writes it."""
    subprocess.run([sys.executable, str(REPO_ROOT / "examples" / script), "-o", str(tmp_path), "--quick"], check=True,
                   capture_output=True, text=True, timeout=600)
    quoted = marked_table((REPO_ROOT / "docs" / page).read_text(), marker)
    actual = parse_table((tmp_path / table).read_text())
    assert quoted and not drift(quoted, actual), "\n".join(drift(quoted, actual))
