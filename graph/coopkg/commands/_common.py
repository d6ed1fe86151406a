"""What several commands print the same way. Private (`_`): `coopkg.cli` registers no command from it;
the command modules import it, it imports none of them."""

from __future__ import annotations

import sys
from collections.abc import Iterable


def print_problems(problems: Iterable[object], stream: object = None) -> None:
    """Each reading problem on its own line (FILE:LINE [FIELD]: message), on standard error by default."""
    # sys.stderr looked up at call time: a default bound at import would outlive a redirected stream
    for problem in problems:
        print(str(problem), file=stream or sys.stderr)  # type: ignore[arg-type]


_SCHEMA_PERSON = "https://schema.org/Person"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def contacts_in(triples: Iterable[object]) -> int:
    """How many contact persons (schema:Person: names, roles, e-mails) the triples describe
    (pyoxigraph or rdflib triples, or the export's triple table)."""
    from coopkg.termtable import TripleTable

    if isinstance(triples, TripleTable):  # (its rows as integers: no triple made per row)
        return len(triples.subjects_with(_RDF_TYPE, _SCHEMA_PERSON))
    people = set()
    for triple in triples:
        s, p, o = (triple.subject, triple.predicate, triple.object) if hasattr(triple, "subject") else triple  # type: ignore[attr-defined, misc]
        if getattr(p, "value", str(p)) == _RDF_TYPE and getattr(o, "value", str(o)) == _SCHEMA_PERSON:
            people.add(str(s))
    return len(people)


def warn_contacts(command: str, triples: Iterable[object], origin: str) -> int:
    """Say so when a graph about to leave the machine holds personal data (a graph built
    with --include-contacts once is exported and published as it is afterwards)."""
    count = contacts_in(triples)
    if count:
        print(f"coopkg {command}: warning: {origin} holds {count} contact person(s) (personal data: names, roles, "
              "e-mails), built with --include-contacts; rebuild without it to leave them out", file=sys.stderr)
    return count
