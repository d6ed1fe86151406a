"""Canned SPARQL queries: the catalogue in ``queries/``, parameters, and running them.

Each ``queries/NAME.rq`` opens with a header: the leading ``#`` comment lines, which
(with the ``#`` and one space taken off) are a YAML mapping::

    # title: Partnerships of a collectivity active at a date
    # question:
    #   en: What partnerships does a given collectivity have ...?
    #   fr: Quels partenariats une collectivité donnée ...?
    # parameters:
    #   - name: collectivity
    #     type: collectivity
    #     example: Timiș
    #     description: the collectivity
    #   - name: at
    #     type: date
    #     default: today
    #     example: "2010-06-01"
    # columns:
    #   collectivity: the collectivity asked about
    #   ...
    # notes: >
    #   free text

A parameter is a variable of the query (``?collectivity``). Its value is checked against
its type and bound as an RDF term: ``initBindings`` on rdflib (through `coopkg.store`);
on Oxigraph and on a remote endpoint a ``VALUES`` block of serialised, escaped terms put
at the top of the WHERE group (Oxigraph's optimiser ignores SEP-0007 substitutions, see
`LocalRunner`). A value is never pasted as text, so it cannot change the query's shape.
For the ways to agree, a parameter is used only in the query's top-level group (never
inside a sub-SELECT, never assigned by BIND) and appears in the SELECT clause.

Nothing here prints: errors are `QueryError` with a message meant for the user.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Protocol

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from coopkg import limits, resources
from coopkg.iris import slugify
from coopkg.vocab import COOP, XSD

HEADER_KEYS = ("title", "question", "parameters", "columns", "notes", "engines")
ENGINES = ("virtuoso", "jena", "oxigraph", "graphdb", "qlever")
PARAM_KEYS = ("name", "type", "default", "example", "description")

# Types whose value names a record: resolved from a label, a key or an IRI.
RECORD_TYPES: dict[str, tuple[URIRef, ...]] = {
    "collectivity": (COOP.Collectivity,),
    "actor": (COOP.Collectivity, COOP.Institution),
    "institution": (COOP.Institution,),
    "partnership": (COOP.Partnership,),
    "agreement": (COOP.Agreement,),
    "project": (COOP.Project,),
    "programme": (COOP.Programme,),
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


# -- masking: where the query text is code, not a string, IRI or comment ---------------
_MASKED = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"
    r"|#[^\n]*",
)


def mask(text: str) -> str:
    """The query with strings, IRIs and comments blanked out (same length, same offsets)."""
    return _MASKED.sub(lambda m: " " * len(m.group(0)), text)


def strip_comments(text: str) -> str:
    """The query without its comments (strings and IRIs untouched)."""
    return _MASKED.sub(lambda m: "" if m.group(0).startswith("#") else m.group(0), text)


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the query's first form keyword outside strings and comments."""
    match = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", mask(text), re.IGNORECASE)
    return match.group(1).upper() if match else "UNKNOWN"


def uses_service(text: str) -> bool:
    """Whether the query has a SERVICE clause, found in its parsed algebra (`coopkg.query_check`);
    QueryError when it cannot be parsed, so cannot be checked."""
    from coopkg.query_check import UncheckableQuery, reach

    try:
        return bool(reach(text).services)
    except UncheckableQuery as err:
        raise QueryError(f"the query cannot be checked for SERVICE clauses: {err}") from None


def where_brace(text: str) -> int:
    """The offset of the ``{`` that opens the query's top-level WHERE group."""
    code = mask(text)
    match = re.search(r"\bWHERE\s*\{", code, re.IGNORECASE)
    if match:
        return match.end() - 1
    brace = code.find("{")
    if brace < 0:
        raise QueryError("the query has no WHERE group")
    return brace


# -- terms -------------------------------------------------------------------------
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def term_text(term: Node) -> str:
    """An RDF term in SPARQL/N-Triples syntax, escaped so it reads back as the same term."""
    if isinstance(term, URIRef):
        if not _IRI.match(str(term)):
            raise QueryError(f"not a valid IRI: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        body = '"' + "".join(_ESCAPES.get(ch, ch) for ch in str(term)) + '"'
        if term.language:
            if not _LANG.match(term.language):
                raise QueryError(f"not a valid language tag: {term.language!r}")
            return f"{body}@{term.language}"
        if term.datatype and term.datatype != XSD.string:
            return f"{body}^^{term_text(URIRef(term.datatype))}"
        return body
    if isinstance(term, BNode):
        return f"_:{slugify(str(term)).replace('-', '_')}"
    raise QueryError(f"not an RDF term: {term!r}")


def with_values(text: str, bindings: dict[str, Node]) -> str:
    """The query with a VALUES block of the bound terms at the top of its WHERE group.

    Used for remote endpoints, which take no bindings beside the text: the terms are
    serialised (`term_text`), so a value can never close a brace or a string.
    """
    if not bindings:
        return text
    names = sorted(bindings)
    for name in names:
        if not _VARIABLE.match(name):
            raise QueryError(f"not a SPARQL variable name: {name!r}")
    block = "VALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + " ".join(term_text(bindings[n]) for n in names) + ") }"
    at = where_brace(text) + 1
    return f"{text[:at]}\n  {block}\n{text[at:]}"


# -- parameter values ----------------------------------------------------------------
def _iri(value: str) -> URIRef | None:
    inner = value[1:-1] if value.startswith("<") and value.endswith(">") else value
    return URIRef(inner) if _IRI.match(inner) and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", inner) else None


def convert(param: Parameter, value: str, today: date | None = None) -> Node | Name:
    """The RDF term for a value of ``param``; a record type's name or key comes back as a `Name`.

    Raises QueryError naming the parameter, the type and an example when it does not fit.
    """
    raw = value.strip()

    def bad(expected: str) -> QueryError:
        example = f" (e.g. --param {param.name}={param.example})" if param.example else ""
        return QueryError(f"parameter {param.name}: {value!r} is not {expected}{example}")

    kind = param.type
    if kind in RECORD_TYPES:
        if not raw:
            raise bad(f"a {kind} (give a name, a key or an IRI)")
        return _iri(raw) or Name(raw)
    if kind == "iri":
        iri = _iri(raw)
        if iri is None:
            raise bad("an absolute IRI such as https://w3id.org/coopkg/id/collectivity/ro-timis")
        return iri
    if kind == "date":
        if raw.lower() == "today":
            return Literal((today or date.today()).isoformat(), datatype=XSD.date)
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            raise bad("a date written YYYY-MM-DD (or 'today')")
        try:
            date.fromisoformat(raw)
        except ValueError:
            raise bad("a date that exists") from None
        return Literal(raw, datatype=XSD.date)
    if kind == "year":
        if not re.fullmatch(r"\d{4}", raw):
            raise bad("a year written YYYY")
        return Literal(raw, datatype=XSD.gYear)
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d{1,18}", raw):
            raise bad("a whole number")
        return Literal(int(raw))
    if kind == "decimal":
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise bad("a decimal number such as 1500.50") from None
        if not number.is_finite():
            raise bad("a finite decimal number")
        # 1e999999999 is a valid decimal whose digits the engines would write out: minutes of work
        exponent = limits.current().number_exponent
        if number and abs(number.adjusted()) >= exponent:
            raise bad(f"a decimal number under 1e{exponent} (COOPKG_LIMIT_NUMBER_EXPONENT)")
        return Literal(number)
    if kind == "country":
        if not re.fullmatch(r"[A-Za-z]{2}", raw):
            raise bad("a two-letter ISO 3166-1 country code such as FR or RO")
        return Literal(raw.upper())
    if kind == "currency":
        if not re.fullmatch(r"[A-Za-z]{3}", raw):
            raise bad("a three-letter ISO 4217 currency code such as EUR or RON")
        return Literal(raw.upper())
    if kind == "boolean":
        if raw.lower() not in {"true", "false"}:
            raise bad("true or false")
        return Literal(raw.lower() == "true")
    return Literal(value)  # string: as given, spaces included


# -- running -------------------------------------------------------------------------
class Runner(Protocol):
    """Where a query runs: a local store or a remote endpoint."""

    local: bool

    def run(self, sparql: str, bindings: dict[str, Node]) -> Any: ...


@dataclass
class LocalRunner:
    """A graph in a `coopkg.store.Store` (Oxigraph or rdflib).

    ``binding`` says how parameters reach the engine: ``values`` puts a VALUES block of
    serialised terms at the top of the WHERE group (as on a remote endpoint), which
    Oxigraph's optimiser sees, so a query starts from the given collectivity instead of
    evaluating every collectivity's answer and filtering it (5 to 300 times faster at
    12,000 partnerships, see docs/queries.md); ``store`` passes them to
    `coopkg.store.Store.query` (SEP-0007 substitutions on Oxigraph, initBindings on
    rdflib). The default is ``values`` on Oxigraph and ``store`` on rdflib.
    """

    store: Any
    binding: str = "auto"
    local: bool = True

    def run(self, sparql: str, bindings: dict[str, Node]) -> Any:
        mode = self.binding
        if mode == "auto":
            mode = "values" if getattr(self.store, "engine", "") == "oxigraph" else "store"
        if mode == "values" and bindings:
            sparql, bindings = with_values(sparql, bindings), {}
        try:
            return self.store.query(sparql, bindings)
        except SyntaxError as err:  # pyoxigraph
            raise QueryError(f"the query is not valid SPARQL: {err}") from None
        except RuntimeError as err:
            message = str(err)
            if "SELECT projection" in message:
                raise QueryError(f"{message}: a parameter must be a variable of the SELECT clause") from None
            raise
        except Exception as err:  # rdflib's pyparsing errors carry no common base class
            if type(err).__name__ in {"ParseException", "ParseSyntaxException"}:
                raise QueryError(f"the query is not valid SPARQL: {err}") from None
            raise


ROW_CAP_CHECK = 100  # answers at least this long are checked against a COUNT (row caps are round numbers above it)


@dataclass
class EndpointRunner:
    """A remote SPARQL 1.1 endpoint (SPARQL JSON results, POST), through `coopkg.remote.Client`
    (so the credentials of ``COOPKG_SPARQL_*`` go with queries too, Basic or Digest).

    Complete or say so: stores cap the rows of an answer (Virtuoso's ``ResultSetMaxRows``,
    10,000 in Debian's configuration) and send the first rows as if they were all. An
    answer of ``ROW_CAP_CHECK`` rows or more is checked with a COUNT of the same query;
    when the store held back rows, the query is run again in pages (its ORDER BY made
    total with every projected variable, ``LIMIT``/``OFFSET``, one page the size the store
    answered), and when that cannot complete it, `EndpointError` says so: never a cut
    answer as if whole. Warnings (a COUNT the store could not run) go to ``warnings``.
    """

    url: str
    timeout: float = 60.0
    local: bool = False
    # Named graphs to query as the default graph (SPARQL protocol's default-graph-uri):
    # how to query a graph `coopkg publish` put under a name (see `choose_graphs`).
    default_graphs: tuple[str, ...] = ()
    warnings: list[str] = field(default_factory=list)
    client: Any = None
    pages: int = 0  # page requests made to complete capped answers (for tests and messages)

    def _client(self) -> Any:
        if self.client is None:
            from coopkg.remote import Client, RetryPolicy

            # one attempt: the timeout bounds the whole request and answer (--timeout), not a third of it
            self.client = Client(RetryPolicy(attempts=1), timeout=self.timeout)
        return self.client

    def _post(self, text: str) -> tuple[dict[str, Any], Any]:
        import urllib.parse

        from coopkg.remote import RemoteError

        fields = [("query", text)] + [("default-graph-uri", g) for g in self.default_graphs]
        try:
            answer = self._client().request(
                "POST", self.url, urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded",
                "application/sparql-results+json")
        except RemoteError as err:
            message = str(err)
            if getattr(err, "status", 0) is None:
                message = f"{self.url}: cannot reach the endpoint: {getattr(err, 'detail', err)}"
            raise EndpointError(message) from None
        except ValueError as err:  # a URL that is none
            raise EndpointError(f"{self.url}: {err}") from None
        try:
            data = json.loads(answer.body)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise EndpointError(f"{self.url}: the endpoint did not answer with SPARQL JSON results")
        return data, answer.headers

    def _select(self, text: str) -> tuple[list[str], list[tuple[Node | None, ...]], Any]:
        data, headers = self._post(text)
        names = list(data.get("head", {}).get("vars", []))
        rows = [tuple(json_term(b.get(n)) for n in names) for b in data.get("results", {}).get("bindings", [])]
        return names, rows, headers

    def run(self, sparql: str, bindings: dict[str, Node]) -> Any:
        from coopkg.store import SelectResult

        form = query_form(sparql)
        if form not in {"SELECT", "ASK"}:
            raise QueryError(f"only SELECT and ASK queries can run on an endpoint (this one is {form})")
        text = strip_comments(with_values(sparql, bindings))
        if form == "ASK":
            data, _ = self._post(text)
            if "boolean" not in data:
                raise EndpointError(f"{self.url}: the endpoint did not answer ASK with a boolean")
            return bool(data["boolean"])
        names, rows, headers = self._select(text)
        if len(rows) >= ROW_CAP_CHECK or _cap_header(headers):
            total = self._count(text)
            if total is not None and total > len(rows):
                rows = self._page(text, names, len(rows), total)
        return SelectResult(names, rows)

    def _count(self, text: str) -> int | None:
        prologue, body = split_prologue(text)
        counting = f"{prologue}SELECT (COUNT(*) AS ?coopkg_rows) WHERE {{\n{body}\n}}"
        try:
            _, rows, _ = self._select(counting)
            value = rows[0][0] if rows else None
            return int(str(value)) if value is not None else None
        except (EndpointError, ValueError) as err:
            self.warnings.append(f"could not check whether the store cut the answer at a row cap "
                                 f"(its COUNT failed: {err})")
            return None

    def _page(self, text: str, names: list[str], page: int, total: int) -> list[tuple[Node | None, ...]]:
        cut = (f"the store answered {page} of {total} rows (a row cap: Virtuoso's ResultSetMaxRows, "
               "for one)")
        try:
            ordered = total_order(text, names)
        except QueryError as err:
            raise EndpointError(f"{self.url}: {cut}, and the query cannot be paged ({err})") from None
        prologue, body = split_prologue(ordered)
        forms = [f"{ordered}\nLIMIT {page} OFFSET {{offset}}",
                 # Virtuoso sorts at most MaxSortedTopRows (10,000) rows for ORDER BY with
                 # LIMIT/OFFSET (SR353) and documents this form, the ordered query as a
                 # sub-query with the LIMIT/OFFSET outside ("scrollable cursor"), instead
                 f"{prologue}SELECT * WHERE {{\n{{ {body} }}\n}} LIMIT {page} OFFSET {{offset}}"]
        rows: list[tuple[Node | None, ...]] = []
        while len(rows) < total:
            chunk = None
            for form in list(forms):
                try:
                    got, chunk, _ = self._select(form.replace("{offset}", str(len(rows))))
                    if got != names:  # SELECT * may list the variables in another order
                        where = [got.index(n) if n in got else None for n in names]
                        chunk = [tuple(None if i is None else row[i] for i in where) for row in chunk]
                    break
                except EndpointError as err:
                    forms.remove(form)  # this form fails on this store: the next pages use the other
                    failure = err
            if chunk is None:
                raise EndpointError(f"{cut}; paging the rest with ORDER BY/LIMIT/OFFSET failed at row {len(rows)}: "
                                    f"{failure}. Raise the store's row cap (docs/publishing.md) or query a file") from None
            self.pages += 1
            if not chunk:
                break
            rows.extend(chunk)
        if len(rows) != total:
            raise EndpointError(f"{self.url}: {cut}; paging gave {len(rows)} rows: the answer would be incomplete")
        return rows


def store_engine(url: str, client: Any = None) -> str | None:
    """Which engine answers at ``url``, from its Server header (Virtuoso says so); None when unknown."""
    from coopkg.remote import Client, RemoteError, RetryPolicy

    client = client or Client(RetryPolicy(attempts=1), timeout=10)
    try:
        answer = client.request("GET", url + ("&" if "?" in url else "?") + "query=ASK%7B%7D",
                                accept="application/sparql-results+json", retry=False)
    except (RemoteError, ValueError):
        return None
    server = (answer.headers.get("Server") or "").lower()
    for engine in ENGINES:
        if server.startswith(engine) or f"/{engine}" in server:
            return engine
    return None


def engine_warnings(query: CannedQuery, url: str, runner: EndpointRunner | None = None) -> list[str]:
    """What the query's header says about the engine at ``url`` (asked only when it says anything)."""
    if not query.engines:
        return []
    engine = store_engine(url, runner._client() if runner else None)
    if engine is None or engine not in query.engines:
        return []
    return [f"{query.name} is not supported on {engine}: {query.engines[engine]}"]


def _cap_header(headers: Any) -> bool:
    """Virtuoso says it cut an answer in a response header (X-SPARQL-MaxRows)."""
    return bool(headers is not None and headers.get("X-SPARQL-MaxRows"))


def split_prologue(text: str) -> tuple[str, str]:
    """The PREFIX/BASE declarations and the rest, for wrapping a query in a sub-query."""
    match = re.search(r"\b(SELECT|ASK)\b", mask(text), re.IGNORECASE)
    if not match:
        raise QueryError("the query has no SELECT")
    return text[: match.start()], text[match.start():]


def total_order(text: str, names: list[str]) -> str:
    """The query with a top-level ORDER BY that orders its rows totally (every projected
    variable added after its own keys), so pages of LIMIT/OFFSET neither repeat nor miss a row."""
    code = mask(text)
    depth, end = 0, -1
    for i, ch in enumerate(code):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                end = i
    if end < 0:
        raise QueryError("no WHERE group")
    tail = code[end + 1:]
    if re.search(r"\b(LIMIT|OFFSET)\b", tail, re.IGNORECASE):
        raise QueryError("it has its own LIMIT or OFFSET")
    if re.search(r"\bVALUES\b", tail, re.IGNORECASE):
        raise QueryError("it ends with a VALUES block")
    keys = " ".join(f"?{n}" for n in names)
    if re.search(r"\bORDER\s+BY\b", tail, re.IGNORECASE):
        return f"{text.rstrip()} {keys}"
    return f"{text.rstrip()}\nORDER BY {keys}"


def choose_graphs(url: str, explicit: tuple[str, ...] = (), store_default: bool = False,
                  runner: EndpointRunner | None = None) -> tuple[tuple[str, ...], str]:
    """The named graphs a query on ``url`` reads, and why (one line for the user).

    ``--default-graph`` given: those. ``--store-default-graph``: the store's own default
    graph. Otherwise the graph the last `coopkg publish` to ``url`` recorded
    (`coopkg.publications`), else coopkg's default graph IRI when the store holds it.
    """
    from coopkg import publications
    from coopkg.publications import DEFAULT_GRAPH_IRI

    if explicit:
        return explicit, "given by --default-graph"
    if store_default:
        return (), "the store's default graph (--store-default-graph)"
    recorded = publications.lookup(url)
    if recorded:
        return (recorded["graph"],), f"published there by coopkg publish on {recorded.get('published', '?')}"
    probe = runner or EndpointRunner(url)
    try:
        if probe.run(f"ASK {{ GRAPH <{DEFAULT_GRAPH_IRI}> {{ ?s ?p ?o }} }}", {}):
            return (DEFAULT_GRAPH_IRI,), "coopkg publish's default graph, found in the store"
    except (EndpointError, QueryError):
        pass  # the query itself will report an unreachable store
    return (), "the store's default graph (no graph published by coopkg recorded or found)"


def named_graphs_hint(runner: EndpointRunner) -> str:
    """For an empty answer from a store's default graph: the named graphs holding coopkg data."""
    probe = EndpointRunner(runner.url, runner.timeout, client=runner.client)
    try:
        answer = probe.run(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s a {term_text(COOP.Partnership)} }} }} "
                           "ORDER BY ?g LIMIT 10", {})
    except (EndpointError, QueryError):
        return ""
    graphs = [str(row[0]) for row in answer.rows if row[0] is not None]
    if not graphs:
        return ""
    return ("the store's default graph answered nothing, but these named graphs hold partnerships: "
            + ", ".join(f"<{g}>" for g in graphs) + f"; choose one with --default-graph {graphs[0]}")


class EndpointError(Exception):
    """The remote endpoint failed or could not be reached."""


def json_term(value: dict[str, str] | None) -> Node | None:
    """A term of SPARQL 1.1 JSON results as an rdflib term."""
    if value is None:
        return None
    kind = value.get("type")
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if kind in {"literal", "typed-literal"}:
        if "xml:lang" in value:
            return Literal(value["value"], lang=value["xml:lang"])
        datatype = value.get("datatype")
        if datatype and datatype != str(XSD.string):
            return Literal(value["value"], datatype=URIRef(datatype))
        return Literal(value["value"])
    raise EndpointError(f"unknown term type in the results: {kind!r}")


# -- resolving labels ------------------------------------------------------------------
_LABELS_QUERY = """\
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?record ?label WHERE {
  %s
  FILTER (isIRI(?record))
  OPTIONAL { { ?record rdfs:label ?label } UNION { ?record skos:prefLabel ?label }
             UNION { ?record skos:altLabel ?label } UNION { ?record dcterms:title ?label } }
}"""
# (UNIONs, not the path rdfs:label|skos:prefLabel|... nor VALUES ?class: Virtuoso 7.2 answers
# that path with every row twice, and estimates VALUES with a UNION of labels at hours)


_EXTRA_FOLDS = str.maketrans({"ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ı": "i", "æ": "ae", "Æ": "AE",
                               "œ": "oe", "Œ": "OE"})


_WORDS = re.compile(r"\w+")


def fold(text: str) -> str:
    """Case-, diacritic- and punctuation-insensitive form: "Rhône-Alpes" and "rhone alpes" meet.

    Letters of every script are kept ("Нови Београд" stays Cyrillic), only their marks go.
    """
    if text.isascii():
        # ASCII has nothing to translate, decompose or strip, and casefolds as lower():
        # the same answer, several times faster on the thousands of names `resolve` folds
        return " ".join(_WORDS.findall(text.lower()))
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_WORDS.findall(bare.casefold()))


def _text_rows(runner: Runner, sparql: str) -> list[tuple[str | None, ...]]:
    """A SELECT's rows as text (None when unbound); from a local store without building
    rdflib terms for the thousands of names `resolve` compares."""
    if isinstance(runner, LocalRunner) and hasattr(runner.store, "text_rows"):
        return list(runner.store.text_rows(sparql))
    answer = runner.run(sparql, {})
    return [tuple(None if term is None else str(term) for term in row) for row in answer.rows]


def resolve(runner: Runner, kind: str, value: str) -> URIRef:
    """The one record of ``kind`` whose label, alternative label, title or key is ``value``."""
    classes = " UNION ".join(f"{{ ?record a {term_text(c)} }}" for c in RECORD_TYPES[kind])
    wanted = fold(value)
    found: dict[str, set[str]] = {}
    # each name folded once: a record's key comes back once per label, and titles repeat labels
    folded: dict[str, str] = {}
    # On an endpoint the answer is every label of every record of the type: a row cap
    # cuts it at atlas scale, so EndpointRunner completes it by paging or fails, never
    # answers "no such name" from a cut list. (Narrowing it on the server with a REGEX of
    # each letter's accented forms does not work on Virtuoso, whose REGEX matches no
    # non-ASCII letter once the pattern has an operator.)
    sparql = _LABELS_QUERY % classes
    for record, label in _text_rows(runner, sparql):
        if record is None:
            continue
        key = record.rstrip("/").rsplit("/", 1)[-1]
        for name in (key,) if label is None else (key, label):
            form = folded.get(name)
            if form is None:
                form = folded[name] = fold(name)
            if form == wanted:
                found.setdefault(record, set()).add(name)
    if len(found) == 1:
        return URIRef(next(iter(found)))
    if not found:
        import difflib

        known: dict[str, str] = {}
        for name, form in folded.items():
            known.setdefault(form, name)
        close = difflib.get_close_matches(wanted, list(known), n=4, cutoff=0.75)
        hint = f"; did you mean {', '.join(repr(known[c]) for c in close)}?" if close else ""
        raise QueryError(f"no {kind} is called {value!r}{hint}")
    listing = "; ".join(f"{iri} ({', '.join(sorted(names))})" for iri, names in sorted(found.items()))
    raise QueryError(f"{value!r} names {len(found)} records of type {kind}: {listing}; give the key or the IRI instead")


# -- the whole thing ---------------------------------------------------------------------
def bind(query: CannedQuery, values: dict[str, str], runner: Runner, today: date | None = None) -> dict[str, Node]:
    """Check the given values against the header, apply defaults, resolve labels."""
    bindings: dict[str, Node] = {}
    for name in values:
        if query.parameter(name) is None:
            declared = ", ".join(p.name for p in query.parameters) or "none"
            hint = "" if query.has_header else " (declare parameters in a header; see docs/queries.md)"
            raise QueryError(f"{query.name}: unknown parameter {name!r} (its parameters: {declared}){hint}")
    for param in query.parameters:
        raw = values.get(param.name, param.default)
        if raw is None:
            example = f", e.g. --param {param.name}={_shell_quote(param.example)}" if param.example else ""
            raise QueryError(f"{query.name}: parameter {param.name} ({param.type}) is required{example}")
        term = convert(param, raw, today)
        bindings[param.name] = resolve(runner, param.type, term.text) if isinstance(term, Name) else term
    return bindings


def refuse_service(query: CannedQuery) -> None:
    """Raise QueryError when the query has a SERVICE clause (local runs stay off the network)."""
    try:
        found = uses_service(query.text)
    except QueryError as err:
        raise QueryError(f"{query.path}: {err}") from None
    if found:
        raise QueryError(f"{query.path}: the query has a SERVICE clause, which would send requests over the network; "
                         "run it with --allow-service if that is intended")


def refuse_datasets(query: CannedQuery, engine: str) -> None:
    """Raise QueryError for FROM / FROM NAMED on rdflib: it would fetch those graphs from the
    web (and crashes on a graph file, which has no named graphs)."""
    from coopkg.query_check import UncheckableQuery, reach

    if engine != "rdflib":
        return  # Oxigraph reads FROM / FROM NAMED from the store it runs on, never from the web
    try:
        graphs = reach(query.text).datasets
    except UncheckableQuery:
        return  # refuse_service has said it
    if graphs:
        raise QueryError(f"{query.path}: FROM / FROM NAMED ({', '.join(graphs)}) would make --engine rdflib load "
                         "those graphs from the web; a local graph file has only its default graph: remove the "
                         "clauses, or use --engine oxigraph")


def run(query: CannedQuery, values: dict[str, str], runner: Runner, allow_service: bool = False,
        today: date | None = None) -> Any:
    """Run a query with parameter values given as text; SelectResult, bool or triples."""
    if runner.local and not allow_service:
        refuse_service(query)
    if runner.local:
        refuse_datasets(query, getattr(getattr(runner, "store", None), "engine", ""))
    bindings = bind(query, values, runner, today)
    return runner.run(query.text, bindings)


def parse_assignments(pairs: list[str] | None) -> dict[str, str]:
    """``["key=value", ...]`` as a dict; a pair without ``=`` is a QueryError."""
    values: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise QueryError(f"--param {pair!r}: write --param NAME=VALUE")
        values[key.strip()] = value
    return values


__all__ = [
    "CannedQuery",
    "EndpointError",
    "EndpointRunner",
    "choose_graphs",
    "engine_warnings",
    "named_graphs_hint",
    "split_prologue",
    "store_engine",
    "total_order",
    "LocalRunner",
    "Name",
    "Parameter",
    "QueryError",
    "bind",
    "catalogue",
    "convert",
    "find_query",
    "fold",
    "load_query_file",
    "mask",
    "parse_assignments",
    "parse_header",
    "refuse_datasets",
    "refuse_service",
    "resolve",
    "query_form",
    "run",
    "strip_comments",
    "term_text",
    "uses_service",
    "where_brace",
    "with_values",
]
