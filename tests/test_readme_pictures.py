"""The README's pictures come from ``examples/readme_pictures.py`` and its caption says what that script's run gave
(issue 26): the script writes docs/img/readme_pictures.json beside the pictures; the caption must hold its phrases
(date, model tiers, window, designs, devices, die size). Regenerating the pictures without updating the caption fails
here."""

import importlib.util
import json
import re

from tests.paths import REPO_ROOT
from tests.test_docs_numbers import marked_table

README = REPO_ROOT / "README.md"
FACTS = REPO_ROOT / "docs" / "img" / "readme_pictures.json"


def script():
    spec = importlib.util.spec_from_file_location("readme_pictures", REPO_ROOT / "examples" / "readme_pictures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_script_writes_every_picture_the_readme_shows():
    shown = script().shown_pictures(README.read_text())
    assert shown and shown == set(script().PICTURES)
    assert all((REPO_ROOT / "docs" / "img" / name).is_file() for name in shown)


def test_readme_caption_says_what_the_scripts_run_gave():
    facts = json.loads(FACTS.read_text())
    misses = script().readme_caption_misses(facts, README.read_text())
    assert not misses, f"README caption lacks {misses} (docs/img/readme_pictures.json, examples/readme_pictures.py)"


def test_a_moved_fact_is_a_miss():
    facts = json.loads(FACTS.read_text())
    moved = {**facts, "devices": facts["devices"] + 1, "date": "2026-11-29"}
    assert len(script().readme_caption_misses(moved, README.read_text())) == 2
    assert len(script().readme_caption_misses({**facts, "die_mm": "5.25 x 3.5 mm"}, README.read_text())) == 1


def test_tutorial_2_lithography_table_is_the_dies():
    """docs/tutorial-2's smallest feature / gap per level are the default die's (the script's run, its manifest's
    lithography note), to the nm."""
    facts = json.loads(FACTS.read_text())["lithography_nm"]
    table = marked_table((REPO_ROOT / "docs" / "tutorial-2-mask-tapeout.md").read_text(), "default_die_lithography")
    checked = 0
    for (levels, column), cell in table.items():
        if not column.startswith("smallest feature"):
            continue
        feature, gap, unit = re.match(r"([\d.]+) / ([\d.]+) (nm|µm)", cell).groups()
        scale = 1.0 if unit == "nm" else 1000.0
        for level in levels.split(", "):
            assert [float(feature) * scale, float(gap) * scale] == facts[level], (level, cell, facts[level])
            checked += 1
    assert checked == 6
