"""The README's pictures come from ``examples/readme_pictures.py`` and its caption says what that script's run gave
(issue 26): the script writes docs/img/readme_pictures.json beside the pictures; the caption must hold its phrases
(date, model tiers, window, designs, devices, die size). Regenerating the pictures without updating the caption fails
here."""

import importlib.util
import json

from tests.paths import REPO_ROOT

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
