"""The `coopkg` command: the only place that knows every stage.

Sub-commands live in `coopkg.commands`, one module each, found at start-up; a command line
naming its command first imports and registers that command's module only (`parser`).
Exit codes (README "Exit codes", `coopkg.errors`): 0 success, 1 problems in the data
(records with errors, a SHACL Violation), 2 usage errors (argparse's own convention) or
an input that cannot be read or reached, 3 an internal error — a bug in coopkg: one line
saying where to report it, the traceback only with ``--debug``.
"""

from __future__ import annotations

import argparse
import sys
from importlib import import_module

from coopkg import __version__, commands
from coopkg.errors import INTERNAL, CoopkgError


def report_to() -> str:
    """Where a user reports a bug: the package's "Issues" URL when its metadata has one."""
    from importlib import metadata

    try:
        for entry in metadata.metadata("coopkg").get_all("Project-URL") or []:
            label, _, url = entry.partition(",")
            if label.strip().lower() in ("issues", "bug tracker", "tracker"):
                return url.strip()
    except metadata.PackageNotFoundError:
        pass
    return "the issue tracker of the repository coopkg was installed from"

EPILOG = """\
examples:
  coopkg build                      # build the bundled dataset into build/graph.ttl
  coopkg build my-records.yaml --out out/
  coopkg <command> --help           # each command's options and an example
  coopkg --debug query NAME         # a traceback instead of the one-line message of an internal error

exit codes: 0 success, 1 problems in the data, 2 usage or unreadable/unreachable input,
3 internal error (a bug in coopkg; --debug shows the traceback)
"""


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the examples in epilogs as written."""


# The module of a command whose name is not the module's (a module may register several
# commands). A command missing here is looked for in the module of its own name; one found in
# neither is still found, by the parser of every command (tests/test_cli_formats.py checks each).
_MODULE_OF = {"queries": "query", "import": "import_"}


def parser(command: str | None = None) -> argparse.ArgumentParser:
    """The `coopkg` parser with every command; with ``command``, only the commands of the module
    that registers it, when that module is found and does: a `coopkg query` process then imports
    and builds one module's parsers, not a dozen (40-60 ms; docs/performance.md). The commands'
    own parsers, usage lines and messages are the same either way."""
    top = _top()
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    if command is not None:
        name = _MODULE_OF.get(command, command)
        if name.isidentifier() and not name.startswith("_"):
            from importlib.util import find_spec

            if find_spec(f"coopkg.commands.{name}") is not None:
                import_module(f"coopkg.commands.{name}").register(sub)
                if command in sub.choices:
                    return top
        return parser()  # not found so: the parser of every command says what there is
    import pkgutil

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):  # helpers shared by commands, not commands
            continue
        module = import_module(f"coopkg.commands.{info.name}")
        module.register(sub)
    return top


def _top() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="coopkg",
        description="coopkg: a knowledge graph of decentralised cooperation "
        "(collectivities, agreements, renewals, fundings, reorganisations).",
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    top.add_argument("--version", action="version", version=f"coopkg {__version__}")
    top.add_argument("--debug", action="store_true",
                     help="show the traceback of an internal error (also accepted after the command)")
    return top


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # --debug is accepted anywhere on the line, so a failing command can be re-run by
    # adding it at the end; it never reaches a sub-command's parser.
    debug = "--debug" in argv
    argv = [a for a in argv if a != "--debug"]
    # the command first (no option before it, which could be --help listing every command):
    # only its module's parsers are built
    top = parser(argv[0] if argv and not argv[0].startswith("-") else None)
    args = top.parse_args(argv)
    if not getattr(args, "func", None):
        top.print_help()
        return 2
    name = " ".join(a for a in (args.command, getattr(args, "action", None) or getattr(args, "bench_command", None)
                                or getattr(args, "source", None)) if a)
    from coopkg import progress
    from coopkg.atomic import install_signal_cleanup

    progress.configure(quiet=bool(getattr(args, "quiet", False)))
    from coopkg.limits import LimitError, current

    install_signal_cleanup()

    try:
        current()  # a COOPKG_LIMIT_* that is no number is a usage error, before any work
    except LimitError as err:
        print(f"coopkg {name}: {err}", file=sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except SystemExit as stop:  # SIGTERM / SIGHUP (atomic.install_signal_cleanup): files cleaned on the way
        if isinstance(stop.code, int) and stop.code > 128:
            print("terminated", file=sys.stderr)
        raise
    except BrokenPipeError:
        _quiet_stdout()
        return 0
    except LimitError as err:  # an input over a resource limit cannot be read: exit 2, like a broken file
        print(f"coopkg {name}: {err}", file=sys.stderr)
        if debug:
            _print_traceback()
        return 2
    except CoopkgError as err:
        print(f"coopkg {name}: {err}", file=sys.stderr)
        if debug:
            _print_traceback()
        return err.exit_code
    except Exception as err:  # a bug: one line, never a traceback unless asked for
        if debug:
            _print_traceback()
        where = _where(err)
        print(f"coopkg {name}: internal error{where}: {type(err).__name__}: {err}\n"
              f"  this is a bug in coopkg {__version__}, not in your data: please report it to {report_to()} "
              f"with the command line" + ("" if debug else " and the output of the same command with --debug"),
              file=sys.stderr)
        return INTERNAL
    finally:
        progress.configure(quiet=False)


def _print_traceback() -> None:
    import traceback  # here: only an error with --debug needs it (a few ms of every start)

    traceback.print_exc()


def _where(err: BaseException) -> str:
    """' in coopkg/MODULE.py:LINE', the innermost frame of coopkg's own code."""
    import traceback

    frames = [f for f in traceback.extract_tb(err.__traceback__) if "/coopkg/" in f.filename.replace("\\", "/")]
    if not frames:
        return ""
    frame = frames[-1]
    path = frame.filename.replace("\\", "/")
    return f" in {path[path.rindex('/coopkg/') + 1:]}:{frame.lineno}"


def _quiet_stdout() -> None:
    """After a closed pipe (`coopkg query ... | head`), let Python's exit flush nothing."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
