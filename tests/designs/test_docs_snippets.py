"""Every ```python block in README.md and docs/*.md runs as written: the blocks of one page in order, in one
namespace (a page reads like one session), from the repository root, in a fresh interpreter per page. A snippet
that no longer matches the code (a renamed function, argument or field) fails here, with the page and block."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from tests.paths import REPO_ROOT

ROOT = REPO_ROOT
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def python_blocks(page: Path) -> list[str]:
    return BLOCK.findall(page.read_text())


def test_extractor_finds_the_blocks():
    blocks = python_blocks(ROOT / "docs" / "api.md")
    assert len(blocks) >= 8 and all(b.strip() for b in blocks)
    assert "simulate_dfb(" in "".join(blocks) and "run_design(" in "".join(blocks)


@pytest.mark.meep
@pytest.mark.slow
@pytest.mark.parametrize("page", [p for p in PAGES if python_blocks(p)], ids=lambda p: p.name)
def test_page_snippets_run(page, tmp_path):
    blocks = python_blocks(page)
    script = "\n".join(
        f"print('--- block {i + 1} of {page.name}', flush=True)\n{code}" for i, code in enumerate(blocks)
    )
    path = tmp_path / f"{page.stem}_snippets.py"
    path.write_text(script)
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    # exec'd as in an interactive session (no __main__ file): worker processes (forkserver) do not re-run the page
    code = f"exec(compile(open({str(path)!r}).read(), {str(path)!r}, 'exec'))"
    proc = subprocess.run([sys.executable, "-W", "ignore", "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=900, env=env)
    assert proc.returncode == 0, f"{page.name}: {proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"


YAML_BLOCK = re.compile(r"^```yaml\n(.*?)^```", re.S | re.M)
SHELL_BLOCK = re.compile(r"^```bash\n(.*?)^```", re.S | re.M)


def _top(text: str, key: str) -> bool:
    """``key`` is a top-level key of the YAML text."""
    return re.search(rf"^{key}:", text, re.M) is not None


@pytest.mark.slow
@pytest.mark.parametrize("page", [p for p in PAGES if YAML_BLOCK.findall(p.read_text())], ids=lambda p: p.name)
def test_page_yaml_files_validate(page, tmp_path):
    """Every stack, design and mask file shown in the docs loads with the real strict loaders (a design that
    refers to `stack.yaml` gets the page's stack block beside it; an ``optimize:`` section alone is checked added to
    designs/default.yaml, the design the page optimises)."""
    from perocav.designs.spec import expand_points, load_design
    from perocav.layout.mask_spec import load_mask_spec, plan
    from perocav.pdk.stack_file import load_stack_file

    blocks = YAML_BLOCK.findall(page.read_text())
    kinds = []
    for i, text in enumerate(blocks):
        path = tmp_path / ("stack.yaml" if _top(text, "layers") else f"block{i}.yaml")
        path.write_text(text)
        if _top(text, "layers"):
            load_stack_file(path)
            kinds.append("stack")
    for i, text in enumerate(blocks):
        path = tmp_path / f"block{i}.yaml"
        if _top(text, "cavity"):
            assert expand_points(load_design(path))
            kinds.append("design")
        elif _top(text, "die") or _top(text, "designs"):
            spec, _ = load_mask_spec(path)
            assert plan(spec)
            kinds.append("mask")
        elif _top(text, "optimize"):  # an optimize: section alone: the page's default design with it added
            default = (ROOT / "designs" / "default.yaml").read_text()
            path.write_text(re.sub(r"(?ms)^optimize:.*?(?=^\S|\Z)", "", default) + "\n" + text)
            assert load_design(path).optimize is not None
            kinds.append("optimize section")
    assert kinds, f"{page.name}: a yaml block that is neither a stack, a design, a mask nor an optimize section"


def _perocav_lines(page: Path) -> list[list[str]]:
    lines = []
    for block in SHELL_BLOCK.findall(page.read_text()):
        for line in block.splitlines():
            for part in line.split("#")[0].split("&&"):
                tokens = part.split()
                if tokens and tokens[0] == ".venv/bin/perocav":
                    lines.append(tokens[1:])
    return lines


def _command(tokens: list[str]):
    import typer

    from perocav.designs.cli import app

    cmd, rest = typer.main.get_command(app), list(tokens)
    while rest and hasattr(cmd, "commands") and rest[0] in cmd.commands:
        cmd = cmd.commands[rest.pop(0)]
    return cmd


@pytest.mark.parametrize("page", [p for p in PAGES if _perocav_lines(p)], ids=lambda p: p.name)
def test_page_command_lines_name_real_commands_and_options(page):
    """Every `.venv/bin/perocav ...` line in a bash block names an existing (sub)command and only its options."""
    for tokens in _perocav_lines(page):
        cmd = _command(tokens)
        runnable = not hasattr(cmd, "commands") or getattr(cmd, "invoke_without_command", False)  # `perocav cmt --...`
        assert runnable, f"{page.name}: {' '.join(tokens)}: no such command"
        known = {opt for p in cmd.params for opt in (*p.opts, *p.secondary_opts)}
        for tok in tokens:
            if tok.startswith("-") and not tok.lstrip("-").replace(".", "").isdigit():
                assert tok.split("=")[0] in known, f"{page.name}: {' '.join(tokens)}: unknown option {tok}"


QUICK = {"stacks", "materials", "modes", "cmt"}


@pytest.mark.slow
def test_quickstart_quick_commands_run(cli):
    """The quickstart's look-up commands (and the RCWA one, ~seconds) run and exit 0 as written."""
    ran = 0
    for tokens in _perocav_lines(ROOT / "docs" / "quickstart.md"):
        if tokens[0] in QUICK or "rcwa" in tokens:
            proc = cli(*tokens)
            assert proc.returncode == 0, (tokens, proc.stderr[-2000:])
            ran += 1
    assert ran >= 5


LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)|src=\"([^\"]+)\"")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_relative_links_point_at_files(page):
    """Every relative link and image in README.md and docs/ resolves to a file or folder of the repository."""
    for target in (a or b for a, b in LINK.findall(page.read_text())):
        if "://" in target or target.startswith("mailto:"):
            continue
        assert (page.parent / target).exists(), f"{page.name}: broken link {target}"
