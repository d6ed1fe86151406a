"""Which graph a command works on — one rule for every command — and loading it.

The rule (README "Which graph a command uses"), the same for query, validate, network,
export, publish and serve:

1. what the command line names: ``--endpoint URL``, ``--graph FILE`` (``-`` is standard
   input), or SOURCE record files for the commands that build from records;
2. else the graph of the last ``coopkg build`` in this folder: ``build/graph.ttl``;
3. else the bundled dataset, built in memory.

Choosing (`choose`) and loading (`open_store`, `open_input`) are separate steps: the
choice is cheap, checked before anything is read, and printed; loading is where the
time goes, and the one place a persistent on-disk store can be plugged in
(`open_file_store`). On a terminal, `announce` prints which graph was used (one line)
and what is in it (one line of counts) on stderr; in pipes and with ``-q`` it is silent.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from coopkg.errors import InputError, UsageError

if TYPE_CHECKING:
    import pyoxigraph as ox

    from coopkg.export import Input
    from coopkg.store import Store

# Where `coopkg build` writes by default, relative to the folder a command runs in.
LAST_BUILD = Path("build") / "graph.ttl"
STDIN = Path("-")

Kind = Literal["endpoint", "file", "stdin", "sources", "last-build", "bundled"]

# Graph syntaxes by name (--graph-format) and by file extension.
SYNTAXES: dict[str, str] = {"ttl": "turtle", "nt": "n-triples", "nq": "n-quads", "trig": "trig",
                            "jsonld": "json-ld", "rdf": "rdf/xml"}
EXTENSIONS: dict[str, str] = {".ttl": "ttl", ".turtle": "ttl", ".nt": "nt", ".nq": "nq", ".trig": "trig",
                              ".jsonld": "jsonld", ".json": "jsonld", ".rdf": "rdf", ".owl": "rdf", ".xml": "rdf"}


def syntax_of(path: Path) -> str | None:
    """The syntax name a graph file's extension stands for (``g.rdf`` -> ``rdf``), or None."""
    return EXTENSIONS.get(path.suffix.lower())


def ox_format(name: str) -> ox.RdfFormat:
    import pyoxigraph as ox

    return {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS,
            "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD, "rdf": ox.RdfFormat.RDF_XML}[name]


@dataclass(frozen=True)
class Choice:
    """The graph a command will work on, before anything is read."""

    kind: Kind
    path: Path | None = None
    endpoint: str | None = None
    sources: tuple[Path, ...] = ()
    syntax: str | None = None  # of a file or standard input: a SYNTAXES name

    @property
    def local(self) -> bool:
        return self.kind != "endpoint"

    def name(self) -> str:
        """What to call this graph in a message: the file, the endpoint, the sources."""
        if self.kind == "endpoint":
            return f"the endpoint {self.endpoint}"
        if self.kind == "stdin":
            return "standard input"
        if self.kind in ("file", "last-build"):
            return str(self.path)
        if self.kind == "sources":
            return ", ".join(str(s) for s in self.sources)
        return "the bundled dataset"

    def describe(self) -> str:
        """The one line saying which graph is used and why (printed on a terminal)."""
        if self.kind == "endpoint":
            return f"graph: the SPARQL endpoint {self.endpoint} (--endpoint)"
        if self.kind == "stdin":
            return f"graph: standard input ({SYNTAXES[self.syntax or 'ttl']}, --graph -)"
        if self.kind == "file":
            return f"graph: {self.path} (--graph)"
        if self.kind == "sources":
            return f"graph: built in memory from {self.name()}"
        if self.kind == "last-build":
            assert self.path is not None
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.path.stat().st_mtime))
            return f"graph: {self.path} (the last `coopkg build` in this folder, {when}; --graph FILE for another)"
        return (f"graph: the bundled dataset, built in memory (no {LAST_BUILD} here; "
                "`coopkg build` makes one, --graph FILE names another)")


def choose(graph: Path | str | None = None, endpoint: str | None = None, sources: Iterable[Path] = (),
           syntax: str | None = None, folder: Path | None = None) -> Choice:
    """Apply the rule; refuse (UsageError / InputError) what cannot be right before reading anything.

    ``syntax`` is --graph-format: needed for standard input only when it is not Turtle,
    and for a file whose extension says nothing; it must agree with the extension.
    """
    sources = tuple(Path(s) for s in sources)
    given = [name for name, value in (("--graph", graph), ("--endpoint", endpoint), ("SOURCE files", sources))
             if value]
    if len(given) > 1:
        raise UsageError(f"give only one of {' and '.join(given)}: they name different graphs")
    if syntax is not None and syntax not in SYNTAXES:
        raise UsageError(f"--graph-format {syntax!r}: unknown (known: {', '.join(SYNTAXES)})")
    if syntax is not None and graph is None:
        raise UsageError("--graph-format goes with --graph FILE or --graph -")
    if endpoint:
        if not endpoint.startswith(("http://", "https://")):
            raise UsageError(f"--endpoint {endpoint!r}: not an http(s) URL")
        return Choice("endpoint", endpoint=endpoint)
    if graph is not None:
        path = Path(graph)
        if path == STDIN:
            return Choice("stdin", path=STDIN, syntax=syntax or "ttl")
        if not path.is_file():
            raise InputError(f"--graph {path}: no such file")
        by_name = syntax_of(path)
        if syntax and by_name and syntax != by_name:
            raise UsageError(f"--graph {path}: the extension says {by_name}, --graph-format says {syntax}")
        return Choice("file", path=path, syntax=syntax or by_name or "ttl")
    if sources:
        missing = [str(s) for s in sources if str(s) != "-" and not s.exists()]
        if missing:
            raise InputError(f"no such file: {', '.join(missing)}")
        return Choice("sources", sources=sources)
    last = (folder or Path()) / LAST_BUILD
    if last.is_file():
        return Choice("last-build", path=LAST_BUILD if folder is None else last, syntax="ttl")
    return Choice("bundled")


# -- loading ------------------------------------------------------------------------------
@dataclass
class Opened:
    """A loaded local graph, and the reading problems of records it was built from."""

    store: Store
    choice: Choice
    problems: list[Any] = field(default_factory=list)
    records: int | None = None  # how many records it was built from (None: a graph file)

    @property
    def errors(self) -> list[Any]:
        return [p for p in self.problems if getattr(p, "severity", "error") == "error"]


def _stdin_bytes() -> bytes:
    data = sys.stdin.buffer.read()
    if not data.strip():
        raise InputError("--graph -: standard input is empty")
    return data


def open_file_store(path: Path, syntax: str, engine: str = "oxigraph", scans: bool = False) -> Store:
    """A graph file in a store: its on-disk store when `coopkg build` left one that still
    matches the file (`coopkg.diskstore`; said once when it does not), else the file parsed.
    ``scans``: for work that reads most of the graph (validation, the network), which parses
    a small graph into memory even when a store is there (`diskstore.load_for_scans`)."""
    from coopkg import diskstore
    from coopkg.store import new_store

    if engine == "oxigraph" and syntax == "ttl" and diskstore.folder(path).is_dir():
        return diskstore.load_for_scans(path) if scans else diskstore.load_built(path)

    store = new_store(engine)
    if engine == "oxigraph":
        # through the store's own loader, which keeps the literals' written forms (docs/time.md)
        store.load_path(path, ox_format(syntax))  # type: ignore[attr-defined]
    elif SYNTAXES[syntax] == "json-ld":  # rdflib fetches remote @context URLs: resolved locally instead
        from coopkg.jsonld_local import local_document

        store.graph.parse(data=local_document(path), format="json-ld",  # type: ignore[attr-defined]
                          publicID=path.resolve().as_uri())
    else:
        store.graph.parse(str(path), format=SYNTAXES[syntax])  # type: ignore[attr-defined]
    return store


def _unreadable(choice: Choice, err: Exception) -> InputError:
    return InputError(f"{choice.name()}: cannot read the graph ({SYNTAXES.get(choice.syntax or 'ttl')}): {err}")


def open_remote(choice: Choice, default_graphs: Iterable[str] = (), timeout: float | None = None) -> Store:
    """An endpoint choice as a read-only store whose queries run there (`coopkg.endpoint_store`);
    ``timeout``: seconds for each query (else `EndpointStore`'s default)."""
    from coopkg.endpoint_store import EndpointStore

    assert choice.endpoint is not None
    if timeout is None:
        return EndpointStore(choice.endpoint, tuple(default_graphs))
    return EndpointStore(choice.endpoint, tuple(default_graphs), timeout=timeout)


def open_store(choice: Choice, engine: str = "oxigraph", reader: str | None = None, mapping: str | None = None,
               base: str | None = None, include_contacts: bool = False, scans: bool = False) -> Opened:
    """Load a local choice into a store (Oxigraph by default, or rdflib); ``scans`` as in `open_file_store`."""
    from coopkg import store as stores

    if choice.kind == "endpoint":
        raise ValueError("an endpoint is not loaded: query it")
    try:
        if choice.kind in ("file", "last-build"):
            assert choice.path is not None
            return Opened(open_file_store(choice.path, choice.syntax or "ttl", engine, scans), choice)
        if choice.kind == "stdin":
            data = _stdin_bytes()
            opened = stores.new_store(engine)
            if engine == "oxigraph":
                opened.load_data(data, ox_format(choice.syntax or "ttl"))  # type: ignore[attr-defined]
            elif SYNTAXES[choice.syntax or "ttl"] == "json-ld":  # no remote @context fetched
                from coopkg.jsonld_local import local_text

                opened.graph.parse(data=local_text(data, "standard input"), format="json-ld")  # type: ignore[attr-defined]
            else:
                opened.graph.parse(data=data, format=SYNTAXES[choice.syntax or "ttl"])  # type: ignore[attr-defined]
            return Opened(opened, choice)
    except (OSError, SyntaxError, ValueError) as err:
        raise _unreadable(choice, err) from err
    from coopkg import build

    options = {"mapping": mapping} if mapping else {}
    loaded = build.load(list(choice.sources) or None, reader=reader, **options)
    text = build.graph_text(loaded.records, base, include_contacts)
    return Opened(stores.from_text(text, engine), choice, loaded.problems, len(loaded.records))


def open_input(choice: Choice, reader: str | None = None, mapping: str | None = None, base: str | None = None,
               include_contacts: bool = False, with_quads: bool = False) -> Input:
    """Load a local choice as an export `Input` (a triple table; quads when records were read)."""
    from coopkg import export
    from coopkg.termtable import TripleTable

    try:
        if choice.kind in ("file", "last-build"):
            assert choice.path is not None
            return export.Input(TripleTable.from_file(choice.path, ox_format(choice.syntax or "ttl")), str(choice.path))
        if choice.kind == "stdin":
            import pyoxigraph as ox

            parsed = ox.parse(_stdin_bytes(), format=ox_format(choice.syntax or "ttl"))
            return export.Input(TripleTable.from_triples(parsed), "standard input")
    except (OSError, SyntaxError, ValueError) as err:
        raise _unreadable(choice, err) from err
    return export.records_input(list(choice.sources) or None, base, include_contacts, reader, with_quads, mapping)


# -- saying what was chosen ---------------------------------------------------------------
# The classes the counts line names, in this order, with their plural.
_COUNTED = (("Collectivity", "collectivities"), ("Institution", "institutions"), ("Partnership", "partnerships"),
            ("Agreement", "agreements"), ("Project", "projects"), ("Funding", "fundings"))

_COUNT_QUERY = """SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c
  FILTER(?c IN (%s)) } GROUP BY ?c"""


def store_counts(store: Store) -> tuple[int, dict[str, int]]:
    """(triples, subjects per counted coop: class) of a store."""
    from coopkg.namespaces import COOP  # the IRI as text: `coopkg query` on a terminal imports no rdflib

    classes = ", ".join(f"<{COOP}{name}>" for name, _ in _COUNTED)
    rows = store.text_rows(_COUNT_QUERY % classes)
    counts = {str(c)[len(COOP):]: int(n or 0) for c, n in rows}
    return len(store), counts


def table_counts(table: Any) -> tuple[int, dict[str, int]]:
    """The same counts from an export triple table (`coopkg.termtable.TripleTable`)."""
    from coopkg.vocab import COOP, RDF

    counts: dict[str, int] = {}
    for name, _ in _COUNTED:
        found = len(table.subjects_with(str(RDF.type), f"{COOP}{name}"))
        if found:
            counts[name] = found
    return len(table.canonical()), counts


def counts_line(triples: int, counts: dict[str, int]) -> str:
    parts = [f"{counts[name]:,} {plural}" for name, plural in _COUNTED if counts.get(name)]
    return f"  {triples:,} triples" + (": " + ", ".join(parts) if parts else "")


def on_terminal(quiet: bool = False) -> bool:
    return not quiet and sys.stderr.isatty()


def announce(command: str, choice: Choice, counts: tuple[int, dict[str, int]] | None = None,
             quiet: bool = False) -> None:
    """On a terminal: which graph (one line) and, when given, what is in it (one line), on stderr."""
    if not on_terminal(quiet):
        return
    print(f"coopkg {command}: {choice.describe()}", file=sys.stderr)
    if counts is not None:
        print(counts_line(*counts), file=sys.stderr)
    sys.stderr.flush()


def add_graph_arguments(parser: Any, endpoint: bool = False, help_default: str | None = None) -> None:
    """--graph FILE|- and --graph-format (and --endpoint URL) as every command spells them."""
    parser.add_argument("--graph", type=Path, metavar="FILE|-",
                        help=help_default or "graph file (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML; "
                        "'-' reads standard input); default: build/graph.ttl if present, else the bundled dataset")
    parser.add_argument("--graph-format", choices=tuple(SYNTAXES), metavar="FORMAT",
                        help=f"syntax of --graph when its extension does not say, or of '-' (default ttl; "
                        f"{', '.join(SYNTAXES)})")
    if endpoint:
        parser.add_argument("--endpoint", metavar="URL", help="a remote SPARQL endpoint instead of a local graph")


__all__ = [
    "EXTENSIONS",
    "LAST_BUILD",
    "SYNTAXES",
    "Choice",
    "Opened",
    "add_graph_arguments",
    "announce",
    "choose",
    "counts_line",
    "on_terminal",
    "open_file_store",
    "open_input",
    "open_remote",
    "open_store",
    "store_counts",
    "syntax_of",
    "table_counts",
]
