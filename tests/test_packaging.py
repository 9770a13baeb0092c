"""pyproject.toml lists every package of the four rooms: an editable install finds a missing one by its folder, a
wheel (a non-editable install) would leave it out."""

import tomllib

from tests.paths import REPO_ROOT

ROOMS = ("pdk", "layout", "fdtd", "designs")


def test_every_package_is_listed():
    listed = set(tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    have = {"perocav." + ".".join(p.parent.relative_to(REPO_ROOT).parts)
            for room in ROOMS for p in (REPO_ROOT / room).rglob("__init__.py")}
    assert have - listed == set() and listed - have == set(), (have - listed, listed - have)
