"""Every command a user is told to type (the ```bash / ```console / ```sh blocks of README.md, docs/quickstart.md
and docs/tutorial-*.md) runs in CI (issue 26, docs that cannot drift): either here, in a temporary folder that
looks like a clone (``.venv``, ``designs/``, ``examples/`` linked, the page's design file written as the page says),
or in the test named for it in ``WHERE``, as written or as its fast variant (``FAST``). A command line that no
entry maps fails ``test_every_doc_command_is_mapped``, and so does an entry whose line left the docs."""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import REPO_ROOT

PAGES = [REPO_ROOT / "README.md", REPO_ROOT / "docs" / "quickstart.md",
         *sorted((REPO_ROOT / "docs").glob("tutorial-*.md"))]
SHELL = re.compile(r"^```(?:bash|console|sh|shell)\n(.*?)^```", re.S | re.M)
YAML = re.compile(r"^```yaml\n(.*?)^```", re.S | re.M)

#: "here": ``test_page_commands_run`` runs it; "PATH::TEST": that test runs it (or its FAST variant); "ci: ...":
#: the CI job itself does (it is ``./test.sh``)
WHERE = {
    "./main.sh": "ci: test.sh runs setup.sh; `perocav main` is `perocav run designs/default.yaml` plus the thickness"
                 " study (minutes of MEEP): its fast variant runs here as the quickstart's run of a default.yaml copy",
    "./test.sh": "ci: the CI job is ./test.sh",
    ".venv/bin/perocav validate my_design.yaml": "here",
    ".venv/bin/perocav run my_design.yaml -o out/mine": "here",
    ".venv/bin/perocav report out/mine": "here",
    ".venv/bin/perocav stacks": "tests/designs/test_docs_snippets.py::test_quickstart_quick_commands_run",
    ".venv/bin/perocav materials": "tests/designs/test_docs_snippets.py::test_quickstart_quick_commands_run",
    ".venv/bin/perocav modes --stack transparent_MAPbI3 --json":
        "tests/designs/test_docs_snippets.py::test_quickstart_quick_commands_run",
    ".venv/bin/perocav cmt --neff-high 2.10 --neff-low 2.06 --duty-cycle 0.25 --period-nm 385 --length-um 96 "
    "--order 2": "tests/designs/test_docs_snippets.py::test_quickstart_quick_commands_run",
    ".venv/bin/perocav simulate dfb --stack transparent_MAPbI3 --period-nm 385 --duty-cycle 0.25 --order 2 "
    "--solver rcwa --json": "tests/designs/test_docs_snippets.py::test_quickstart_quick_commands_run",
    ".venv/bin/perocav thickness-study --contact-material ITO_thick -o out/ts":
        "tests/fdtd/models/test_thickness_study.py::test_thickness_study_contact_material",
    ".venv/bin/perocav gain MAPbI3 --density-per-cm3 8e17 --temperature-k 300 --json": "here",
    ".venv/bin/perocav mask designs/masks/example_mask.yaml -o out/mask && .venv/bin/perocav drc "
    "out/mask/perocav_demo.gds": "tests/layout/test_layout_mask.py::test_die_is_drc_clean",
    ".venv/bin/perocav show laser_device -o device.png": "here",
    ".venv/bin/python examples/tutorial_1_design_iteration.py -o out/tutorial_1":
        "tests/designs/test_examples.py::test_tutorial_1_design_iteration",
    ".venv/bin/python examples/tutorial_1_design_iteration.py -o out/tutorial_1 --quick":
        "tests/designs/test_examples.py::test_tutorial_1_design_iteration",
    ".venv/bin/python examples/tutorial_2_mask_tapeout.py --run out/tutorial_1/iteration_2 -o out/tutorial_2":
        "tests/designs/test_examples.py::test_tutorial_2_mask_tapeout",
    ".venv/bin/perocav mask out/tutorial_2/tutorial_die.yaml -o out/tutorial_2/die":
        "tests/designs/test_examples.py::test_tutorial_2_mask_tapeout",
    ".venv/bin/perocav drc out/tutorial_2/die/tutorial_die.gds":
        "tests/designs/test_examples.py::test_tutorial_2_mask_tapeout",
    ".venv/bin/perocav show out/tutorial_2/die/tutorial_die.gds -o die.png":
        "tests/designs/test_examples.py::test_tutorial_2_mask_tapeout",
    ".venv/bin/python examples/tutorial_3_fdtd_validation.py -o out/tutorial_3 --quick":
        "tests/designs/test_examples.py::test_tutorial_3_fdtd_validation",
    ".venv/bin/python examples/tutorial_3_fdtd_validation.py -o out/tutorial_3":
        "tests/designs/test_examples.py::test_tutorial_3_fdtd_validation",
    ".venv/bin/python examples/tutorial_4_single_lobe_emitter.py -o out/tutorial_4 --quick":
        "tests/designs/test_examples.py::test_tutorial_4_single_lobe_emitter",
    ".venv/bin/python examples/tutorial_4_single_lobe_emitter.py -o out/tutorial_4":
        "tests/designs/test_examples.py::test_tutorial_4_single_lobe_emitter",
    ".venv/bin/python examples/tutorial_5_fit_measured_lines.py -o /tmp/t5 --quick":
        "tests/designs/test_examples.py::test_tutorial_5_fit_measured_lines",
    ".venv/bin/python examples/tutorial_5_fit_measured_lines.py -o out/tutorial_5":
        "tests/designs/test_examples.py::test_tutorial_5_fit_measured_lines",
    ".venv/bin/python examples/tutorial_6_optimise_a_device.py -o /tmp/t6 --quick":
        "tests/designs/test_examples.py::test_tutorial_6_optimise_a_device",
    ".venv/bin/python examples/tutorial_6_optimise_a_device.py -o out/tutorial_6":
        "tests/designs/test_examples.py::test_tutorial_6_optimise_a_device",
    ".venv/bin/perocav optimize designs/default_optimize.yaml -o out/opt":
        "tests/designs/test_examples.py::test_tutorial_6_optimise_a_device",
    ".venv/bin/perocav fit lines examples/goldberg2023_lines.yaml --plot lines.png": "here",
    ".venv/bin/perocav fit lines examples/goldberg2023_lines.yaml --json --plot lines.png --write-correction "
    "corrected.yaml": "here",
    ".venv/bin/perocav fit spectrum examples/data/goldberg2023/spectra_normalized_2modes.csv --device "
    "examples/goldberg2023_device.yaml --json --plot spectrum.png": "here",
}

#: the fast variant CI runs instead of a doc line, and why it is the same command: the page's full tutorial runs
#: are their `--quick` lines (the pages show both); the design file a user runs is theirs, CI's copy is analytic
FAST = {
    ".venv/bin/python examples/tutorial_1_design_iteration.py -o out/tutorial_1": "--quick (the page's next line)",
    ".venv/bin/python examples/tutorial_2_mask_tapeout.py --run out/tutorial_1/iteration_2 -o out/tutorial_2":
        "--quick, on tutorial 1's quick output (the page says so)",
    ".venv/bin/python examples/tutorial_3_fdtd_validation.py -o out/tutorial_3": "--quick (the page's first line)",
    ".venv/bin/python examples/tutorial_4_single_lobe_emitter.py -o out/tutorial_4": "--quick (the page's next line)",
    ".venv/bin/python examples/tutorial_5_fit_measured_lines.py -o out/tutorial_5": "--quick (the page shows both)",
    ".venv/bin/python examples/tutorial_6_optimise_a_device.py -o out/tutorial_6": "--quick (the page shows both)",
    ".venv/bin/perocav optimize designs/default_optimize.yaml -o out/opt":
        "the tutorial's script runs `perocav optimize` on designs/default_optimize.yaml with --quick's smaller "
        "budget (12 trials, no FDTD)",
    ".venv/bin/perocav run my_design.yaml -o out/mine": "my_design.yaml with fidelity: analytic (no MEEP stage)",
    ".venv/bin/perocav thickness-study --contact-material ITO_thick -o out/ts":
        "20-160 nm in 5 nm steps (the test's range) instead of the default range",
    ".venv/bin/perocav mask designs/masks/example_mask.yaml -o out/mask && .venv/bin/perocav drc "
    "out/mask/perocav_demo.gds": "the module's fixture runs `perocav mask` as written, the test the DRC of the GDS "
                                 "(`perocav drc`'s check_gds)",
}


#: a file each "here" command must leave behind (exit 0 alone is not the whole check)
OUTPUTS = {
    ".venv/bin/perocav run my_design.yaml -o out/mine": "out/mine/results.csv",
    ".venv/bin/perocav report out/mine": "out/mine/report.html",
    ".venv/bin/perocav show laser_device -o device.png": "device.png",
    ".venv/bin/perocav fit lines examples/goldberg2023_lines.yaml --json --plot lines.png --write-correction "
    "corrected.yaml": "corrected.yaml",
    ".venv/bin/perocav fit spectrum examples/data/goldberg2023/spectra_normalized_2modes.csv --device "
    "examples/goldberg2023_device.yaml --json --plot spectrum.png": "spectrum.png",
}


def command_lines(page: Path) -> list[str]:
    """The commands of a page's shell blocks in order (backslash continuations joined): comments and a ``$ ``
    prompt stripped, spaces collapsed."""
    out = []
    for block in SHELL.findall(page.read_text()):
        for line in block.replace("\\\n", " ").splitlines():  # a backslash-continued command is one line
            line = " ".join(line.split("#")[0].removeprefix("$ ").split())
            if line:
                out.append(line)
    return out


def _test_exists(ref: str) -> bool:
    path, _, name = ref.partition("::")
    file = REPO_ROOT / path
    if not file.is_file():
        return False
    return any(isinstance(n, ast.FunctionDef) and n.name == name for n in ast.walk(ast.parse(file.read_text())))


def test_command_lines_are_extracted():
    lines = command_lines(REPO_ROOT / "docs" / "quickstart.md")
    assert "./test.sh" in lines and any(line.startswith(".venv/bin/perocav gain MAPbI3") for line in lines)
    assert not any("#" in line for line in lines)


def test_every_doc_command_is_mapped():
    """Each doc command has an entry (here, a test that exists, or the CI job), and each entry is still a doc
    command: a new or changed block fails until it is mapped, a removed one until its entry goes."""
    lines = {line for page in PAGES for line in command_lines(page)}
    assert not lines - set(WHERE), f"doc commands no test runs (add them to WHERE): {sorted(lines - set(WHERE))}"
    assert not set(WHERE) - lines, f"WHERE entries no doc shows any more: {sorted(set(WHERE) - lines)}"
    for line, ref in WHERE.items():
        assert ref == "here" or ref.startswith("ci: ") or _test_exists(ref), f"{line}: no test {ref}"
    assert set(FAST) <= set(WHERE)


def _workdir(tmp: Path) -> Path:
    """A folder that looks like a clone to the docs' commands: .venv (this interpreter's), designs/, examples/."""
    venv = Path(sys.executable).parents[1]
    (tmp / ".venv").symlink_to(venv)
    for name in ("designs", "examples"):
        (tmp / name).symlink_to(REPO_ROOT / name)
    return tmp


def _design_file() -> str:
    """``my_design.yaml``: the README's design block (a copy of designs/default.yaml with its changes, as the
    README and the quickstart say), with fidelity analytic (``FAST``)."""
    page = REPO_ROOT / "README.md"
    text = next(b for b in YAML.findall(page.read_text()) if re.search(r"^cavity:", b, re.M))
    fast = re.sub(r"^fidelity: \w+", "fidelity: analytic", text, flags=re.M)
    assert fast != text
    return fast


@pytest.mark.slow
def test_doc_commands_run(tmp_path):
    """The "here" commands, each once, in page order (README, quickstart, tutorials) in one temporary clone-like
    folder, as a user who reads on would run them: each exits 0 and leaves its output."""
    work = _workdir(tmp_path)
    (work / "my_design.yaml").write_text(_design_file())
    lines = list(dict.fromkeys(c for page in PAGES for c in command_lines(page) if WHERE[c] == "here"))
    assert len(lines) >= 5
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    for line in lines:
        proc = subprocess.run(["bash", "-c", line], cwd=work, capture_output=True, text=True, timeout=600, env=env)
        assert proc.returncode == 0, f"{line}: exit {proc.returncode}\n{proc.stderr[-2000:]}"
        if line in OUTPUTS:
            assert (work / OUTPUTS[line]).is_file(), f"{line} wrote no {OUTPUTS[line]}"
    _check_caption_facts(work / "out" / "mine")


def _check_caption_facts(run_dir: Path) -> None:
    """examples/readme_pictures.py reads a run's caption facts right: the designs on the die are the design
    file's top_n, the die size the mask file's, the one tier its fidelity's."""
    import yaml

    from tests.test_readme_pictures import script

    facts = script().caption_facts(run_dir)
    design = yaml.safe_load((run_dir / "design.yaml").read_text())
    die = yaml.safe_load(next((run_dir / "mask").glob("*_mask.yaml")).read_text())["die"]
    assert facts["designs"] == design["mask"]["top_n"] and facts["models"] == ["analytic"]
    assert facts["die_mm"] == f"{die['width_um'] / 1000:g} x {die['height_um'] / 1000:g} mm"
