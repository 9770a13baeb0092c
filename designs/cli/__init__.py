"""The ``perocav`` command line: the Typer ``app`` and the console-script ``main`` (in ``app.py``), one module
per sub-command (each with ``register(app)``), shared option checks in ``_common.py`` and consoles in ``_console.py``."""

from perocav.designs.cli.app import app, main

__all__ = ["app", "main"]
