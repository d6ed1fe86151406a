"""JSON-LD read without the network: remote ``@context`` references are never fetched.

rdflib's JSON-LD parser fetches a context given by URL (``"@context": "https://…"``,
``"@import"``), so `coopkg query --graph x.jsonld --engine rdflib` made a request to
wherever the file pointed. Before rdflib sees a document, every context reference in it
is resolved here: the shipped context (``ontology/context.jsonld``, also known by
`SHIPPED_CONTEXT_URLS`) is put inline; any other URL is refused with a message, as
Oxigraph refuses it. coopkg's own exports carry their context inline.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from coopkg import resources

#: URLs that name the context shipped with coopkg (resolved locally, never fetched).
SHIPPED_CONTEXT_URLS = frozenset({"https://w3id.org/coopkg/context.jsonld", "context.jsonld"})


class RemoteContext(ValueError):
    """A JSON-LD document refers to a context that would have to be fetched."""


def _shipped() -> Any:
    with open(resources.folder("ontology") / "context.jsonld", encoding="utf-8") as handle:
        return json.load(handle)["@context"]


def _resolve(value: Any, where: str) -> Any:
    if isinstance(value, str):
        if value in SHIPPED_CONTEXT_URLS:
            return _shipped()
        raise RemoteContext(f"{where}: the @context {value[:200]!r} would be fetched from the network; coopkg reads "
                            "no network for local work: put the context inline, or use the shipped one "
                            f"({', '.join(sorted(SHIPPED_CONTEXT_URLS))})")
    if isinstance(value, list):
        return [_resolve(item, where) for item in value]
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "@import":
                imported = _resolve(item, where)
                out.update({k: v for k, v in (imported if isinstance(imported, dict) else {}).items()})
                continue
            out[key] = _local(item, where)  # scoped contexts of terms
        return out
    return value


def _local(node: Any, where: str) -> Any:
    """The document with every context reference resolved locally."""
    if isinstance(node, dict):
        return {key: _resolve(value, where) if key == "@context" else _local(value, where)
                for key, value in node.items()}
    if isinstance(node, list):
        return [_local(item, where) for item in node]
    return node


def local_document(path: Path) -> str:
    """The JSON-LD file's text with its contexts inline; RemoteContext for one that is not
    the shipped context; ValueError for a file that is no JSON."""
    return local_text(path.read_bytes(), str(path))


def local_text(data: bytes | str, where: str) -> str:
    """`local_document` for a JSON-LD text (standard input, a download) named ``where``."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raise ValueError(f"{where}: not JSON: {err}") from None
    return json.dumps(_local(document, where), ensure_ascii=False)
