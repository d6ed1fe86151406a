"""The `coopkg` command: the only place that knows every stage.

Sub-commands live in `coopkg.commands`, one module each, found at start-up.
Exit codes: 0 success, 1 the data has errors (or validation found a violation),
2 usage errors (argparse's own convention).
"""

from __future__ import annotations

import argparse
import pkgutil
import sys
from importlib import import_module

from coopkg import __version__, commands

EPILOG = """\
examples:
  coopkg build                      # build the bundled dataset into build/graph.ttl
  coopkg build my-records.yaml --out out/
  coopkg <command> --help           # each command's options and an example
"""


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the examples in epilogs as written."""


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="coopkg",
        description="coopkg: a knowledge graph of decentralised cooperation "
        "(collectivities, agreements, renewals, fundings, reorganisations).",
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    top.add_argument("--version", action="version", version=f"coopkg {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):  # helpers shared by commands, not commands
            continue
        module = import_module(f"coopkg.commands.{info.name}")
        module.register(sub)
    return top


def main(argv: list[str] | None = None) -> int:
    top = parser()
    args = top.parse_args(argv)
    if not getattr(args, "func", None):
        top.print_help()
        return 2
    from coopkg.limits import LimitError, current

    try:
        current()  # a COOPKG_LIMIT_* that is no number is a usage error, before any work
    except LimitError as err:
        print(f"coopkg: {err}", file=sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
