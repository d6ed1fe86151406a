"""The shipped SKOS vocabularies, as code sets and label look-ups for readers.

Readers meet words ("Protocol de cooperare", "En cours", "județ"); this module maps
them to codes through the schemes' prefLabels, altLabels and notations, compared
case- and diacritic-insensitively, so the mapping lives in ontology/ and not in code.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from coopkg import resources
from coopkg.vocab import SCHEMES, VOCAB


def fold(text: str) -> str:
    """Lower case, no diacritics, single spaces, no punctuation at the ends."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", bare)).strip()


@dataclass
class Scheme:
    name: str
    codes: set[str] = field(default_factory=set)
    by_label: dict[str, str] = field(default_factory=dict)  # folded label -> code
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # code -> lang -> prefLabel
    broader: dict[str, str] = field(default_factory=dict)  # code -> broader code

    def lookup(self, word: str) -> str | None:
        """The code a word names (a code, a prefLabel or an altLabel), or None."""
        key = fold(word)
        if key.replace(" ", "-") in self.codes:
            return key.replace(" ", "-")
        return self.by_label.get(key)

    def find_in(self, text: str) -> str | None:
        """The code whose longest label occurs in a longer text ("Încetat prin ...")."""
        folded = f" {fold(text)} "
        best: tuple[int, str] | None = None
        for label, code in self.by_label.items():
            if f" {label} " in folded and (best is None or len(label) > best[0]):
                best = (len(label), code)
        return best[1] if best else None


@cache
def schemes() -> dict[str, Scheme]:
    """Every shipped scheme by name ("agreement-kind", "status", "theme"...)."""
    graph = Graph()
    for path in resources.files("ontology", "*.ttl"):
        if path.parent.name == "vocabularies":
            graph.parse(path, format="turtle")
    found: dict[str, Scheme] = {name: Scheme(name) for name in SCHEMES}
    for concept in graph.subjects(RDF.type, SKOS.Concept):
        iri = str(concept)
        if not iri.startswith(VOCAB):
            continue
        scheme_name, _, code = iri[len(VOCAB):].partition("/")
        scheme = found.get(scheme_name)
        if scheme is None or not code:
            continue
        scheme.codes.add(code)
        for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.notation):
            for label in graph.objects(concept, prop):
                scheme.by_label.setdefault(fold(str(label)), code)
                if prop == SKOS.prefLabel and getattr(label, "language", None):
                    scheme.labels.setdefault(code, {})[label.language] = str(label)
        for broader in graph.objects(concept, SKOS.broader):
            scheme.broader[code] = str(broader).rsplit("/", 1)[-1]
    return found


def codes(scheme: str) -> set[str]:
    return schemes()[scheme].codes


def concept_iri(scheme: str, code: str) -> URIRef:
    return SCHEMES[scheme][code]
