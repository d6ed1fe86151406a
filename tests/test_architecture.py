"""docs/architecture.md's layer tables are the import-linter contracts of pyproject.toml,
and each package's docstring opens with what it owns and what it may import."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE = ROOT / "graph" / "coopkg"
ROW = re.compile(r"^\| (\d+) \| `([a-z_.]+)` \|")


def _contracts() -> dict[str, list[set[str]]]:
    """Each layers contract's container ('' for coopkg itself) -> its layers, top first."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    found: dict[str, list[set[str]]] = {}
    for contract in config["contracts"]:
        if contract["type"] != "layers":
            continue
        (container,) = contract["containers"]
        found[container.removeprefix("coopkg").removeprefix(".")] = [
            {name.strip() for name in re.split(r"[|:]", layer)} for layer in contract["layers"]]
    return found


def _documented() -> dict[str, list[set[str]]]:
    """The same, read from the doc's tables: a row `| N | `pkg.module` | ...` is layer N of pkg."""
    rows: dict[str, dict[int, set[str]]] = {}
    for line in (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            container, _, module = match.group(2).rpartition(".")
            rows.setdefault(container, {}).setdefault(int(match.group(1)), set()).add(module)
    return {container: [layers[n] for n in sorted(layers)] for container, layers in rows.items()}


def _doc(folder: Path) -> str:
    return ast.get_docstring(ast.parse((folder / "__init__.py").read_text(encoding="utf-8"))) or ""


def test_the_documented_layers_are_the_contract() -> None:
    contracts, documented = _contracts(), _documented()
    assert "" in contracts and len(contracts) > 1  # the top-level contract and the packages' own
    assert documented == contracts


def test_every_module_is_documented() -> None:
    modules = {p.stem for p in CODE.glob("*.py") if p.stem != "__init__"} | \
              {p.parent.name for p in CODE.glob("*/__init__.py")}
    documented = set().union(*_documented()[""])
    assert modules - documented == set(), "add these modules to docs/architecture.md and a layer in pyproject.toml"


def test_each_package_docstring_says_what_it_owns_and_may_import() -> None:
    for folder in sorted(p.parent for p in CODE.rglob("__init__.py") if "__pycache__" not in p.parts):
        lines = _doc(folder).splitlines()
        assert len(lines) >= 2 and lines[0].strip() and "import" in lines[1].lower(), \
            f"{folder.relative_to(ROOT)}/__init__.py: line 1 what it owns, line 2 what it may import"
