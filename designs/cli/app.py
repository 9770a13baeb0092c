"""The ``perocav`` command line. Each sub-command lives in ``perocav.designs.cli.<name>``
and exposes ``register(app)``; bad input ends with one line on stderr and exit code 2."""

from __future__ import annotations

import importlib
import os
import sys
import warnings

import typer

#: Sub-command modules, each with ``register(app: typer.Typer) -> None``.
COMMAND_MODULES: tuple[str, ...] = (
    "perocav.designs.cli.modes",
    "perocav.designs.cli.thickness",
    "perocav.designs.cli.main_job",
    "perocav.designs.cli.run",
    "perocav.designs.cli.simulate",
    "perocav.designs.cli.cmt",
    "perocav.designs.cli.mask",
    "perocav.designs.cli.drc",
    "perocav.designs.cli.show",
    "perocav.designs.cli.thermal",
    "perocav.designs.cli.stacks",
    "perocav.designs.cli.materials",
)

app = typer.Typer(
    name="perocav",
    help="Design pipeline for integrated-cavity perovskite thin-film laser diodes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # help texts carry units in brackets ([nm], [1/cm]): print them, not parse them
    context_settings={"max_content_width": 140},  # wide terminals show whole command summaries
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"perocav {version('perocav')}")
        raise typer.Exit(0)


@app.callback()
def _root(show_version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                            help="Print the perocav version and exit.")) -> None:
    """Design pipeline for integrated-cavity perovskite thin-film laser diodes."""


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main() -> None:
    """Console-script entry point."""
    from perocav.pdk.errors import InputError

    warnings.filterwarnings("ignore", message="The value of the smallest subnormal")
    try:
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)
    except typer.Exit as ex:
        sys.exit(ex.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        print("aborted", file=sys.stderr)
        sys.exit(130)
    except Exception as err:  # click usage errors and the like: one line; anything else: one line, exit 1
        import click

        if isinstance(err, click.exceptions.ClickException):
            ctx = getattr(err, "ctx", None)
            where = f"{ctx.command_path}: " if ctx is not None else ""
            print(f"error: {where}{' '.join(err.format_message().split())}", file=sys.stderr)
            sys.exit(2 if isinstance(err, click.exceptions.UsageError) else err.exit_code)
        if _path_error(err):  # a path the user gave cannot be written or read (a file where a folder goes, ...)
            print(f"error: {err.filename}: path: {err.strerror} (allowed: a path that can be written)", file=sys.stderr)
            sys.exit(2)
        if os.environ.get("PEROCAV_TRACEBACK"):
            raise
        print(f"error: internal error: {type(err).__name__}: {' '.join(str(err).split())[:300]} "
              "(a bug: please report it; PEROCAV_TRACEBACK=1 shows the traceback)", file=sys.stderr)
        sys.exit(1)


def _path_error(err: Exception) -> bool:
    import errno

    return isinstance(err, OSError) and err.filename is not None and err.errno in (
        errno.EEXIST, errno.ENOTDIR, errno.EISDIR, errno.EACCES, errno.EROFS, errno.ENOSPC, errno.ENAMETOOLONG,
        errno.ENOENT)
