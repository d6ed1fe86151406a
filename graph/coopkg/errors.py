"""The errors a command may end with, each carrying its exit code.

`coopkg.cli` turns them into one line on stderr and the exit code; anything else that
escapes a command is a bug in coopkg (exit 3). The scheme (README "Exit codes"):

* 0 success;
* 1 problems in the data (records with errors, a SHACL Violation, an empty graph);
* 2 usage, or an input that cannot be read or reached (a missing or unparsable file,
  an endpoint that does not answer);
* 3 an internal error: a bug, reported with where to report it.
"""

from __future__ import annotations

OK, DATA, USAGE, INTERNAL = 0, 1, 2, 3


class CoopkgError(Exception):
    """A failure the user can act on; the message names what failed."""

    exit_code = DATA


class DataError(CoopkgError):
    """The input was read, but what it holds is wrong or empty."""

    exit_code = DATA


class UsageError(CoopkgError):
    """Options that do not fit together, an unknown name, a value of the wrong form."""

    exit_code = USAGE


class InputError(CoopkgError):
    """An input that cannot be read (missing, unparsable) or reached (an endpoint)."""

    exit_code = USAGE


__all__ = ["DATA", "INTERNAL", "OK", "USAGE", "CoopkgError", "DataError", "InputError", "UsageError"]
