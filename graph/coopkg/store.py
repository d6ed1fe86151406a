"""Where the triples live: the engine choice behind one small API.

Two engines answer the same SPARQL 1.1:
* ``oxigraph`` (pyoxigraph, Rust): the default for loading, querying and validating,
  10-40x faster than rdflib's memory store at atlas scale (see the benchmark);
* ``rdflib``: the pure-Python reference, and the API users script against.

Results come back as rdflib terms whatever the engine, so callers never see two
term types; an answer that is only written out (`coopkg query`) may come as `Cell`s
instead (`Store.query_cells`), made from pyoxigraph's terms without an rdflib term.
Parameters are bound as RDF terms (SEP-0007 substitutions on Oxigraph, ``initBindings``
on rdflib), never pasted into the query text; a bound term is an rdflib term or a `Cell`.

rdflib is imported the first time an rdflib term is made or met (`_import_rdflib`), not
with this module: it is 0.15 s of every process, and a query on the on-disk store makes
none (docs/performance.md, "The start of a query process").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar
from typing import Literal as TypingLiteral

import pyoxigraph as ox

from coopkg import literal_forms
from coopkg.literal_forms import LiteralForms, is_normalised
from coopkg.namespaces import PREFIXES

if TYPE_CHECKING:
    from rdflib import BNode, Graph, Literal, URIRef, Variable
    from rdflib.term import Node

    from coopkg.terms import TermText, TextTriple
else:
    # rdflib's classes, bound here by `_import_rdflib` on first need: each function that
    # makes or tests an rdflib term calls it first (a global test, not an import, per term)
    BNode = Graph = Literal = URIRef = Variable = None


def _import_rdflib() -> None:
    global BNode, Graph, Literal, URIRef, Variable
    from rdflib import BNode, Graph, Literal, URIRef, Variable


EngineName = TypingLiteral["oxigraph", "rdflib"]
ENGINES: tuple[str, ...] = ("oxigraph", "rdflib")
Triple = tuple["Node", "Node", "Node"]
_T = TypeVar("_T")

_FORMATS = {
    ".ttl": ("turtle", ox.RdfFormat.TURTLE),
    ".nt": ("nt", ox.RdfFormat.N_TRIPLES),
    ".nq": ("nquads", ox.RdfFormat.N_QUADS),
    ".trig": ("trig", ox.RdfFormat.TRIG),
    ".jsonld": ("json-ld", ox.RdfFormat.JSON_LD),
    ".rdf": ("xml", ox.RdfFormat.RDF_XML),
    ".owl": ("xml", ox.RdfFormat.RDF_XML),
}


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# the datatypes whose lexical form rdflib rewrites even with normalize=False (whitespace
# collapsed); a Cell of such a literal goes through rdflib, so both ways give one text
_RDFLIB_REWRITES = frozenset({"http://www.w3.org/2001/XMLSchema#normalizedString",
                              "http://www.w3.org/2001/XMLSchema#token"})


def to_ox(node: Node | Cell) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term (or a `Cell`) as a pyoxigraph term."""
    if type(node) is Cell:
        return _cell_to_ox(node)  # type: ignore[arg-type]
    if URIRef is None:
        _import_rdflib()
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise TypeError(f"not an RDF term: {node!r}")


def from_ox(term: object) -> Node | None:
    """A pyoxigraph term as an rdflib term (None stays None: an unbound variable)."""
    if term is None:
        return None
    if URIRef is None:
        _import_rdflib()
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        # lexical form kept as is: an ill-typed "31.02.2004"^^xsd:date must stay visible, and
        # "0012"^^xsd:int is not rdflib's to shorten (docs/time.md section 6)
        return Literal(term.value, datatype=URIRef(datatype), normalize=False)
    raise TypeError(f"not an RDF term: {term!r}")


class Cell(NamedTuple):
    """One cell of a SELECT answer, for writing it out (`coopkg.query_output`): what the
    writers read of a term, without an rdflib term: URIRef checks every IRI and Literal
    parses every lexical form, twice the CPU of a cell on partnership-geography's 210,000
    cells at 12,000 partnerships (docs/performance.md).

    ``text``: the IRI, blank node label or lexical form (as `str` of the rdflib term);
    ``datatype``: a literal's datatype IRI, None for a plain or language-tagged string;
    ``lang``: a literal's language tag, else None.
    """

    text: str
    kind: TypingLiteral["uri", "bnode", "literal"]
    datatype: str | None = None
    lang: str | None = None

    @classmethod
    def of(cls, node: Node) -> Cell:
        """An rdflib term as a cell (answers of the rdflib engine and of endpoints)."""
        if URIRef is None:
            _import_rdflib()
        # a literal first, by exact type: rdflib's terms are ABCs, so an isinstance that fails
        # goes through ABCMeta (two thirds of writing partnership-geography's 210,000 cells)
        kind = type(node)
        if kind is Literal or (kind is not URIRef and isinstance(node, Literal)):
            lang = node.language  # type: ignore[union-attr]
            if lang:
                return _new(cls, (str(node), "literal", None, lang))
            # compared as str: URIRef's own == is Python code
            datatype = None if node.datatype is None else str(node.datatype)  # type: ignore[union-attr]
            return _new(cls, (str(node), "literal", None if datatype == _XSD_STRING else datatype, None))
        if isinstance(node, URIRef):
            return _new(cls, (str(node), "uri", None, None))
        if isinstance(node, BNode):
            return _new(cls, (str(node), "bnode", None, None))
        raise TypeError(f"not an RDF term: {node!r}")

    def term(self) -> Node:
        """The rdflib term of the cell: what `from_ox` gives for the pyoxigraph term of it
        (`Cell.of` back), its lexical form kept as it is."""
        if URIRef is None:
            _import_rdflib()
        if self.kind == "uri":
            return URIRef(self.text)
        if self.kind == "bnode":
            return BNode(self.text)
        if self.lang:
            return Literal(self.text, lang=self.lang)
        if self.datatype is None:
            return Literal(self.text)
        return Literal(self.text, datatype=URIRef(self.datatype), normalize=False)


# a Cell made as a tuple, in C: NamedTuple's own __new__ is Python code, 3x slower, paid
# per distinct term of every answer
_new = tuple.__new__


def cell_from_ox(term: object) -> Cell | None:
    """A pyoxigraph term as a cell: the same fields `Cell.of` gives for `from_ox` of it."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return _new(Cell, (term.value, "uri", None, None))
    if isinstance(term, ox.BlankNode):
        return _new(Cell, (term.value, "bnode", None, None))
    if isinstance(term, ox.Literal):
        if term.language:
            return _new(Cell, (term.value, "literal", None, term.language))
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return _new(Cell, (term.value, "literal", None, None))
        if datatype in _RDFLIB_REWRITES:
            return Cell.of(from_ox(term))  # type: ignore[arg-type]
        return _new(Cell, (term.value, "literal", datatype, None))
    raise TypeError(f"not an RDF term: {term!r}")


def _cell_to_ox(cell: Cell) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if cell.kind == "uri":
        return ox.NamedNode(cell.text)
    if cell.kind == "bnode":
        return ox.BlankNode(cell.text)
    if cell.lang:
        return ox.Literal(cell.text, language=cell.lang)
    if cell.datatype:
        return ox.Literal(cell.text, datatype=ox.NamedNode(cell.datatype))
    return ox.Literal(cell.text)


@dataclass
class CellResult:
    """A SELECT answer as cells (None when unbound), for the output writers only."""

    variables: list[str]
    rows: list[tuple[Cell | None, ...]] = field(default_factory=list)


@dataclass
class SelectResult:
    """A SELECT answer: variable names and rows of rdflib terms (None when unbound)."""

    variables: list[str]
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)

    def dicts(self) -> list[dict[str, Node | None]]:
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]


QueryResult = SelectResult | bool | list[Triple]


class Store:
    """A graph held by one engine."""

    engine: str

    def add_triples(self, triples: Iterable[Triple]) -> None:
        raise NotImplementedError

    def load_file(self, path: Path) -> None:
        raise NotImplementedError

    def query(self, sparql: str, bindings: dict[str, Node | Cell] | None = None) -> QueryResult:
        raise NotImplementedError

    def query_cells(self, sparql: str, bindings: dict[str, Node | Cell] | None = None) -> CellResult | bool | list[Triple]:
        """`query`, with a SELECT's answer as cells (`Cell`): for writing it out, not for
        working with its terms."""
        answer = self.query(sparql, bindings)
        if not isinstance(answer, SelectResult):
            return answer
        return CellResult(answer.variables,
                          [tuple(None if node is None else Cell.of(node) for node in row) for row in answer.rows])

    def text_rows(self, sparql: str) -> list[tuple[str | None, ...]]:
        """A SELECT's rows as text: ``str()`` of each term (an IRI, a literal's lexical form),
        None when unbound. For callers that only compare names (`coopkg.query.resolve`)."""
        answer = self.query(sparql)
        if not isinstance(answer, SelectResult):
            raise TypeError("text_rows needs a SELECT query")
        return [tuple(None if term is None else str(term) for term in row) for row in answer.rows]

    def __len__(self) -> int:
        raise NotImplementedError

    def triples(self) -> Iterator[Triple]:
        raise NotImplementedError

    def rdflib_graph(self) -> Graph:
        """The same triples in an rdflib Graph (for APIs that need one, e.g. pyshacl)."""
        _import_rdflib()
        graph = Graph()
        for prefix, ns in PREFIXES.items():
            graph.bind(prefix, ns)
        for triple in self.triples():
            graph.add(triple)
        return graph


class _Converted(dict[object, Any]):
    """Each distinct term of an answer converted once, in its written form: a term met
    again is a lookup in C (`dict.__getitem__`), no Python call per cell."""

    def __init__(self, store: OxigraphStore, convert: Callable[[object], Any]) -> None:
        super().__init__({None: None})
        self._store = store
        self._convert = convert

    def __missing__(self, term: object) -> Any:
        written = self._store.forms.cell(term) if is_normalised(term) else term
        converted = self[term] = self._convert(written)
        return converted


class OxigraphStore(Store):
    """Oxigraph, giving literals back as they were written (`coopkg.literal_forms`)."""

    engine = "oxigraph"

    def __init__(self) -> None:
        self.store = ox.Store()
        # Oxigraph rewrites "4.0"^^xsd:decimal as "4": the written forms, made on first need
        self._forms = LiteralForms()
        self._pending_forms: list[Callable[[], LiteralForms]] = []

    @property
    def forms(self) -> LiteralForms:
        while self._pending_forms:
            made = self._pending_forms.pop(0)()
            for key, value in made.cells.items():
                self._forms.cells.setdefault(key, value)
            for key, forms in made.triples.items():
                known = self._forms.triples.setdefault(key, [])
                known.extend(f for f in forms if f not in known)
        return self._forms

    def use_forms(self, forms: LiteralForms) -> None:
        """Take the forms table of what was loaded, made already (a build makes it from the
        emitter's text, `literal_forms.from_text_triples`), instead of reading the file again."""
        self._pending_forms.clear()
        self._forms = forms

    def add_triples(self, triples: Iterable[Triple]) -> None:
        default = ox.DefaultGraph()
        quads = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), default) for s, p, o in triples]  # type: ignore[arg-type]
        self._forms.note(quads)
        self.store.bulk_extend(quads)

    def _query(self, sparql: str, substitutions: dict | None) -> Any:
        # one place that asks pyoxigraph, so a store on disk can choose its default graph
        return self.store.query(sparql, substitutions=substitutions)

    def load_file(self, path: Path) -> None:
        fmt = _FORMATS.get(path.suffix.lower(), _FORMATS[".ttl"])[1]
        # load, not bulk_load: the same speed here, 40 % less peak memory (320 vs 515 MB
        # for 850k triples; 3.0 vs 3.3 GB for 8.5M)
        self.store.load(path=str(path), format=fmt, to_graph=ox.DefaultGraph())
        # the file is read again for its literals' forms only if an answer needs them
        self._pending_forms.append(lambda: literal_forms.from_file(path, fmt))

    def load_path(self, path: Path, fmt: ox.RdfFormat) -> None:
        """Load a graph or dataset file as it is (named graphs kept), forms noted lazily."""
        self.store.load(path=str(path), format=fmt)
        self._pending_forms.append(lambda: literal_forms.from_file(path, fmt))

    def load_data(self, data: bytes, fmt: ox.RdfFormat) -> None:
        """Load graph text (standard input); its forms are noted now, the text let go."""
        self.store.load(data, format=fmt)
        self._forms.note(ox.parse(data, format=fmt))  # type: ignore[arg-type]

    def _answer(self, sparql: str, bindings: dict[str, Node | Cell] | None) -> Any:
        subs = {ox.Variable(k): to_ox(v) for k, v in (bindings or {}).items()}
        return self._query(sparql, subs or None)

    def _rows(self, solutions: ox.QuerySolutions, convert: Callable[[object], _T]) -> list[tuple[_T, ...]]:
        """A SELECT's solutions, each term in its written form (`coopkg.literal_forms`) and
        converted by ``convert`` (None stays None: unbound)."""
        # answers repeat terms (a currency, a year, a country): convert each once; a
        # solution iterates its terms in the order of the variables (None when unbound),
        # a third faster than looking each one up by name on 10,000-row answers
        terms = _Converted(self, convert)
        return [tuple(map(terms.__getitem__, sol)) for sol in solutions]

    def query(self, sparql: str, bindings: dict[str, Node | Cell] | None = None) -> QueryResult:
        answer = self._answer(sparql, bindings)
        if isinstance(answer, ox.QueryBoolean):
            return bool(answer)
        if isinstance(answer, ox.QuerySolutions):
            return SelectResult([v.value for v in answer.variables], self._rows(answer, from_ox))
        return self._construct(answer)

    def query_cells(self, sparql: str, bindings: dict[str, Node | Cell] | None = None) -> CellResult | bool | list[Triple]:
        # cells made from pyoxigraph's terms directly, never an rdflib term on the way
        answer = self._answer(sparql, bindings)
        if isinstance(answer, ox.QueryBoolean):
            return bool(answer)
        if isinstance(answer, ox.QuerySolutions):
            return CellResult([v.value for v in answer.variables], self._rows(answer, cell_from_ox))
        return self._construct(answer)

    def _construct(self, answer: Any) -> list[Triple]:
        return [(from_ox(s), from_ox(p), from_ox(o))  # type: ignore[misc]
                for t in answer for s, p, o in self._written(t.subject, t.predicate, t.object)]

    def _written(self, s: object, p: object, o: object) -> list[tuple[object, object, object]]:
        """A stored triple as it was written (`coopkg.literal_forms`)."""
        return self.forms.triple(s, p, o) if is_normalised(o) else [(s, p, o)]  # type: ignore[arg-type, return-value]

    def text_rows(self, sparql: str) -> list[tuple[str | None, ...]]:
        # the same text as str() of the rdflib terms, without building them (half the time
        # of resolving a name among 14,000 collectivities)
        def text(term: object) -> str | None:
            cell = cell_from_ox(term)
            return None if cell is None else cell.text

        return self._rows(self._query(sparql, None), text)

    def __len__(self) -> int:
        return len(self.store)

    def triples(self) -> Iterator[Triple]:
        for quad in self.store:
            for s, p, o in self._written(quad.subject, quad.predicate, quad.object):
                yield from_ox(s), from_ox(p), from_ox(o)  # type: ignore[misc]


class RdflibStore(Store):
    engine = "rdflib"

    def __init__(self, graph: Graph | None = None) -> None:
        # rdflib gets the geof:distance that Oxigraph has built in; registered here, not when
        # coopkg.store is imported: it imports rdflib's SPARQL grammar, 0.15-0.2 s of every
        # command's start, which an Oxigraph query never uses
        from coopkg import geosparql

        _import_rdflib()
        geosparql.register()
        self.graph = graph if graph is not None else Graph()
        for prefix, ns in PREFIXES.items():
            self.graph.bind(prefix, ns)

    def add_triples(self, triples: Iterable[Triple]) -> None:
        add = self.graph.add
        for triple in triples:
            add(triple)

    def load_file(self, path: Path) -> None:
        fmt = _FORMATS.get(path.suffix.lower(), _FORMATS[".ttl"])[0]
        if fmt == "json-ld":  # rdflib fetches remote @context URLs: resolve them locally first
            from coopkg.jsonld_local import local_document

            self.graph.parse(data=local_document(path), format=fmt, publicID=path.resolve().as_uri())
            return
        self.graph.parse(path, format=fmt)

    def query(self, sparql: str, bindings: dict[str, Node | Cell] | None = None) -> QueryResult:
        _import_rdflib()
        init = {Variable(k): v.term() if type(v) is Cell else v for k, v in (bindings or {}).items()}
        answer = self.graph.query(sparql, initBindings=init)
        if answer.type == "ASK":
            return bool(answer.askAnswer)
        if answer.type == "SELECT":
            names = [str(v) for v in answer.vars or []]
            return SelectResult(names, [tuple(row) for row in answer])
        return [tuple(t) for t in answer]  # type: ignore[misc]

    def __len__(self) -> int:
        return len(self.graph)

    def triples(self) -> Iterator[Triple]:
        yield from self.graph

    def rdflib_graph(self) -> Graph:
        return self.graph


def _no_graph_loading() -> None:
    """rdflib's SPARQL engine loads FROM / FROM NAMED graphs from the web by default: never here."""
    import rdflib.plugins.sparql

    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False


def new_store(engine: str = "oxigraph") -> Store:
    if engine == "oxigraph":
        return OxigraphStore()
    if engine == "rdflib":
        _no_graph_loading()
        return RdflibStore()
    raise ValueError(f"unknown engine {engine!r} (known: {', '.join(ENGINES)})")


def open_graph(path: Path | str, engine: str = "oxigraph", forms: Path | None = None) -> Store:
    """Load a graph file (Turtle, N-Triples, TriG, JSON-LD...) into a new store.

    ``forms``: an N-Triples file of the file's literals as written (the one an on-disk store
    keeps beside graph.ttl, `coopkg.diskstore.forms_file`), read instead of parsing the whole
    graph again in Python for them (3.7 s at 12,000 partnerships) when an answer needs them.
    """
    store = new_store(engine)
    store.load_file(Path(path))
    if forms is not None and isinstance(store, OxigraphStore):
        store._pending_forms[:] = [lambda: literal_forms.from_file(forms, ox.RdfFormat.N_TRIPLES)]
    return store


def from_triples(triples: Iterable[Triple], engine: str = "oxigraph") -> Store:
    store = new_store(engine)
    store.add_triples(triples)
    return store


def from_text(triples: Iterable[TextTriple], engine: str = "oxigraph", terms: TermText | None = None,
              forms: LiteralForms | None = None) -> Store:
    """A store holding triples given as Turtle text (`coopkg.terms`, what the emitter makes;
    ``terms`` by default `coopkg.terms.GRAPH_TERMS`).

    Oxigraph parses the text itself, ~20x faster than making a term object per node.
    ``forms``: the triples' forms table when the caller made it already.
    """
    if terms is None:
        from coopkg.terms import GRAPH_TERMS  # here: it imports rdflib

        terms = GRAPH_TERMS
    if engine != "oxigraph":
        return from_triples((terms.triple_to_rdflib(t) for t in triples), engine)
    triples = triples if isinstance(triples, list) else list(triples)
    store = OxigraphStore()
    store.store.load(terms.turtle_document(triples), format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
    store.use_forms(forms if forms is not None else literal_forms.from_text_triples(triples, terms.turtle_document))
    return store
