"""What several commands print the same way. Private (`_`): `coopkg.cli` registers no command from it;
the command modules import it, it imports none of them."""

from __future__ import annotations

import sys
from collections.abc import Iterable


def print_problems(problems: Iterable[object], stream: object = None) -> None:
    """Each reading problem on its own line (FILE:LINE [FIELD]: message), on standard error by default."""
    # sys.stderr looked up at call time: a default bound at import would outlive a redirected stream
    for problem in problems:
        print(str(problem), file=stream or sys.stderr)  # type: ignore[arg-type]
