"""report.html of a tiny two-stage screen (analytic for 4 designs, a coarse forced MEEP unit cell for the best)
rendered in headless Chromium: the page renders, every image loads, and the content a designer needs is there."""

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from perocav.designs.pipeline import RunOptions, run_design
from perocav.designs.report.parts import label, label_value
from perocav.designs.spec import load_design

DESIGN = """\
name: report_check
description: tiny two-stage screen for the report test
stack:
  name: transparent_MAPbI3
  thickness_nm: {perovskite: 150}
cavity: {type: dfb, order: 2, period_nm: 380, duty_cycle: 0.5, n_periods: 250, phase_shift: none}
sweep:
  grid:
    period_nm: [380, 385]
    duty_cycle: [0.3, 0.6]
fidelity: screen
screen: {top_k: 1}
fdtd: {resolution_px_per_um: 40, converge: false, force: true}
objective:
  wavelength_window_nm: [770, 799]
  rank_by: threshold_current_density_a_per_cm2
mask:
  top_n: 1
  opening_diameter_um: 50
"""

#: appended to a copy of the page: after load, the title reports how many <img> decoded (naturalWidth > 0)
PROBE = """<script>window.addEventListener('load', () => { const im = [...document.images];
document.title = 'IMAGES ' + im.filter(i => i.complete && i.naturalWidth > 0).length + '/' + im.length; });</script>"""

CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--virtual-time-budget=15000")


def chromium(*args: str, user_dir: Path) -> subprocess.CompletedProcess:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    assert exe, "chromium is not installed (setup.sh installs the Debian package)"
    return subprocess.run([exe, *CHROMIUM_FLAGS, f"--user-data-dir={user_dir}", *args], capture_output=True,
                          text=True, timeout=180)


class _Page(HTMLParser):
    """Images (alt), figure captions, table headers and links of the report."""

    def __init__(self):
        super().__init__()
        self.alts, self.captions, self.headers, self.links, self._tag = [], [], [], [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.alts.append(a.get("alt", ""))
        if tag == "a":
            self.links.append(a.get("href", ""))
        self._tag = tag

    def handle_endtag(self, tag):
        self._tag = None

    def handle_data(self, data):
        if self._tag == "figcaption":
            self.captions.append(data)
        if self._tag == "th":
            self.headers.append(data)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("report")
    design = root / "report_check.yaml"
    design.write_text(DESIGN)
    summary = run_design(load_design(design), out_dir=root / "out", options=RunOptions(workers=1, progress=False))
    assert Path(summary.files["report"]).is_file()
    return Path(summary.files["report"])


def test_labels_carry_units_and_no_internal_prefixes():
    assert label("period_nm") == "period [nm]"
    assert label("analytic.wavelength_nm") == "lasing λ [nm] (analytic)"
    assert label("threshold_current_density_a_per_cm2") == "J_th [A/cm²]"
    assert label("radiation_reactive_per_cm") == "radiation reactive [1/cm]"
    assert label_value("period_nm", 385) == "period 385 nm" and label_value("duty_cycle", 0.3) == "duty cycle 0.3"


@pytest.mark.meep
@pytest.mark.slow
def test_report_content(report):
    text = report.read_text()
    page = _Page()
    page.feed(text)
    top = text[text.index("<table class='top'>"):]
    top = top[: top.index("</table>")]
    assert "analytic." not in top and "J_th [A/cm²]" in top and "period [nm]" in top
    # one verification section per verified design (FDTD and RCWA alike): its tiers side by side, band edges, the
    # FDTD mode profile; the tiers' legend where the top table is; Qs named by kind
    import pandas as pd

    table = pd.read_parquet(report.parent / "results.parquet")
    n_verified = int(table["model"].isin(("fdtd", "rcwa")).sum())
    assert n_verified >= 1 and text.count("<table class='compare'>") == n_verified
    assert text.count("-verified)</h3>") == n_verified and "<th>FDTD − analytic</th>" in text
    assert "id='fdtd-verified-1'" in text  # each section has an anchor (#fdtd-verified-N, #rcwa-verified-N)
    assert "<table class='legend'>" in text and "what produced the row's numbers" in text
    assert "Q of the radiating edge" in text and "Q of the dark edge" in text and "Q of the lasing mode" in text
    assert "modal loss (FDTD)" not in text and "Q short edge" not in text
    # the die's manifest predicts each device from its results-table row (the design device: rank 1)
    manifest = pd.read_csv(next((report.parent / "mask").glob("*_manifest.csv")))
    design = manifest[manifest["role"] == "design"].iloc[0]
    best = table.sort_values("rank").iloc[0]
    assert design["predicted.model"] == best["model"]
    for col in ("wavelength_nm", "q_estimate", "threshold_current_density_a_per_cm2"):
        assert abs(float(design[f"predicted.{col}"]) - best[col]) <= 1e-5 * abs(best[col]), col
    assert any(a.startswith("fdtd_edges_") for a in page.alts) and any(a.startswith("fdtd_profile_") for a in page.alts)
    # the band diagram per verified design (each tier's bands, the MEEP Bloch points), the ladder's freezing note
    assert sum(a.startswith(("fdtd_bands_", "rcwa_bands_")) for a in page.alts) == n_verified
    # both band edges' MEEP profiles (the parity path keeps each edge's run), each named by its edge
    n_fdtd = int((table["model"] == "fdtd").sum())
    assert sum(a.startswith("fdtd_profile_short_") for a in page.alts) == n_fdtd
    assert sum(a.startswith("fdtd_profile_long_") for a in page.alts) == n_fdtd
    assert any("MEEP Bloch unit-cell runs at" in c for c in page.captions), page.captions
    assert "MEEP ladder: resolutions" in text and "media frozen" in text
    # the stored Bloch runs at k_B (lossy media, both bands in one run) give the ladder's band edges (parity runs on
    # lossless media, absorption by perturbation): the same rung, two ways
    from perocav.designs.cache import ResultCache
    from perocav.designs.spec import expand_points
    from perocav.designs.stage import cache_key

    cache, spec = ResultCache(report.parent / "cache"), load_design(report.parent / "design.yaml")
    fdtd = [r for r in (cache.get(cache_key(p, "fdtd", spec=spec)) for p in expand_points(spec)) if r is not None]
    assert len(fdtd) == int((table["model"] == "fdtd").sum()) >= 1
    for r in fdtd:
        bands = r.solver.details.bands
        assert bands.dk_per_um[0] == 0 and len(bands.dk_per_um) == 3
        assert abs(bands.upper_nm[0] - r.solver.edge_short_nm) < 0.5
        assert abs(bands.lower_nm[0] - r.solver.edge_long_nm) < 0.5
        assert bands.upper_nm[2] < bands.upper_nm[0] < bands.lower_nm[0] < bands.lower_nm[2]  # the bands open off k_B
    assert {"map_threshold_current_density_a_per_cm2", "map_q_estimate", "map_wavelength_nm"} <= set(page.alts)
    assert any(a.endswith("_mask") for a in page.alts), page.alts  # the die picture with device ids
    # every figure says what it shows (not a file name)
    assert len(page.captions) == len(page.alts) and all(len(c) > 60 for c in page.captions)
    assert any("150 nm film" in c for c in page.captions)  # carrier dynamics at the design's thickness
    assert any("770-799 nm" in c for c in page.captions)  # the window on the wavelength map
    # links to the table, the GDS and the manifest, all resolvable next to the report
    for needle in ("results.csv", ".gds", "_manifest.csv"):
        assert any(needle in link for link in page.links), needle
    for link in page.links:
        if link != "summary.json":
            assert (report.parent / link).is_file(), link


@pytest.mark.meep
@pytest.mark.slow
def test_report_renders_in_headless_chromium(report, tmp_path):
    probe = report.parent / "report_probe.html"
    probe.write_text(report.read_text().replace("</body>", PROBE + "</body>"))
    dom = chromium("--dump-dom", probe.as_uri(), user_dir=tmp_path / "profile1")
    assert dom.returncode == 0, dom.stderr[-2000:]
    m = re.search(r"<title>IMAGES (\d+)/(\d+)</title>", dom.stdout)
    assert m, dom.stdout[:500]
    loaded, total = int(m.group(1)), int(m.group(2))
    assert total >= 10 and loaded == total, (loaded, total)
    shots = screenshots(report, tmp_path)
    from PIL import Image

    for name, shot in shots.items():
        pixels = np.asarray(Image.open(shot).convert("RGB"))
        assert pixels.shape[1] == 1280 and pixels.shape[0] >= 300, (name, pixels.shape)
        assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 300, name  # text, tables and figures, not blank
    keep = os.environ.get("PEROCAV_REPORT_SHOTS")  # a folder to keep the screenshots in, for a look
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        for shot in shots.values():
            shutil.copyfile(shot, Path(keep) / shot.name)
    print("screenshots:", *shots.values())


#: the report's parts a screenshot shows: (name, CSS selector of its first element, height to show [px]); the
#: first RCWA-verified section only where the run has one
SHOWN = (("top", "h1", 2400), ("legend", "table.legend", 900), ("verification", "#verification", 4200),
         ("rcwa_section", "#rcwa-verified-1", 2000))
OPTIONAL = {"rcwa_section"}
#: appended to a copy of the page: after load, the title gives the page height and each part's top [px]
WHERE_PROBE = """<script>window.addEventListener('load', () => { const y = s => { const e = document.querySelector(s);
return e ? Math.round(e.getBoundingClientRect().top + window.scrollY) : -1; };
document.title = 'AT ' + document.documentElement.scrollHeight + ' ' + [SELECTORS].map(y).join(' '); });</script>"""


def screenshots(report: Path, tmp_path: Path) -> dict[str, Path]:
    """PNGs of the report's top, its model legend and its verification sections (headless Chromium, 1280 px wide):
    the page's layout from a probe copy, one full-height screenshot, cropped to each part."""
    from PIL import Image

    probe = report.parent / "report_where.html"
    selectors = ", ".join(repr(sel) for _, sel, _ in SHOWN)
    probe.write_text(report.read_text().replace("</body>", WHERE_PROBE.replace("SELECTORS", selectors) + "</body>"))
    dom = chromium("--dump-dom", "--window-size=1280,2400", probe.as_uri(), user_dir=tmp_path / "profile3")
    m = re.search(r"<title>AT ([-\d ]+)</title>", dom.stdout)
    assert m, dom.stdout[:500]
    height, *tops = (int(v) for v in m.group(1).split())
    found = {name: top for (name, _, _), top in zip(SHOWN, tops)}
    assert all(top >= 0 for name, top in found.items() if name not in OPTIONAL), found  # every part is on the page
    full = tmp_path / "report_full.png"
    proc = chromium(f"--screenshot={full}", f"--window-size=1280,{min(height, 16000)}", report.as_uri(),
                    user_dir=tmp_path / "profile2")
    assert proc.returncode == 0 and full.is_file(), proc.stderr[-2000:]
    page = Image.open(full)
    out = {}
    for (name, _, tall), top in zip(SHOWN, tops):
        if top < 0:
            continue
        top = max(0, top - 20)
        out[name] = report.parent / f"report_{name}.png"
        page.crop((0, top, 1280, min(page.height, top + tall))).save(out[name])
    return out
