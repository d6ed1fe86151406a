"""Fast SHACL: the shapes compiled into SPARQL queries and run on the store (Oxigraph).
May import emit, store, turtle, screen and below; not build, termtable or diskstore (its own layer).

The SHACL specification defines each Core constraint component by what a SPARQL query
would find (https://www.w3.org/TR/shacl/#core-components); this module writes those
queries for the project's shapes, runs them on the data `Store`, and builds the same
standard ``sh:ValidationReport`` graph (rdflib) that pyshacl gives, so everything after
the engine is engine-agnostic. At atlas scale (12,000 partnerships) pyshacl needs minutes
and this a few seconds, because every constraint is checked for all focus nodes at once
inside Oxigraph instead of node by node in Python.

Supported (what the project's shapes use, and the usual rest of SHACL Core):
targets sh:targetClass (with rdfs:subClassOf in the data), sh:targetNode,
sh:targetSubjectsOf, sh:targetObjectsOf, implicit class targets; sh:path as an IRI,
sequence, sh:alternativePath, sh:inversePath, sh:zeroOrMorePath, sh:oneOrMorePath,
sh:zeroOrOnePath; sh:minCount, sh:maxCount, sh:datatype (ill-typed literals such as
"31.02.2004"^^xsd:date are reported), sh:class, sh:nodeKind, sh:in, sh:hasValue,
sh:pattern (+ sh:flags), sh:minInclusive, sh:minExclusive, sh:maxInclusive,
sh:maxExclusive, sh:minLength, sh:maxLength, sh:languageIn, sh:uniqueLang, sh:node,
sh:or, sh:and, sh:not, sh:xone, sh:property; SHACL-SPARQL sh:sparql with sh:select,
sh:prefixes/sh:declare, $this (and $PATH on property shapes), ?value, ?path, ?message;
sh:message with {?var}/{$var} substitution, sh:severity, sh:deactivated.
Unsupported components (sh:closed, sh:equals, sh:disjoint, sh:lessThan, qualified value
shapes...) raise `UnsupportedShape` so nothing is skipped silently.
"""

from __future__ import annotations

from rdflib import Graph

from coopkg.shacl_sparql.base import Outcome, UnsupportedShape
from coopkg.shacl_sparql.check import Refusal, refusals, top_shapes
from coopkg.shacl_sparql.compiler import Compiler
from coopkg.shacl_sparql.grouping import group_outcomes
from coopkg.shacl_sparql.literals import Rewrites, scan
from coopkg.shacl_sparql.report import report_graph, write_report
from coopkg.store import Store


def validate_fast(data: Store, shapes: Graph, skip: frozenset[str] = frozenset(),
                  rewrites: Rewrites | None = None) -> Graph:
    """Validate ``data`` against ``shapes``; return a standard sh:ValidationReport graph
    (every result, none grouped: `run_fast` gives the outcomes, `write_report` writes them)."""
    return report_graph(run_fast(data, shapes, skip, rewrites), shapes)


def run_fast(data: Store, shapes: Graph, skip: frozenset[str] = frozenset(),
             rewrites: Rewrites | None = None) -> list[Outcome]:
    """Validate ``data`` against ``shapes``; return the results as outcomes (no report graph made).

    ``data`` should hold what the shapes need besides the records (vocabularies,
    rdfs:subClassOf): `coopkg.validate.prepare` adds them. The top-level shapes named in
    ``skip`` are left out (another engine checks them). Raises `UnsupportedShape`, before
    any query runs, when a shape uses what the engine does not implement exactly.
    ``rewrites``: the literals of the data files the store does not keep as written
    (`literals.scan`); their results are made from the originals.
    """
    found = refusals(shapes, [s for s in top_shapes(shapes) if str(s) not in skip], rewrites)
    if found:
        raise UnsupportedShape("the fast engine cannot check these shapes exactly:\n"
                               + "\n".join(f"  {r}" for r in found), found)
    compiler = Compiler(data, shapes, rewrites)
    compiler.run(skip)
    return compiler.outcomes


__all__ = ["Outcome", "Refusal", "Rewrites", "UnsupportedShape", "group_outcomes", "refusals", "report_graph",
           "run_fast", "scan", "top_shapes", "validate_fast", "write_report"]
