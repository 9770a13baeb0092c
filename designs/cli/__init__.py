"""The ``perocav`` command line: the Typer ``app`` and the console-script ``main`` (in ``app.py``), one module
per sub-command (each with ``register(app)``), shared option checks in ``_common.py`` and consoles in ``_console.py``.

Imports are lazy here by rule: a command imports what it uses inside its body, so ``perocav --help`` starts in
~0.3 s and ``perocav validate`` without pandas, gdsfactory or a solver (hoisted to module top, --help took ~3 s).
Everywhere else imports sit at module top unless marked ``# lazy:`` (tests/test_import_graph.py)."""

from perocav.designs.cli.app import app, main

__all__ = ["app", "main"]
