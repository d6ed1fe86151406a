"""Finding the declarative files (ontology, shapes, queries, bundled data).

They ship inside the installed package (``coopkg.ontology`` is the ``ontology/`` folder,
see pyproject.toml), so one lookup works installed, editable, or from a checkout.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_FOLDERS = ("ontology", "shapes", "queries", "data")


def folder(name: str) -> Path:
    """The folder ``ontology``, ``shapes``, ``queries`` or ``data`` as a real path."""
    if name not in _FOLDERS:
        raise ValueError(f"unknown resource folder {name!r}")
    try:
        path = Path(str(resources.files(f"coopkg.{name}")))
        if path.is_dir():
            return path
    except (ModuleNotFoundError, TypeError):
        pass
    # Running from a checkout without installing: the folders sit beside graph/.
    return Path(__file__).resolve().parent.parent / name


def files(name: str, pattern: str) -> list[Path]:
    """Files under a resource folder matching a glob, sorted for determinism."""
    return sorted(folder(name).rglob(pattern))
