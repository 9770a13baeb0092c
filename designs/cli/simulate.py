"""``perocav simulate``: FDTD command group. Each cavity family registers its sub-command from its own module."""

from __future__ import annotations

import importlib

import typer

#: Modules exposing ``register(simulate_app: typer.Typer) -> None`` (one per cavity family).
SIMULATE_MODULES: tuple[str, ...] = ("perocav.designs.cli.simulate_dfb", "perocav.designs.cli.simulate_circular",
                                     "perocav.designs.cli.simulate_device")

simulate_app = typer.Typer(help="FDTD (MEEP) simulations of cavities built from the layout cells and a stack.",
                           no_args_is_help=True, rich_markup_mode=None)


def register(app: typer.Typer) -> None:
    for name in SIMULATE_MODULES:
        importlib.import_module(name).register(simulate_app)
    app.add_typer(simulate_app, name="simulate")
