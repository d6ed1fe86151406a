"""Publish a graph to any SPARQL 1.1 store, replacing one named graph safely.

Protocols, all standard: the SPARQL 1.1 Graph Store HTTP Protocol (GSP: PUT/POST/DELETE
on ``{store}?graph=IRI``), SPARQL 1.1 Update and SPARQL 1.1 Query (to count).

How a failure never eats the published graph
--------------------------------------------
1. The triples are uploaded to a *staging* graph (``urn:coopkg:staging:{hash of the
   target}``), never to the target: through GSP (PUT the first chunk, POST the next
   ones) or, where the store offers no GSP, through SPARQL Update (``DROP SILENT``
   then ``INSERT DATA`` chunks).
2. The staging graph's triple count is checked against the graph's (a COUNT query).
3. The swap is one request, ``MOVE <staging> TO <target>``, which a transactional
   store (Oxigraph, Fuseki/TDB2, GraphDB) applies whole or not at all. Where no update
   endpoint exists, one GSP PUT of the whole graph onto the target does the same.
4. The target's count is checked again.

With ``--strategy put`` steps 1-3 are one GSP PUT of the whole graph onto the target
instead: a single transaction on Oxigraph, Fuseki/TDB2 and GraphDB (a test proves it on
Oxigraph by sending a body that breaks on its last line), and no copy, so about three
times faster on Oxigraph; but nothing can be counted before the swap.

A failure in 1-2 leaves the target untouched (the staging graph is dropped, best
effort). The swap is never retried blindly: after an unclear answer the staging and
target counts say whether it happened.

Transient failures (connection errors, 429, 502, 503, 504) are retried with bounded
exponential backoff; ``Retry-After`` is honoured up to the cap. Credentials come from
the environment only (``COOPKG_SPARQL_TOKEN``, or ``COOPKG_SPARQL_USER`` and
``COOPKG_SPARQL_PASSWORD``); they are never printed, logged or put in a URL.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib.term import Node

from coopkg import remote
from coopkg.export import ox_triples, sorted_triples

Triple = tuple[Node, Node, Node]

DEFAULT_GRAPH_IRI = "https://w3id.org/coopkg/graph"
ENV_TOKEN = "COOPKG_SPARQL_TOKEN"
ENV_USER = "COOPKG_SPARQL_USER"
ENV_PASSWORD = "COOPKG_SPARQL_PASSWORD"
TRANSIENT_STATUS = frozenset({429, 502, 503, 504})
NOT_OFFERED_STATUS = frozenset({404, 405, 501})
_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+$")


class PublishError(RuntimeError):
    """Publishing failed; the message says at which step and what the store answered.

    ``swapped`` is True when the failure came after the new graph was swapped in (only
    its final count could not be checked): the target then holds the new graph.
    """

    swapped: bool = False


class HttpError(PublishError):
    def __init__(self, method: str, url: str, status: int | None, detail: str) -> None:
        self.status = status
        where = f"{method} {_without_query(url)}"
        super().__init__(f"{where}: {'HTTP ' + str(status) if status else 'no answer'}: {detail}")


def _without_query(url: str) -> str:
    return url.split("?", 1)[0]


# -- where to send what ------------------------------------------------------------------
@dataclass
class Endpoints:
    """The query URL, and the update and Graph Store URLs (guessed when not given)."""

    query: str
    update: str | None = None
    stores: list[str] = field(default_factory=list)  # GSP candidates, tried in order

    @classmethod
    def guess(cls, endpoint: str, update: str | None = None, store: str | None = None) -> Endpoints:
        """Fill in what a store usually calls its update and GSP URLs.

        * Oxigraph ``…/query``: ``…/update`` and ``…/store``; Fuseki ``…/ds/query``:
          ``…/ds/update`` and ``…/ds/data`` (both tried, in this order);
        * GraphDB / RDF4J ``…/repositories/ID``: ``…/statements`` and ``…/rdf-graphs/service``;
        * anything else (``…/sparql``: Virtuoso, QLever...): updates go to the same URL
          and there is no GSP unless ``store`` is given.
        """
        for url in (endpoint, update, store):
            if url is not None:
                check_url(url)
        base = endpoint.rstrip("/")
        guessed_update: str | None
        guessed_stores: list[str]
        if base.endswith("/query"):
            root = base[: -len("/query")]
            guessed_update, guessed_stores = root + "/update", [root + "/store", root + "/data"]
        elif re.search(r"/repositories/[^/]+$", base):
            guessed_update, guessed_stores = base + "/statements", [base + "/rdf-graphs/service"]
        else:
            guessed_update, guessed_stores = endpoint, []
        return cls(endpoint, update or guessed_update, [store] if store else guessed_stores)


def check_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url!r} is not an http(s) URL")
    if parts.username or parts.password:
        raise ValueError(
            f"credentials in a URL are refused (they would show in the process list and logs): "
            f"set {ENV_USER}/{ENV_PASSWORD} or {ENV_TOKEN} instead")


def check_graph_iri(iri: str) -> None:
    if not _IRI.match(iri):
        raise ValueError(f"{iri!r} is not an absolute IRI")


def staging_iri(target: str) -> str:
    """The staging graph of ``target``: fixed, so a leftover from a failed run is replaced."""
    return "urn:coopkg:staging:" + hashlib.sha256(target.encode()).hexdigest()[:16]


# -- HTTP with retries -----------------------------------------------------------------
@dataclass
class RetryPolicy:
    attempts: int = 5  # tries per request, the first included
    delay: float = 0.5  # first wait, doubled each time
    max_delay: float = 8.0

    def wait(self, attempt: int, retry_after: str | None = None) -> float:
        delay = min(self.max_delay, self.delay * 2 ** (attempt - 1))
        if retry_after and retry_after.strip().isdigit():
            delay = min(self.max_delay, max(delay, float(retry_after)))
        return delay


def auth_header(environ: dict[str, str] | None = None) -> str | None:
    """The Authorization header from the environment (never from arguments)."""
    env = os.environ if environ is None else environ
    token = env.get(ENV_TOKEN)
    if token:
        return f"Bearer {token}"
    user, password = env.get(ENV_USER), env.get(ENV_PASSWORD)
    if user and password is not None:
        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Credentials must not follow a redirect to another host: redirects are errors."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Client:
    """Small SPARQL-protocol client: every request retried on transient failures."""

    def __init__(self, retry: RetryPolicy | None = None, timeout: float = 120.0,
                 environ: dict[str, str] | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        self.retry = retry or RetryPolicy()
        self.timeout = timeout
        self._auth = auth_header(environ)
        self._opener = urllib.request.build_opener(_NoRedirect)
        self._sleep = sleep
        self.requests = 0  # requests sent, retries included

    def send(self, method: str, url: str, body: bytes | None = None, content_type: str | None = None,
             accept: str | None = None, retry: bool = True) -> bytes:
        headers = {"User-Agent": "coopkg-publish"}
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        if self._auth:
            headers["Authorization"] = self._auth
        attempts = self.retry.attempts if retry else 1
        for attempt in range(1, attempts + 1):
            request = urllib.request.Request(url, data=body, method=method, headers=headers)
            self.requests += 1
            try:
                # the whole exchange within --timeout (not each socket read), the answer bounded
                _, data = remote.exchange(lambda deadline, r=request: self._opener.open(r, timeout=self.timeout),
                                          self.timeout, f"{method} {_without_query(url)}")
                return data
            except remote.AnswerTooLarge as err:
                raise PublishError(str(err)) from None
            except urllib.error.HTTPError as err:
                detail = _detail(err)
                if err.code in TRANSIENT_STATUS and attempt < attempts:
                    self._sleep(self.retry.wait(attempt, err.headers.get("Retry-After")))
                    continue
                raise HttpError(method, url, err.code, detail) from None
            except (urllib.error.URLError, ConnectionError, TimeoutError, http.client.HTTPException) as err:
                reason = getattr(err, "reason", err)
                if attempt < attempts:
                    self._sleep(self.retry.wait(attempt))
                    continue
                raise HttpError(method, url, None, str(reason)) from None
        raise AssertionError("unreachable")  # pragma: no cover

    # SPARQL 1.1 Protocol ------------------------------------------------------------
    def select(self, endpoint: str, query: str) -> list[dict[str, dict[str, str]]]:
        body = urllib.parse.urlencode({"query": query}).encode()
        answer = self.send("POST", endpoint, body, "application/x-www-form-urlencoded",
                           "application/sparql-results+json")
        try:
            return list(json.loads(answer)["results"]["bindings"])
        except (ValueError, KeyError) as err:
            raise PublishError(f"POST {endpoint}: not a SPARQL JSON result: {err}") from None

    def update(self, endpoint: str, update: str, retry: bool = True) -> None:
        body = urllib.parse.urlencode({"update": update}).encode()
        self.send("POST", endpoint, body, "application/x-www-form-urlencoded", retry=retry)

    def count(self, endpoint: str, graph: str) -> int:
        rows = self.select(endpoint, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        try:
            return int(rows[0]["n"]["value"]) if rows else 0
        except (KeyError, ValueError) as err:
            raise PublishError(f"unexpected COUNT answer from {endpoint}: {rows!r}") from err


def _detail(err: urllib.error.HTTPError) -> str:
    try:
        text = err.read(300).decode("utf-8", "replace").strip()
    except Exception:  # noqa: BLE001 - the body is only a hint
        text = ""
    return " ".join(text.split())[:200] or err.reason or "error"


def _graph_url(store: str, graph: str) -> str:
    return f"{store}{'&' if '?' in store else '?'}graph={urllib.parse.quote(graph, safe='')}"


# -- the payload ---------------------------------------------------------------------------
def chunks(triples: Iterable[Any], size: int) -> list[list[str]]:
    """N-Triples lines in chunks of ``size``; triples with blank nodes all in one chunk.

    A blank-node label is scoped to one request (one document, one INSERT DATA), so
    triples sharing a blank node must travel together.
    """
    plain: list[str] = []
    blank: list[str] = []
    for t in sorted_triples(triples):
        line = f"{t} .\n"
        (blank if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) else plain).append(line)
    out = [plain[i: i + size] for i in range(0, len(plain), size)]
    if blank:
        out.append(blank)
    return out


def expected_count(triples: Iterable[Any]) -> int:
    """Distinct triples as a store counts them (Oxigraph terms: language tags lower-cased)."""
    return len(set(ox_triples(triples)))


# -- publishing ----------------------------------------------------------------------------
@dataclass
class PublishResult:
    graph_iri: str
    triples: int
    method: str  # "graph-store" or "update": how the triples were uploaded
    swap: str  # "move" or "put"
    requests: int


def publish(triples: Sequence[Any], endpoints: Endpoints, graph_iri: str = DEFAULT_GRAPH_IRI,
            client: Client | None = None, chunk_size: int = 50_000,
            progress: Callable[[int], None] | None = None, strategy: str = "stage") -> PublishResult:
    """Replace the named graph ``graph_iri`` in the store with ``triples``, safely.

    ``strategy``: ``stage`` (default: upload to a staging graph, count, MOVE) or ``put``
    (one Graph Store PUT of the whole graph onto the target: a single transaction on
    stores whose PUT is one, such as Oxigraph, Fuseki/TDB2 and GraphDB; about 3x faster
    on Oxigraph because nothing is copied, but nothing is counted before the swap).
    """
    if strategy not in ("stage", "put"):
        raise ValueError(f"unknown publish strategy {strategy!r} (stage or put)")
    check_graph_iri(graph_iri)
    client = client or Client()
    expected = expected_count(triples)
    if expected == 0:
        raise PublishError("the graph is empty: refusing to replace the published graph with nothing")
    staging = staging_iri(graph_iri)
    parts = chunks(triples, chunk_size)

    if strategy == "put" and endpoints.stores and _put_whole(client, endpoints, graph_iri, parts, progress):
        return _verified(client, endpoints, graph_iri, expected, "graph-store", "put")
    store, method = _stage(client, endpoints, staging, parts, progress)
    try:
        staged = client.count(endpoints.query, staging)
        if staged != expected:
            raise PublishError(f"the staging graph holds {staged} triples, expected {expected}: "
                               f"{graph_iri} left as it was")
        swap = _swap(client, endpoints, store, staging, graph_iri, expected, parts)
    except BaseException:
        _drop_quietly(client, endpoints, store, staging)
        raise
    return _verified(client, endpoints, graph_iri, expected, method, swap)


def _put_whole(client: Client, endpoints: Endpoints, target: str, parts: list[list[str]],
               progress: Callable[[int], None] | None) -> bool:
    """One PUT of the whole graph onto the target; False when no Graph Store answers."""
    body = "".join(line for part in parts for line in part).encode()
    for store in endpoints.stores:
        try:
            client.send("PUT", _graph_url(store, target), body, "application/n-triples")
        except HttpError as err:
            if err.status in NOT_OFFERED_STATUS:
                continue
            raise
        if progress:
            progress(sum(len(part) for part in parts))
        return True
    return False


def _verified(client: Client, endpoints: Endpoints, graph_iri: str, expected: int, method: str,
              swap: str) -> PublishResult:
    try:
        published = client.count(endpoints.query, graph_iri)
    except PublishError as err:
        error = PublishError(f"{graph_iri} was swapped in but its count could not be checked: {err}")
        error.swapped = True
        raise error from err
    if published != expected:
        error = PublishError(f"{graph_iri} holds {published} triples after the swap, expected {expected}")
        error.swapped = True
        raise error
    return PublishResult(graph_iri, expected, method, swap, client.requests)


def _stage(client: Client, endpoints: Endpoints, staging: str, parts: list[list[str]],
           progress: Callable[[int], None] | None) -> tuple[str | None, str]:
    """Upload into the staging graph; return the GSP URL used (None: SPARQL Update).

    On any failure of the upload (an error answer, a lost connection, an interrupt) the
    half-filled staging graph is dropped before the error goes on: on a store whose default
    graph is the union of its named graphs it would otherwise show as data.
    """
    for store in endpoints.stores:
        url = _graph_url(store, staging)
        try:
            client.send("PUT", url, "".join(parts[0]).encode(), "application/n-triples")
        except HttpError as err:
            if err.status in NOT_OFFERED_STATUS:
                continue  # not a Graph Store here: try the next candidate, then Update
            _drop_quietly(client, endpoints, store, staging)  # the store may have kept part of it
            raise
        except BaseException:
            _drop_quietly(client, endpoints, store, staging)
            raise
        try:
            if progress:
                progress(len(parts[0]))
            for part in parts[1:]:
                client.send("POST", url, "".join(part).encode(), "application/n-triples")
                if progress:
                    progress(len(part))
        except BaseException:
            _drop_quietly(client, endpoints, store, staging)
            raise
        return store, "graph-store"
    if not endpoints.update:
        raise PublishError("the store offers neither the Graph Store Protocol nor SPARQL Update")
    client.update(endpoints.update, f"DROP SILENT GRAPH <{staging}>")
    try:
        for part in parts:
            client.update(endpoints.update, f"INSERT DATA {{ GRAPH <{staging}> {{\n{''.join(part)}}} }}")
            if progress:
                progress(len(part))
    except BaseException:
        _drop_quietly(client, endpoints, None, staging)
        raise
    return None, "update"


def _swap(client: Client, endpoints: Endpoints, store: str | None, staging: str, target: str,
          expected: int, parts: list[list[str]]) -> str:
    """Make the staging graph the target in one request; return "move" or "put"."""
    if endpoints.update:
        attempts = client.retry.attempts
        for attempt in range(1, attempts + 1):
            try:
                client.update(endpoints.update, f"MOVE <{staging}> TO <{target}>", retry=False)
                return "move"
            except HttpError as err:
                if err.status in NOT_OFFERED_STATUS and store is not None:
                    break  # no update endpoint after all: swap with one PUT below
                unclear = err.status is None or err.status in TRANSIENT_STATUS
                if not unclear or attempt == attempts:
                    raise
                # The MOVE may or may not have happened: the counts say which.
                client._sleep(client.retry.wait(attempt))
                staged = client.count(endpoints.query, staging)
                if staged == expected:
                    continue  # it did not happen: try again
                if staged == 0 and client.count(endpoints.query, target) == expected:
                    return "move"  # it happened; only the answer was lost
                raise PublishError(f"the swap into {target} failed and left the staging graph with {staged} "
                                   f"triples: check the store") from err
    if store is None:
        raise PublishError("no way to swap the staging graph in: the update endpoint refused MOVE")
    client.send("PUT", _graph_url(store, target), "".join(line for part in parts for line in part).encode(),
                "application/n-triples")
    _drop_quietly(client, endpoints, store, staging)
    return "put"


def _drop_quietly(client: Client, endpoints: Endpoints, store: str | None, staging: str) -> None:
    try:
        if store is not None:
            client.send("DELETE", _graph_url(store, staging), retry=False)
        elif endpoints.update:
            client.update(endpoints.update, f"DROP SILENT GRAPH <{staging}>", retry=False)
    except PublishError:
        pass  # best effort: the next publish replaces the staging graph anyway


__all__ = [
    "DEFAULT_GRAPH_IRI",
    "Client",
    "Endpoints",
    "HttpError",
    "PublishError",
    "PublishResult",
    "RetryPolicy",
    "auth_header",
    "chunks",
    "publish",
    "staging_iri",
]
