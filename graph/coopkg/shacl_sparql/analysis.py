"""SPARQL constraints read before they run: what a query may not do, whether it binds $this,
which predicates it reaches.

rdflib's SPARQL parser gives the parse tree (the syntax forms SHACL 5.2.1 forbids with
pre-bound variables: MINUS, VALUES, SERVICE, AS $this) and the algebra (sub-SELECTs,
where $this is bound, the predicates). Each analysis depends on the query text alone and
is kept, in the process and on disk, by the text's hash.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from rdflib import URIRef
from rdflib.term import Node

# Variables a SHACL processor binds before a SPARQL constraint runs (SHACL 5.2.1).
_PRE_BOUND = {"this", "shapesGraph", "currentShape"}


# SPARQL functions whose answer depends on a literal as written, not on its value.
_LEXICAL = re.compile(r"\b(STR|DATATYPE|sameTerm|REGEX|STRLEN|SUBSTR|STRSTARTS|STRENDS|CONTAINS|STRBEFORE|STRAFTER|"
                      r"CONCAT|LCASE|UCASE|ENCODE_FOR_URI|REPLACE|MD5|SHA1|SHA256|SHA384|SHA512|isNumeric)\s*\(",
                      re.IGNORECASE)


def _predicates(algebra: object) -> set[str] | None:
    """The IRIs the query uses as predicates; None when a variable predicate or a negated path
    may reach any."""
    from rdflib.paths import NegatedPath, Path
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    found: set[str] = set()
    anything: list[bool] = []

    def path_iris(p: object) -> None:
        if isinstance(p, (Variable, NegatedPath)):
            anything.append(True)
        elif isinstance(p, URIRef):
            found.add(str(p))
        elif isinstance(p, Path):
            for part in getattr(p, "args", None) or [getattr(p, "arg", None) or getattr(p, "path", None)]:
                path_iris(part)
        elif isinstance(p, CompValue):  # a path inside an EXISTS, still in parse-tree form
            for value in p.values():
                path_iris(value)
        elif isinstance(p, (list, tuple)):
            for value in p:
                path_iris(value)
        else:
            anything.append(True)  # a form not known here: it may

    def walk(node: object) -> None:
        if isinstance(node, CompValue):
            if node.name in ("BGP", "TriplesBlock"):
                for triple in node["triples"]:
                    for p in list(triple)[1::3]:  # predicates (a parse-tree block chains s p o s p o)
                        path_iris(p)
            for key, value in node.items():
                if key != "_vars":
                    walk(value)
        elif isinstance(node, (list, tuple)):
            for value in node:
                walk(value)

    walk(algebra)
    return None if anything else found


def _may_read(query: str, predicates: set[Node]) -> bool:
    """Whether the query may reach a triple of one of ``predicates``."""
    used = analyse(query)["predicates"]
    return used is None or bool({str(p) for p in predicates} & set(used))


# $PATH as the analyses see it: one analysis whatever the path (`sparql._sparql` uses it too)
PATH_PLACEHOLDER = "<urn:x-coopkg:path>"


def query_problem(query: str) -> str | None:
    """Why the fast engine must not run this SELECT for a SPARQL constraint (None when it may)."""
    return analyse(query)["problem"]


def binds_this(query: str) -> bool:
    """Whether every solution of the query binds $this through a triple pattern of its main group.

    Then pre-binding $this to a node gives the same solutions as running the query once and
    keeping those with that $this (SHACL's pre-binding is a join at the start of the
    query). Otherwise ($this only in a FILTER, an OPTIONAL, a NOT EXISTS...) the query
    must run once per focus node with $this bound.
    """
    return bool(analyse(query)["binds_this"])


# Analyses by query text: in the process, and on disk (rdflib's SPARQL parser, pyparsing,
# takes 0.2-0.5 s a query; the 18 constraints of coopkg's shapes would cost more than the
# whole validation of 12,000 partnerships). The analysis depends on the text alone.
_ANALYSES: dict[str, dict] = {}
_ANALYSIS_VERSION = "2"  # 2: a sub-SELECT may return $this without binding it (_walk_subselects)


def _cache_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "coopkg" / f"sparql-analyses-{_ANALYSIS_VERSION}.json"


def analyse(query: str) -> dict:
    """``problem`` (why not to run it, or None), ``binds_this``, ``predicates`` (the IRIs in
    predicate position, None when a variable or negated path may reach any)."""
    key = hashlib.sha256(query.encode("utf-8")).hexdigest()
    if not _ANALYSES:
        try:
            _ANALYSES.update(json.loads(_cache_file().read_text(encoding="utf-8")))
        except (OSError, ValueError):
            pass
    if key not in _ANALYSES:
        _ANALYSES[key] = _analyse(query)
        try:
            path = _cache_file()
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(_ANALYSES, sort_keys=True), encoding="utf-8")
            tmp.replace(path)
        except OSError:
            pass  # no cache: the next run parses again
    return _ANALYSES[key]


def _analyse(query: str) -> dict:
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(query)
        algebra = translateQuery(parseQuery(query)).algebra  # translateQuery changes the tree it gets
    except Exception as err:  # noqa: BLE001 - the parser raises many kinds
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        return {"problem": f"the query does not parse: {reason}", "binds_this": False, "predicates": None}
    free: list[bool] = []
    problem = _problem(tree, algebra, free)
    pattern = algebra.get("p")
    binds = problem is None and _binds(pattern) and _expressions_see_this(pattern)
    if problem is None and free and not binds:
        # run once per focus node, $this written into the text, where a sub-SELECT's
        # projected $this would become a term in its SELECT clause
        problem = "a sub-SELECT that does not bind $this needs $this bound by the query's other patterns"
    predicates = _predicates(algebra)
    return {"problem": problem, "binds_this": binds, "predicates": None if predicates is None else sorted(predicates)}


def _problem(tree: object, algebra: object, free: list[bool]) -> str | None:
    if algebra.name != "SelectQuery":  # type: ignore[attr-defined]
        return "sh:select must hold a SELECT query"
    if "this" not in {str(v) for v in algebra.get("PV", [])}:  # type: ignore[attr-defined]
        return "the SELECT must project $this"
    found: list[str] = []
    _walk_syntax(tree, found)
    _walk_subselects(algebra["p"], True, found, free)  # type: ignore[index]
    return found[0] if found else None


# Syntax forms a query with pre-bound variables must not use (SHACL 5.2.1), by the name
# of rdflib's parse-tree node; GRAPH is left out because the data is the default graph.
_FORBIDDEN = {"MinusGraphPattern": "MINUS", "InlineData": "VALUES", "ValuesClause": "VALUES", "ServiceGraphPattern": "SERVICE",
              "GraphGraphPattern": "GRAPH"}


def _walk_syntax(node: object, found: list[str]) -> None:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    if isinstance(node, Variable):
        if str(node) in ("shapesGraph", "currentShape"):
            found.append(f"${node} is not supported by the fast engine")
        return
    if isinstance(node, CompValue):
        name = node.name
        if name in _FORBIDDEN:
            verb = "is not supported by the fast engine" if name == "GraphGraphPattern" else \
                "is not allowed in a SPARQL constraint (SHACL 5.2.1: pre-bound variables)"
            found.append(f"{_FORBIDDEN[name]} {verb}")
            return
        assigned = node.get("var") if name == "Bind" else node.get("evar") if name == "vars" else None
        if assigned is not None and str(assigned) in _PRE_BOUND:
            found.append(f"${assigned} is pre-bound and must not be assigned with AS (SHACL 5.2.1)")
            return
        for value in node.values():
            _walk_syntax(value, found)
    elif isinstance(node, (list, tuple, ParseResults)):
        for item in node:
            _walk_syntax(item, found)


def _walk_subselects(node: object, top: bool, found: list[str], free: list[bool]) -> None:
    """A sub-SELECT must return $this (SHACL 5.2.1), bound by its own patterns or else not
    named anywhere inside it ("free", noted in ``free``).

    A free sub-SELECT's rows do not depend on $this: pre-bound, each of them carries the focus
    node as $this; run once for all focus nodes, they carry $this unbound, and the join with
    the patterns that bind $this gives the same rows. So its other side can be scanned and
    hashed (coopsh:collectivity-duplicate) where patterns in the same group are looked up
    once a row. One that names $this in a FILTER or BIND would see it unbound: refused."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, (list, tuple)):
        for item in node:
            _walk_subselects(item, top, found, free)
        return
    if not isinstance(node, CompValue):
        return
    if node.name == "Project" and not top:
        projected = "this" in {str(v) for v in node.get("PV", [])}
        if projected and not _has_this(node["p"]):
            free.append(True)
        elif not (projected and _mentions_this(node["p"])):
            found.append("a sub-SELECT must return $this, bound by its own patterns or not named inside it "
                         "(SHACL 5.2.1: pre-bound variables)")
            return
    for key, value in node.items():
        if key != "_vars":
            _walk_subselects(value, top and node.name != "Project", found, free)


def _mentions_this(node: object) -> bool:
    """Whether $this is in a triple pattern somewhere below ``node`` (in scope, not only in a FILTER)."""
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    if isinstance(node, CompValue):
        if node.name == "BGP":
            return any(Variable("this") in triple for triple in node["triples"])
        return any(_mentions_this(v) for k, v in node.items() if k not in ("_vars", "expr"))
    if isinstance(node, (list, tuple)):
        return any(_mentions_this(v) for v in node)
    return False


def _has_this(node: object) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    if isinstance(node, Variable):
        return str(node) == "this"
    if isinstance(node, CompValue):
        return any(_has_this(v) for k, v in node.items() if k != "_vars")
    if isinstance(node, (list, tuple)):
        return any(_has_this(v) for v in node)
    return False


def _expressions_see_this(node: object) -> bool:
    """Whether every FILTER / BIND / OPTIONAL condition naming $this is over a pattern that binds
    it: one evaluated apart ({ FILTER (bound($this)) }) sees $this unbound, where SHACL's
    pre-binding would give it its value."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, (list, tuple)):
        return all(_expressions_see_this(v) for v in node)
    if not isinstance(node, CompValue):
        return True
    name = node.name
    if name in ("Filter", "Extend") and _has_this(node.get("expr")) and not _binds(node["p"]):
        return False
    if name == "LeftJoin" and _has_this(node.get("expr")) and not (_binds(node["p1"]) or _binds(node["p2"])):
        return False
    return all(_expressions_see_this(v) for k, v in node.items() if k not in ("_vars", "expr"))


def _binds(node: object) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    if not isinstance(node, CompValue):
        return False
    name = node.name
    if name == "BGP":
        return any(Variable("this") in triple for triple in node["triples"])
    if name in ("Project", "Distinct", "Reduced", "Slice", "OrderBy", "Filter", "Extend", "ToMultiSet"):
        return _binds(node["p"])
    if name in ("Join",):
        return _binds(node["p1"]) or _binds(node["p2"])
    if name in ("LeftJoin", "Minus"):
        return _binds(node["p1"])
    if name == "Union":
        return _binds(node["p1"]) and _binds(node["p2"])
    return False


__all__ = ["PATH_PLACEHOLDER", "analyse", "binds_this", "query_problem"]
