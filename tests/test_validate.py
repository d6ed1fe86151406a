"""SHACL validation: every rule caught on a corpus of bad records, reported at the right line.

The corpus (tests/fixtures/validate/) holds native YAML records, one or more per rule,
plus a hand-written Turtle graph for what the YAML reader refuses to produce (strings
and ill-typed literals as dates, untagged labels, codes outside their schemes). Every
case asserts the rule (the coopsh: constraint or property shape), the record and the
source file and line the report gives for it; the line expected is looked up in the
fixture file itself.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from coopkg import build, cli, validate
from coopkg.store import Store, from_triples, open_graph
from coopkg.vocab import COOP, DEFAULT_BASE, SCHEMA, SH

FIXTURES = Path(__file__).parent / "fixtures" / "validate"
YAML_CASES = sorted(p for p in FIXTURES.glob("*.yaml"))
TTL_CASES = FIXTURES / "literals.ttl"
DOCS = Path(__file__).resolve().parents[1] / "docs" / "validation.md"
SHAPES_NS = "https://w3id.org/coopkg/shapes#"


def yaml_line(path: Path, key: str) -> int:
    """The line of the YAML entry ``- key: KEY`` (where the reader says the record starts)."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if re.match(rf"^\s*- key: {re.escape(key)}(\s|$)", line):
            return number
    raise AssertionError(f"no entry {key!r} in {path.name}")


def ttl_line(path: Path, iri: str) -> int:
    """The line where the subject ``<IRI>`` is described in a Turtle fixture."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(f"<{iri}> a "):
            return number
    raise AssertionError(f"no subject <{iri}> in {path.name}")


def corpus_store() -> Store:
    loaded = build.load(YAML_CASES)
    return from_triples(build.graph_triples(loaded.records), "oxigraph")


@pytest.fixture(scope="module")
def yaml_report() -> validate.Report:
    return validate.validate(corpus_store(), "pyshacl")


@pytest.fixture(scope="module")
def ttl_report() -> validate.Report:
    return validate.validate(open_graph(TTL_CASES, "oxigraph"), "pyshacl")


def results_for(report: validate.Report, record: str) -> list[validate.Result]:
    return [r for r in report.results if str(r.record) == DEFAULT_BASE + record]


# (file, record kind/key, rule, severity, value) -- value as the report shows it (a number
# for amounts, whose lexical form is the emitter's business), or None.
YAML_EXPECTED = [
    ("dates.yaml", "partnership/end-year-before-start-day", "end-before-start", "Violation", '"2003"^^xsd:gYear'),
    ("dates.yaml", "agreement/end-month-before-signature", "end-before-signature", "Violation",
     '"2010-05"^^xsd:gYearMonth'),
    ("dates.yaml", "project/project-end-day-before-start-month", "end-before-start", "Violation",
     '"2012-05-31"^^xsd:date'),
    ("dates.yaml", "programme/programme-end-before-start", "end-before-start", "Violation", '"1999"^^xsd:gYear'),
    ("changes.yaml", "change/amendment-before-signature", "change-before-signature", "Violation", '"2003"^^xsd:gYear'),
    ("changes.yaml", "change/renewal-after-end", "change-after-end", "Violation", '"2009-03-01"^^xsd:date'),
    ("changes.yaml", "change/renewal-without-date", "change-date", "Warning", None),
    ("changes.yaml", "change/renewal-of-unknown-agreement", "change-agreement", "Violation",
     "agreement/no-such-agreement"),
    ("parties.yaml", "partnership/one-party-partnership", "parties-two-or-more", "Violation", None),
    ("parties.yaml", "agreement/same-party-twice", "parties-two-or-more", "Violation", None),
    ("parties.yaml", "agreement/same-actor-two-keys", "parties-same-actor", "Violation",
     "collectivity/fx-county-b-twin"),
    ("parties.yaml", "agreement/unknown-party", "party-is-actor", "Violation", "collectivity/fx-nowhere"),
    ("parties.yaml", "agreement/unknown-member", "party-role-members", "Violation", "collectivity/fx-nobody"),
    ("parties.yaml", "agreement/term-of-zero-years", "term-years", "Violation", '"0"^^xsd:integer'),
    ("status.yaml", "partnership/ongoing-ended-in-2001", "ongoing-with-past-end", "Violation", '"2001"^^xsd:gYear'),
    ("status.yaml", "agreement/end-reason-but-ongoing", "end-reason-but-not-ended", "Violation", "endreason:expiry"),
    ("status.yaml", "agreement/end-reason-without-status", "end-reason-but-not-ended", "Violation",
     "endreason:termination"),
    ("status.yaml", "project/ended-without-date-or-reason", "ended-without-end-date", "Warning", "status:ended"),
    ("status.yaml", "project/ended-without-date-or-reason", "ended-without-end-reason", "Warning", "status:ended"),
    ("reorganisation.yaml", "partnership/reorg-through-region", "reorganisation-inferred", "Warning",
     "collectivity/fx-department"),
    ("reorganisation.yaml", "partnership/reorg-touching-nobody", "reorganisation-missing", "Violation",
     "endreason:administrative-reorganisation"),
    ("reorganisation.yaml", "partnership/reorg-after-the-end", "reorganisation-missing", "Violation",
     "endreason:administrative-reorganisation"),
    ("funding.yaml", "funding/negative-amount", "funding-amount-not-negative", "Violation", -5000),
    ("funding.yaml", "funding/unknown-currency", "funding-currency", "Violation", '"XYZ"'),
    ("funding.yaml", "funding/no-year", "funding-year", "Violation", None),
    ("funding.yaml", "funding/no-funder-at-all", "funding-no-funder", "Violation", None),
    ("funding.yaml", "funding/funder-only-named", "funding-funder-unidentified", "Warning",
     '"Some partner towns"@en'),
    ("funding.yaml", "funding/year-before-the-partnership", "funding-year-outside-lifetime", "Warning",
     '"1990"^^xsd:gYear'),
    ("funding.yaml", "funding/agreement-funded-before-the-partnership", "funding-year-outside-lifetime", "Warning",
     '"1990"^^xsd:gYear'),
    ("funding.yaml", "funding/project-funded-after-the-partnership", "funding-year-outside-lifetime", "Warning",
     '"2010-02"^^xsd:gYearMonth'),
    ("funding.yaml", "funding/funder-not-an-actor", "FunderShape", "Violation", None),
    ("memberships.yaml", "membership/member-end-year-before-start-day", "membership-end-before-start", "Violation",
     '"2003"^^xsd:gYear'),
    ("memberships.yaml", "membership/member-attested-before-start", "membership-attested-outside", "Violation",
     '"2005-02-28"^^xsd:date'),
    ("memberships.yaml", "membership/part-of-attested-after-end", "membership-attested-outside", "Violation",
     '"2000"^^xsd:gYear'),
    ("memberships.yaml", "membership/member-unknown", "membership-member", "Violation", "collectivity/fx-nobody-at-all"),
    ("collectivities.yaml", "collectivity/fx-no-country", "collectivity-country", "Warning", None),  # issue 13
    ("collectivities.yaml", "collectivity/fx-rhone-test", "collectivity-duplicate", "Warning",
     "collectivity/fx-rhone-test-again"),
    ("collectivities.yaml", "collectivity/fx-rhone-test-again", "collectivity-duplicate", "Warning",
     "collectivity/fx-rhone-test"),
]


@pytest.mark.parametrize(("file", "record", "rule", "severity", "value"), YAML_EXPECTED,
                         ids=[f"{c[2]}:{c[1]}" for c in YAML_EXPECTED])
def test_yaml_corpus_rule_record_and_line(yaml_report: validate.Report, file: str, record: str, rule: str,
                                          severity: str, value: str | int | None) -> None:
    found = [r for r in results_for(yaml_report, record) if r.rule == rule]
    assert found, f"{rule} not reported on {record}: {[r.rule for r in results_for(yaml_report, record)]}"
    result = found[0]
    assert result.severity == severity
    line = yaml_line(FIXTURES / file, record.split("/", 1)[1])
    assert [(Path(s.document).name, s.line) for s in result.sources] == [(file, line)]
    if isinstance(value, int):
        assert isinstance(result.value, Literal) and result.value.datatype == XSD.decimal
        assert float(result.value) == value
    elif value is not None:
        assert validate._show(result.value) == value
    assert result.message("en") and result.message("fr") and result.message("en") != result.message("fr")


def test_yaml_corpus_has_nothing_else(yaml_report: validate.Report) -> None:
    """No surprise: every result of the corpus is one the table above expects."""
    expected = {(record, rule) for _, record, rule, _, _ in YAML_EXPECTED}
    got = {(str(r.record).removeprefix(DEFAULT_BASE), r.rule) for r in yaml_report.results}
    assert got == expected


@pytest.mark.parametrize("record", [
    "partnership/year-start-day-end-ok",  # start 2004 + end 2004-11-19
    "partnership/day-start-year-end-ok",  # start 2004-11-19 + end 2004
    "agreement/signature-year-end-day-ok",  # signed 2010 + end 2010-01-02
    "change/renewal-same-month-ok",  # renewal 2004-05 of an agreement signed 2004-05-10
    "partnership/reorg-direct-ok",
    "partnership/ended-fully-ok",
    "funding/year-in-last-year-ok",  # 2005-12 within a partnership ending 2005
    "funding/project-funded-within-the-partnership-ok",  # 2004, a project under the partnership's agreement
    "membership/member-year-start-day-end-ok",  # 2004 .. 2004-11-19, attested 2004-06
])
def test_good_records_of_mixed_precision_pass(yaml_report: validate.Report, record: str) -> None:
    assert results_for(yaml_report, record) == []


# (record, rule, value) of the hand-written Turtle graph.
TTL_EXPECTED = [
    ("partnership/ttl-string-dates", "date-not-a-date", '"2004-01-01"'),
    ("agreement/ttl-ill-typed-date", "date-ill-typed", '"31.02.2004"^^xsd:date'),
    ("project/ttl-ill-typed-month", "date-ill-typed", '"2004-13"^^xsd:gYearMonth'),
    ("project/ttl-ill-typed-month", "date-ill-typed", '"2004-02-30"^^xsd:date'),
    ("agreement/ttl-leap-days", "date-ill-typed", '"1900-02-29"^^xsd:date'),
    ("collectivity/ttl-untagged-no-kind", "collectivity-kind", None),
    ("collectivity/ttl-untagged-no-kind", "label-language", '"No kind, no language"'),
    ("collectivity/ttl-untagged-no-kind", "preflabel-language", '"No kind, no language"'),
    ("collectivity/ttl-untagged-no-kind", "actor-country-code", '"fr"'),
    ("collectivity/ttl-foreign-kind", "collectivity-kind-in-scheme", "ckind:village"),
    ("institution/ttl-foreign-kind", "institution-kind-in-scheme", "ikind:club"),
    ("partnership/ttl-foreign-codes", "theme-in-scheme", "theme:no-such-theme"),
    ("partnership/ttl-foreign-codes", "status-in-scheme", "status:finished"),
    ("partnership/ttl-foreign-codes", "end-reason-in-scheme", "endreason:boredom"),
    ("partnership/ttl-foreign-codes", "end-reason-but-not-ended", "endreason:boredom"),
    ("partnership/ttl-foreign-codes", "partnership-form-in-scheme", "kind:handshake"),
    ("partnership/ttl-foreign-codes", "title-language", '"An untagged title"'),
    ("agreement/ttl-no-kind", "agreement-kind", None),
    ("project/ttl-no-title", "project-title", None),
    ("funding/ttl-ill-typed-amount", "funding-amount", '"12,5"^^xsd:decimal'),
    # an ill-typed amount cannot be compared with 0 either: SHACL reports sh:minInclusive too
    ("funding/ttl-ill-typed-amount", "funding-amount-not-negative", '"12,5"^^xsd:decimal'),
    ("reorganization/ttl-undated", "reorganization-date", None),
    ("reorganization/ttl-undated", "unit-change-kind-in-scheme", "change:vanished"),
]


@pytest.mark.parametrize(("record", "rule", "value"), TTL_EXPECTED, ids=[f"{c[1]}:{c[0]}" for c in TTL_EXPECTED])
def test_turtle_corpus_rule_record_and_line(ttl_report: validate.Report, record: str, rule: str,
                                            value: str | None) -> None:
    found = [r for r in results_for(ttl_report, record) if r.rule == rule
             and (value is None or validate._show(r.value) == value)]
    assert found, f"{rule} {value} not reported on {record}: {[(r.rule, r.value) for r in results_for(ttl_report, record)]}"
    assert found[0].severity == "Violation"
    line = ttl_line(TTL_CASES, DEFAULT_BASE + record)
    assert [(s.document, s.line) for s in found[0].sources] == [("literals.ttl", line)]


def test_turtle_corpus_has_nothing_else(ttl_report: validate.Report) -> None:
    expected = {(record, rule, value) for record, rule, value in TTL_EXPECTED}
    got = {(str(r.record).removeprefix(DEFAULT_BASE), r.rule, validate._show(r.value) if r.value is not None
            and r.rule not in {"collectivity-kind", "agreement-kind", "project-title", "reorganization-date"} else None)
           for r in ttl_report.results if not str(r.record).startswith("https://w3id.org/coopkg/vocab/")}
    assert got == expected


def test_broader_concept_of_another_scheme(ttl_report: validate.Report) -> None:
    iri = "https://w3id.org/coopkg/vocab/theme/ttl-orphan"
    found = [r for r in ttl_report.results if str(r.record) == iri]
    assert [(r.rule, validate._show(r.value)) for r in found] == [("concept-broader-scheme", "status:ended")]
    assert found[0].sources[0].line == ttl_line(TTL_CASES, iri)


def test_ill_typed_dates_are_not_ordered(ttl_report: validate.Report) -> None:
    """An ill-typed date is reported as such, never compared: no order result on those records."""
    for record in ("project/ttl-ill-typed-month", "agreement/ttl-ill-typed-date"):
        assert {r.rule for r in results_for(ttl_report, record)} == {"date-ill-typed"}
    # the valid leap days 2000-02-29 and 2004-02-29 are neither ill-typed nor out of order
    assert [validate._show(r.value) for r in results_for(ttl_report, "agreement/ttl-leap-days")] == [
        '"1900-02-29"^^xsd:date']


def test_a_contested_value_is_a_claim_not_a_fact_to_validate(yaml_report: validate.Report) -> None:
    """A claimed value (one source contradicting another) is only a reified statement
    (docs/time.md section 4): the shapes see the record's own values, so an end year that
    only a contradicting source gives does not make the ongoing record "ongoing with a
    past end"."""
    assert results_for(yaml_report, "partnership/ongoing-but-a-source-says-ended") == []


def test_a_part_is_reported_on_its_record(yaml_report: validate.Report, ttl_report: validate.Report) -> None:
    """A qualified party or a unit change has no source of its own: its owning record's is given."""
    party = next(r for r in yaml_report.results if r.rule == "party-role-members")
    assert str(party.focus).endswith("agreement/unknown-member/party/fx-ministry")
    assert str(party.record) == DEFAULT_BASE + "agreement/unknown-member"
    change = next(r for r in ttl_report.results if r.rule == "unit-change-kind-in-scheme")
    assert str(change.record) == DEFAULT_BASE + "reorganization/ttl-undated"


# -- the date ordering, on both SPARQL engines ------------------------------------------------

def _constraint_query(shapes: Graph, name: str) -> str:
    """A SHACL-SPARQL constraint's SELECT with its declared prefixes, $this left unbound."""
    node = URIRef(SHAPES_NS + name)
    prefixes = "".join(f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
                       for decl in shapes.objects(node, SH.prefixes) for d in shapes.objects(decl, SH.declare))
    return prefixes + str(shapes.value(node, SH.select)).replace("$this", "?this")


MIXED = [  # (start, end, end before start?)
    (("2004", XSD.gYear), ("2004-11-19", XSD.date), False),
    (("2004-02-01", XSD.date), ("2003", XSD.gYear), True),
    (("2004-11-19", XSD.date), ("2004", XSD.gYear), False),
    (("2004-11", XSD.gYearMonth), ("2004-11-01", XSD.date), False),
    (("2004-11-02", XSD.date), ("2004-10", XSD.gYearMonth), True),
    (("2005", XSD.gYear), ("2004-12-31", XSD.date), True),
    (("2004-12-31", XSD.date), ("2005", XSD.gYear), False),
    (("2010-02-25", XSD.date), ("2017-06-27", XSD.date), False),
    (("2017-06-27", XSD.date), ("2010-02-25", XSD.date), True),
    (("1999", XSD.gYear), ("2000", XSD.gYear), False),
]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_end_before_start_across_precisions_on_both_engines(engine: str) -> None:
    triples = []
    expected = set()
    for n, ((start, st), (end, et), wrong) in enumerate(MIXED):
        s = URIRef(f"{DEFAULT_BASE}partnership/mixed-{n}")
        triples += [(s, RDF.type, COOP.Partnership), (s, SCHEMA.startDate, Literal(start, datatype=st)),
                    (s, SCHEMA.endDate, Literal(end, datatype=et))]
        if wrong:
            expected.add(s)
    store = from_triples(triples, engine)
    answer = store.query(_constraint_query(validate.load_shapes(), "end-before-start"))
    assert {row[0] for row in answer.rows} == expected


def test_every_sparql_constraint_runs_alike_on_rdflib_and_oxigraph() -> None:
    """The SHACL-SPARQL is plain SPARQL 1.1: both engines give the same rows on the corpus."""
    triples = list(corpus_store().triples()) + list(open_graph(TTL_CASES, "oxigraph").triples())
    stores = [from_triples(triples, "oxigraph"), from_triples(triples, "rdflib")]
    for store in stores:
        validate.prepare(store)
    shapes = validate.load_shapes()
    names = sorted(str(c)[len(SHAPES_NS):] for c in shapes.subjects(RDF.type, SH.SPARQLConstraint))
    assert len(names) >= 15
    for name in names:
        rows = [{tuple(map(str, row)) for row in store.query(_constraint_query(shapes, name)).rows} for store in stores]
        assert rows[0] == rows[1], name


# -- the bundled dataset ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bundled_report(bundled_graph: Path) -> validate.Report:
    return validate.validate(open_graph(bundled_graph, "oxigraph"), "pyshacl")


def test_bundled_dataset_has_no_violation(bundled_report: validate.Report) -> None:
    assert [(str(r.record), r.rule) for r in bundled_report.results if r.severity == "Violation"] == []
    assert bundled_report.ok


def test_bundled_warnings_are_explained_in_the_docs(bundled_report: validate.Report) -> None:
    """Each warning the bundled data raises is listed, with its record, in docs/validation.md."""
    section = DOCS.read_text(encoding="utf-8").split("## Warnings on the bundled dataset", 1)[1].split("\n## ", 1)[0]
    for r in bundled_report.results:
        key = str(r.record).removeprefix(DEFAULT_BASE)
        assert f"`{key}`" in section and f"`{r.rule}`" in section, (key, r.rule)


# -- rendering ------------------------------------------------------------------------------------

def test_text_report_groups_by_record_with_file_line_rule_and_value(yaml_report: validate.Report) -> None:
    text = validate.render_text(yaml_report)
    line = yaml_line(FIXTURES / "dates.yaml", "end-year-before-start-day")
    block = text.split("partnership/end-year-before-start-day", 1)[1].split("\n\n", 1)[0]
    assert f"dates.yaml:{line}" in block
    assert "Violation: The end date is before the start date." in block
    assert '[end-before-start] schema:endDate = "2003"^^xsd:gYear' in block
    assert "27 violation(s), 11 warning(s) in 37 record(s)" in text  # a missing country is a Warning (issue 13)
    french = validate.render_text(yaml_report, "fr")
    assert "La date de fin est antérieure à la date de début." in french
    assert "Avertissement:" in french


def test_json_report(yaml_report: validate.Report) -> None:
    doc = json.loads(validate.render_json(yaml_report))
    assert (doc["ok"], doc["violations"], doc["warnings"]) == (False, 27, 11)
    item = next(r for r in doc["results"] if r["rule"] == "end-before-signature")
    assert item["record"] == DEFAULT_BASE + "agreement/end-month-before-signature"
    assert item["sources"][0]["line"] == yaml_line(FIXTURES / "dates.yaml", "end-month-before-signature")
    assert item["value"] == {"type": "literal", "value": "2010-05", "datatype": str(XSD.gYearMonth)}
    assert item["constraint"] == SHAPES_NS + "end-before-signature"
    assert set(item["messages"]) == {"en", "fr"}


def test_turtle_report_is_a_standard_report_and_deterministic(ttl_report: validate.Report) -> None:
    text = validate.render_turtle(ttl_report)
    assert text == validate.render_turtle(validate.validate(open_graph(TTL_CASES, "oxigraph"), "pyshacl"))
    graph = Graph().parse(data=text, format="turtle")
    reports = list(graph.subjects(RDF.type, SH.ValidationReport))
    assert len(reports) == 1 and graph.value(reports[0], SH.conforms) == Literal(False)
    assert len(list(graph.objects(reports[0], SH.result))) == len(ttl_report.results)


# -- the command ----------------------------------------------------------------------------------

def test_cli_validate_graph_json_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate", "--graph", str(TTL_CASES), "--format", "json", "--engine", "pyshacl"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["violations"] == len(TTL_EXPECTED) + 1 and doc["warnings"] == 0


def test_cli_validate_sources_shows_reading_problems(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["validate", str(FIXTURES / "actors.yaml"), str(FIXTURES / "changes.yaml"), "--engine", "pyshacl",
                     "--lang", "fr"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "refers to unknown key 'no-such-agreement'" in err
    assert f"changes.yaml:{yaml_line(FIXTURES / 'changes.yaml', 'renewal-after-end')}" in out
    assert "Le renouvellement ou l'avenant est daté du jour de la fin" in out


def test_cli_validate_warnings_only_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = tmp_path / "warn.yaml"
    records.write_text((FIXTURES / "actors.yaml").read_text(encoding="utf-8") + """
changes: []
projects:
  - key: finished-project
    title: Finished, no date given
    status: ended
    end_reason: completion
""", encoding="utf-8")
    assert cli.main(["validate", str(records), "--engine", "pyshacl", "-o", str(tmp_path / "r.txt")]) == 0
    report = (tmp_path / "r.txt").read_text(encoding="utf-8")
    assert f"warn.yaml:{yaml_line(records, 'finished-project')}" in report and "[ended-without-end-date]" in report


@pytest.mark.parametrize("argv", [
    ["validate", "--graph", "no-such-graph.ttl"],
    ["validate", "a.yaml", "--graph", "b.ttl"],
    ["validate", "no-such-records.yaml"],
    ["validate", "--format", "xml"],
])
def test_cli_validate_usage_errors_exit_2(argv: list[str]) -> None:
    try:
        code = cli.main(argv)
    except SystemExit as exit_:  # argparse's own usage errors
        code = int(exit_.code or 0)
    assert code == 2


# -- coopkg build keeps a good graph ----------------------------------------------------------

def test_build_does_not_replace_a_good_graph_with_an_invalid_one(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text((FIXTURES / "actors.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "build"
    assert cli.main(["build", str(good), "--out", str(out), "-q", "--engine", "pyshacl"]) == 0
    graph = out / "graph.ttl"
    before = graph.read_bytes()
    assert "valid: no violation" in (out / "validation.txt").read_text(encoding="utf-8")

    bad = [str(good), str(FIXTURES / "dates.yaml")]
    assert cli.main(["build", *bad, "--out", str(out), "-q", "--engine", "pyshacl"]) == 1
    assert graph.read_bytes() == before
    # the held-back graph's report is beside the kept graph's, which still describes graph.ttl
    report = (out / "rejected-validation.txt").read_text(encoding="utf-8")
    assert f"dates.yaml:{yaml_line(FIXTURES / 'dates.yaml', 'end-year-before-start-day')}" in report
    assert "sh:ValidationReport" in (out / "rejected-validation.ttl").read_text(encoding="utf-8")
    assert "valid: no violation" in (out / "validation.txt").read_text(encoding="utf-8")
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]

    assert cli.main(["build", *bad, "--out", str(out), "-q", "--engine", "pyshacl", "--allow-invalid"]) == 1
    assert graph.read_bytes() != before
    assert b"end-year-before-start-day" in graph.read_bytes()
    assert "end-year-before-start-day" in (out / "validation.txt").read_text(encoding="utf-8")
    assert not (out / "rejected-validation.txt").exists()

    assert cli.main(["build", str(good), "--out", str(out), "-q", "--no-validate"]) == 0
    assert graph.read_bytes() == before
    assert not (out / "validation.txt").exists()


# -- both engines ---------------------------------------------------------------------------------

def _signature(report: validate.Report) -> set[tuple[str, ...]]:
    return {(str(r.focus), r.rule, r.severity, str(r.path), validate._show(r.value)) for r in report.results}


@pytest.mark.parametrize("corpus", ["yaml", "turtle"])
def test_fast_engine_gives_the_same_results_as_pyshacl(corpus: str, yaml_report: validate.Report,
                                                       ttl_report: validate.Report) -> None:
    store = corpus_store() if corpus == "yaml" else open_graph(TTL_CASES, "oxigraph")
    fast = validate.validate(store, "fast")
    assert _signature(fast) == _signature(yaml_report if corpus == "yaml" else ttl_report)
