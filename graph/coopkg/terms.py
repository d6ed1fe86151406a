"""RDF terms as Turtle text: what the emitter produces, the writer sorts and Oxigraph parses.

Making an rdflib term costs microseconds (a URIRef is validated, a Literal cast to a
Python value); at atlas scale that was most of a build. The emitter instead writes each
term once as the text it has in graph.ttl: a prefixed name (``coop:party``), an
``<IRI>``, a literal with its language or datatype (``"2004"^^xsd:gYear``), a bare
integer or boolean. The Turtle writer then only sorts strings, Oxigraph parses the same
text, and rdflib terms are made from it only for callers that want them (`to_rdflib`).

The text of a term is a function of the term and the prefixes, so equal terms have equal
text and the text order is the order of graph.ttl.

This is the one place that writes RDF terms, so it is where they are checked: a language
tag must be a valid BCP 47 tag (langcodes), an IRI an absolute RFC 3987 IRI (the grammar
below: the PyPI validators are GPL-licensed or unmaintained), a literal real Unicode text
within the size limit, escaped so that no character can end the string. Anything else
raises `TermError`: the writer never emits text that changes the statement structure
(tests/test_hostile_terms.py feeds it arbitrary strings and parses the output with rdflib
and Oxigraph). Readers check the same rules first (`coopkg.screen`) to report FILE:LINE
[FIELD] problems; a TermError reaching a user is a bug.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from functools import lru_cache

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from coopkg import limits
from coopkg.vocab import PREFIXES

TextTriple = tuple[str, str, str]

_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})
# Other control characters (C0, DEL, C1), the line/paragraph separators and the two
# non-characters are legal in a Turtle string but trip line-based tools and some parsers:
# written as \uXXXX, which every Turtle and N-Triples parser reads back.
_ESCAPES.update({c: f"\\u{c:04X}" for c in [*range(0x00, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, 0xFFFE, 0xFFFF]
                 if c not in _ESCAPES})
_UNESCAPES = {"\\\\": "\\", '\\"': '"', "\\n": "\n", "\\r": "\r", "\\t": "\t", "\\b": "\b", "\\f": "\f", "\\'": "'"}
_ESCAPED = re.compile(r"\\(?:[\\\"nrtbf']|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})")
_SURROGATE = re.compile("[\ud800-\udfff]")
_BNODE = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?\Z")
_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
_IRI_ESCAPED = re.compile(r"\\u([0-9A-F]{4})")
_XSD_STRING = str(XSD.string)
_XSD_INTEGER = str(XSD.integer)
_XSD_BOOLEAN = str(XSD.boolean)

# RFC 3987 (IRI), section 2.2, for absolute IRIs (RDF's): ucschar and iprivate as ranges.
_UCS = ("\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF" + "".join(
    f"{chr(plane * 0x10000)}-{chr(plane * 0x10000 + 0xFFFD)}" for plane in range(1, 14))
    + "\U000E1000-\U000EFFFD")
_PRIVATE = "\uE000-\uF8FF\U000F0000-\U000FFFFD\U00100000-\U0010FFFD"
_PCT = "%[0-9A-Fa-f]{2}"
_UNRESERVED = f"A-Za-z0-9\\-._~{_UCS}"
_SUB_DELIMS = "!$&'()*+,;="
_IPCHAR = f"(?:[{_UNRESERVED}{_SUB_DELIMS}:@]|{_PCT})"
_IRI_PATTERN = (
    "^[A-Za-z][A-Za-z0-9+.-]*:"
    "(?:"
    f"//(?:(?:[{_UNRESERVED}{_SUB_DELIMS}:]|{_PCT})*@)?"  # iuserinfo
    f"(?P<host>\\[[^\\]]*\\]|(?:[{_UNRESERVED}{_SUB_DELIMS}]|{_PCT})*)"  # IP-literal or ireg-name
    "(?::[0-9]*)?"  # port
    f"(?:/{_IPCHAR}*)*"  # ipath-abempty
    f"|/(?:{_IPCHAR}+(?:/{_IPCHAR}*)*)?"  # ipath-absolute
    f"|{_IPCHAR}+(?:/{_IPCHAR}*)*"  # ipath-rootless
    "|)"  # ipath-empty
    f"(?:\\?(?:{_IPCHAR}|[/?{_PRIVATE}])*)?"  # iquery
    f"(?:#(?:{_IPCHAR}|[/?])*)?\\Z"  # ifragment ($ would let a final newline through)
)
_IRI_RE: re.Pattern[str] | None = None  # compiled on first use: 60-90 ms, which a query never needs
_IPV_FUTURE = re.compile(f"v[0-9A-Fa-f]+\\.[A-Za-z0-9\\-._~{_SUB_DELIMS}:]+\\Z")


class TermError(ValueError):
    """A value that cannot be written as an RDF term (bad language tag, IRI or text)."""


@lru_cache(maxsize=4096)
def check_language(tag: str) -> str:
    """``tag`` if it is a valid BCP 47 language tag ("ro", "fr-CH", "sr-Latn"); else TermError."""
    # langcodes is imported here, when a tag is first checked: its tables take 80 ms to import,
    # a fifth of a `coopkg query` process that never writes a term
    import langcodes

    if not isinstance(tag, str) or not tag.isascii() or not langcodes.tag_is_valid(tag):
        raise TermError(f"{tag!r} is not a BCP 47 language tag (e.g. en, fr, ro, de-CH, sr-Latn)")
    return tag


def check_iri(iri: str) -> str:
    """``iri`` if it is an absolute IRI (RFC 3987); else TermError."""
    global _IRI_RE
    if _IRI_RE is None:
        _IRI_RE = re.compile(_IRI_PATTERN)
    m = _IRI_RE.match(iri) if isinstance(iri, str) else None
    host = m.group("host") if m else None
    if m and host and host.startswith("["):
        inner = host[1:-1]
        try:
            ipaddress.IPv6Address(inner)
        except ValueError:
            if not _IPV_FUTURE.match(inner):
                m = None
    if m is None:
        raise TermError(f"{str(iri)[:200]!r} is not an absolute IRI (RFC 3987: scheme:..., "
                        'no spaces, no <>"{}|\\^` characters)')
    return iri


def check_text(text: str, what: str = "a text") -> str:
    """``text`` if it can be an RDF literal's lexical form: Unicode scalar values only (no
    lone surrogate: UTF-8 cannot hold one) and within the literal size limit; else TermError."""
    if len(text) > 65536:  # the limit is looked up only for long texts: the common case stays fast
        limit = limits.current().literal_chars
        if len(text) > limit:
            raise TermError(str(limits.over("literal_chars", len(text), limit, f"the characters of {what}")))
    if not text.isascii() and _SURROGATE.search(text):
        at = _SURROGATE.search(text).start()  # type: ignore[union-attr]
        raise TermError(f"{what} holds a lone surrogate U+{ord(text[at]):04X} at character {at + 1} "
                        "(not a Unicode character; is the file's encoding right?)")
    return text


def check_texts(texts: list[str]) -> None:
    """`check_text` of each of ``texts``, at the cost of one look at their join: the join is
    short and ASCII for nearly every record, and only then is each text looked at alone."""
    joined = "".join(texts)
    if len(joined) > 65536 or (not joined.isascii() and _SURROGATE.search(joined)):
        for text in texts:
            check_text(text)


class TermText:
    """Writes terms as Turtle text under one set of prefixes, and reads them back."""

    def __init__(self, prefixes: dict[str, str] | None = None) -> None:
        self.prefixes = dict(sorted((prefixes or PREFIXES).items()))
        # Longest namespace first, so "…/vocab/theme/" wins over "…/vocab/".
        self._by_ns = sorted(self.prefixes.items(), key=lambda kv: -len(kv[1]))
        self._iris: dict[str, str] = {}
        self._nodes: dict[str, Node] = {}

    # -- writing -------------------------------------------------------------------
    def iri(self, iri: str) -> str:
        """``coop:party`` or ``<https://…>``; TermError for what is no absolute RFC 3987 IRI."""
        text = self._iris.get(iri)
        if text is None:
            text = self._iris[iri] = self._iri(iri)
        return text

    def _iri(self, iri: str) -> str:
        for prefix, ns in self._by_ns:
            if iri.startswith(ns):
                local = iri[len(ns):]
                if _LOCAL.match(local):
                    return f"{prefix}:{local}"
        # An IRI that passes has none of <>"{}|^`\\, spaces or controls: no escaping needed.
        return f"<{check_iri(iri)}>"

    def literal(self, lexical: str, lang: str | None = None, datatype: str | None = None) -> str:
        """A literal's text; integers and booleans with a canonical-looking form stay bare.

        TermError for a language tag that is not BCP 47 or a text that is no literal's."""
        if datatype == _XSD_INTEGER and _INTEGER.match(lexical):
            return lexical
        if datatype == _XSD_BOOLEAN and lexical in ("true", "false"):
            return lexical
        text = '"' + check_text(lexical).translate(_ESCAPES) + '"'
        if lang:
            return text + "@" + check_language(lang)
        if datatype and datatype != _XSD_STRING:
            return text + "^^" + self.iri(datatype)
        return text

    def of(self, node: Node) -> str:
        """The text of an rdflib term."""
        if isinstance(node, URIRef):
            return self.iri(str(node))
        if isinstance(node, Literal):
            return self.literal(str(node), node.language, str(node.datatype) if node.datatype else None)
        if isinstance(node, BNode):
            if not _BNODE.match(str(node)):
                raise TermError(f"{str(node)[:200]!r} is not a blank node label")
            return f"_:{node}"
        raise TypeError(f"not an RDF term: {node!r}")

    def triples_of(self, triples: Iterable[tuple[Node, Node, Node]]) -> list[TextTriple]:
        of = self.of
        return [(of(s), of(p), of(o)) for s, p, o in triples]

    # -- reading -------------------------------------------------------------------
    def to_rdflib(self, text: str) -> Node:
        """The rdflib term written as ``text`` (the inverse of `of`)."""
        node = self._nodes.get(text)
        if node is None:
            node = self._nodes[text] = self._parse(text)
        return node

    def _parse(self, text: str) -> Node:
        first = text[0]
        if first == "<":
            return URIRef(_bracketed_iri(text))
        if first == '"':
            lexical, suffix = _quoted(text)
            if suffix.startswith("@"):
                return Literal(lexical, lang=suffix[1:])
            if suffix.startswith("^^"):
                return Literal(lexical, datatype=self.to_rdflib(suffix[2:]))
            return Literal(lexical)
        if first.isdigit() or first in "+-":
            return Literal(text, datatype=XSD.integer)
        if text in ("true", "false"):
            return Literal(text, datatype=XSD.boolean)
        if text.startswith("_:"):
            return BNode(text[2:])
        prefix, _, local = text.partition(":")
        return URIRef(self.prefixes[prefix] + local)

    def iri_value(self, text: str) -> str | None:
        """The IRI written as ``text`` (``<…>`` or a prefixed name), without making an rdflib
        term; None for any other term."""
        first = text[0]
        if first == "<":
            return _bracketed_iri(text)
        if first == '"' or first.isdigit() or first in "+-" or text in ("true", "false") or text.startswith("_:"):
            return None
        prefix, _, local = text.partition(":")
        ns = self.prefixes.get(prefix)
        return None if ns is None else ns + local

    def plain_text(self, text: str) -> str | None:
        """The lexical form of a plain or language-tagged string written as ``text``; None for
        any other term (a typed literal, an IRI, a number)."""
        if text[0] != '"':
            return None
        lexical, suffix = _quoted(text)
        return None if suffix and not suffix.startswith("@") else lexical

    def triple_to_rdflib(self, triple: TextTriple) -> tuple[Node, Node, Node]:
        node = self.to_rdflib
        return node(triple[0]), node(triple[1]), node(triple[2])

    def turtle_document(self, triples: Iterable[TextTriple]) -> bytes:
        """The triples as a Turtle document, one per line: what Oxigraph loads in a blink."""
        head = "".join(f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in self.prefixes.items())
        body = "".join([f"{s} {p} {o} .\n" for s, p, o in triples])
        return (head + body).encode("utf-8")


def _bracketed_iri(text: str) -> str:
    """The IRI written as ``<…>``, its \\u escapes undone."""
    return _IRI_ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text[1:-1]) if "\\" in text else text[1:-1]


def _quoted(text: str) -> tuple[str, str]:
    """A literal written as ``"…"`` with what follows it: (lexical form, ``@lang``, ``^^type`` or "")."""
    end = text.rindex('"')
    return (_ESCAPED.sub(_unescape, text[1:end]) if "\\" in text else text[1:end]), text[end + 1:]


def _unescape(m: re.Match[str]) -> str:
    escape = m.group(0)
    return _UNESCAPES.get(escape) or chr(int(escape[2:], 16))


#: The terms of graph.ttl: the project's prefixes.
GRAPH_TERMS = TermText(PREFIXES)
