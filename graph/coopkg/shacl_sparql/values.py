"""Core value constraints: one SPARQL expression per constraint, true when a value node conforms."""

from __future__ import annotations

from collections.abc import Callable

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from coopkg.shacl_sparql.base import CompilerBase, Focus, Outcome, UnsupportedShape, _nt, _str
from coopkg.vocab import SH

_WELL_FORMED = {
    XSD.integer: r"^[+-]?[0-9]+$",
    XSD.int: r"^[+-]?[0-9]+$",
    XSD.long: r"^[+-]?[0-9]+$",
    # a valid value of the integer subtypes is stored as xsd:integer: one still typed so was
    # ill-formed (range checks are made on the literal as written, `literals.term_conforms`)
    XSD.short: r"^[+-]?[0-9]+$",
    XSD.byte: r"^[+-]?[0-9]+$",
    XSD.unsignedLong: r"^\+?[0-9]+$",
    XSD.unsignedInt: r"^\+?[0-9]+$",
    XSD.unsignedShort: r"^\+?[0-9]+$",
    XSD.unsignedByte: r"^\+?[0-9]+$",
    XSD.negativeInteger: r"^-0*[1-9][0-9]*$",
    XSD.nonPositiveInteger: r"^(-[0-9]+|\+?0+)$",
    XSD.nonNegativeInteger: r"^(\+?[0-9]+|-0+)$",
    XSD.positiveInteger: r"^\+?0*[1-9][0-9]*$",
    XSD.decimal: r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$",
    XSD.double: r"^([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN)$",
    XSD.float: r"^([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN)$",
    XSD.boolean: r"^(true|false|1|0)$",
    XSD.gYear: r"^-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.gYearMonth: r"^-?[0-9]{4,}-(0[1-9]|1[0-2])(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.date: r"^-?[0-9]{4,}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)"
              r"|02-(0[1-9]|1[0-9]|2[0-8]))(Z|[+-][0-9]{2}:[0-9]{2})?$"
              r"|^-?([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)-02-29"
              r"(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.dateTime: r"^-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
                  r"(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$",
}
_VALUE_COMPONENTS = {
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.maxLength: SH.MaxLengthConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH["and"]: SH.AndConstraintComponent,
    SH["not"]: SH.NotConstraintComponent,
    SH.xone: SH.XoneConstraintComponent,
}
_KNOWN = set(_VALUE_COMPONENTS) | {
    SH.path, SH.minCount, SH.maxCount, SH.hasValue, SH.uniqueLang, SH.property, SH.sparql, SH.flags,
    SH.message, SH.severity, SH.deactivated, SH.name, SH.description, SH.order, SH.group, SH.defaultValue,
    SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
}
_UNSUPPORTED = {SH.closed, SH.ignoredProperties, SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals,
                SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount}




class ValuesMixin(CompilerBase):
    def value_condition(self, key: URIRef, arg: Node, var: str, shape: Node) -> str | None:
        """An expression true when node ``var`` satisfies the value-based constraint ``key arg``."""
        if key == SH["class"]:
            return self.exists(var, self.has_class(var, arg))
        if key == SH.datatype:
            if arg == RDF.langString:
                return f"(isLiteral({var}) && LANG({var}) != \"\")"
            check = f"(isLiteral({var}) && DATATYPE({var}) = {_nt(arg)}"
            if arg in _WELL_FORMED:
                check += f" && REGEX(STR({var}), {_str(_WELL_FORMED[arg])})"
            if arg == XSD.string:
                check += f" && LANG({var}) = \"\""
            return check + ")"
        if key == SH.nodeKind:
            kinds = {
                SH.IRI: f"isIRI({var})", SH.BlankNode: f"isBlank({var})", SH.Literal: f"isLiteral({var})",
                SH.BlankNodeOrIRI: f"(isBlank({var}) || isIRI({var}))",
                SH.BlankNodeOrLiteral: f"(isBlank({var}) || isLiteral({var}))",
                SH.IRIOrLiteral: f"(isIRI({var}) || isLiteral({var}))",
            }
            if arg not in kinds:
                raise UnsupportedShape(f"unknown sh:nodeKind {arg}")
            return kinds[arg]
        if key == SH["in"]:
            members = self.items(arg)
            if any(isinstance(m, BNode) for m in members):
                return None
            return "(" + (" || ".join(f"sameTerm({var}, {_nt(m)})" for m in members) or "false") + ")"
        if key == SH.pattern:
            flags = self.one(shape, SH.flags)
            extra = f", {_str(str(flags))}" if flags is not None else ""
            return f"(!isBlank({var}) && REGEX(STR({var}), {_str(str(arg))}{extra}))"
        ops = {SH.minInclusive: ">=", SH.minExclusive: ">", SH.maxInclusive: "<=", SH.maxExclusive: "<"}
        if key in ops:
            return f"COALESCE({var} {ops[key]} {_nt(arg)}, false)"
        if key in (SH.minLength, SH.maxLength):
            op = ">=" if key == SH.minLength else "<="
            return f"(!isBlank({var}) && COALESCE(STRLEN(STR({var})) {op} {int(arg)}, false))"  # type: ignore[call-overload]
        if key == SH.languageIn:
            langs = [str(x) for x in self.items(arg)]
            tests = " || ".join(f"langMatches(LANG({var}), {_str(lang)})" for lang in langs) or "false"
            return f"(isLiteral({var}) && ({tests}))"
        if key == SH.node:
            return self.conforms(arg, var)
        if key in (SH["or"], SH["and"], SH.xone):
            parts = [self.conforms(member, var) for member in self.items(arg)]
            if any(p is None for p in parts):
                return None
            if key == SH["or"]:
                return "(" + (" || ".join(parts) or "false") + ")"  # type: ignore[arg-type]
            if key == SH["and"]:
                return "(" + (" && ".join(parts) or "true") + ")"  # type: ignore[arg-type]
            ones = " + ".join(f"IF({p}, 1, 0)" for p in parts)
            return f"(({ones}) = 1)"
        if key == SH["not"]:
            inner = self.conforms(arg, var)
            return None if inner is None else f"(!{inner})"
        return None


    def _failing_values(self, focus: Focus, this: str, value: str, path: str, conditions: list[tuple[URIRef, str]],
                        outcome: Callable[..., Outcome], hashed: list[str] | None = None) -> None:
        """Value constraints on a one-step path, checked on each distinct value once.

        The conditions depend on the value alone, so the values that fail them are found
        among the path's distinct objects (a scan of one predicate), and only those are
        joined back to their focus nodes: checking every (focus, value) row costs a focus
        join per row where most values (themes, kinds, actors) recur thousands of times.
        """
        flags = [f"?_fail{i}" for i in range(len(conditions))]
        binds = " ".join(f"BIND (COALESCE(!({cond}), false) AS {flag})"
                         for flag, (_, cond) in zip(flags, conditions, strict=True))
        # the hash-joined tests (`exists`) after the values they are joined to
        tests = " ".join(hashed or [])
        failing = (f"{{ {{ SELECT DISTINCT {value} WHERE {{ {self.fresh('s')} {path} {value} . }} }} {tests} {binds} "
                   f"FILTER ({' || '.join(flags)}) }}")
        if not self.select(f"SELECT {value} WHERE {failing} LIMIT 1"):
            return  # the usual case: no value fails, and no join at all
        # Oxigraph joins a FILTER EXISTS row by row (the focus pattern is a lookup of the bound
        # node) but a group of patterns as a whole (every focus node, then a hash join).
        test = f"FILTER EXISTS {{ {focus(this)} }}" if focus.lookup else focus(this)
        rows = self.select(f"SELECT DISTINCT {this} {value} {' '.join(flags)} WHERE {{ {failing} "
                           f"{this} {path} {value} . {test} }}")
        for row in rows:
            for (component, cond), flag in zip(conditions, row[2:], strict=True):
                if isinstance(flag, Literal) and flag.toPython() is True:
                    self.outcomes.append(outcome(row[0], component, row[1], cond))  # type: ignore[arg-type]
