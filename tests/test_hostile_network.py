"""No local command performs network access, whatever its input says.

A listener on 127.0.0.1 stands for "the network": hostile queries and files point at it
(SERVICE clauses hidden from a text search, FROM NAMED on rdflib, a remote JSON-LD
@context), and every local command runs on them. Python's sockets are watched too, so a
connection to anywhere else would be seen. The listener must see no connection at all.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from coopkg import cli

FIXTURES = Path(__file__).parent / "fixtures"


class Listener:
    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}/sparql"
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()


@pytest.fixture
def listener(monkeypatch: pytest.MonkeyPatch) -> Iterator[Listener]:
    watched = Listener()
    attempts: list[object] = []
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: object) -> None:
        attempts.append(address)
        real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    yield watched
    watched.server.close()
    assert watched.connections == 0, f"{watched.connections} connection(s) to the listener"
    assert attempts == [], f"socket connections attempted: {attempts}"


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("net")
    assert cli.main(["build", str(FIXTURES / "hostile" / "good.yaml"), "--out", str(out), "-q"]) == 0
    return out / "graph.ttl"


def _query_file(tmp_path: Path, body: str) -> str:
    path = tmp_path / "q.rq"
    path.write_text(body, encoding="utf-8")
    return str(path)


HIDDEN_SERVICES = [
    # an escaped quote in a prefixed name fooled the masking of strings
    "PREFIX ex: <http://e.example/>\nSELECT * WHERE {{ ?s ex:p\\' ?o . SERVICE <{url}> {{ ?s ?p 'x' }} }}",
    # \\u escapes are decoded before SPARQL is parsed
    "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }} }}",
    "ASK {{ {{ SELECT ?s WHERE {{ OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }} }}",
]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("text", HIDDEN_SERVICES)
def test_a_hidden_service_clause_is_refused(engine: str, text: str, listener: Listener, graph: Path,
                                            tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rq = _query_file(tmp_path, text.format(url=listener.url))
    assert cli.main(["query", rq, "--graph", str(graph), "--engine", engine]) == 2
    assert "SERVICE clause" in capsys.readouterr().err


def test_from_named_on_rdflib_is_refused_not_fetched(listener: Listener, graph: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    rq = _query_file(tmp_path, f"SELECT * FROM NAMED <{listener.url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")
    assert cli.main(["query", rq, "--graph", str(graph), "--engine", "rdflib"]) == 2
    err = capsys.readouterr().err
    assert "FROM / FROM NAMED" in err and "Traceback" not in err
    # Oxigraph reads FROM NAMED from its own store: an empty answer, no request
    assert cli.main(["query", rq, "--graph", str(graph), "--engine", "oxigraph"]) == 0


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_remote_jsonld_context_is_not_fetched(engine: str, listener: Listener, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "x.jsonld"
    doc.write_text(json.dumps({"@context": listener.url, "@id": "https://e.example/s", "name": "x"}), encoding="utf-8")
    rq = _query_file(tmp_path, "SELECT * WHERE { ?s ?p ?o }")
    assert cli.main(["query", rq, "--graph", str(doc), "--engine", engine]) == 2
    assert "cannot read the graph" in capsys.readouterr().err
    nested = tmp_path / "nested.jsonld"
    nested.write_text(json.dumps({"@context": {"@import": listener.url}, "@graph": [
        {"@id": "https://e.example/s", "@context": [listener.url], "https://e.example/p": "x"}]}), encoding="utf-8")
    assert cli.main(["query", rq, "--graph", str(nested), "--engine", engine]) == 2


def test_the_shipped_context_by_url_is_read_locally(listener: Listener, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "x.jsonld"
    doc.write_text(json.dumps({"@context": "https://w3id.org/coopkg/context.jsonld",
                               "@id": "https://e.example/s", "rdfs:label": "shipped"}), encoding="utf-8")
    rq = _query_file(tmp_path, "SELECT ?o WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?o }")
    assert cli.main(["query", rq, "--graph", str(doc), "--engine", "rdflib", "--format", "csv"]) == 0
    assert "shipped" in capsys.readouterr().out


def test_every_local_command_stays_off_the_network(listener: Listener, graph: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    hostile = FIXTURES / "hostile"
    homepage = tmp_path / "homepage.yaml"
    homepage.write_text("coopkg: 1\ncollectivities:\n"
                        f"  - {{key: ro-web, name: Web, kind: county, country: RO, homepage: '{listener.url}'}}\n",
                        encoding="utf-8")
    runs = [
        ["build", str(hostile / "good.yaml"), str(homepage), "--out", str(out), "-q"],
        ["validate", "--graph", str(out / "graph.ttl")],
        ["export", "--graph", str(out / "graph.ttl"), "--out", str(tmp_path / "g.jsonld")],
        ["export", "--graph", str(out / "graph.ttl"), "--out", str(tmp_path / "g.trig")],
        ["query", "--graph", str(out / "graph.ttl"), str(FIXTURES / "queries" / "service-in-text.rq")],
        ["query", "--graph", str(tmp_path / "g.jsonld"), "--engine", "rdflib",
         str(FIXTURES / "queries" / "service-in-text.rq")],
        ["network", "--graph", str(out / "graph.ttl"), "--html", str(tmp_path / "net.html"),
         "--svg", str(tmp_path / "net.svg")],
        ["network", "--graph", str(out / "graph.ttl"), "stats"],
    ]
    for args in runs:
        code = cli.main(args)
        assert code in (0, 1), (args, code)


def test_a_decimal_parameter_with_a_huge_exponent_is_refused(graph: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    from coopkg import query

    # 1e999999999 is a valid xsd:decimal whose digits the engines wrote out for minutes
    with pytest.raises(query.QueryError, match="under 1e30"):
        query.convert(query.Parameter("amount", "decimal", example="1500.50"), "1e999999999")
    assert str(query.convert(query.Parameter("amount", "decimal"), "1500.50")) == "1500.50"
    rq = _query_file(tmp_path, "# title: Amounts over a threshold\n# question:\n#   en: Which amounts?\n"
                     "#   fr: Quels montants ?\n# columns:\n#   amount: the threshold\n# parameters:\n"
                     "#   - name: amount\n#     type: decimal\n#     example: 1500.50\n"
                     "SELECT ?amount WHERE { ?s ?p ?o FILTER (?o = ?amount) }\n")
    assert cli.main(["query", rq, "--graph", str(graph), "--param", "amount=1e999999999"]) == 2
    assert "COOPKG_LIMIT_NUMBER_EXPONENT" in capsys.readouterr().err
