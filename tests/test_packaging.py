"""The package ships whole: every code folder is found by setuptools, every declarative file is found installed."""

from __future__ import annotations

import tomllib
from pathlib import Path

import coopkg
from coopkg import resources

ROOT = Path(__file__).resolve().parents[1]
CODE = ROOT / "graph" / "coopkg"
DECLARATIVE = ("ontology", "shapes", "queries", "data")


def _shipped_suffixes() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    return {pattern.removeprefix("*") for pattern in config["package-data"]["*"]}


def test_every_code_folder_is_a_regular_package() -> None:
    # find_packages() finds only folders with an __init__.py; a folder without one would
    # silently not ship.
    folders = {p.parent for p in CODE.rglob("*.py") if "__pycache__" not in p.parts}
    missing = sorted(str(f.relative_to(ROOT)) for f in folders if not (f / "__init__.py").is_file())
    assert missing == [], f"add an __init__.py to {missing}"


def test_imports_name_real_folders() -> None:
    # The package folder is named as it is imported: coopkg.readers.native is graph/coopkg/readers/native.py.
    from coopkg.readers import native

    assert Path(native.__file__).resolve().parts[-3:] == ("coopkg", "readers", "native.py")


def test_every_declarative_file_is_found_wherever_coopkg_runs() -> None:
    suffixes = _shipped_suffixes()
    for top in DECLARATIVE:
        for path in (ROOT / top).rglob("*"):
            if path.is_file() and path.suffix in suffixes:
                rel = path.relative_to(ROOT / top)
                assert (resources.folder(top) / rel).is_file(), f"{top}/{rel} is not shipped"


def test_installed_package_holds_every_module() -> None:
    # CI installs non-editable: then coopkg is imported from site-packages and must hold
    # every module of the checkout (in a checkout or editable install this is the same tree).
    installed = Path(coopkg.__file__).resolve().parent
    for path in CODE.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix in {".py", ".html", ".js", ".css", ".json"}:
            assert (installed / path.relative_to(CODE)).is_file(), f"{path.relative_to(ROOT)} is not installed"


def test_declarative_folders_are_found() -> None:
    assert (resources.folder("ontology") / "coopkg.ttl").is_file()
    assert resources.files("data", "bundled/*.yaml")
    assert (resources.folder("data") / "gazetteer.yaml").is_file()


def test_installing_from_the_source_folder_leaves_the_build_output_folder_alone() -> None:
    # pip builds in-tree; setuptools' default build base is build/, coopkg build's default output
    from coopkg.working_graph import LAST_BUILD

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    base = Path(config["tool"]["distutils"]["build"]["build_base"])
    assert base.parts[0] != LAST_BUILD.parts[0]
    assert f"/{base}/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
