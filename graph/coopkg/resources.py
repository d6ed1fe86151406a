"""Finding the declarative files (ontology, shapes, queries, bundled data).

They ship inside the installed package (``coopkg.ontology`` is the ``ontology/`` folder,
see pyproject.toml), so one lookup works installed, editable, or from a checkout.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

_FOLDERS = ("ontology", "shapes", "queries", "data")


def folder(name: str) -> Path:
    """The folder ``ontology``, ``shapes``, ``queries`` or ``data`` as a real path."""
    if name not in _FOLDERS:
        raise ValueError(f"unknown resource folder {name!r}")
    # These folders hold no __init__.py, so they import as namespace packages: their
    # __path__ (not importlib.resources, which wraps them in a MultiplexedPath) gives
    # the real directory.
    try:
        for entry in import_module(f"coopkg.{name}").__path__:
            if Path(entry).is_dir():
                return Path(entry)
    except ModuleNotFoundError:
        pass
    # Running from a checkout without installing: the folders sit beside graph/ (graph/coopkg/resources.py -> top level).
    return Path(__file__).resolve().parents[2] / name


def files(name: str, pattern: str) -> list[Path]:
    """Files under a resource folder matching a glob, sorted for determinism."""
    return sorted(folder(name).rglob(pattern))
