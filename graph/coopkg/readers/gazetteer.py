"""The gazetteer loaded: data/gazetteer.yaml and the bundled reference facts, read as native records.

Here, not in `coopkg.normalise.names`, because reading a record file is a reader's job:
normalisation sits below the readers and imports none of them (the import-linter
contract in pyproject.toml). Not a reader of its own (no ``NAME``): the table readers
call `gazetteer()` to resolve the names they meet.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from coopkg import resources
from coopkg.normalise.names import Gazetteer
from coopkg.readers import native
from coopkg.records import Actor, Collectivity, Institution, Problem, Reorganization


def _load(paths: tuple[Path, ...]) -> Gazetteer:
    actors: dict[str, Actor] = {}
    reorganizations: list[Reorganization] = []
    for path in paths:
        if not path.is_file():
            continue
        for record in native.read(path).records:
            if isinstance(record, Collectivity | Institution):
                actors.setdefault(record.key, record)
            elif isinstance(record, Reorganization):
                reorganizations.append(record)
    return Gazetteer(actors, reorganizations)


@cache
def _default(paths: tuple[Path, ...]) -> Gazetteer:
    return _load(paths)


def default_paths() -> tuple[Path, ...]:
    data = resources.folder("data")
    return (data / "gazetteer.yaml", *resources.files("data", "bundled/reference.yaml"))


def gazetteer(path: Path | str | None = None, extra: tuple[Path, ...] = ()) -> Gazetteer:
    """A fresh copy of the gazetteer (readers add the names they meet to their own copy).

    ``extra`` files (``coopkg build --gazetteer FILE``: native YAML collectivities and
    institutions) are read after the shipped ones; an extra entry with a shipped key
    replaces it, so a user can correct an entry without editing the package.
    """
    paths = (Path(path),) if path else default_paths()
    base = _default(paths)
    actors = dict(base.actors)
    for extra_path in extra:
        actors.update(_default((Path(extra_path),)).actors)
    return Gazetteer(actors, list(base.reorganizations))


def check(paths: list[Path]) -> list[Problem]:
    """Problems of user gazetteer files (read as native records), so a build can report them."""
    problems: list[Problem] = []
    for path in paths:
        if not Path(path).is_file():
            problems.append(Problem(str(path), None, "gazetteer", "no such file"))
            continue
        result = native.read(path)
        problems.extend(result.problems)
        if not any(isinstance(r, Collectivity | Institution) for r in result.records):
            problems.append(Problem(str(path), None, "gazetteer", "no collectivities or institutions in this file",
                                    "warning"))
    return problems
