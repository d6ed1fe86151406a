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

On Oxigraph (seen in its ``Server`` header) the default (``--strategy auto``) is one
Graph Store PUT of the whole graph onto the target, streamed: Oxigraph applies a PUT as
one transaction, which readers see whole or not at all, and the staged way costs it the
same transaction again (the ``COPY``) plus a bulk load and a ``DROP`` of the staging graph
(measured at 12,000 partnerships: see docs/publishing.md). ``--strategy stage`` keeps the
staged way there: the staging graph bulk-loaded (``?no_transaction``), ``COPY``, then
``DROP`` apart (see `_Run._copy_then_drop`).

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

import contextlib
import hashlib
import json
import re
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from rdflib.term import Node

from coopkg.publications import DEFAULT_GRAPH_IRI
from coopkg.remote import (
    ENV_PASSWORD,
    ENV_TOKEN,
    ENV_USER,
    TRANSIENT_STATUS,
    RemoteError,
    RetryPolicy,
    auth_header,
    check_url,
)
from coopkg.remote import Client as _HttpClient
from coopkg.remote import HttpError as _HttpError
from coopkg.termtable import Canonical, as_table

Triple = tuple[Node, Node, Node]

NOT_OFFERED_STATUS = frozenset({404, 405, 501})
_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
# What stores answer when a request is too big for them (HTTP 413, Virtuoso's SQL text
# and memory limits on INSERT DATA, Jetty/Tomcat body limits): the chunk is split, not fatal.
_TOO_LARGE = re.compile(
    r"SP031|SP030|SR325|exceeded \d+ lines|memory (?:is )?exhausted|too large|too big|request entity|"
    r"payload|maximum (?:request|content) (?:size|length)|out of memory|stack overflow|max(?:imum)? ?size",
    re.IGNORECASE)
MIN_CHUNK = 50  # below this a store refusing a request is not refusing its size
# A MOVE copies every triple on some stores: Virtuoso 7.2 took 299 s for 975,801 triples
# (12,000 partnerships) on this shared machine, 32 s for 164,349. Its request gets at least
# one second per this many triples, not the per-request --timeout a chunk gets.
MOVE_TRIPLES_PER_SECOND = 1000


class PublishError(RemoteError):
    """Publishing failed; the message says at which step and what the store answered.

    ``swapped`` is True when the failure came after the new graph was swapped in (only
    its final count could not be checked): the target then holds the new graph.
    ``in_doubt`` is True when the swap's answer was lost and the target may hold either
    graph (whole: the swap is one transaction).
    """

    in_doubt: bool = False


class HttpError(_HttpError, PublishError):
    """A store's error answer during publishing: an HTTP error and a PublishError both."""

    def __init__(self, method: str, url: str, status: int | None, detail: str) -> None:
        _HttpError.__init__(self, method, url, status, detail)


# -- where to send what ------------------------------------------------------------------
@dataclass
class Endpoints:
    """The query URL, and the update and Graph Store URLs (guessed when not given)."""

    query: str
    update: str | None = None
    stores: list[str] = field(default_factory=list)  # GSP candidates, tried in order
    update_given: bool = False  # given by the user: never replaced by what the store is found to be
    stores_given: bool = False
    kind: str = "sparql"  # "virtuoso" once `detect` saw one

    @classmethod
    def guess(cls, endpoint: str, update: str | None = None, store: str | None = None) -> Endpoints:
        """Fill in what a store usually calls its update and GSP URLs.

        * Oxigraph ``…/query``: ``…/update`` and ``…/store``; Fuseki ``…/ds/query``:
          ``…/ds/update`` and ``…/ds/data`` (both tried, in this order);
        * GraphDB / RDF4J ``…/repositories/ID``: ``…/statements`` and ``…/rdf-graphs/service``;
        * Virtuoso ``…/sparql`` (``/sparql-auth``): see `detect`, which asks the store;
        * anything else (``…/sparql``: QLever...): updates go to the same URL and there is
          no GSP unless ``store`` is given.
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
        return cls(endpoint, update or guessed_update, [store] if store else guessed_stores,
                   update_given=update is not None, stores_given=store is not None)

    def detect(self, client: Client) -> None:
        """Ask the store what it is (one ASK); on Virtuoso, use its own paths.

        Virtuoso answers queries anonymously on ``/sparql`` but writes only for a user
        with the SPARQL_UPDATE role on ``/sparql-auth`` (SPARQL Update) and
        ``/sparql-graph-crud-auth`` (Graph Store Protocol), both behind Digest
        authentication; ``/sparql`` and ``/sparql-graph-crud`` write as the anonymous
        ``SPARQL`` user, which a safe server does not let write.
        """
        try:
            answer = client.request("GET", self.query + ("&" if "?" in self.query else "?") + "query=ASK%7B%7D",
                                    accept="application/sparql-results+json")
        except HttpError as err:
            if err.status is None or err.status >= 500:
                raise PublishError(f"the store did not answer a first ASK query: {err}") from None
            return  # (a store that takes no GET queries) the upload will say what is wrong
        server = (answer.headers.get("Server") or "").lower()
        if server.startswith("oxigraph/"):
            self.kind = "oxigraph"  # its bulk loader for the staging graph, COPY for the swap
            return
        if not server.startswith("virtuoso"):
            return
        self.kind = "virtuoso"
        match = re.match(r"^(.*)/sparql(?:-auth)?/?$", self.query)
        if not match:
            return
        root = match.group(1)
        authenticated = client.credentials.present
        if not self.update_given:
            self.update = root + ("/sparql-auth" if authenticated else "/sparql")
        if not self.stores_given:
            self.stores = [root + ("/sparql-graph-crud-auth" if authenticated else "/sparql-graph-crud")]


def check_graph_iri(iri: str) -> None:
    if not _IRI.match(iri):
        raise ValueError(f"{iri!r} is not an absolute IRI")


def staging_iri(target: str) -> str:
    """The staging graph of ``target``: fixed, so a leftover from a failed run is replaced."""
    return "urn:coopkg:staging:" + hashlib.sha256(target.encode()).hexdigest()[:16]


# -- HTTP ------------------------------------------------------------------------------
class Client(_HttpClient):
    """`coopkg.remote.Client` with the SPARQL 1.1 Protocol calls publishing needs; its errors
    are PublishErrors (HttpError for the store's answers)."""

    def request(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().request(*args, **kwargs)
        except _HttpError as err:
            if isinstance(err, PublishError):
                raise
            raise HttpError(err.method, err.url, err.status, err.detail) from None
        except PublishError:
            raise
        except RemoteError as err:
            raise PublishError(str(err)) from None

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


@contextlib.contextmanager
def _timeout_at_least(client: Client, seconds: float) -> Iterator[None]:
    before = client.timeout
    client.timeout = max(before, seconds)
    try:
        yield
    finally:
        client.timeout = before


def _graph_url(store: str, graph: str) -> str:
    return f"{store}{'&' if '?' in store else '?'}graph={urllib.parse.quote(graph, safe='')}"


# -- the payload ---------------------------------------------------------------------------
class Payload:
    """The graph as N-Triples lines in canonical order, made a chunk at a time.

    Held as the canonical table (`coopkg.termtable`: each distinct term's text once, a
    triple three ints), not as a list of lines or triples: at 120,000 partnerships (9.8
    million triples) a list of line strings alone would take several GB. ``plain`` are
    the rows without blank nodes, ``blank`` the rows with: a blank-node label is scoped
    to one request (one document, one INSERT DATA), so those always travel together.
    """

    def __init__(self, canonical: Canonical) -> None:
        self._c = canonical
        is_blank = np.fromiter((text.startswith("_:") for text in canonical.nt), dtype=bool, count=len(canonical.nt))
        with_blank = is_blank[canonical.s] | is_blank[canonical.o]
        self.plain = np.flatnonzero(~with_blank)
        self.blank = np.flatnonzero(with_blank)

    @classmethod
    def of(cls, triples: Iterable[Any]) -> Payload:
        return cls(as_table(triples).canonical())

    def text(self, rows: np.ndarray) -> str:
        """The N-Triples lines of ``rows`` (indexes into the canonical rows)."""
        c, nt = self._c, self._c.nt
        return "".join([f"{nt[s]} {nt[p]} {nt[o]} .\n"
                        for s, p, o in zip(c.s[rows].tolist(), c.p[rows].tolist(), c.o[rows].tolist(), strict=True)])

    def pieces(self, lines: int = 100_000) -> Iterator[bytes]:
        """The whole graph as N-Triples, ``lines`` lines a piece (plain lines, then blank-node ones)."""
        for i in range(0, len(self.plain), lines):
            yield self.text(self.plain[i: i + lines]).encode()
        if len(self.blank):
            yield self.text(self.blank).encode()

    def body(self) -> bytearray:
        """The whole graph as one N-Triples document, held (for stores that need its length)."""
        out = bytearray()
        for piece in self.pieces():
            out += piece
        return out

    def __len__(self) -> int:
        return len(self.plain) + len(self.blank)


class _StreamedBody:
    """The whole graph as one N-Triples request body, made as it is sent (chunked transfer
    encoding), not held: at 120,000 partnerships it is 9.8 million lines, over a GB. Iterable
    again for each attempt (a retry, an authentication challenge)."""

    def __init__(self, payload: Payload) -> None:
        self.payload = payload

    def __iter__(self) -> Iterator[bytes]:
        return self.payload.pieces()

    def __len__(self) -> int:  # lines, not bytes: enough for "is it big" (coopkg.remote's handshake)
        return len(self.payload)


def chunks(triples: Iterable[Any], size: int) -> list[list[str]]:
    """N-Triples lines in chunks of ``size``; triples with blank nodes all in one chunk."""
    payload = Payload.of(triples)
    out = [payload.text(payload.plain[i: i + size]).splitlines(keepends=True) for i in range(0, len(payload.plain), size)]
    if len(payload.blank):
        out.append(payload.text(payload.blank).splitlines(keepends=True))
    return out


def expected_count(triples: Iterable[Any]) -> int:
    """Distinct triples as a store counts them (Oxigraph terms: language tags lower-cased)."""
    return len(as_table(triples).canonical())


def too_large(err: HttpError) -> bool:
    """Whether the store refused a request for its size (not for its content)."""
    return err.status == 413 or (err.status in (400, 500, 503) and bool(_TOO_LARGE.search(err.detail)))


# -- publishing ----------------------------------------------------------------------------
@dataclass
class PublishResult:
    graph_iri: str
    triples: int
    method: str  # "graph-store" or "update": how the triples were uploaded
    swap: str  # "move" or "put"
    requests: int
    chunk_size: int = 0  # the chunk size that the store accepted (smaller than asked when it refused)
    store: str = "sparql"  # "virtuoso" when detected
    notes: list[str] = field(default_factory=list)  # what the user should know (adapted chunks...)


def publish(triples: Sequence[Any], endpoints: Endpoints, graph_iri: str = DEFAULT_GRAPH_IRI,
            client: Client | None = None, chunk_size: int = 50_000,
            progress: Callable[[int], None] | None = None, strategy: str = "auto",
            detect: bool = True) -> PublishResult:
    """Replace the named graph ``graph_iri`` in the store with ``triples``, safely.

    ``strategy``: ``stage`` (upload to a staging graph, count, MOVE), ``put`` (one Graph
    Store PUT of the whole graph onto the target: a single transaction on stores whose PUT
    is one, such as Oxigraph, Fuseki/TDB2 and GraphDB; nothing is counted before the swap,
    only after it) or ``auto`` (default): ``put`` on Oxigraph (seen by `Endpoints.detect`)
    when it offers its Graph Store, ``stage`` everywhere else.
    ``detect``: ask the store what it is first (`Endpoints.detect`: Virtuoso's paths).
    """
    if strategy not in ("auto", "stage", "put"):
        raise ValueError(f"unknown publish strategy {strategy!r} (auto, stage or put)")
    check_graph_iri(graph_iri)
    client = client or Client()
    payload = triples if isinstance(triples, Payload) else Payload.of(triples)
    expected = len(payload)
    if expected == 0:
        raise PublishError("the graph is empty: refusing to replace the published graph with nothing")
    try:
        if detect:
            endpoints.detect(client)
        run = _Run(client, endpoints, graph_iri, payload, chunk_size, progress)
        if strategy == "auto":
            # Oxigraph: its PUT is one transaction (readers see the earlier graph or the new one,
            # whole), and the staged way costs it that same transaction again (the COPY) plus a
            # bulk load and a DROP: 4-5x the store's CPU at 12,000 partnerships (docs/publishing.md).
            strategy = "put" if endpoints.kind == "oxigraph" else "stage"
        if strategy == "put" and endpoints.stores and run.put_whole():
            return run.verified(expected, "graph-store", "put")
    except PublishError:
        raise
    except RemoteError as err:  # nothing was staged: the target is as it was
        raise PublishError(str(err)) from None
    try:
        method = run.stage()
        with run.patient(expected):
            staged = client.count(endpoints.query, run.staging)
        if staged != expected:
            raise PublishError(f"the staging graph holds {staged} triples, expected {expected}: "
                               f"{graph_iri} left as it was")
        swap = run.swap(expected)
    except BaseException as err:
        with run.patient(expected):
            note = run.drop_staging()
        if isinstance(err, RemoteError) and not isinstance(err, PublishError):
            raise PublishError(f"{err}{note}") from None
        if isinstance(err, PublishError):
            err.args = (f"{err}{note}",)
        raise
    return run.verified(expected, method, swap)


class _Run:
    """One publish: where the staging graph went, and the chunk size the store takes."""

    def __init__(self, client: Client, endpoints: Endpoints, target: str, payload: Payload, chunk_size: int,
                 progress: Callable[[int], None] | None) -> None:
        self.client, self.endpoints, self.target, self.payload = client, endpoints, target, payload
        self.staging = staging_iri(target)
        self.size = max(1, chunk_size)
        self.asked = self.size
        self.progress = progress
        self.store: str | None = None  # the Graph Store URL the staging graph went to (None: Update)
        self.touched = False  # whether anything may have reached the staging graph
        self.notes: list[str] = []

    def _advance(self, n: int) -> None:
        if self.progress:
            self.progress(n)

    # the upload ------------------------------------------------------------------------
    def _send_all(self, send: Callable[[str, bool], None]) -> None:
        """Send the plain lines in chunks, halving a chunk the store refuses as too large,
        then the blank-node lines in one request. ``send(text, first)``: the first
        request replaces the staging graph, the next ones add to it (adding a triple
        twice changes nothing, so a refused chunk is safely sent again in halves)."""
        plain, first, i = self.payload.plain, True, 0
        while i < len(plain):
            piece = plain[i: i + self.size]
            try:
                self.touched = True
                send(self.payload.text(piece), first)
            except HttpError as err:
                if too_large(err) and len(piece) > MIN_CHUNK:
                    self.size = max(MIN_CHUNK, len(piece) // 2)
                    continue
                raise
            i += len(piece)
            first = False
            self._advance(len(piece))
        if self.size < self.asked:
            self.notes.append(f"the store refused {self.asked}-triple requests as too large: "
                              f"sent {self.size} triples a request (--chunk-size {self.size} saves the retries)")
        if len(self.payload.blank):
            try:
                send(self.payload.text(self.payload.blank), first)
            except HttpError as err:
                if too_large(err):
                    raise PublishError(f"{err}: the {len(self.payload.blank)} triples with blank nodes must travel in "
                                       "one request, and the store refused it as too large") from None
                raise
            self._advance(len(self.payload.blank))

    def stage(self) -> str:
        """Upload into the staging graph; "graph-store" or "update"."""
        for store in self.endpoints.stores:
            url = _graph_url(store, self.staging)
            if self.endpoints.kind == "oxigraph":
                # Oxigraph's bulk loader: no transaction to build, about 3x less work for the
                # store than a transactional load. The staging graph needs none: nobody reads
                # it, the count below checks it, and every failure drops it.
                url += "&no_transaction"
            try:
                self._send_all(lambda text, first, url=url: self.client.send(
                    "PUT" if first else "POST", url, text.encode(), "application/n-triples"))
            except HttpError as err:
                if err.status in NOT_OFFERED_STATUS and not self.payload_sent:
                    continue  # not a Graph Store here: try the next candidate, then Update
                self.store = store
                raise
            self.store = store
            return "graph-store"
        if not self.endpoints.update:
            raise PublishError("the store offers neither the Graph Store Protocol nor SPARQL Update")
        self.store = None
        self.touched = True
        self.client.update(self.endpoints.update, f"DROP SILENT GRAPH <{self.staging}>")

        def insert(text: str, first: bool) -> None:
            self.client.update(self.endpoints.update, f"INSERT DATA {{ GRAPH <{self.staging}> {{\n{text}}} }}")

        self._send_all(insert)
        return "update"

    @property
    def payload_sent(self) -> bool:
        return False  # a refused first request (404/405/501) wrote nothing

    def put_whole(self) -> bool:
        """One PUT of the whole graph onto the target; False when no Graph Store answers,
        or when the store refuses one request that large (then the staged way is used)."""
        # Oxigraph takes a streamed (chunked) body, so the document is never held whole; other
        # stores get it with a Content-Length, as before.
        body: Any = _StreamedBody(self.payload) if self.endpoints.kind == "oxigraph" else self.payload.body()
        for store in self.endpoints.stores:
            try:
                # on Oxigraph one transaction over the whole graph: as patient as the swap
                with self.patient(len(self.payload) if self.endpoints.kind == "oxigraph" else 0):
                    self.client.send("PUT", _graph_url(store, self.target), body, "application/n-triples")
            except HttpError as err:
                if err.status in NOT_OFFERED_STATUS:
                    continue
                if err.status is None or err.status in TRANSIENT_STATUS:
                    # the retries are spent and the last answer was lost: the PUT, one
                    # transaction, may have been applied or not
                    error = PublishError(f"{err}: the answer to the PUT was lost, so <{self.target}> holds either "
                                         "the earlier or the new graph, whole: publish again")
                    error.in_doubt = True
                    raise error from None
                if too_large(err):
                    self.notes.append(f"the store refused the whole graph in one PUT as too large ({err.status}): "
                                      "published through a staging graph instead")
                    return False
                raise
            self._advance(len(self.payload))
            return True
        return False

    # the swap ----------------------------------------------------------------------------
    def patient(self, triples: int) -> contextlib.AbstractContextManager[None]:
        """Requests that go over the whole graph in one transaction (the swap, the counts) take
        time in proportion to it: their timeout is at least 1 s per 1,000 triples."""
        return _timeout_at_least(self.client, triples / 1_000)

    def swap(self, expected: int) -> str:
        """Make the staging graph the target in one request; return "move", "copy" or "put"."""
        with self.patient(expected):
            if self.endpoints.update and self.endpoints.kind == "oxigraph":
                return self._copy_then_drop()
            return self._swap(expected)

    def _copy_then_drop(self) -> str:
        """Oxigraph: ``COPY <staging> TO <target>`` (one transaction: the target replaced whole),
        then the staging graph dropped in a request of its own.

        Oxigraph's MOVE is the same copy plus the staging graph's deletion, all in one
        transaction, and a big transaction costs it more than the sum of smaller ones
        (measured on 163,424 triples, server CPU: MOVE 32 s; COPY 14-19 s and DROP 6-8 s).
        COPY sets the target to the staging graph's content, which does not change, so it
        is safely sent again after an unclear answer; the staging graph then stays until
        the copy is done. Once the target is swapped, a failed drop is only a note.
        """
        client, update = self.client, self.endpoints.update
        assert update is not None
        attempts = client.retry.attempts
        for attempt in range(1, attempts + 1):
            try:
                client.update(update, f"COPY <{self.staging}> TO <{self.target}>", retry=False)
                break
            except HttpError as err:
                unclear = err.status is None or err.status in TRANSIENT_STATUS
                if not unclear:
                    raise
                if attempt == attempts:
                    error = PublishError(f"{err}: the answer to the swap was lost {attempts} times, so <{self.target}> "
                                         "holds either the earlier or the new graph, whole: publish again")
                    error.in_doubt = True
                    raise error from None
                client._sleep(client.retry.wait(attempt))
        note = self.drop_staging()
        if "could not" in note:
            self.notes.append(note.lstrip("; "))
        return "copy"

    def _swap(self, expected: int) -> str:
        client, endpoints, staging, target = self.client, self.endpoints, self.staging, self.target
        if endpoints.update:
            attempts = client.retry.attempts
            for attempt in range(1, attempts + 1):
                timeout = client.timeout
                client.timeout = max(timeout, expected / MOVE_TRIPLES_PER_SECOND)
                try:
                    client.update(endpoints.update, f"MOVE <{staging}> TO <{target}>", retry=False)
                    return "move"
                except HttpError as err:
                    if err.status in NOT_OFFERED_STATUS and self.store is not None:
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
                finally:
                    client.timeout = timeout
        if self.store is None:
            raise PublishError("no way to swap the staging graph in: the update endpoint refused MOVE")
        client.send("PUT", _graph_url(self.store, target), self.payload.body(), "application/n-triples")
        self.drop_staging()
        return "put"

    def drop_staging(self) -> str:
        """Remove the staging graph, by the way it was uploaded, else the other; what to tell the user.

        On a store whose default graph is the union of all graphs (Virtuoso, GraphDB) a
        leftover staging graph would feed every query, so this is tried on every failure
        path (interruption included) and its outcome reported.
        """
        if not self.touched:
            return ""
        ways: list[Callable[[], None]] = []
        drop_update = (lambda: self.client.update(self.endpoints.update, f"DROP SILENT GRAPH <{self.staging}>",
                                                  retry=False)) if self.endpoints.update else None
        drop_store = (lambda: self._delete(self.store)) if self.store else None
        for way in ((drop_store, drop_update) if self.store else (drop_update, drop_store)):
            if way is not None:
                ways.append(way)
        last: Exception | None = None
        for way in ways:
            try:
                way()
                return f"; the staging graph <{self.staging}> was dropped"
            except RemoteError as err:
                last = err
        return (f"; the staging graph <{self.staging}> could not be dropped ({last}): remove it with "
                f"DROP SILENT GRAPH <{self.staging}> (the next publish replaces it)")

    def _delete(self, store: str | None) -> None:
        try:
            self.client.send("DELETE", _graph_url(store or "", self.staging), retry=False)
        except HttpError as err:
            if err.status != 404:  # already gone
                raise

    def verified(self, expected: int, method: str, swap: str) -> PublishResult:
        client, graph_iri = self.client, self.target
        try:
            with self.patient(expected):
                published = client.count(self.endpoints.query, graph_iri)
        except RemoteError as err:
            error = PublishError(f"{graph_iri} was swapped in but its count could not be checked: {err}")
            error.swapped = True
            raise error from err
        if published != expected:
            error = PublishError(f"{graph_iri} holds {published} triples after the swap, expected {expected}")
            error.swapped = True
            raise error
        return PublishResult(graph_iri, expected, method, swap, client.requests, self.size, self.endpoints.kind,
                             self.notes)


__all__ = [
    "DEFAULT_GRAPH_IRI",
    "ENV_PASSWORD",
    "ENV_TOKEN",
    "ENV_USER",
    "Client",
    "Endpoints",
    "HttpError",
    "Payload",
    "PublishError",
    "PublishResult",
    "RetryPolicy",
    "auth_header",
    "chunks",
    "publish",
    "staging_iri",
    "too_large",
]
