"""`coopkg query` and `coopkg queries`: headers, parameters, labels, safety, endpoints, output."""

from __future__ import annotations

import csv
import io
import json
import shutil
import urllib.request
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from coopkg import query
from coopkg.cli import main
from coopkg.query_output import short
from coopkg.server import OxigraphServer
from coopkg.store import SelectResult, Store

FIXTURES = Path(__file__).parent / "fixtures" / "queries"
HOSTILE = ["} ; DROP ALL", '"> } SELECT * WHERE { ?s ?p ?o }', "x\" ) } } ; CLEAR DEFAULT #", "\\\" \n }"]


def rows(answer: SelectResult) -> list[tuple[object, ...]]:
    """Cells as `coopkg query` shows them; numbers as numbers (212000.0 == 212000)."""
    def cell(term: object) -> object:
        if term is None:
            return ""
        if isinstance(term, Literal) and isinstance(term.toPython(), int | Decimal):
            return term.toPython()
        return short(term)  # type: ignore[arg-type]

    return [tuple(cell(v) for v in row) for row in answer.rows]


def _load(server: OxigraphServer, graph: Path) -> None:
    request = urllib.request.Request(f"{server.store_url}?default", data=graph.read_bytes(), method="POST",
                                     headers={"Content-Type": "text/turtle"})
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - loopback server
        assert answer.status in {200, 201, 204}


# -- the catalogue and its headers ---------------------------------------------------
def test_catalogue_answers_every_question() -> None:
    queries = query.catalogue()
    assert len(queries) >= 15
    for name, canned in queries.items():
        assert canned.title and canned.question["en"].endswith("?") and canned.question["fr"].endswith("?"), name
        assert canned.columns, name
        for param in canned.parameters:
            assert param.example is not None, f"{name}: {param.name} needs an example"
            assert f"?{param.name}" in canned.text.split("WHERE")[0], f"{name}: {param.name} must be in the SELECT clause"
        assert not query.uses_service(canned.text), name


def test_header_errors_name_file_and_line(tmp_path: Path) -> None:
    def load(text: str) -> str:
        path = tmp_path / "q.rq"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(query.QueryError) as err:
            query.load_query_file(path)
        return str(err.value)

    body = "\nSELECT ?x WHERE { ?x ?p ?o }\n"
    assert "must open with a header" in load("SELECT * WHERE { ?s ?p ?o }")
    message = load("# title: t\n# question:\n#   en: e?\n#   fr: f?\n# columns:\n#   x: x\n# parameters:\n"
                   "#   - name: when\n#     type: datetime\n" + body)
    assert "q.rq:8 [parameters.when]" in message and "datetime" in message
    assert "q.rq:2 [question]" in load("# title: t\n# question:\n#   en: only English?\n# columns:\n#   x: x\n" + body)
    assert "q.rq:2: unknown header field 'author'" in load("# title: t\n# author: me\n" + body)
    assert "not valid YAML" in load("# title: t\n# question: [\n" + body)


def test_where_brace_and_masking() -> None:
    text = '# WHERE { in a comment\nSELECT ?x WHERE { ?x <http://e/{> "WHERE {" }'
    assert text[query.where_brace(text)] == "{" and text.index("WHERE {") < query.where_brace(text)
    assert query.where_brace(text) == text.index("WHERE { ?x") + 6
    assert query.where_brace("ASK { ?s ?p ?o }") == 4
    assert query.uses_service("SELECT * WHERE { service <http://e/> { ?s ?p ?o } }")
    assert not query.uses_service((FIXTURES / "service-in-text.rq").read_text(encoding="utf-8"))


# -- parameter types -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("type_", "value", "expected"),
    [
        ("date", "2010-13-01", "is not a date that exists"),
        ("date", "June 2010", "is not a date written YYYY-MM-DD"),
        ("date", "2010", "is not a date written YYYY-MM-DD"),
        ("integer", "six", "is not a whole number"),
        ("integer", "1.5", "is not a whole number"),
        ("decimal", "12,5", "is not a decimal number"),
        ("country", "France", "is not a two-letter ISO 3166-1 country code"),
        ("currency", "€", "is not a three-letter ISO 4217 currency code"),
        ("iri", "http://x/> } SELECT", "is not an absolute IRI"),
        ("iri", "ro-timis", "is not an absolute IRI"),
        ("boolean", "yes", "is not true or false"),
    ],
)
def test_values_that_do_not_fit_their_type(type_: str, value: str, expected: str) -> None:
    with pytest.raises(query.QueryError, match=expected) as err:
        query.convert(query.Parameter("p", type_, example="x"), value)
    assert "parameter p:" in str(err.value) and "--param p=x" in str(err.value)


def test_values_that_fit() -> None:
    p = query.Parameter
    assert query.convert(p("d", "date"), "today", today=date(2026, 1, 2)).n3() == \
        '"2026-01-02"^^<http://www.w3.org/2001/XMLSchema#date>'
    assert query.convert(p("c", "country"), "ro").n3() == '"RO"'
    assert query.convert(p("n", "integer"), "12").toPython() == 12
    assert str(query.convert(p("i", "iri"), "<https://w3id.org/coopkg/id/collectivity/ro-timis>")).endswith("/ro-timis")
    assert query.convert(p("c", "collectivity"), "Timiș") == query.Name("Timiș")


@pytest.mark.parametrize(
    ("type_", "value", "python"),
    [
        ("integer", "+5", 5), ("integer", "-0", 0), ("integer", "007", 7), ("integer", "123456789012345678", None),
        ("decimal", "1500.50", Decimal("1500.50")), ("decimal", "1e3", Decimal("1e3")), ("decimal", "-0", Decimal("-0")),
        ("decimal", "1E-2", Decimal("1E-2")), ("decimal", "+5", Decimal("5")), ("decimal", "0.000", Decimal("0.000")),
        ("boolean", "TRUE", True), ("boolean", "false", False),
        ("date", "2010-06-01", None), ("year", "0999", None), ("string", " a b ", None), ("country", "ro", None),
        ("iri", "<https://e.org/a>", None), ("collectivity", "https://e.org/c", None),
    ],
)
def test_a_value_s_cell_is_the_rdflib_term_made_from_its_python_value(type_: str, value: str, python: object) -> None:
    """`convert_cell` writes numbers and booleans as rdflib writes a Literal of the Python value
    (what `convert` gave before cells): the on-disk store and the rdflib engine bind the same term."""
    from coopkg.store import Cell

    param = query.Parameter("p", type_)
    cell = query.convert_cell(param, value)
    term = query.convert(param, value)
    assert Cell.of(term) == cell and cell.term() == term
    assert query.term_text(cell) == query.term_text(term)
    if type_ == "integer":
        python = int(value)
    if python is not None:
        assert term == Literal(python) and str(term) == str(Literal(python))


def test_missing_and_unknown_parameters(bundled_store: Store) -> None:
    runner = query.LocalRunner(bundled_store)
    with pytest.raises(query.QueryError, match="parameter collectivity \\(collectivity\\) is required, e.g. --param "
                                               "collectivity=Timiș"):
        query.run(query.find_query("active-partnerships"), {}, runner)
    with pytest.raises(query.QueryError, match="unknown parameter 'when' \\(its parameters: collectivity, at\\)"):
        query.run(query.find_query("active-partnerships"), {"collectivity": "Timiș", "when": "2010-01-01"}, runner)
    with pytest.raises(query.QueryError, match="unknown query 'ended-by-reorganization' \\(did you mean "
                                               "ended-by-reorganisation"):
        query.find_query("ended-by-reorganization")


# -- labels ------------------------------------------------------------------------------
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize(
    ("kind", "value", "iri"),
    [
        ("collectivity", "Timiș", "collectivity/ro-timis"),
        ("collectivity", "Timis", "collectivity/ro-timis"),
        ("collectivity", "TIMIȘ", "collectivity/ro-timis"),
        ("collectivity", "ro-timis", "collectivity/ro-timis"),
        ("collectivity", "Rhone", "collectivity/fr-rhone"),
        ("collectivity", "Departamentul Rhône", "collectivity/fr-rhone"),
        ("collectivity", "departamentul rhone", "collectivity/fr-rhone"),
        ("collectivity", "Rhône Alpes", "collectivity/fr-rhone-alpes"),
        ("collectivity", "Нови Београд", "collectivity/rs-novi-beograd"),
        ("actor", "MAEE", "institution/fr-ministry-foreign-affairs"),
        ("partnership", "Înfrățire Timiș – Alsacia", "partnership/timis-alsace"),
    ],
)
def test_labels_resolve(engine: str, kind: str, value: str, iri: str, bundled_store: Store,
                        bundled_rdflib: Store) -> None:
    store = bundled_store if engine == "oxigraph" else bundled_rdflib
    assert query.resolve(query.LocalRunner(store), kind, value) == URIRef(f"https://w3id.org/coopkg/id/{iri}")


def test_labels_that_match_none_or_several(bundled_store: Store) -> None:
    runner = query.LocalRunner(bundled_store)
    with pytest.raises(query.QueryError, match="no collectivity is called 'Timisoar'; did you mean 'Timișoara'"):
        query.resolve(runner, "collectivity", "Timisoar")
    with pytest.raises(query.QueryError, match="no collectivity is called 'Atlantis'$"):
        query.resolve(runner, "collectivity", "Atlantis")
    # Rhône is a department, not an institution; the MAEE is not a collectivity
    with pytest.raises(query.QueryError, match="no collectivity is called 'MAEE'"):
        query.resolve(runner, "collectivity", "MAEE")
    with pytest.raises(query.QueryError) as err:
        query.resolve(runner, "actor", "Institut francais")
    message = str(err.value)
    assert "'Institut francais' names 2 records of type actor" in message
    assert "institution/fr-institut-francais" in message and "institution/ro-institut-francais-timisoara" in message
    assert "give the key or the IRI" in message


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_text_rows_are_the_terms_text(engine: str, bundled_store: Store, bundled_rdflib: Store) -> None:
    """What `resolve` compares: each term's text as str() gives it, None when unbound."""
    store = bundled_store if engine == "oxigraph" else bundled_rdflib
    sparql = """PREFIX coop: <https://w3id.org/coopkg/ontology#>
        SELECT ?funding ?amount ?year ?name ?nothing WHERE {
          ?funding a coop:Funding ; coop:amount ?amount .
          OPTIONAL { ?funding coop:fundingYear ?year . }
          OPTIONAL { ?funding coop:funderName ?name . }
          OPTIONAL { ?funding coop:noSuchProperty ?nothing . }
        } ORDER BY ?funding"""
    answer = store.query(sparql)
    assert isinstance(answer, SelectResult) and answer.rows
    expected = [tuple(None if term is None else str(term) for term in row) for row in answer.rows]
    assert store.text_rows(sparql) == expected
    assert all(row[4] is None for row in expected) and any(row[3] is not None for row in expected)


# -- safety ---------------------------------------------------------------------------------
def test_service_refused_unless_allowed(bundled_store: Store, bundled_graph: Path, oxigraph_server: OxigraphServer,
                                        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _load(oxigraph_server, bundled_graph)
    rq = tmp_path / "count-there.rq"
    rq.write_text((FIXTURES / "with-service.rq").read_text(encoding="utf-8").replace("ENDPOINT", oxigraph_server.query_url),
                  encoding="utf-8")
    with pytest.raises(query.QueryError, match="SERVICE clause.*--allow-service"):
        query.run(query.find_query(str(rq)), {}, query.LocalRunner(bundled_store))
    assert main(["query", str(rq), "--graph", str(bundled_graph)]) == 2
    assert "--allow-service" in capsys.readouterr().err
    # allowed: Oxigraph follows it, here to the loopback server
    assert main(["query", str(rq), "--graph", str(bundled_graph), "--allow-service", "--format", "csv"]) == 0
    partnerships = sum(1 for _ in bundled_store.query("SELECT ?p WHERE { ?p a <https://w3id.org/coopkg/ontology#Partnership> }")
                       .rows)  # type: ignore[union-attr]
    assert capsys.readouterr().out.split() == ["partnerships", str(partnerships)]
    # the word in a string, a comment or a name is no SERVICE clause
    assert main(["query", str(FIXTURES / "service-in-text.rq"), "--graph", str(bundled_graph)]) == 0


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_parameter_values_cannot_change_the_query(engine: str, bundled_store: Store, bundled_rdflib: Store) -> None:
    store = bundled_store if engine == "oxigraph" else bundled_rdflib
    size = len(store)
    canned = query.find_query(str(FIXTURES / "label-equals.rq"))
    runner = query.LocalRunner(store)
    assert rows(query.run(canned, {"text": "Alsace"}, runner)) == [("Alsace", "id:collectivity/fr-alsace")]
    for value in HOSTILE:
        answer = query.run(canned, {"text": value}, runner)
        assert answer.variables == ["text", "record"] and answer.rows == []
    assert len(store) == size
    with pytest.raises(query.QueryError, match="no collectivity is called"):
        query.run(query.find_query("active-partnerships"), {"collectivity": "} ; DROP ALL"}, runner)


def test_values_block_is_escaped() -> None:
    text = (FIXTURES / "label-equals.rq").read_text(encoding="utf-8")
    out = query.with_values(text, {"text": Literal('"> } SELECT'), "record": URIRef("https://e.org/a")})
    assert 'VALUES (?record ?text) { (<https://e.org/a> "\\"> } SELECT") }' in out
    assert out.index("VALUES") > out.index("WHERE {")
    with pytest.raises(query.QueryError, match="not a valid IRI"):
        query.with_values(text, {"record": URIRef("https://e.org/> } SELECT")})


# -- remote endpoint ----------------------------------------------------------------------------
def _normal(answer: object) -> list[tuple[object, ...]]:
    return rows(answer)  # type: ignore[arg-type]


def test_endpoint_gives_the_same_rows(bundled_graph: Path, bundled_store: Store, oxigraph_server: OxigraphServer,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    _load(oxigraph_server, bundled_graph)
    remote = query.EndpointRunner(oxigraph_server.query_url)
    local = query.LocalRunner(bundled_store)
    for name, canned in query.catalogue().items():
        values = {p.name: p.example for p in canned.parameters if p.example is not None}
        there = query.run(canned, values, remote, today=date(2026, 1, 1))
        here = query.run(canned, values, local, today=date(2026, 1, 1))
        assert there.variables == here.variables, name
        assert _normal(there) == _normal(here), name
        assert there.rows, f"{name}: its example should give rows"
    # hostile values through the VALUES block: no rows, nothing dropped
    label_equals = query.find_query(str(FIXTURES / "label-equals.rq"))
    for value in HOSTILE:
        assert query.run(label_equals, {"text": value}, remote).rows == []
    assert _normal(query.run(label_equals, {"text": "Alsace"}, remote)) == [("Alsace", "id:collectivity/fr-alsace")]
    count = query.run(query.find_query(str(FIXTURES / "no-header.rq")), {}, remote)
    assert _normal(count) == _normal(query.run(query.find_query(str(FIXTURES / "no-header.rq")), {}, local))
    # the command, with a label resolved on the endpoint
    assert main(["query", "partners-with-predecessors", "--param", "collectivity=Grand Est",
                 "--endpoint", oxigraph_server.query_url, "--format", "csv"]) == 0
    lines = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert [(r[1], r[3]) for r in lines[1:]] == [
        ("https://w3id.org/coopkg/id/collectivity/fr-alsace", "https://w3id.org/coopkg/id/collectivity/ro-timis"),
        ("https://w3id.org/coopkg/id/collectivity/fr-alsace", "https://w3id.org/coopkg/id/institution/ro-regiunea-vest")]


def test_unreachable_endpoint(capsys: pytest.CaptureFixture[str]) -> None:
    from coopkg.server import free_port

    url = f"http://127.0.0.1:{free_port()}/query"
    assert main(["query", "funding-totals", "--endpoint", url]) == 2  # unreachable input (README "Exit codes")
    err = capsys.readouterr().err
    assert url in err and "cannot reach" in err
    assert "graph.ttl" not in err  # the endpoint failed: no local file is blamed


# -- the command ------------------------------------------------------------------------------
def test_formats(bundled_graph: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["query", "renewed-agreements", "--graph", str(bundled_graph)]
    assert main([*args, "--format", "json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["head"]["vars"][:4] == ["agreement", "title", "signed", "renewals"]
    [binding] = answer["results"]["bindings"]
    assert binding["agreement"] == {"type": "uri", "value": "https://w3id.org/coopkg/id/agreement/timis-rhone-protocol-1997"}
    assert binding["title"] == {"type": "literal", "value": "Protocol de cooperare Timiș – Rhône", "xml:lang": "ro"}
    assert binding["signed"] == {"type": "literal", "value": "1997-11-22",
                                 "datatype": "http://www.w3.org/2001/XMLSchema#date"}
    assert "end" not in binding  # unbound
    assert main([*args, "--format", "tsv"]) == 0
    header, row = capsys.readouterr().out.splitlines()
    assert header.startswith("?agreement\t?title\t?signed")
    assert row.split("\t")[:3] == ["<https://w3id.org/coopkg/id/agreement/timis-rhone-protocol-1997>",
                                   '"Protocol de cooperare Timiș – Rhône"@ro',
                                   '"1997-11-22"^^<http://www.w3.org/2001/XMLSchema#date>']
    assert main([*args, "--format", "csv"]) == 0
    table = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert table[0][0] == "agreement" and table[1][3] == "1"
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "id:agreement/timis-rhone-protocol-1997" in out and "endreason:administrative-reorganisation" in out
    assert out.rstrip().endswith("(1 row)")


@pytest.mark.parametrize("variables", [[], ["x"], ["s", "é", "o"]])
@pytest.mark.parametrize("count", [0, 1, 4097, 9000])  # the writer sends 4096 bindings at a time
def test_json_is_what_json_dump_writes(variables: list[str], count: int) -> None:
    """The JSON writer's own encoding gives json.dump's bytes (ensure_ascii=False, indent=1):
    IRIs, blank nodes, language tags, datatypes, escapes and unbound cells."""
    from coopkg.query_output import json_term, write
    from coopkg.store import Cell, CellResult

    cells = [None, Cell('https://example.org/é"\\', "uri"), Cell("b1", "bnode"), Cell("a\nb\t\u2028\x01", "literal"),
             Cell("x", "literal", None, "fr"), Cell("4.0", "literal", "http://www.w3.org/2001/XMLSchema#decimal")]
    answer = [tuple(cells[(i * 7 + j * 3) % len(cells)] for j in range(len(variables))) for i in range(count)]
    bindings = [{n: json_term(v) for n, v in zip(variables, row, strict=True) if v is not None} for row in answer]
    expected = io.StringIO()
    json.dump({"head": {"vars": variables}, "results": {"bindings": bindings}}, expected, ensure_ascii=False, indent=1)
    written = io.StringIO()
    write(CellResult(variables, answer), "json", written)
    assert written.getvalue() == expected.getvalue() + "\n"


def test_tsv_escapes_literals() -> None:
    from coopkg.query_output import write
    from coopkg.store import Cell, CellResult

    out = io.StringIO()
    write(CellResult(["a", "b"], [(Cell('q"\\\n\r\t\b\f é', "literal"), None)] * 2), "tsv", out)
    assert out.getvalue() == '?a\t?b\n' + '"q\\"\\\\\\n\\r\\t\\b\\f é"\t\n' * 2


def test_default_graph_is_build_graph_ttl(bundled_graph: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    # no build/graph.ttl: the bundled dataset, built in memory
    assert main(["query", "stale-records", "--format", "csv"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 5
    # build/graph.ttl: that graph, whatever it holds
    (tmp_path / "build").mkdir()
    shutil.copy(FIXTURES / "tiny.ttl", tmp_path / "build" / "graph.ttl")
    assert main(["query", "stale-records", "--format", "csv", "--engine", "rdflib"]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == [
        "https://e.org/a1,agreement,,https://w3id.org/coopkg/vocab/status/ongoing,https://e.org/gone,,2020-01-01,,,,"]
    assert main(["query", "stale-records", "--graph", str(tmp_path / "missing.ttl")]) == 2
    assert "--graph " in (err := capsys.readouterr().err) and "missing.ttl: no such file" in err


def test_usage_errors_exit_2(bundled_graph: Path, capsys: pytest.CaptureFixture[str]) -> None:
    g = ["--graph", str(bundled_graph)]
    assert main(["query", "active-partnerships", *g, "--param", "collectivity=Atlantis"]) == 2
    assert "no collectivity is called 'Atlantis'" in capsys.readouterr().err
    assert main(["query", "terms-ending", *g, "--param", "months=six"]) == 2
    assert "parameter months: 'six' is not a whole number (e.g. --param months=12)" in capsys.readouterr().err
    assert main(["query", "terms-ending", *g, "--param", "months"]) == 2
    assert "write --param NAME=VALUE" in capsys.readouterr().err
    assert main(["query", "nowhere.rq", *g]) == 2
    assert main(["query", str(FIXTURES / "no-header.rq"), *g, "--param", "x=1"]) == 2
    assert "declare parameters in a header" in capsys.readouterr().err


def test_queries_lists_and_describes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["queries"]) == 0
    out = capsys.readouterr().out
    for name in query.catalogue():
        assert name in out
    assert "parameters: collectivity:collectivity at:date=today" in out
    assert main(["queries", "terms-ending"]) == 0
    out = capsys.readouterr().out
    assert "[fr] Quels accords ou partenariats encore marqués en cours" in out
    assert "months (integer, default 6; e.g. 12)" in out
    assert "example: coopkg query terms-ending --param at=2013-06-01 --param months=12" in out


def test_endpoint_queries_a_named_graph_as_default_graph(bundled_graph: Path, bundled_store: Store,
                                                          oxigraph_server: OxigraphServer,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """A graph published under a name is found with --default-graph (SPARQL protocol's default-graph-uri)."""
    import urllib.parse
    import urllib.request

    name = "https://data.example.org/graph/coopkg"
    request = urllib.request.Request(
        f"{oxigraph_server.store_url}?graph={urllib.parse.quote(name, safe='')}",
        data=bundled_graph.read_bytes(), headers={"Content-Type": "text/turtle"}, method="PUT")
    urllib.request.urlopen(request, timeout=30).close()
    canned = query.find_query("funding-totals")
    local = query.run(canned, {}, query.LocalRunner(bundled_store))
    assert query.run(canned, {}, query.EndpointRunner(oxigraph_server.query_url)).rows == []  # default graph empty
    named = query.run(canned, {}, query.EndpointRunner(oxigraph_server.query_url, default_graphs=(name,)))
    assert _normal(named) == _normal(local) and named.rows
    assert main(["query", "funding-totals", "--endpoint", oxigraph_server.query_url, "--default-graph", name,
                 "--format", "csv"]) == 0
    assert "177837" in capsys.readouterr().out
    assert main(["query", "funding-totals", "--default-graph", name]) == 2
