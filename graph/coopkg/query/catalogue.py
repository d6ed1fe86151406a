"""The catalogue of canned queries: each ``queries/NAME.rq`` and its header (title, question,
parameters, columns, notes, engines), read and checked; `QueryError` for what a user must fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coopkg import resources
from coopkg.namespaces import COOP

HEADER_KEYS = ("title", "question", "parameters", "columns", "notes", "engines")
ENGINES = ("virtuoso", "jena", "oxigraph", "graphdb", "qlever")
PARAM_KEYS = ("name", "type", "default", "example", "description")

# Types whose value names a record: resolved from a label, a key or an IRI. The classes as
# IRI text (no rdflib term: a query on the on-disk store imports no rdflib).
RECORD_TYPES: dict[str, tuple[str, ...]] = {
    "collectivity": (COOP + "Collectivity",),
    "actor": (COOP + "Collectivity", COOP + "Institution"),
    "institution": (COOP + "Institution",),
    "partnership": (COOP + "Partnership",),
    "agreement": (COOP + "Agreement",),
    "project": (COOP + "Project",),
    "programme": (COOP + "Programme",),
}
PARAM_TYPES = ("iri", "date", "year", "integer", "decimal", "string", "country", "currency", "boolean", *RECORD_TYPES)

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")


class QueryError(Exception):
    """A problem the user can fix: unknown query, bad header, bad or ambiguous parameter."""


@dataclass(frozen=True)
class Name:
    """A value of a record-typed parameter still to be resolved to an IRI (a label or a key)."""

    text: str


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str | None = None
    example: str | None = None
    description: str = ""

    @property
    def required(self) -> bool:
        return self.default is None

    def usage(self) -> str:
        """``name:type`` or ``name:type=default``, as `coopkg queries` lists it."""
        return f"{self.name}:{self.type}" + ("" if self.required else f"={self.default}")


@dataclass
class CannedQuery:
    name: str
    path: Path
    text: str
    title: str = ""
    question: dict[str, str] = field(default_factory=dict)
    parameters: list[Parameter] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    notes: str = ""
    has_header: bool = True
    # engine -> why the query gives a wrong answer there (header ``engines:``); `coopkg query` warns
    engines: dict[str, str] = field(default_factory=dict)

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)

    def example_command(self) -> str:
        args = " ".join(f"--param {p.name}={_shell_quote(p.example)}" for p in self.parameters if p.example is not None)
        return f"coopkg query {self.name}" + (f" {args}" if args else "")


def _shell_quote(value: str) -> str:
    return value if re.fullmatch(r"[\w.:/@%+=,-]+", value) else "'" + value.replace("'", "'\\''") + "'"


# -- the header --------------------------------------------------------------------
def header_lines(text: str) -> list[str]:
    """The leading comment lines of a query, without ``#`` and one following space."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:]
        lines.append(body[1:] if body.startswith(" ") else body)
    return lines


def _line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    return 1


def parse_header(text: str, source: str, required: bool = True) -> dict[str, Any] | None:
    """The header as a dict, checked; None when there is none and none is required."""
    import yaml

    lines = header_lines(text)
    where = f"{source}:1"
    if not lines or not lines[0].startswith("title:"):
        if required:
            raise QueryError(f"{where}: the query must open with a header: '# title: ...' (see docs/queries.md)")
        return None
    try:
        header = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = (mark.line + 1) if mark is not None else 1
        raise QueryError(f"{source}:{line}: the header is not valid YAML: {getattr(err, 'problem', err)}") from None
    if not isinstance(header, dict):
        raise QueryError(f"{where}: the header must be a mapping of {', '.join(HEADER_KEYS)}")
    for key in header:
        if key not in HEADER_KEYS:
            raise QueryError(f"{source}:{_line_of(text, f'# {key}:')}: unknown header field {key!r} "
                             f"(known: {', '.join(HEADER_KEYS)})")
    if not isinstance(header.get("title"), str) or not header["title"].strip():
        raise QueryError(f"{where} [title]: a title is required")
    question = header.get("question")
    if required and (not isinstance(question, dict) or not all(isinstance(question.get(k), str) for k in ("en", "fr"))):
        raise QueryError(f"{source}:{_line_of(text, '# question:')} [question]: the question is required in English (en) "
                         "and French (fr)")
    columns = header.get("columns")
    if required and (not isinstance(columns, dict) or not columns):
        raise QueryError(f"{source}:{_line_of(text, '# columns:')} [columns]: list each column as 'name: description'")
    engines = header.get("engines")
    if engines is not None and (not isinstance(engines, dict) or not all(
            k in ENGINES and isinstance(v, str) for k, v in engines.items())):
        raise QueryError(f"{source}:{_line_of(text, '# engines:')} [engines]: a mapping of engine "
                         f"({', '.join(ENGINES)}) to the reason the query is not supported there")
    params = header.get("parameters") or []
    if not isinstance(params, list):
        raise QueryError(f"{source}:{_line_of(text, '# parameters:')} [parameters]: a list of parameters is expected")
    for param in params:
        _check_param_entry(param, text, source)
    return header


def _check_param_entry(param: object, text: str, source: str) -> None:
    if not isinstance(param, dict) or not isinstance(param.get("name"), str):
        raise QueryError(f"{source}:{_line_of(text, '# parameters:')} [parameters]: each parameter needs a name")
    name = param["name"]
    where = f"{source}:{_line_of(text, f'name: {name}')} [parameters.{name}]"
    if not _VARIABLE.match(name):
        raise QueryError(f"{where}: {name!r} is not a SPARQL variable name")
    for key in param:
        if key not in PARAM_KEYS:
            raise QueryError(f"{where}: unknown field {key!r} (known: {', '.join(PARAM_KEYS)})")
    if param.get("type") not in PARAM_TYPES:
        raise QueryError(f"{where}: type {param.get('type')!r} is not one of {', '.join(PARAM_TYPES)}")


def load_query_file(path: Path, name: str | None = None, require_header: bool = True) -> CannedQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise QueryError(f"{path}: cannot read the query: {err}") from None
    header = parse_header(text, str(path), required=require_header)
    query = CannedQuery(name or path.stem, path, text, has_header=header is not None)
    if header is None:
        query.title = path.name
        return query
    query.title = header["title"].strip()
    query.question = {k: str(v).strip() for k, v in (header.get("question") or {}).items()}
    query.columns = {str(k): str(v) for k, v in (header.get("columns") or {}).items()}
    query.notes = str(header.get("notes") or "").strip()
    query.engines = {str(k): " ".join(str(v).split()) for k, v in (header.get("engines") or {}).items()}
    query.parameters = [
        Parameter(
            p["name"],
            p["type"],
            None if p.get("default") is None else str(p["default"]),
            None if p.get("example") is None else str(p["example"]),
            str(p.get("description") or ""),
        )
        for p in header.get("parameters") or []
    ]
    return query


def catalogue() -> dict[str, CannedQuery]:
    """Every canned query, by name (the file name without ``.rq``), sorted."""
    return {path.stem: load_query_file(path) for path in _catalogue_files()}


def _catalogue_files() -> list[Path]:
    """The canned queries: ``queries/*.rq`` (sub-folders hold other modules' queries)."""
    return sorted(resources.folder("queries").glob("*.rq"))


def find_query(name_or_path: str) -> CannedQuery:
    """A canned query by name, or a user's own ``.rq`` file (its header is optional)."""
    path = Path(name_or_path)
    if name_or_path.endswith(".rq") or path.is_file():
        if not path.is_file():
            raise QueryError(f"{name_or_path}: no such query file")
        return load_query_file(path, require_header=False)
    candidate = resources.folder("queries") / f"{name_or_path}.rq"
    if candidate.is_file():
        return load_query_file(candidate)
    import difflib

    names = [p.stem for p in _catalogue_files()]
    close = difflib.get_close_matches(name_or_path, names, n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise QueryError(f"unknown query {name_or_path!r}{hint}; `coopkg queries` lists them")
