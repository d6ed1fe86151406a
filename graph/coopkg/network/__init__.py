"""Partner networks: the RDF graph projected into networkx, measured (python-igraph), drawn and exported.
May import shacl_engines and below (build, diskstore, store, vocab, ...); not validate, query, export, parallel.

Stages, one module each: `project` (SPARQL -> networkx), `filters`, `metrics`,
`layout`, `draw` (matplotlib SVG/PNG), `page` (self-contained HTML) and `export`
(GraphML, GEXF, CSV). The CLI is `coopkg network` (coopkg.commands.network).
"""

from coopkg.network.project import (
    ACTIVE,
    ENDED,
    ENDED_REORGANISATION,
    FUNDING,
    UNKNOWN,
    Projection,
    country_graph,
    edge_style,
    load_store,
    partnerships_only,
    project,
    simple_graph,
    theme_graph,
)

__all__ = [
    "ACTIVE",
    "ENDED",
    "ENDED_REORGANISATION",
    "FUNDING",
    "UNKNOWN",
    "Projection",
    "country_graph",
    "edge_style",
    "load_store",
    "partnerships_only",
    "project",
    "simple_graph",
    "theme_graph",
]
