"""Running a real SPARQL server: the `oxigraph` binary from PyPI, on 127.0.0.1.

coopkg does not write its own server: `coopkg serve` and the integration tests start
Oxigraph's, which speaks SPARQL 1.1 Query, Update and the Graph Store Protocol.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path


class ServerError(RuntimeError):
    pass


def oxigraph_binary() -> str:
    """The `oxigraph` executable (installed beside this Python by the `oxigraph` package)."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise ServerError("the 'oxigraph' server is not installed: pip install oxigraph")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class OxigraphServer:
    """A running server; use as a context manager or call stop()."""

    process: subprocess.Popen[bytes]
    port: int
    location: Path | None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.url}/query"

    @property
    def update_url(self) -> str:
        return f"{self.url}/update"

    @property
    def store_url(self) -> str:
        return f"{self.url}/store"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> OxigraphServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_oxigraph(location: Path | None = None, port: int | None = None, read_only: bool = False,
                   timeout: float = 30.0, log: Path | None = None,
                   union_default_graph: bool = False) -> OxigraphServer:
    """Start `oxigraph serve` on 127.0.0.1 and wait until it answers.

    ``log``: a file for the server's messages, for long-running servers (`coopkg serve`)
    whose stderr pipe nobody reads and so could fill up. ``union_default_graph``: queries
    without GRAPH see every named graph (as GraphDB does by default, and Fuseki with
    ``tdb2:unionDefaultGraph``), so a graph published under a name answers plain queries.
    """
    port = port or free_port()
    cmd = [oxigraph_binary(), "serve-read-only" if read_only else "serve", "--bind", f"127.0.0.1:{port}"]
    if location is not None:
        location.mkdir(parents=True, exist_ok=True)
        cmd += ["--location", str(location)]
    elif read_only:
        raise ServerError("a read-only server needs a --location holding the data")
    if union_default_graph:
        cmd.append("--union-default-graph")
    if log is not None:
        with open(log, "ab") as sink:
            process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=sink)
    else:
        process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    server = OxigraphServer(process, port, location)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            if process.stderr:
                err = process.stderr.read().decode(errors="replace")
            else:
                err = log.read_text(errors="replace") if log is not None else ""
            raise ServerError(f"oxigraph exited at start ({process.returncode}): {err.strip()}")
        try:
            with urllib.request.urlopen(f"{server.query_url}?query=ASK%7B%7D", timeout=1):  # noqa: S310 - loopback
                return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    server.stop()
    raise ServerError(f"oxigraph did not answer on port {port} within {timeout:.0f}s")
