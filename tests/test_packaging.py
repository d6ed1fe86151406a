"""Every folder that must ship is listed in pyproject.toml's packages, and is found installed."""

from __future__ import annotations

import tomllib
from pathlib import Path

from coopkg import resources

ROOT = Path(__file__).resolve().parents[1]
MAPPED = {"coopkg": "graph", "coopkg.ontology": "ontology", "coopkg.shapes": "shapes",
          "coopkg.queries": "queries", "coopkg.data": "data"}


def _package_of(folder: Path) -> str:
    rel = folder.relative_to(ROOT)
    for package, top in MAPPED.items():
        if rel.parts[0] == top:
            return ".".join([package, *rel.parts[1:]])
    raise AssertionError(folder)


def test_every_shipped_folder_is_a_listed_package() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert config["package-dir"] == MAPPED
    listed = set(config["packages"])
    folders = {
        p.parent
        for top in MAPPED.values()
        for p in (ROOT / top).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    missing = sorted(_package_of(f) for f in folders if _package_of(f) not in listed)
    assert missing == [], f"add to pyproject.toml [tool.setuptools] packages: {missing}"


def test_declarative_folders_are_found_wherever_coopkg_runs() -> None:
    assert (resources.folder("ontology") / "coopkg.ttl").is_file()
    assert resources.files("data", "bundled/*.yaml")
    assert (resources.folder("data") / "gazetteer.yaml").is_file()
