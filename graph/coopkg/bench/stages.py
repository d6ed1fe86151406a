"""One benchmark stage, run in a fresh process so its peak memory is its own.

``python -m coopkg.bench.stages STAGE WORKDIR`` runs STAGE on the files of WORKDIR
(``atlas.jsonl`` and, once built, ``graph.ttl``) and prints one JSON object: the wall
time of the stage's own work (set-up such as loading the input is excluded unless the
stage is about it), the peak resident set size of the process, triples and notes.
"""

from __future__ import annotations

import filecmp
import io
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

Result = dict[str, Any]


class Clock:
    """Times the part of a stage that is measured (``with clock:``)."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __enter__(self) -> Clock:
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds += time.perf_counter() - self._start


def _records(work: Path) -> Path:
    return work / "atlas.jsonl"


def _ttl(work: Path) -> Path:
    return work / "graph.ttl"


def _load_records(work: Path) -> Any:
    from coopkg import build

    return build.load([_records(work)])


def _ox_store(work: Path) -> Any:
    """graph.ttl parsed into memory, as commands that scan it do (`coopkg.diskstore.load_in_memory`)."""
    from coopkg.diskstore import load_in_memory

    return load_in_memory(_ttl(work))


# -- floors: the same bytes, read or written --------------------------------------------

def floor_read_records(work: Path, clock: Clock) -> Result:
    with clock:
        data = _records(work).read_bytes()
    return {"bytes": len(data)}


def floor_read_ttl(work: Path, clock: Clock) -> Result:
    with clock:
        data = _ttl(work).read_bytes()
    return {"bytes": len(data)}


def floor_write_ttl(work: Path, clock: Clock) -> Result:
    data = _ttl(work).read_bytes()
    out = work / "floor-copy.ttl"
    with clock, open(out, "wb") as handle:
        handle.write(data)
    out.unlink()
    return {"bytes": len(data)}


# -- the pipeline ---------------------------------------------------------------------------

def read(work: Path, clock: Clock) -> Result:
    with clock:
        loaded = _load_records(work)
    return {"records": len(loaded.records), "problems": len(loaded.problems)}


def _grouped(work: Path, clock: Clock | None = None) -> Any:
    """The records' graph grouped by subject as `coopkg build` emits it (`build.graph_grouped`:
    the records let go on the way, the forms table's candidates sorted out a batch at a time),
    without the store the build feeds meanwhile. ``clock`` times the emitting, not the reading."""
    from coopkg import build, diskstore

    loaded = _load_records(work)
    records, loaded.records = loaded.records, []
    with clock or Clock():
        return build.graph_grouped(records, consume=True, feed_every=diskstore.BATCH, whole=diskstore.WHOLE)


def emit(work: Path, clock: Clock) -> Result:
    """The emitter as the build runs it (`_grouped`): not a list of every triple (~1 GB more at
    120,000 partnerships, which no command holds). ``triples``: as emitted, repeats included."""
    grouped = _grouped(work, clock)
    return {"triples": sum(map(len, grouped.by_subject.values())) // 2}


def write_turtle(work: Path, clock: Clock) -> Result:
    """The groups written as the build writes graph.ttl (`build.write_grouped`: sorted, each
    triple once, the coop: classes counted)."""
    from coopkg import build

    grouped = _grouped(work)
    out = work / "graph-write.ttl"
    with clock:
        count = build.write_grouped(grouped, out)[0]
    out.unlink()
    return {"triples": count}


def build_graph(work: Path, clock: Clock) -> Result:
    """records -> graph -> Turtle and its on-disk store, as `coopkg build --no-validate --jobs 1`
    does (the build target; the store is what later stages and commands open)."""
    from coopkg import build, build_report

    with clock:
        loaded = build.load([_records(work)])
        records, loaded.records = loaded.records, []
        read = len(records)
        count = build_report.write_records(records, _ttl(work))[1]
    return {"triples": count, "records": read, "bytes": _ttl(work).stat().st_size}


def _children_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def build_parallel(work: Path, clock: Clock) -> Result:
    """`build` over both cores (`coopkg build --no-validate`, `coopkg.parallel`), into a folder
    of its own; says whether graph.ttl has the one-process bytes. Peak memory: this process's
    (``peak_rss_mb``) and the largest worker's (``workers_peak_rss_mb``)."""
    from coopkg import build, build_report, parallel

    out = work / "parallel" / "graph.ttl"
    out.parent.mkdir(exist_ok=True)
    with clock:
        loaded = build.load([_records(work)])
        records, loaded.records = loaded.records, []
        jobs = max(2, parallel.default_jobs(len(records)))
        count = build_report.write_records(records, out, jobs=jobs)[1]
    # compared a block at a time: both files' bytes (1.1 GB at 120,000 partnerships) set the stage's peak
    same = filecmp.cmp(out, _ttl(work), shallow=False)
    return {"triples": count, "jobs": jobs, "same_bytes": same, "workers_peak_rss_mb": _children_peak_mb()}


def query_process(name: str) -> Callable[[Path, Clock], Result]:
    """`coopkg query NAME --graph graph.ttl` as a whole process on the built store (start-up,
    opening the store, the query, writing CSV): what a user waits."""

    def stage(work: Path, clock: Clock) -> Result:
        import subprocess

        from coopkg.diskstore import open_persistent

        store = open_persistent(_ttl(work))
        if store is None:
            raise RuntimeError("no fresh store beside graph.ttl: run the build stage first")
        values = _values(_canned()[name], _examples(store))
        del store
        argv = [sys.executable, "-m", "coopkg.cli", "query", name, "--graph", str(_ttl(work)), "--format", "csv"]
        for key, value in values.items():
            argv += ["--param", f"{key}={value}"]
        with clock:
            done = subprocess.run(argv, capture_output=True, text=True, check=False)
        if done.returncode != 0 or "loading the file" in done.stderr:
            raise RuntimeError(f"coopkg query {name}: {done.stderr.strip()[-300:]}")
        return {"rows": max(0, done.stdout.count("\n") - 1), "process_peak_rss_mb": _children_peak_mb(),
                "parameters": values}

    return stage


def validate_store(work: Path, clock: Clock) -> Result:
    """`coopkg validate` on the on-disk store (what a graph over 2,000,000 triples uses): the memory
    stays that of the report, not of the graph."""
    from coopkg import validate as v
    from coopkg.diskstore import open_persistent

    with clock:
        store = open_persistent(_ttl(work))
        if store is None:
            raise RuntimeError("no fresh store beside graph.ttl: run the build stage first")
        report = v.validate(store, "fast")
    return {"triples": len(store), "violations": report.violations, "warnings": report.warnings}


def validate_remote(work: Path, clock: Clock) -> Result:
    """`coopkg validate --endpoint`: the shapes as SPARQL over HTTP on a local Oxigraph server
    serving the built store read-only (its start is outside the clock)."""
    from coopkg import validate as v
    from coopkg.diskstore import freshness
    from coopkg.endpoint_store import EndpointStore
    from coopkg.server import start_oxigraph

    location = freshness(_ttl(work))[0]
    if location is None:
        raise RuntimeError("no fresh store beside graph.ttl: run the build stage first")
    with start_oxigraph(location, read_only=True) as server:
        with clock:
            report = v.validate(EndpointStore(server.query_url), "fast")
    return {"violations": report.violations, "warnings": report.warnings}


def network_store(work: Path, clock: Clock) -> Result:
    """The network stage on the on-disk store (what a graph over 2,000,000 triples uses)."""
    from coopkg.diskstore import open_persistent
    from coopkg.network.metrics import compute
    from coopkg.network.project import project

    store = open_persistent(_ttl(work))
    if store is None:
        raise RuntimeError("no fresh store beside graph.ttl: run the build stage first")
    with clock:
        projection = project(store)
        result = compute(projection.actors)
    return {"nodes": projection.actors.number_of_nodes(), "edges": projection.actors.number_of_edges(),
            "betweenness": result.betweenness_method}


def publish(work: Path, clock: Clock) -> Result:
    """`coopkg publish --graph graph.ttl` as a whole process into a local Oxigraph server (an
    empty store of its own, started outside the clock): reading the file, the chunked upload,
    the swap, the count check. ``process_peak_rss_mb`` is the command's peak; the server's
    memory is the store's, not counted."""
    import shutil
    import subprocess

    from coopkg.server import start_oxigraph

    location = work / "publish-store"
    shutil.rmtree(location, ignore_errors=True)
    argv = [sys.executable, "-m", "coopkg.cli", "publish", "--graph", str(_ttl(work)), "--no-record", "-q"]
    try:
        with start_oxigraph(location) as server:
            with clock:
                done = subprocess.run([*argv, "--endpoint", server.query_url], capture_output=True, text=True,
                                      check=False)
            peak = _children_peak_mb()  # the command's alone: the server is not yet stopped and waited for
    finally:
        shutil.rmtree(location, ignore_errors=True)
    if done.returncode != 0:
        raise RuntimeError(f"coopkg publish: {done.stderr.strip()[-300:]}")
    return {"process_peak_rss_mb": peak}


def load_oxigraph(work: Path, clock: Clock) -> Result:
    with clock:
        store = _ox_store(work)
    return {"triples": len(store)}


def validate(work: Path, clock: Clock) -> Result:
    """`coopkg validate --graph graph.ttl -o FILE`'s work: open the graph (its on-disk store past
    2,000,000 triples, else the file parsed; the literals as written from the store's forms
    file), check the shapes (auto: all on the fast engine), resolve and write the text report."""
    from coopkg import validate as v

    out = work / "validation-bench.txt"
    with clock:
        store, scan = v.open_graph_files([_ttl(work)])
        report = v.validate_files([_ttl(work)], store=store, scan=scan)
        with open(out, "w", encoding="utf-8") as handle:
            v.write_text(report, handle)
    out.unlink()
    return {"triples": len(report.store), "violations": report.violations, "warnings": report.warnings,  # type: ignore[arg-type]
            "results": len(report.results), "engine": report.engine}


def validate_core(work: Path, clock: Clock) -> Result:
    """The fast engine on the shapes without their sh:sparql constraints (SHACL Core only)."""
    from coopkg import validate as v
    from coopkg.shacl_sparql import validate_fast
    from coopkg.vocab import SH

    store = _ox_store(work)
    v.prepare(store)
    shapes = v.load_shapes()
    shapes.remove((None, SH.sparql, None))
    with clock:
        report = validate_fast(store, shapes)
    return {"results": len(list(report.objects(None, SH.result)))}


def query_start(work: Path, clock: Clock) -> Result:
    """`coopkg query --help`: the start-up cost a user feels before any answer."""
    import subprocess

    with clock:
        subprocess.run([sys.executable, "-m", "coopkg.cli", "query", "--help"], check=True, capture_output=True)
    return {}


def _canned() -> dict[str, Any]:
    from coopkg import query

    return query.catalogue()


def _examples(store: Any) -> dict[str, str]:
    """Parameter values that exist in a synthetic atlas: the names of its first partnership."""
    from coopkg.store import SelectResult

    answer = store.query("""
        PREFIX coop: <https://w3id.org/coopkg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?p ?x WHERE {
            <https://w3id.org/coopkg/id/partnership/p000001> rdfs:label ?p ; coop:party ?x .
            ?x coop:countryCode "FR" .
        } LIMIT 1""")
    if not isinstance(answer, SelectResult) or not answer.rows:
        return {}
    # synthetic names repeat ("Pelriv" names several communes): pass keys, which are unique
    return {"partnership": "p000001", "collectivity": str(answer.rows[0][1]).rsplit("/", 1)[-1],
            "actor": str(answer.rows[0][1]).rsplit("/", 1)[-1]}


def _values(canned: Any, examples: dict[str, str] | None) -> dict[str, str]:
    """What a user passes to ``coopkg query NAME``: nothing for a parameter with a default (the
    default is what a plain run asks, and may be the costly question: partnerships-per-country
    of France, the home of every partnership of a French atlas, against Romania's few), and a
    value that exists in the atlas for each required one."""
    values = {}
    for p in canned.parameters:
        if not p.required:
            continue
        values[p.name] = (examples or {}).get(p.type, p.example or "")
    return values


def run_query(name: str, engine: str) -> Callable[[Path, Clock], Result]:
    def stage(work: Path, clock: Clock) -> Result:
        from coopkg import query
        from coopkg.store import SelectResult, open_graph

        # on Oxigraph the literals as written come from the store's forms file, as for commands
        # that parse graph.ttl into memory; not from a second parse of the graph on the clock
        store = _ox_store(work) if engine == "oxigraph" else open_graph(_ttl(work), engine)
        canned = _canned()[name]
        runner = query.LocalRunner(store)
        # The queries' own examples name bundled records; the synthetic atlas has others.
        values = _values(canned, _examples(store))
        with clock:
            answer = query.run(canned, values, runner)
        rows = len(answer.rows) if isinstance(answer, SelectResult) else None
        return {"rows": rows, "parameters": values}

    return stage


def _ox_triples(work: Path) -> Any:
    """graph.ttl parsed by Oxigraph into the table `coopkg export` loads (coopkg.termtable):
    distinct terms once, triples as integer rows; the writers order and write it."""
    import pyoxigraph as ox

    from coopkg.termtable import TripleTable

    return TripleTable.from_file(_ttl(work), ox.RdfFormat.TURTLE)


def export(fmt: str) -> Callable[[Path, Clock], Result]:
    def stage(work: Path, clock: Clock) -> Result:
        from coopkg import export as ex

        writer = {"ttl": ex.write_turtle, "nt": ex.write_ntriples, "jsonld": ex.write_jsonld}[fmt]
        out = work / f"export.{fmt}"
        triples = _ox_triples(work)  # parsing is the load-oxigraph stage; this times the writing
        with clock, open(out, "w", encoding="utf-8") as handle:
            count = writer(triples, handle)
        size = out.stat().st_size
        floor = _write_floor(out, work / "floor-export")
        out.unlink()
        return {"triples": count, "bytes": size, "floor_seconds": floor}

    return stage


def _write_floor(source: Path, target: Path) -> float:
    """The floor of an export: seconds to write the same bytes to a new file.

    The open, the writes and the close are timed; the reads are not. The bytes are read
    and written 64 MiB at a time, so holding them (1.2 GB of N-Triples at 120,000
    partnerships) does not set the stage's peak memory.
    """
    clock = Clock()
    with open(source, "rb") as data:
        with clock:
            handle = open(target, "wb")  # closed below, inside the clock
        try:
            while chunk := data.read(1 << 26):
                with clock:
                    handle.write(chunk)
        finally:
            with clock:
                handle.close()
    target.unlink()
    return clock.seconds


def network(work: Path, clock: Clock) -> Result:
    from coopkg.network.metrics import compute
    from coopkg.network.project import project

    store = _ox_store(work)
    with clock:
        projection = project(store)
        result = compute(projection.actors)
    return {"nodes": projection.actors.number_of_nodes(), "edges": projection.actors.number_of_edges(),
            "betweenness": result.betweenness_method}


def map_page(work: Path, clock: Clock) -> Result:
    """`coopkg map --graph graph.ttl --html --png`: projection, points and arcs, the page, the picture.

    The graph is opened as the command opens it (the build's store on disk when it is
    fresh, so the 120,000 run measures the command's memory), outside the clock as for
    the network stage; each part is timed too, so a slow map says which part is slow."""
    from coopkg import working_graph
    from coopkg.map import draw, page
    from coopkg.map.project import build, locations
    from coopkg.network.project import project

    store = working_graph.open_store(working_graph.choose(_ttl(work)), scans=True).store
    parts: dict[str, float] = {}

    def timed(name: str, work_: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        with clock:
            out = work_()
        parts[name] = round(time.perf_counter() - start, 3)
        return out

    projection = timed("project", lambda: project(store))
    located, _ = timed("locations", lambda: locations(store))
    data = timed("arcs", lambda: build(projection.actors, located))
    html, png = work / "map.html", work / "map.png"
    timed("html", lambda: page.save(data, html))
    timed("png", lambda: draw.save(data, png))
    return {"located": len(data.located), "unlocated": len(data.unlocated), "arcs": len(data.arcs),
            "html_mb": round(html.stat().st_size / 1e6, 2), "parts": parts}


# -- the plain rdflib way ------------------------------------------------------------------------

def rdflib_parse(work: Path, clock: Clock) -> Result:
    from rdflib import Graph

    graph = Graph()
    with clock:
        graph.parse(_ttl(work), format="turtle")
    return {"triples": len(graph)}


def rdflib_serialise(work: Path, clock: Clock) -> Result:
    from rdflib import Graph

    graph = Graph().parse(_ttl(work), format="turtle")
    buffer = io.BytesIO()
    with clock:
        graph.serialize(buffer, format="turtle")
    return {"bytes": len(buffer.getvalue())}


def pyshacl(work: Path, clock: Clock) -> Result:
    from coopkg import validate as v
    from coopkg.store import open_graph

    with clock:
        store = open_graph(_ttl(work), "rdflib")
        report = v.validate(store, "pyshacl")
    return {"violations": report.violations, "warnings": report.warnings}


def pyrudof_validate(work: Path, clock: Clock) -> Result:
    """rudof's native SHACL engine (pyrudof, Rust) on graph.ttl and the shapes, for comparison.
    Its results are counted, not read into coopkg's report. pyrudof is optional
    (``pip install 'coopkg[bench]'``); without it the stage fails saying so."""
    try:
        import pyrudof
    except ImportError:
        raise RuntimeError("pyrudof is not installed: pip install 'coopkg[bench]' to compare with it") from None

    from coopkg import resources

    shapes = "\n".join(p.read_text(encoding="utf-8") for p in resources.files("shapes", "*.ttl"))
    with clock:
        rudof = pyrudof.Rudof(pyrudof.RudofConfig())
        rudof.read_data(str(_ttl(work)))
        rudof.read_shacl(shapes)
        report = rudof.validate_shacl()
    return {"results": len(report), "conforms": bool(report.conforms)}


STAGES: dict[str, Callable[[Path, Clock], Result]] = {
    "floor-read-records": floor_read_records,
    "read": read,
    "emit": emit,
    "write-turtle": write_turtle,
    "build": build_graph,
    "build-parallel": build_parallel,
    "floor-read-ttl": floor_read_ttl,
    "floor-write-ttl": floor_write_ttl,
    "load-oxigraph": load_oxigraph,
    "validate-core": validate_core,
    "validate": validate,
    "validate-store": validate_store,
    "validate-remote": validate_remote,
    "query-start": query_start,
    "export-ttl": export("ttl"),
    "export-nt": export("nt"),
    "export-jsonld": export("jsonld"),
    "network": network,
    "network-store": network_store,
    "publish": publish,
    "map": map_page,
}
RDFLIB_STAGES: dict[str, Callable[[Path, Clock], Result]] = {
    "rdflib-parse": rdflib_parse,
    "rdflib-serialise": rdflib_serialise,
    "pyshacl-validate": pyshacl,
    "pyrudof-validate": pyrudof_validate,
}


def stage_function(name: str) -> Callable[[Path, Clock], Result]:
    if name in STAGES:
        return STAGES[name]
    if name in RDFLIB_STAGES:
        return RDFLIB_STAGES[name]
    if name.startswith("query:"):
        return run_query(name.split(":", 1)[1], "oxigraph")
    if name.startswith("query-process:"):
        return query_process(name.split(":", 1)[1])
    if name.startswith("rdflib-query:"):
        return run_query(name.split(":", 1)[1], "rdflib")
    raise KeyError(f"unknown stage {name!r}")


def query_names() -> list[str]:
    """The canned queries (queries/*.rq) that take no parameter or have examples."""
    return sorted(_canned())


_STATUS = Path("/proc/self/status")


def reset_peak() -> bool:
    """Start this process's peak resident set size afresh (Linux: ``/proc/self/clear_refs``).

    Linux carries a process's high-water mark over fork and exec, so a stage process
    started from a big one (the runner, pytest) would report the parent's peak as its own:
    ``ru_maxrss`` of a 12 MB child of a 300 MB process says 311 MB. Return whether it could.
    """
    try:
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")
    except OSError:
        return False
    return True


def own_peak_mb(reset: bool) -> float:
    """The peak resident set size since `reset_peak` (``VmHWM``), else ``ru_maxrss``."""
    if reset:
        try:
            for line in _STATUS.read_text(encoding="ascii").splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except (OSError, ValueError, IndexError):
            pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> int:
    reset = reset_peak()
    name, work = argv[0], Path(argv[1])
    clock = Clock()
    result = stage_function(name)(work, clock)
    print(json.dumps({"stage": name, "seconds": clock.seconds, "peak_rss_mb": own_peak_mb(reset), **result}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
