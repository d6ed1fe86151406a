"""Virtuoso and Apache Jena, for real: coopkg publishes to a Virtuoso Open Source server with a
dedicated user behind Digest authentication, and every canned query gives the same rows there,
in local Oxigraph and in Jena ARQ (strict SPARQL 1.1); Jena's riot accepts every export.

The servers are Debian's packages (`virtuoso-opensource`, `libapache-jena-java`), which
`.ci/run` installs. Without them the tests skip, except under CI=true, where they fail:
a green CI must mean these ran. Marked slow (about two to three minutes: see
docs/publishing.md for the measured times); `pytest -m "not slow"` leaves them out.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Literal, URIRef

from coopkg import publications, publish, query
from coopkg.bench.generate import generate
from coopkg.cli import main
from coopkg.server import free_port
from coopkg.store import open_graph

pytestmark = pytest.mark.slow

JENA_JARS = Path("/usr/share/java")
RUN_QUERIES = Path(__file__).parent / "fixtures" / "jena" / "RunQueries.java"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
NUMERIC = {f"http://www.w3.org/2001/XMLSchema#{t}" for t in (
    "integer", "decimal", "double", "float", "int", "long", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "unsignedInt", "unsignedLong")}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
# Parameter values for the queries whose header examples name records of the bundled data only
FIXED = {"at": "2010-06-01"}


def _missing(what: str) -> None:
    message = f"{what} is not installed (Debian: apt-get install virtuoso-opensource libapache-jena-java)"
    if IN_CI:
        pytest.fail(message + "; under CI=true this test must run")
    pytest.skip(message)


# -- Virtuoso ---------------------------------------------------------------------------------
VIRTUOSO_INI = """\
; coopkg's test server: its own database in a temporary folder, on 127.0.0.1 only.
[Database]
DatabaseFile       = {db}/virtuoso.db
ErrorLogFile       = {db}/virtuoso.log
LockFile           = {db}/virtuoso.lck
TransactionFile    = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {db}/virtuoso-temp.db
TransactionFile    = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:{sql_port}
DisableUnixSocket    = 1
MaxClientConnections = 10
CheckpointInterval   = 60
CaseMode             = 2
DirsAllowed          = .
NumberOfBuffers      = 20000
MaxDirtyBuffers      = 15000
MaxQueryMem          = 500M
ThreadsPerQuery      = 2

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {db}/vsp
MaxClientConnections = 10
ServerThreads        = 10
Charset              = UTF-8
EnabledGzipContent   = 0

[SPARQL]
; Debian's default is 10000; 1000 makes the 2,000-partnership graph hit it, so the
; test sees coopkg complete capped answers by paging (at atlas scale 10000 does the same)
ResultSetMaxRows           = {max_rows}
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = 300
"""


@dataclass
class Virtuoso:
    process: subprocess.Popen[bytes]
    http_port: int
    sql_port: int
    folder: Path
    user: str
    password: str
    dba_password: str

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    def isql(self, statements: str, password: str | None = None) -> str:
        done = subprocess.run(["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", password or self.dba_password,
                               f"exec={statements}"], capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql: {done.stdout}{done.stderr}")
        return done.stdout

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_virtuoso(folder: Path, max_rows: int = 1000) -> Virtuoso:
    if not shutil.which("virtuoso-t") or not shutil.which("isql-vt"):
        _missing("Virtuoso (virtuoso-t, isql-vt)")
    db = folder / "db"
    (db / "vsp").mkdir(parents=True)
    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(db=db, sql_port=sql_port, http_port=http_port, max_rows=max_rows))
    log = (folder / "server.out").open("wb")
    process = subprocess.Popen(["virtuoso-t", "-c", str(ini), "+foreground"], cwd=folder, stdout=log,
                               stderr=subprocess.STDOUT)
    server = Virtuoso(process, http_port, sql_port, folder, "coopkg", secrets.token_hex(12),
                      secrets.token_hex(12))
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"{server.endpoint}?query=ASK%7B%7D", timeout=5):  # noqa: S310 - loopback
                break
        except (urllib.error.URLError, ConnectionError, OSError):
            if process.poll() is not None or time.monotonic() > deadline:
                server.stop()
                logged = (db / "virtuoso.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"Virtuoso did not start: {logged}") from None
            time.sleep(0.5)
    # The safe set-up docs/publishing.md describes: dba's password changed, a dedicated
    # user with the SPARQL_UPDATE role (writes go through /sparql-auth and
    # /sparql-graph-crud-auth, Digest), the anonymous SPARQL user left read-only.
    server.isql(f"USER_CHANGE_PASSWORD('dba', 'dba', '{server.dba_password}');", password="dba")
    server.isql(f"DB.DBA.USER_CREATE('{server.user}', '{server.password}'); GRANT SPARQL_UPDATE TO \"{server.user}\";")
    return server


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    try:
        yield server
    finally:
        server.stop()


# -- Jena -------------------------------------------------------------------------------------
def jena_classpath(folder: Path) -> str:
    """Debian's Jena jars and their direct dependencies, plus the Xerces message files.

    Debian builds jena-core with its shaded Xerces moved to the package ``xerces``, but
    leaves the message files at ``org/apache/jena/ext/xerces``: Jena then dies at start-up
    (``RuntimeException: internal error`` in XSSimpleTypeDecl). Copying them to where the
    classes look makes it start. Only one SLF4J binding, and the simple one, not nop: riot
    reports parse errors through SLF4J, so with nop a rejected file exits 1 with nothing said.
    """
    import zipfile

    core = JENA_JARS / "jena-core.jar"
    if not core.is_file() or not shutil.which("java"):
        _missing("Apache Jena (libapache-jena-java) or java")
    messages = folder / "xerces-messages"
    with zipfile.ZipFile(core) as jar:
        for name in jar.namelist():
            if name.startswith("org/apache/jena/ext/xerces/") and not name.endswith((".class", "/")):
                target = messages / "xerces" / name[len("org/apache/jena/ext/xerces/"):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    packages = ["libapache-jena-java"]
    depends = subprocess.run(["apt-cache", "depends", "libapache-jena-java"], capture_output=True, text=True,
                             check=False).stdout
    packages += [line.split(":", 1)[1].strip() for line in depends.splitlines() if line.strip().startswith("Depends:")]
    jars: set[str] = set()
    for package in packages:
        listing = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True, check=False).stdout
        for line in listing.splitlines():
            path = Path(line)
            if path.parent == JENA_JARS and path.suffix == ".jar" and "slf4j" not in path.name \
                    and not any(ch.isdigit() for ch in path.stem.rsplit("-", 1)[-1][:1]):
                jars.add(line)
    jars |= {str(JENA_JARS / "slf4j-api.jar"), str(JENA_JARS / "slf4j-simple.jar")}
    return ":".join(sorted(jars) + [str(messages)])


@pytest.fixture(scope="module")
def jena(tmp_path_factory: pytest.TempPathFactory) -> str:
    return jena_classpath(tmp_path_factory.mktemp("jena"))


def start_jena(classpath: str, data: Path, queries: dict[str, str], folder: Path) -> subprocess.Popen[str]:
    """Jena ARQ running every query in one JVM, in the background (it overlaps Virtuoso's work)."""
    args: list[str] = []
    for name, text in queries.items():
        (folder / f"{name}.rq").write_text(text, encoding="utf-8")
        args += [str(folder / f"{name}.rq"), str(folder / f"{name}.json")]
    return subprocess.Popen(["java", "-cp", classpath, str(RUN_QUERIES), str(data), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def jena_answers(process: subprocess.Popen[str], queries: dict[str, str], folder: Path) -> dict[str, list[dict]]:
    """Each query's SPARQL JSON bindings once the JVM is done."""
    try:
        # 900 s covers the 2,000-partnership graph with room; ARQ's time grows with the graph
        _, err = process.communicate(timeout=900 * max(1, SCALE // 2000))
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    assert process.returncode == 0, err[-3000:]
    return {name: json.loads((folder / f"{name}.json").read_text())["results"]["bindings"] for name in queries}


# -- comparing answers --------------------------------------------------------------------------
def normal(term: Any) -> tuple:
    """A term as compared across engines: numbers and booleans by value, strings without xsd:string,
    language tags lower-cased, blank nodes all alike (their labels are each engine's)."""
    if term is None:
        return ("unbound",)
    if isinstance(term, dict):  # SPARQL JSON
        kind = term["type"]
        if kind == "uri":
            return ("iri", term["value"])
        if kind == "bnode":
            return ("bnode",)
        if "xml:lang" in term:
            return ("lang", term["value"], term["xml:lang"].lower())
        datatype = term.get("datatype") or XSD_STRING
        value = term["value"]
    elif isinstance(term, URIRef):
        return ("iri", str(term))
    elif isinstance(term, BNode):
        return ("bnode",)
    else:
        assert isinstance(term, Literal)
        if term.language:
            return ("lang", str(term), term.language.lower())
        datatype, value = str(term.datatype or XSD_STRING), str(term)
    if datatype == XSD_BOOLEAN:  # Virtuoso writes 1 and 0, XML Schema's other forms of true and false
        return ("boolean", value.strip() in {"true", "1"})
    if datatype in NUMERIC:
        try:
            return ("number", Decimal(value).normalize())
        except InvalidOperation:
            return ("number", value)
    return ("literal", value, datatype)


def rows_of(answer: Any) -> Counter:
    if isinstance(answer, list):  # SPARQL JSON bindings: the variables are those of the local answer
        raise TypeError
    return Counter(tuple(normal(t) for t in row) for row in answer.rows)


def json_rows(bindings: list[dict], names: list[str]) -> Counter:
    return Counter(tuple(normal(b.get(n)) for n in names) for b in bindings)


def geosparql_columns(text: str) -> set[str]:
    """The variables a query binds from a GeoSPARQL function (geof:): empty on an engine without them."""
    found = set()
    for bind in re.finditer(r"\bBIND\s*\(", text):
        depth, i = 1, bind.end()
        while depth and i < len(text):
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            i += 1
        expression = text[bind.end():i - 1]
        if "geof:" in expression:
            found.update(re.findall(r"\bAS\s+\?(\w+)\s*$", expression))
    return found


def without(rows: Counter, names: list[str], empty: set[str]) -> Counter:
    """The rows with the given columns unbound."""
    out: Counter = Counter()
    for row, k in rows.items():
        out[tuple(("unbound",) if n in empty else v for n, v in zip(names, row, strict=True))] += k
    return out


def diff(a: Counter, b: Counter) -> str:
    only_a, only_b = a - b, b - a
    return f"{sum(only_a.values())} rows only in the first, e.g. {list(only_a)[:3]}; " \
           f"{sum(only_b.values())} only in the second, e.g. {list(only_b)[:3]}"


# -- the data -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def generated_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    with (folder / "atlas.jsonl").open("w", encoding="utf-8") as out:
        generate(SCALE, 7, out)
    # valid by default (bench generate); --allow-invalid so a generator change that breaks a
    # shape still leaves a graph to compare the stores on
    main(["build", str(folder / "atlas.jsonl"), "--out", str(folder / "out"), "--allow-invalid", "-q"])
    assert (folder / "out" / "graph.ttl").is_file()
    return folder / "out" / "graph.ttl"


def numbers_as_numbers(line: str) -> str:
    """A CSV line with its numbers canonical (177837.0 and 177837 are one number)."""
    from decimal import Decimal, InvalidOperation

    cells = []
    for cell in line.split(","):
        try:
            cells.append(str(Decimal(cell).normalize()) if cell.strip() and cell.strip()[0] in "-0123456789" else cell)
        except InvalidOperation:
            cells.append(cell)
    return ",".join(cells)


def parameter_values(canned: query.CannedQuery, local: query.LocalRunner) -> dict[str, str]:
    """Each parameter's header example, or (a record the data lacks) the record of that type the
    most triples point to: the richest answer to compare."""
    values: dict[str, str] = {}
    for param in canned.parameters:
        value = FIXED.get(param.name, param.example or param.default or "")
        if param.type in query.RECORD_TYPES:
            try:
                query.resolve(local, param.type, value)
            except query.QueryError:
                classes = " ".join(query.term_text(URIRef(c)) for c in query.RECORD_TYPES[param.type])
                answer = local.run(f"SELECT ?x (COUNT(*) AS ?n) WHERE {{ VALUES ?c {{ {classes} }} ?x a ?c . "
                                   "?y ?p ?x } GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1", {})
                value = str(answer.rows[0][0])
        values[param.name] = value
    return values


# -- the tests -------------------------------------------------------------------------------------
@pytest.fixture
def virtuoso_env(virtuoso: Virtuoso, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Virtuoso:
    monkeypatch.setenv(publish.ENV_USER, virtuoso.user)
    monkeypatch.setenv(publish.ENV_PASSWORD, virtuoso.password)
    monkeypatch.delenv(publish.ENV_TOKEN, raising=False)
    monkeypatch.delenv("COOPKG_SPARQL_AUTH", raising=False)
    monkeypatch.setenv(publications.ENV_STATE_DIR, str(tmp_path / "state"))
    return virtuoso


# The 2,000-partnership comparison took 10-16 minutes in earlier runs, when it was opt-in;
# measured again after the Virtuoso fixes of issue 21 it took 104 s with the bundled run on
# this shared 2-core machine, so CI runs it (the issue asks for both graphs).
# COOPKG_STORES_FULL=0 leaves it out of a local run.
FULL = os.environ.get("COOPKG_STORES_FULL", "1") != "0"
# The generated graph's size: 2,000 partnerships in CI; COOPKG_STORES_SCALE=12000 checks the
# issue's atlas scale by hand (Virtuoso's row cap and paging only show on big answers).
SCALE = int(os.environ.get("COOPKG_STORES_SCALE", "2000"))


@pytest.mark.parametrize("dataset", ["bundled", pytest.param(f"generated-{SCALE}", marks=pytest.mark.skipif(
    not FULL, reason="COOPKG_STORES_FULL=0: the 2,000-partnership comparison left out"))])
def test_every_canned_query_gives_the_same_rows_on_virtuoso_oxigraph_and_jena(
        dataset, virtuoso_env, jena, bundled_graph, request, tmp_path, capsys):
    graph = bundled_graph if dataset == "bundled" else request.getfixturevalue("generated_graph")
    local = query.LocalRunner(open_graph(graph, "oxigraph"))
    canned_all = query.catalogue()
    values = {name: parameter_values(canned, local) for name, canned in canned_all.items()}
    texts: dict[str, str] = {}
    expected: dict[str, Counter] = {}
    names: dict[str, list[str]] = {}
    for name, canned in canned_all.items():
        bindings = query.bind(canned, values[name], local)
        answer = local.run(canned.text, bindings)
        expected[name], names[name] = rows_of(answer), answer.variables
        texts[name] = query.with_values(canned.text, bindings)
    started = time.monotonic()
    jena_started = time.monotonic()
    jena_run = start_jena(jena, graph, texts, tmp_path)

    # coopkg's defaults: no --chunk-size, no --update-url/--store-url, no --graph-iri
    assert main(["publish", "--endpoint", virtuoso_env.endpoint, "--graph", str(graph)]) == 0, capsys.readouterr().err
    published = time.monotonic() - started
    err = capsys.readouterr().err
    assert "count verified" in err
    # the anonymous endpoint cannot write: only the dedicated user can
    with pytest.raises(publish.PublishError):
        publish.publish(list(open_graph(graph, "oxigraph").triples())[:10], publish.Endpoints.guess(
            virtuoso_env.endpoint), "https://example.org/anonymous", publish.Client(environ={}))

    started = time.monotonic()
    graphs, why = query.choose_graphs(virtuoso_env.endpoint)
    assert graphs == (publish.DEFAULT_GRAPH_IRI,), why  # recorded by the publish above: no union of graphs
    problems = []
    paged = []
    for name, canned in canned_all.items():
        remote = query.EndpointRunner(virtuoso_env.endpoint, timeout=600, default_graphs=graphs)
        if canned.engines.get("virtuoso"):  # said unsupported there, and `coopkg query` warns
            assert query.engine_warnings(canned, virtuoso_env.endpoint, remote)
            if geosparql_columns(canned.text):  # still runs (SR185 avoided), the distance left empty
                query.run(canned, values[name], remote)
                assert remote.emptied == sorted(geosparql_columns(canned.text)) and remote.warnings, name
            continue
        got = rows_of(query.run(canned, values[name], remote))  # names resolved by the store, too
        if remote.pages:
            paged.append(name)
        if got != expected[name]:
            problems.append(f"{name} on Virtuoso: {diff(got, expected[name])}")
    virtuoso_time = time.monotonic() - started
    # said now: at COOPKG_STORES_SCALE=12000 Jena's answers take many more minutes
    print(f"\n{dataset}: Virtuoso {virtuoso_time:.1f} s, differences: {problems or 'none'}", flush=True)
    jena_rows = jena_answers(jena_run, texts, tmp_path)
    jena_time = time.monotonic() - jena_started
    for name, canned in canned_all.items():
        jena_got = json_rows(jena_rows[name], names[name])
        if geosparql_columns(canned.text):  # Debian's ARQ has no GeoSPARQL: those columns empty, as the notes say
            expected[name] = without(expected[name], names[name], geosparql_columns(canned.text))
        if jena_got != expected[name]:
            problems.append(f"{name} on Jena: {diff(jena_got, expected[name])}")
    print(f"\n{dataset}: publish {published:.1f} s, {len(canned_all)} queries on Virtuoso {virtuoso_time:.1f} s "
          f"(paged past the row cap: {', '.join(paged) or 'none'}), on Jena {jena_time:.1f} s (in parallel)")
    assert not problems, "\n".join(problems)
    if dataset != "bundled":
        assert paged, "the 2,000-partnership graph should exceed the test server's row cap of 1000"


def test_coopkg_query_on_virtuoso_needs_no_flag_and_ignores_other_graphs(virtuoso_env, bundled_graph, tmp_path,
                                                                         capsys):
    assert main(["publish", "--endpoint", virtuoso_env.endpoint, "--graph", str(bundled_graph), "-q"]) == 0
    # another graph in the store, and a staging graph a failed run would leave: not read
    other = publish.Endpoints.guess(virtuoso_env.endpoint)
    triples = list(open_graph(bundled_graph, "oxigraph").triples())
    publish.publish(triples, other, "https://example.org/copy", publish.Client())
    capsys.readouterr()
    assert main(["query", "funding-totals", "--endpoint", virtuoso_env.endpoint, "--format", "csv"]) == 0
    published = capsys.readouterr().out
    local_store = tmp_path / "graph.ttl"
    shutil.copy(bundled_graph, local_store)
    assert main(["query", "funding-totals", "--graph", str(local_store), "--format", "csv"]) == 0
    # numbers as numbers: Virtuoso prints 177837 where coopkg's store keeps the written 177837.0
    assert sorted(map(numbers_as_numbers, published.splitlines())) == sorted(
        map(numbers_as_numbers, capsys.readouterr().out.splitlines()))
    # the store's own default graph is the union on Virtuoso: asked for, it counts both copies
    assert main(["query", "partnerships-per-kind", "--endpoint", virtuoso_env.endpoint, "--store-default-graph",
                 "--format", "csv"]) == 0


def test_a_failed_upload_to_virtuoso_leaves_no_staging_graph(virtuoso_env, bundled_graph, monkeypatch):
    triples = list(open_graph(bundled_graph, "oxigraph").triples())
    endpoints = publish.Endpoints.guess(virtuoso_env.endpoint)
    target = "https://example.org/broken"
    client = publish.Client(publish.RetryPolicy(attempts=1))
    original = client.send
    calls = {"n": 0}

    def failing(method: str, url: str, *args: Any, **kwargs: Any) -> bytes:
        if method == "POST" and "graph-crud" in url:
            calls["n"] += 1
            raise publish.HttpError(method, url, 500, "injected after the first chunk")
        return original(method, url, *args, **kwargs)

    monkeypatch.setattr(client, "send", failing)
    with pytest.raises(publish.PublishError, match="staging graph .* was dropped"):
        publish.publish(triples, endpoints, target, client, chunk_size=1000)
    assert calls["n"] == 1
    assert publish.Client().count(virtuoso_env.endpoint, publish.staging_iri(target)) == 0


def riot(classpath: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["java", "-cp", classpath, "riotcmd.riot", *args], capture_output=True, text=True,
                          timeout=600, check=False)


def test_riot_validates_every_export(jena, bundled_graph, tmp_path):
    out = tmp_path / "dist"
    assert main(["export", "--graph", str(bundled_graph), "--out-dir", str(out)]) == 0
    files = sorted(p for p in out.iterdir() if p.is_file())
    assert {p.suffix for p in files} >= {".ttl", ".nt", ".jsonld", ".trig"}
    # JSON-LD goes to Jena's JSON-LD 1.0 reader (jsonld-java): its 1.1 reader (Titanium) needs
    # a Jakarta JSON Processing implementation that Debian does not package (libjsonp2-java
    # is the API only), and fails every document, a one-triple one too, with LOADING_DOCUMENT_FAILED.
    # The export uses no JSON-LD 1.1 keyword (@version, @protected, @json...): 1.0 reads all of it.
    jsonld = [p for p in files if p.suffix == ".jsonld"]
    others = [p for p in files if p.suffix != ".jsonld"]
    for done in (riot(jena, "--validate", *map(str, others)),
                 riot(jena, "--validate", "--syntax=jsonld10", *map(str, jsonld))):
        assert done.returncode == 0 and "ERROR" not in done.stdout + done.stderr, done.stdout + done.stderr
    # and the JSON-LD says the same graph as the N-Triples: as many triples
    counts = "".join(done.stdout + done.stderr for done in (
        riot(jena, "--count", "--syntax=jsonld10", str(out / "graph.jsonld")), riot(jena, "--count", str(out / "graph.nt"))))
    assert counts.count("Triples = ") == 2, counts
    numbers = {line.rsplit("=", 1)[1].strip() for line in counts.splitlines() if "Triples = " in line}
    assert len(numbers) == 1, counts
