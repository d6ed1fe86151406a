"""Atomic file writes: a crash or a failed run never leaves half a file or eats a good one.

A file is written to ``.NAME.PID.XXXXXXXX.tmp`` beside it and renamed over it on success.
The temporary file goes when the write fails, when the process gets SIGINT, SIGTERM or
SIGHUP (`install_signal_cleanup` turns those into an exit that unwinds), and, for what
no handler sees (``kill -9``, a power cut), at the next write into the same folder: a
temporary file whose writing process is gone is stale and removed (`remove_stale`).

`folder_lock` makes one writer at a time of a folder (`coopkg build --out DIR`): two
builds into one folder used to interleave their graph and their validation reports.
"""

from __future__ import annotations

import os
import re
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

# .NAME.PID.XXXXXXXX.tmp as written now; .NAME.XXXXXXXX.tmp as written before the PID was in it
_TEMP = re.compile(r"^\.(?P<name>.+?)\.(?:(?P<pid>[0-9]+)\.)?[A-Za-z0-9_]{8}\.tmp$")
_OLD_TEMP_AGE = 24 * 3600  # seconds: a temporary file without a PID is stale after a day


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def remove_stale(folder: Path, now: float | None = None) -> list[Path]:
    """Remove the temporary files in ``folder`` that no live process is writing; return them."""
    removed = []
    now = time.time() if now is None else now
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        m = _TEMP.match(entry.name)
        if m is None:
            continue
        pid = m.group("pid")
        try:
            stale = not _alive(int(pid)) if pid else now - entry.stat().st_mtime > _OLD_TEMP_AGE
            if stale and int(pid or 0) != os.getpid():
                entry.unlink()
                removed.append(entry)
        except OSError:
            continue  # gone already, or not ours to remove
    return removed


def _exit_on_signal(signum: int, frame: Any) -> None:
    # SystemExit unwinds the stack: every atomic_write on the way removes its temporary file
    raise SystemExit(128 + signum)


def install_signal_cleanup() -> None:
    """Make SIGTERM and SIGHUP unwind like SIGINT does, so temporary files are removed
    (call once, from the main thread; a command-line entry point does)."""
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) in (signal.SIG_DFL, None):
            signal.signal(number, _exit_on_signal)


@contextmanager
def folder_lock(folder: Path | str, what: str = "build", say: Callable[[str], object] | None = None) -> Iterator[None]:
    """Hold the lock of ``folder`` (``.coopkg-WHAT.lock`` in it) for the block; wait for it
    when another process holds it. The lock goes with the process, however it ends."""
    import fcntl

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f".coopkg-{what}.lock"
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            (say or (lambda m: print(m, file=sys.stderr)))(
                f"waiting for the {what} into {folder} that {holder} is running...")
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def atomic_write(path: Path | str, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Write to a temporary file beside ``path``; replace ``path`` only on success."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    # mkstemp makes the file private (0600); outputs are meant to be served and shared,
    # so give them the permissions an ordinary file gets under the user's umask.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else encoding) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes(path: Path | str, data: bytes) -> None:
    with atomic_write(path, "wb") as handle:
        handle.write(data)


def write_text(path: Path | str, text: str) -> None:
    with atomic_write(path, "w") as handle:
        handle.write(text)
