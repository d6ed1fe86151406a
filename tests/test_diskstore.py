"""The on-disk store beside graph.ttl: used when fresh, refused when stale, replaced atomically."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from coopkg import cli, diskstore, query, query_output, validate
from coopkg.query import binding
from coopkg.store import OxigraphStore, SelectResult, open_graph

FIXTURES = Path(__file__).parent / "fixtures" / "validate"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
EXTRA = "<https://example.org/hand-edit> <http://www.w3.org/2000/01/rdf-schema#label> \"added by hand\" .\n"


def _count(store: object) -> int:
    answer = store.query(COUNT)  # type: ignore[attr-defined]
    assert isinstance(answer, SelectResult)
    return int(answer.rows[0][0])  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built") / "build"
    assert cli.main(["build", "--out", str(out), "-q"]) == 0
    return out / "graph.ttl"


def test_build_leaves_a_fresh_store_holding_exactly_the_graph(built: Path) -> None:
    store_dir, why = diskstore.freshness(built)
    assert store_dir is not None and why == ""
    record = json.loads((diskstore.folder(built) / diskstore.RECORD).read_text(encoding="utf-8"))
    assert record["size"] == built.stat().st_size and record["store"] == store_dir.name
    opened = diskstore.load_built(built)
    assert isinstance(opened, diskstore.PersistentStore)
    from_file = open_graph(built)
    # the validation support triples (class hierarchy) are kept apart: queries see graph.ttl only
    assert _count(opened) == _count(from_file) == len(opened) == record["triples"]
    # literal forms: the written ones ("177837.0"^^xsd:decimal), not Oxigraph's canonical "177837"
    # (coopkg.literal_forms, kept beside the store by the build): the same triples as the file
    assert set(opened.triples()) == set(from_file.triples())


def test_query_uses_the_fresh_store(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["query", "partnerships-per-kind", "--graph", str(built), "--format", "csv"]) == 0
    captured = capsys.readouterr()
    assert "loading the file" not in captured.err
    on_store = captured.out
    answer = query.run(query.find_query("partnerships-per-kind"), {}, query.LocalRunner(open_graph(built)))
    text = io.StringIO()
    query_output.write(answer, "csv", text)
    assert on_store == text.getvalue()


def test_validation_on_the_store_gives_the_file_report(built: Path) -> None:
    persistent = diskstore.open_persistent(built)
    assert persistent is not None
    on_store = validate.validate(persistent)
    in_memory = validate.validate(open_graph(built))
    assert sorted(map(str, on_store.results)) == sorted(map(str, in_memory.results))
    assert validate.render_text(on_store) == validate.render_text(in_memory)
    assert on_store.violations == in_memory.violations
    # nothing was written into the read-only store, and it still matches graph.ttl
    assert diskstore.freshness(built)[0] is not None


def test_a_graph_edited_by_hand_is_loaded_from_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "build"
    assert cli.main(["build", "--out", str(out), "-q"]) == 0
    graph = out / "graph.ttl"
    before = _count(diskstore.load_built(graph))
    with graph.open("a", encoding="utf-8") as handle:
        handle.write(EXTRA)
    store_dir, why = diskstore.freshness(graph)
    assert store_dir is None and "changed" in why
    capsys.readouterr()
    opened = diskstore.load_built(graph)
    assert isinstance(opened, OxigraphStore) and not isinstance(opened, diskstore.PersistentStore)
    assert _count(opened) == before + 1  # the hand edit is what the command sees
    again = diskstore.load_built(graph)
    assert _count(again) == before + 1
    err = capsys.readouterr().err
    assert err.count("loading the file") == 1 and str(graph) in err

    # same size, other bytes: the modification time tells
    assert cli.main(["build", "--out", str(out), "-q"]) == 0
    assert diskstore.freshness(graph)[0] is not None
    edited = graph.read_bytes().replace(b"Timi", b"Tima", 1)
    assert len(edited) == len(graph.read_bytes())
    graph.write_bytes(edited)
    assert diskstore.freshness(graph)[0] is None


def test_a_failed_build_keeps_the_previous_graph_and_store(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text((FIXTURES / "actors.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "build"
    assert cli.main(["build", str(good), "--out", str(out), "-q"]) == 0
    graph = out / "graph.ttl"
    before = graph.read_bytes()
    record = (diskstore.folder(graph) / diskstore.RECORD).read_bytes()
    count = _count(diskstore.load_built(graph))

    # a violation: nothing replaced, no temporary store or file left
    assert cli.main(["build", str(good), str(FIXTURES / "dates.yaml"), "--out", str(out), "-q"]) == 1
    assert graph.read_bytes() == before
    assert (diskstore.folder(graph) / diskstore.RECORD).read_bytes() == record
    persistent = diskstore.open_persistent(graph)
    assert persistent is not None and _count(persistent) == count
    assert not [p for p in diskstore.folder(graph).iterdir() if p.name.startswith(".tmp-")]
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_a_build_that_dies_while_writing_the_store_keeps_the_previous_one(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "build"
    assert cli.main(["build", "--out", str(out), "-q", "--no-validate"]) == 0
    graph = out / "graph.ttl"
    before = graph.read_bytes()
    record = (diskstore.folder(graph) / diskstore.RECORD).read_bytes()

    def broken(self: diskstore.PendingStore, *args: object) -> None:
        raise OSError("disk full (simulated)")

    # both ways a build loads its store (fed while emitting, or from the written file)
    monkeypatch.setattr(diskstore.PendingStore, "_bulk_load", broken)
    monkeypatch.setattr(diskstore.PendingStore, "_bulk_load_document", broken)
    assert cli.main(["build", str(FIXTURES / "actors.yaml"), "--out", str(out), "-q", "--no-validate"]) == 3
    assert graph.read_bytes() == before
    assert (diskstore.folder(graph) / diskstore.RECORD).read_bytes() == record
    assert diskstore.freshness(graph)[0] is not None
    assert not [p for p in diskstore.folder(graph).iterdir() if p.name.startswith(".tmp-")]


def test_a_new_build_replaces_the_store_and_prunes_old_ones(tmp_path: Path) -> None:
    out = tmp_path / "build"
    for _ in range(3):
        assert cli.main(["build", "--out", str(out), "-q", "--no-validate"]) == 0
    graph = out / "graph.ttl"
    store_dir = diskstore.freshness(graph)[0]
    assert store_dir is not None
    stores = [p for p in diskstore.folder(graph).iterdir() if p.is_dir()]
    assert store_dir in stores and len(stores) <= 2  # the current one and the one before


def test_big_graphs_validate_on_the_store(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert not isinstance(diskstore.load_for_scans(built), diskstore.PersistentStore)
    monkeypatch.setattr(diskstore, "IN_MEMORY_MAX_TRIPLES", 10)
    assert isinstance(diskstore.load_for_scans(built), diskstore.PersistentStore)


def test_a_build_validated_on_the_store_keeps_its_names_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a graph over IN_MEMORY_MAX_TRIPLES is validated on the store, which adds validation's
    # support triples: the index of names must still be written, and from the graph alone
    def index_of(where: Path) -> bytes:
        assert cli.main(["build", "--out", str(where), "-q"]) == 0
        store_dir, _ = diskstore.freshness(where / "graph.ttl")
        assert store_dir is not None
        names = store_dir.with_name(store_dir.name + diskstore.NAMES)
        assert names.is_file(), "no index of names beside the store"
        return names.read_bytes()

    in_memory = index_of(tmp_path / "memory")
    monkeypatch.setattr(diskstore, "IN_MEMORY_MAX_TRIPLES", 10)
    assert index_of(tmp_path / "store") == in_memory


def test_triples_with_a_blank_node_are_fed_in_one_document() -> None:
    # a blank node label names one node within one document only: the store is fed several
    from coopkg import build

    triples = [("<urn:a>", "<urn:p>", '"x"'), ("_:b1", "<urn:p>", '"_: in a string"'),
               ("<urn:c>", "<urn:q>", "_:b1"), ("<urn:d>", "<urn:p>", '"has _: too"')]
    held: list = []
    text = b"".join(build._statements(triples, held))
    assert held == triples[1:3]
    assert text == b'<urn:a> <urn:p> "x" .\n<urn:d> <urn:p> "has _: too" .\n'
    fed: list[bytes] = []
    build.graph_grouped([], feed=lambda pieces: fed.append(b"".join(pieces)), feed_every=10)
    assert len(fed) > 1 and all(b"_:" not in doc for doc in fed[:-1])


def test_a_graph_of_fewer_than_two_batches_is_one_document() -> None:
    # one set of files in the store (scans of several are slower); past two batches, documents
    # of one batch each (the store's bulk load of one takes memory in proportion)
    from coopkg import build

    vocabulary = len(build.vocabulary_triples())  # what an empty build emits
    for every in (vocabulary // 2 + 1, vocabulary, vocabulary * 2, vocabulary // 2, vocabulary // 3, vocabulary // 5):
        batches = vocabulary // every
        documents = 1 if batches < 2 else batches + (vocabulary % every > 0)
        fed: list[bytes] = []
        build.graph_grouped([], feed=lambda pieces, fed=fed: fed.append(b"".join(pieces)), feed_every=every)
        assert len(fed) == documents, every
        assert all(doc.count(b" .\n") == every for doc in fed[:-1])
        assert sum(doc.count(b" .\n") for doc in fed) == vocabulary
    # the build's way: small documents, yet one for a graph of fewer than ``whole`` triples
    every = vocabulary // 5
    split = vocabulary // every + (vocabulary % every > 0)
    for whole, documents in ((vocabulary + 1, 1), (every * 5, split), (every * 2, split)):
        fed = []
        build.graph_grouped([], feed=lambda pieces, fed=fed: fed.append(b"".join(pieces)),
                            feed_every=every, whole=whole)
        assert len(fed) == documents, whole
        assert sum(doc.count(b" .\n") for doc in fed) == vocabulary


def test_a_store_fed_in_many_documents_is_the_one_fed_in_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the 120,000-partnership build feeds its store 40 documents of 250,000 triples: the same graph.ttl, quads, forms
    # and names index as one document (what a smaller build gives)
    def made(where: Path) -> tuple[bytes, list[str], bytes, bytes]:
        assert cli.main(["build", "--out", str(where), "-q", "--no-validate"]) == 0
        store_dir, _ = diskstore.freshness(where / "graph.ttl")
        assert store_dir is not None
        quads = sorted(str(q) for q in diskstore.open_persistent(where / "graph.ttl").store)  # type: ignore[union-attr]
        return ((where / "graph.ttl").read_bytes(), quads, store_dir.with_name(store_dir.name + diskstore.FORMS).read_bytes(),
                store_dir.with_name(store_dir.name + diskstore.NAMES).read_bytes())

    whole = made(tmp_path / "one")
    fed: list[int] = []
    feed = diskstore.PendingStore.feed

    def counted(self: diskstore.PendingStore, statements: list[bytes]) -> None:
        fed.append(1)
        feed(self, statements)

    monkeypatch.setattr(diskstore.PendingStore, "feed", counted)
    monkeypatch.setattr(diskstore, "BATCH", 297)
    monkeypatch.setattr(diskstore, "WHOLE", 900)
    pieces = made(tmp_path / "many")
    assert len(fed) > 5
    assert pieces[0] == whole[0] and pieces[2] == whole[2] and pieces[3] == whole[3]
    assert pieces[1] == whole[1] and len(whole[1]) > 5 * 297


def test_statements_in_pieces_join_to_the_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    # a batch encoded a slice at a time: the pieces' join is the one document, blank nodes held
    from coopkg import build

    monkeypatch.setattr(build, "_STATEMENT_SLICE", 2)
    triples = [(f"<urn:s{i}>", "<urn:p>", "_:b" if i == 3 else f'"é{i}"') for i in range(7)]
    held: list = []
    pieces = build._statements(triples, held)
    assert len(pieces) == 4 and held == [triples[3]]
    assert b"".join(pieces) == "".join(f"{s} {p} {o} .\n" for s, p, o in triples if s != "<urn:s3>").encode()


# -- the index of folded names beside the store (docs/performance.md, "Resolving a name or key") --
def _outcome(runner: query.LocalRunner, kind: str, value: str) -> str:
    try:
        return str(binding.resolve(runner, kind, value))
    except query.QueryError as err:
        return f"error: {err}"


def _values(index: binding.NameIndex, kind: str, every: int) -> list[str]:
    """Names to resolve: the spellings of a few namesakes (several IRIs) and of every
    ``every``-th entry, their shouted forms, near misses (not found, with suggestions) and
    nothing at all."""
    values = ["", "!!!", "no such place anywhere"]
    sections = {binding._sections()[c] for c in query.RECORD_TYPES[kind]}
    entries = [e for e in index._entries(index.start) if e[0] in sections]
    chosen = [e for e in entries if len(e[3]) > 1][:3] + entries[::every]
    for _, form, shown, records in chosen:
        values += sorted({name for _, names in records for name in names})[:2]
        values += [shown.upper(), shown + "x", form[:-1]]
    return values


def _paths_agree(graph: Path, monkeypatch: pytest.MonkeyPatch, every: int) -> int:
    """Resolve by the index and by SPARQL (the same store without it, and the file parsed into
    memory, what a stale store falls back to): the same IRI or the same message. Returns how
    many answers were ambiguous."""
    indexed = diskstore.open_persistent(graph)
    assert indexed is not None and indexed.names_file is not None
    index = binding.read_name_index(indexed.names_file)
    assert index is not None
    plain = diskstore.open_persistent(graph)
    assert plain is not None
    plain.names_file = None
    memory = open_graph(graph)
    ambiguous = 0
    for kind in sorted(query.RECORD_TYPES):
        values = _values(index, kind, every)
        by_sparql = [_outcome(query.LocalRunner(plain), kind, v) for v in values]
        assert by_sparql == [_outcome(query.LocalRunner(memory), kind, v) for v in values]
        with monkeypatch.context() as patched:
            def no_sparql(*args: object) -> None:
                raise AssertionError("the index path read the labels by SPARQL")

            patched.setattr(binding, "_label_rows", no_sparql)
            by_index = [_outcome(query.LocalRunner(indexed), kind, v) for v in values]
        assert by_index == by_sparql, kind
        ambiguous += sum(" records of type " in answer for answer in by_index)
        assert len(values) == 3 or any(answer.startswith("https://") for answer in by_index), kind
    return ambiguous


def test_names_resolve_by_the_index_as_by_sparql(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _paths_agree(built, monkeypatch, every=40)


def test_namesakes_resolve_by_the_index_as_by_sparql(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    atlas = tmp_path / "atlas.jsonl"
    assert cli.main(["bench", "generate", "--partnerships", "300", "--seed", "3", "--out", str(atlas)]) == 0
    out = tmp_path / "build"
    assert cli.main(["build", str(atlas), "--out", str(out), "-q", "--no-validate"]) == 0
    assert _paths_agree(out / "graph.ttl", monkeypatch, every=400) > 0  # namesakes were asked about


def test_a_stale_store_resolves_names_by_sparql(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "build"
    assert cli.main(["build", "--out", str(out), "-q", "--no-validate"]) == 0
    graph = out / "graph.ttl"
    # a name the index does not know: given to a collectivity by hand after the build
    with graph.open("a", encoding="utf-8") as handle:
        handle.write("<https://w3id.org/coopkg/id/collectivity/ro-timis> "
                     "<http://www.w3.org/2004/02/skos/core#altLabel> \"Zed by hand\" .\n")
    args = ["query", "active-partnerships", "--graph", str(graph), "--format", "csv", "--param"]
    assert cli.main([*args, "collectivity=Zed by hand"]) == 0
    stale = capsys.readouterr()
    assert "changed since" in stale.err and "ro-timis" in stale.out
    # an index of another folding (another Unicode database, say) is not read
    assert cli.main(["build", "--out", str(out), "-q", "--no-validate"]) == 0
    indexed = diskstore.open_persistent(graph)
    assert indexed is not None and indexed.names_file is not None
    written = indexed.names_file.read_bytes()
    indexed.names_file.write_bytes(written.replace(b'"unicode": "', b'"unicode": "0', 1))
    assert binding.read_name_index(indexed.names_file) is None
    assert _outcome(query.LocalRunner(indexed), "collectivity", "Timiș").endswith("/ro-timis")
    assert indexed.names_file is None  # dropped once found unusable


def test_the_index_of_names_is_deterministic_and_goes_with_its_store(tmp_path: Path) -> None:
    out = tmp_path / "build"
    written = []
    for _ in range(3):
        assert cli.main(["build", "--out", str(out), "-q", "--no-validate"]) == 0
        indexed = diskstore.open_persistent(out / "graph.ttl")
        assert indexed is not None and indexed.names_file is not None
        written.append(indexed.names_file.read_bytes())
    assert written[0] == written[1] == written[2]
    where = diskstore.folder(out / "graph.ttl")
    stores = {p.name for p in where.iterdir() if p.is_dir()}
    kept = {p.name[: -len(diskstore.NAMES)] for p in where.glob(f"*{diskstore.NAMES}")}
    assert kept == stores


def test_the_index_of_names_made_from_the_groups_is_the_one_read_from_the_store(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    atlas = tmp_path / "atlas.jsonl"
    assert cli.main(["bench", "generate", "--partnerships", "300", "--seed", "3", "--out", str(atlas)]) == 0
    written = []
    with monkeypatch.context() as patched:  # the one-process build makes it from the triples it writes
        def no_store(*args: object) -> bytes:
            raise AssertionError("the index was read from the store")

        patched.setattr(binding, "name_index", no_store)
        assert cli.main(["build", str(atlas), "--out", str(tmp_path / "one"), "-q", "--no-validate", "--jobs", "1"]) == 0
    # a parallel build (no groups in this process) reads it from the store once loaded
    assert cli.main(["build", str(atlas), "--out", str(tmp_path / "two"), "-q", "--no-validate", "--jobs", "2"]) == 0
    for out in ("one", "two"):
        indexed = diskstore.open_persistent(tmp_path / out / "graph.ttl")
        assert indexed is not None and indexed.names_file is not None
        written.append(indexed.names_file.read_bytes())
        assert binding.name_index(indexed) == written[-1]
    assert written[0] == written[1] and written[0].count(b"\n") > 300


def test_a_typed_label_leaves_the_index_to_the_store() -> None:
    from coopkg.turtle import _TYPE_KEY

    record = "<https://w3id.org/coopkg/id/collectivity/x-1>"
    plain = {record: [_TYPE_KEY, "coop:Collectivity", "rdfs:label", '"Ar\\"ad"@ro']}
    made = binding.name_index_of_groups(plain, _TYPE_KEY)
    assert made is not None and b'"x-1",["Ar\\"ad"]' in made and b'"ar ad"' in made
    typed = {record: [_TYPE_KEY, "coop:Collectivity", "rdfs:label", '"Arad"^^xsd:token']}
    assert binding.name_index_of_groups(typed, _TYPE_KEY) is None


def test_the_names_index_from_triples_reads_the_label_query_s_properties() -> None:
    """`name_index_of_groups` and the label query must read the same label properties, or the
    two ways of making the index would differ on a graph using the one left out."""
    import re

    spelled = re.findall(r"\?record (\S+) \?label", binding._LABEL_UNIONS)
    assert spelled == [name for name, _ in binding._LABEL_NAMES]
    assert [str(p) for p in binding._LABEL_PROPERTIES] == [iri for _, iri in binding._LABEL_NAMES]
    for name, iri in binding._LABEL_NAMES:
        prefix, local = name.split(":")
        assert f"PREFIX {prefix}: <{iri[: -len(local)]}>" in binding._LABELS_HEAD


def test_the_index_header_hashes_the_record_classes_as_when_they_were_rdflib_terms() -> None:
    """RECORD_TYPES holds IRI text now; the header's made_by must not change with it, or every
    index written before would be refused (and names resolved by SPARQL, slowly)."""
    from rdflib import URIRef

    as_terms = {kind: tuple(URIRef(c) for c in classes) for kind, classes in query.RECORD_TYPES.items()}
    assert binding._record_types_text() == repr(sorted(as_terms.items()))
    assert any(len(classes) > 1 for classes in as_terms.values()) and any(len(c) == 1 for c in as_terms.values())
