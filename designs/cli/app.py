"""The ``perocav`` command line. Each sub-command lives in ``perocav.designs.cli.<name>``
and exposes ``register(app)``; bad input ends with one line on stderr and exit code 2."""

from __future__ import annotations

import importlib
import os
import sys
import warnings

import typer

from perocav.pdk.errors import InputError

#: Sub-command modules, each with ``register(app: typer.Typer) -> None``.
COMMAND_MODULES: tuple[str, ...] = (
    "perocav.designs.cli.modes",
    "perocav.designs.cli.thickness",
    "perocav.designs.cli.main_job",
    "perocav.designs.cli.run",
    "perocav.designs.cli.optimize",
    "perocav.designs.cli.simulate",
    "perocav.designs.cli.cmt",
    "perocav.designs.cli.mask",
    "perocav.designs.cli.drc",
    "perocav.designs.cli.show",
    "perocav.designs.cli.thermal",
    "perocav.designs.cli.stacks",
    "perocav.designs.cli.materials",
    "perocav.designs.cli.gain",
    "perocav.designs.cli.fit",
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
    """Console-script entry point: every failure is one ``error:`` line on stderr (and, with ``--json``, one JSON
    object ``{error, field, allowed}`` on stdout); exit 2 for bad input and OS errors, 130 when interrupted."""
    warnings.filterwarnings("ignore", message="The value of the smallest subnormal")
    if len(sys.argv) == 1:  # bare `perocav`: the help, exit 0 (not a usage error squashed into one line)
        sys.argv.append("--help")
    try:
        code = app(standalone_mode=False)
        if code == 130:  # click turns Ctrl-C into a return value of 130 outside standalone mode
            raise KeyboardInterrupt
        if isinstance(code, int) and code:
            sys.exit(code)
    except InputError as err:
        _fail(2, str(err), field=err.field, allowed=err.allowed)
    except typer.Exit as ex:
        sys.exit(ex.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        _fail(130, "aborted, resumable: rerun the same command", field="", allowed="")
    except OSError as err:  # disk full, permission, a path that cannot be written: the folder stays resumable
        _fail(2, _os_error_line(err), field=str(err.filename or ""), allowed="a path that can be written")
    except Exception as err:  # click usage errors and the like: one line; anything else: one line, exit 1
        import click

        if isinstance(err, click.exceptions.ClickException):
            ctx = getattr(err, "ctx", None)
            where = f"{ctx.command_path}: " if ctx is not None else ""
            _fail(2 if isinstance(err, click.exceptions.UsageError) else err.exit_code,
                  f"{where}{' '.join(err.format_message().split())}", field="", allowed="")
        if os.environ.get("PEROCAV_TRACEBACK"):
            raise
        _fail(1, f"internal error: {type(err).__name__}: {' '.join(str(err).split())[:300]} "
              "(a bug: please report it; PEROCAV_TRACEBACK=1 shows the traceback)", field="", allowed="")


def _os_error_line(err: OSError) -> str:
    """``PATH: path: CAUSE (ERRNO) (allowed: ...)`` in one line."""
    import errno

    name = errno.errorcode.get(err.errno or 0, "")
    cause = " ".join(str(err.strerror or err).split())[:200] + (f" ({name})" if name else "")
    path = f"{err.filename}" + (f" -> {err.filename2}" if getattr(err, "filename2", None) else "")
    return (f"{path or 'output'}: path: {cause} (allowed: a path that can be written; nothing finished is lost: "
            "fix it and rerun the same command, it resumes)")


def _fail(code: int, line: str, *, field: str, allowed: str) -> None:
    """Print ``error: LINE`` on stderr (one line), and with ``--json`` one JSON object on stdout; exit ``code``."""
    line = " ".join(line.split())
    print(f"error: {line}", file=sys.stderr)
    if "--json" in sys.argv[1:]:
        import json

        sys.stdout.write(json.dumps({"error": line, "field": field, "allowed": allowed, "exit_code": code}) + "\n")
    sys.exit(code)
