"""Bounded HTTP exchanges: a total wall-clock timeout and a size limit for every answer.

A socket timeout bounds each read, not the exchange: a server that sends one byte every
few seconds kept `query --endpoint`, `publish` and `import wikidata` waiting far past
their --timeout, and an answer of any size was read whole into memory. Here a request
and the reading of its whole answer run against one deadline (``--timeout`` seconds from
the start of the request), the answer is read in pieces and refused past the
``answer_bytes`` limit (docs/security.md).

The exchange runs in a worker thread that the caller waits for until the deadline: that
bounds even a server that trickles its headers, which urllib reads before any answer
object exists. A worker still blocked after the deadline is abandoned (a daemon thread,
its socket closed by its own timeout).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from coopkg import limits


class RemoteTimeout(TimeoutError):
    """No complete answer within the total timeout."""


class AnswerTooLarge(ValueError):
    """The answer is over the answer_bytes limit."""


def read_answer(answer: Any, deadline: float, max_bytes: int, what: str) -> bytes:
    """The whole body of ``answer`` (an http.client response), within the deadline and the size limit."""
    length = answer.headers.get("Content-Length") if getattr(answer, "headers", None) is not None else None
    if length and length.strip().isdigit() and int(length) > max_bytes:
        raise AnswerTooLarge(str(limits.over("answer_bytes", int(length), max_bytes, f"the answer of {what}")))
    read = getattr(answer, "read1", None) or answer.read
    pieces: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise RemoteTimeout(f"{what}: the answer did not arrive in full within the timeout")
        piece = read(65536)
        if not piece:
            return b"".join(pieces)
        size += len(piece)
        if size > max_bytes:
            raise AnswerTooLarge(str(limits.over("answer_bytes", size, max_bytes, f"the answer of {what}")))
        pieces.append(piece)


def exchange(call: Callable[[float], Any], seconds: float, what: str) -> tuple[Any, bytes]:
    """``call(deadline)`` (which sends the request and returns the response object) and its whole
    body, all within ``seconds``; RemoteTimeout past it, AnswerTooLarge past the size limit.
    Exceptions of ``call`` come through as they are."""
    max_bytes = limits.current().answer_bytes
    deadline = time.monotonic() + seconds
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            answer = call(deadline)
            try:
                outcome["value"] = (answer, read_answer(answer, deadline, max_bytes, what))
            finally:
                close = getattr(answer, "close", None)
                if close:
                    close()
        except BaseException as err:  # noqa: BLE001 - handed to the caller's thread
            outcome["error"] = err

    worker = threading.Thread(target=work, daemon=True, name="coopkg-remote")
    worker.start()
    worker.join(max(0.0, deadline - time.monotonic()) + 0.5)
    if worker.is_alive():
        raise RemoteTimeout(f"{what}: no complete answer within {seconds:g} s (the total timeout, --timeout)")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
