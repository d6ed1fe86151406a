"""HTTP to SPARQL stores: credentials from the environment, retries, no redirects.

One client for `coopkg publish` (Graph Store Protocol, Update, counts) and for queries on
an endpoint (`coopkg query --endpoint`), so both authenticate the same way.

Credentials come from the environment only, never from arguments or URLs:

* ``COOPKG_SPARQL_TOKEN``: sent as ``Authorization: Bearer …`` with every request;
* ``COOPKG_SPARQL_USER`` and ``COOPKG_SPARQL_PASSWORD``: HTTP Basic or Digest, as the
  store asks in its ``WWW-Authenticate`` challenge (Virtuoso's ``/sparql-auth`` and
  ``/sparql-graph-crud-auth`` take Digest only; Fuseki and GraphDB take Basic). Nothing
  is sent before a challenge, so a password never travels in clear (Basic) to a store
  that would have taken Digest; once a store has accepted Basic, later requests carry it
  at once. ``COOPKG_SPARQL_AUTH=basic`` sends Basic from the first request (stores that
  answer 403 instead of challenging), ``digest`` refuses to fall back to Basic.

Written on urllib's own handlers (``HTTPDigestAuthHandler`` implements RFC 7616's MD5
with ``qop=auth``, which Virtuoso 7 asks for), so no extra dependency.

Bounds (from docs/security.md):

Bounded HTTP exchanges: a total wall-clock timeout and a size limit for every answer.

A socket timeout bounds each read, not the exchange: a server that sends one byte every
few seconds kept `query --endpoint`, `publish` and `import wikidata` waiting far past
their --timeout, and an answer of any size was read whole into memory. Here a request
and the reading of its whole answer run against one deadline (``--timeout`` seconds from
the start of the request), the answer is read in pieces and refused past the
``answer_bytes`` limit (docs/security.md).

The exchange runs in a worker thread that the caller waits for until the deadline: that
bounds even a server that trickles its headers, which urllib reads before any answer
object exists. A worker still blocked after the deadline is abandoned (a daemon thread,
its socket closed by its own timeout).
"""

from __future__ import annotations

import base64
import http.client
import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import Message
from typing import Any

from coopkg import limits

ENV_TOKEN = "COOPKG_SPARQL_TOKEN"
ENV_USER = "COOPKG_SPARQL_USER"
ENV_PASSWORD = "COOPKG_SPARQL_PASSWORD"
ENV_AUTH = "COOPKG_SPARQL_AUTH"
AUTH_SCHEMES = ("auto", "basic", "digest")
TRANSIENT_STATUS = frozenset({429, 502, 503, 504})


class RemoteTimeout(TimeoutError):
    """No complete answer within the total timeout."""


class AnswerTooLarge(ValueError):
    """The answer is over the answer_bytes limit."""


def read_answer(answer: Any, deadline: float, max_bytes: int, what: str) -> bytes:
    """The whole body of ``answer`` (an http.client response), within the deadline and the size limit."""
    length = answer.headers.get("Content-Length") if getattr(answer, "headers", None) is not None else None
    if length and length.strip().isdigit() and int(length) > max_bytes:
        raise AnswerTooLarge(str(limits.over("answer_bytes", int(length), max_bytes, f"the answer of {what}")))
    read = getattr(answer, "read1", None) or answer.read
    pieces: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise RemoteTimeout(f"{what}: the answer did not arrive in full within the timeout")
        piece = read(65536)
        if not piece:
            return b"".join(pieces)
        size += len(piece)
        if size > max_bytes:
            raise AnswerTooLarge(str(limits.over("answer_bytes", size, max_bytes, f"the answer of {what}")))
        pieces.append(piece)


def exchange(call: Callable[[float], Any], seconds: float, what: str) -> tuple[Any, bytes]:
    """``call(deadline)`` (which sends the request and returns the response object) and its whole
    body, all within ``seconds``; RemoteTimeout past it, AnswerTooLarge past the size limit.
    Exceptions of ``call`` come through as they are."""
    max_bytes = limits.current().answer_bytes
    deadline = time.monotonic() + seconds
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            answer = call(deadline)
            try:
                outcome["value"] = (answer, read_answer(answer, deadline, max_bytes, what))
            finally:
                close = getattr(answer, "close", None)
                if close:
                    close()
        except BaseException as err:  # noqa: BLE001 - handed to the caller's thread
            outcome["error"] = err

    worker = threading.Thread(target=work, daemon=True, name="coopkg-remote")
    worker.start()
    worker.join(max(0.0, deadline - time.monotonic()) + 0.5)
    if worker.is_alive():
        raise RemoteTimeout(f"{what}: no complete answer within {seconds:g} s (the total timeout, --timeout)")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


class RemoteError(RuntimeError):
    """A request to a store failed; the message says which and what the store answered."""

    swapped: bool = False  # see coopkg.publish.PublishError


class HttpError(RemoteError):
    timed_out: bool = False  # no complete answer within the timeout (the store was reached)

    def __init__(self, method: str, url: str, status: int | None, detail: str) -> None:
        self.status = status
        self.detail = detail
        self.method, self.url = method, url
        where = f"{method} {without_query(url)}"
        super().__init__(f"{where}: {'HTTP ' + str(status) if status else 'no answer'}: {detail}")


def without_query(url: str) -> str:
    return url.split("?", 1)[0]


def check_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url!r} is not an http(s) URL")
    if parts.username or parts.password:
        raise ValueError(
            f"credentials in a URL are refused (they would show in the process list and logs): "
            f"set {ENV_USER}/{ENV_PASSWORD} or {ENV_TOKEN} instead")


@dataclass(frozen=True)
class Credentials:
    """What the environment gives: a token, or a user and password, and the scheme to use."""

    token: str | None = None
    user: str | None = None
    password: str | None = None
    scheme: str = "auto"

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Credentials:
        env = os.environ if environ is None else environ
        scheme = (env.get(ENV_AUTH) or "auto").strip().lower()
        if scheme not in AUTH_SCHEMES:
            raise ValueError(f"{ENV_AUTH}={scheme!r}: expected one of {', '.join(AUTH_SCHEMES)}")
        token = env.get(ENV_TOKEN) or None
        user, password = env.get(ENV_USER) or None, env.get(ENV_PASSWORD)
        if token:
            return cls(token=token, scheme=scheme)
        if user and password is not None:
            return cls(user=user, password=password, scheme=scheme)
        return cls(scheme=scheme)

    @property
    def present(self) -> bool:
        return bool(self.token or self.user)

    def __repr__(self) -> str:  # never show a secret in a traceback or a log
        return f"Credentials(token={'***' if self.token else None}, user={self.user!r}, scheme={self.scheme!r})"


def auth_header(environ: Mapping[str, str] | None = None) -> str | None:
    """The Authorization header sent before any challenge (Bearer, or Basic when forced)."""
    creds = Credentials.from_environment(environ)
    if creds.token:
        return f"Bearer {creds.token}"
    if creds.user and creds.scheme == "basic":
        return "Basic " + base64.b64encode(f"{creds.user}:{creds.password}".encode()).decode("ascii")
    return None


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


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Credentials must not follow a redirect to another host: redirects are errors."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class _Passwords(urllib.request.HTTPPasswordMgrWithPriorAuth):
    """One user and password for every host the client talks to (the store's, given by the user)."""

    def __init__(self, user: str, password: str, prior: bool) -> None:
        super().__init__()
        self._user, self._password, self._prior = user, password, prior

    def find_user_password(self, realm: str | None, authuri: str) -> tuple[str, str]:
        return self._user, self._password

    def is_authenticated(self, authuri: str) -> bool:
        return self._prior or bool(super().is_authenticated(authuri))


def _root(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


class _Digest(urllib.request.HTTPDigestAuthHandler):
    """Digest, answered before the next challenge once a host has sent one.

    urllib answers each 401 by sending the request again; with a large body the first,
    unauthenticated copy is cut off by stores that answer 401 before reading it (Virtuoso
    resets the connection). So the last challenge of each host is kept and each later
    request carries its answer at once (the nonce count goes up, as RFC 7616 says); a
    stale nonce just gets one more challenge. A challenge of another scheme is left to
    the next handler instead of raising.
    """

    def __init__(self, passwords: urllib.request.HTTPPasswordMgr) -> None:
        super().__init__(passwords)
        self._challenges: dict[str, dict[str, str]] = {}

    def knows(self, url: str) -> bool:
        return _root(url) in self._challenges

    def retry_http_digest_auth(self, req: urllib.request.Request, auth: str) -> Any:
        _, challenge = auth.split(" ", 1)
        parsed = urllib.request.parse_keqv_list(filter(None, urllib.request.parse_http_list(challenge)))
        self._challenges[_root(req.full_url)] = parsed
        return super().retry_http_digest_auth(req, auth)

    def http_request(self, req: urllib.request.Request) -> urllib.request.Request:
        challenge = self._challenges.get(_root(req.full_url))
        if challenge and not req.has_header("Authorization"):
            answer = self.get_authorization(req, challenge)
            if answer:
                req.add_unredirected_header("Authorization", f"Digest {answer}")
        return req

    https_request = http_request

    def http_error_401(self, req: urllib.request.Request, fp: Any, code: int, msg: str,
                       headers: Message) -> Any:
        try:
            return super().http_error_401(req, fp, code, msg, headers)
        except ValueError:  # a scheme urllib does not know (Bearer, Negotiate...)
            return None


class _BasicAfterChallenge(urllib.request.HTTPBasicAuthHandler):
    """Basic, preemptive once the host accepted it; refused when Digest is required."""

    def __init__(self, passwords: _Passwords, allowed: bool) -> None:
        super().__init__(passwords)
        self._allowed = allowed

    def http_error_401(self, req: urllib.request.Request, fp: Any, code: int, msg: str,
                       headers: Message) -> Any:
        if not self._allowed:
            return None
        try:
            return super().http_error_401(req, fp, code, msg, headers)
        except ValueError:  # a Digest-only (or unknown) challenge Digest could not answer
            return None

    def http_request(self, req: urllib.request.Request) -> urllib.request.Request:
        if not self._allowed:
            return req
        # urllib adds preemptive Basic only for URIs it saw succeed; make that the host
        host = urllib.parse.urlsplit(req.full_url)
        root = f"{host.scheme}://{host.netloc}/"
        if self.passwd.is_authenticated(root) and not req.has_header("Authorization"):
            user, password = self.passwd.find_user_password(None, root)
            req.add_unredirected_header(
                "Authorization", "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii"))
        return req

    def http_response(self, req: urllib.request.Request, response: Any) -> Any:
        sent = req.get_header("Authorization") or ""
        if self._allowed and 200 <= response.code < 300 and sent.startswith("Basic "):
            host = urllib.parse.urlsplit(req.full_url)
            self.passwd.update_authenticated(f"{host.scheme}://{host.netloc}/", True)
        return response

    https_request = http_request
    https_response = http_response


@dataclass
class Response:
    status: int
    body: bytes
    headers: Message


class Client:
    """Small SPARQL-protocol HTTP client: every request retried on transient failures."""

    def __init__(self, retry: RetryPolicy | None = None, timeout: float = 120.0,
                 environ: Mapping[str, str] | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        self.retry = retry or RetryPolicy()
        self.timeout = timeout
        self.credentials = Credentials.from_environment(environ)
        self._auth = auth_header(environ)
        handlers: list[urllib.request.BaseHandler] = [_NoRedirect()]
        creds = self.credentials
        self._digest: _Digest | None = None
        self._basic: _BasicAfterChallenge | None = None
        if creds.user and creds.password is not None and creds.scheme != "basic":
            passwords = _Passwords(creds.user, creds.password, prior=False)
            self._digest = _Digest(passwords)
            self._basic = _BasicAfterChallenge(passwords, allowed=creds.scheme == "auto")
            handlers += [self._digest, self._basic]
        self._opener = urllib.request.build_opener(*handlers)
        self._sleep = sleep
        self.requests = 0  # requests sent, retries included

    def request(self, method: str, url: str, body: bytes | None = None, content_type: str | None = None,
                accept: str | None = None, retry: bool = True) -> Response:
        headers = {"User-Agent": "coopkg"}
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        if self._auth:
            headers["Authorization"] = self._auth
        if body and len(body) > 65_536 and not self._authenticated(url):
            self._handshake(url, headers)
        attempts = self.retry.attempts if retry else 1
        for attempt in range(1, attempts + 1):
            request = urllib.request.Request(url, data=body, method=method, headers=headers)
            self.requests += 1
            try:
                # the whole exchange within the timeout (not each socket read), the answer bounded
                answer, data = exchange(lambda deadline, r=request: self._opener.open(r, timeout=self.timeout),
                                        self.timeout, f"{method} {without_query(url)}")
                return Response(answer.status, data, answer.headers)
            except AnswerTooLarge as err:
                raise RemoteError(str(err)) from None
            except urllib.error.HTTPError as err:
                detail = _detail(err)
                if err.code in TRANSIENT_STATUS and attempt < attempts:
                    self._sleep(self.retry.wait(attempt, err.headers.get("Retry-After")))
                    continue
                if err.code == 401:
                    detail += self._why_unauthorised(err)
                raise HttpError(method, url, err.code, detail) from None
            except (urllib.error.URLError, ConnectionError, TimeoutError, http.client.HTTPException) as err:
                reason = getattr(err, "reason", err)
                if attempt < attempts:
                    self._sleep(self.retry.wait(attempt))
                    continue
                failed = HttpError(method, url, None, str(reason))
                failed.timed_out = isinstance(err, TimeoutError)
                raise failed from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _authenticated(self, url: str) -> bool:
        """Whether a request to ``url`` will carry credentials from the start (or needs none)."""
        if self._digest is None or self._basic is None:
            return True  # Bearer or forced Basic go with every request; no credentials: nothing to do
        return self._digest.knows(url) or bool(self._basic.passwd.is_authenticated(_root(url)))

    def _handshake(self, url: str, headers: dict[str, str]) -> None:
        """A body-less GET to ``url`` to get (and answer) the store's challenge before a big body.

        Its answer does not matter (a Graph Store GET of a missing graph is a 404), only
        that the credentials were taken: a 401 is reported here, before the upload.
        """
        probe = {k: v for k, v in headers.items() if k != "Content-Type"}
        try:
            with self._opener.open(urllib.request.Request(url, method="GET", headers=probe), timeout=self.timeout):
                pass
        except urllib.error.HTTPError as err:
            if err.code == 401:
                raise HttpError("GET", url, 401, _detail(err) + self._why_unauthorised(err)) from None
        except (urllib.error.URLError, ConnectionError, TimeoutError, http.client.HTTPException):
            pass  # the request itself will report it, with retries
        self.requests += 1

    def send(self, method: str, url: str, body: bytes | None = None, content_type: str | None = None,
             accept: str | None = None, retry: bool = True) -> bytes:
        return self.request(method, url, body, content_type, accept, retry).body

    def _why_unauthorised(self, err: urllib.error.HTTPError) -> str:
        challenge = (err.headers.get("WWW-Authenticate") or "").split(" ", 1)[0] or "none"
        if not self.credentials.present:
            return (f" (the store asks for credentials, {challenge} challenge: set {ENV_USER} and {ENV_PASSWORD}, "
                    f"or {ENV_TOKEN})")
        if challenge.lower() == "basic" and self.credentials.scheme == "digest":
            return f" (the store asks for Basic authentication but {ENV_AUTH}=digest)"
        return f" (the credentials were refused; the store's challenge: {challenge})"


def _detail(err: urllib.error.HTTPError) -> str:
    try:
        text = err.read(600).decode("utf-8", "replace").strip()
    except Exception:  # noqa: BLE001 - the body is only a hint
        text = ""
    return " ".join(text.split())[:400] or err.reason or "error"


__all__ = [
    "AUTH_SCHEMES",
    "AnswerTooLarge",
    "RemoteTimeout",
    "exchange",
    "read_answer",
    "Client",
    "Credentials",
    "ENV_AUTH",
    "ENV_PASSWORD",
    "ENV_TOKEN",
    "ENV_USER",
    "HttpError",
    "RemoteError",
    "Response",
    "RetryPolicy",
    "auth_header",
    "check_url",
    "without_query",
]
