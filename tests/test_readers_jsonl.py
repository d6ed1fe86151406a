"""The native record format as JSON Lines: the same records as YAML, one bad line never costs the others."""

from __future__ import annotations

from pathlib import Path

import pytest

from coopkg import build
from coopkg.cli import main
from coopkg.readers import jsonlines, native, native_writer, read_source

HEADER = '{"coopkg": 1, "language": "fr", "source": "sheet.txt"}\n'
GOOD = ('{"section": "collectivities", "key": "fr-a", "name": "Alba", "kind": "commune", "country": "FR"}\n'
        '{"section": "collectivities", "key": "ro-b", "name": "Bistrița@ro", "kind": "county", "country": "RO", '
        '"point": {"lat": 47.13, "long": 24.5}}\n')
PARTNERSHIP = ('{"section": "partnerships", "key": "p1", "parties": ["fr-a", "ro-b"], "title": "Coopération A – B",'
               ' "start": 2008, "status": "ongoing", "line": 12}\n')


def _write(tmp_path: Path, text: str, name: str = "records.jsonl") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_data_written_as_jsonl_builds_byte_identical_turtle(tmp_path: Path) -> None:
    yaml_files = build.bundled_sources()
    jsonl_files = []
    for path in yaml_files:
        result = native.read(path)
        assert not [p for p in result.problems if p.severity == "error"]
        out = _write(tmp_path, native_writer.dump_jsonl(result.records), path.stem + ".jsonl")
        jsonl_files.append(out)
    from_yaml = build.load(yaml_files, whole_gazetteer=True)
    from_jsonl = build.load(jsonl_files, whole_gazetteer=True)
    assert from_jsonl.problems == []
    assert len(from_jsonl.records) == len(from_yaml.records) > 100
    build.write_graph(build.graph_text(from_yaml.records), tmp_path / "yaml.ttl")
    build.write_graph(build.graph_text(from_jsonl.records), tmp_path / "jsonl.ttl")
    assert (tmp_path / "yaml.ttl").read_bytes() == (tmp_path / "jsonl.ttl").read_bytes()


def test_a_record_is_the_same_in_yaml_and_jsonl(tmp_path: Path) -> None:
    jsonl = read_source(_write(tmp_path, HEADER + GOOD + PARTNERSHIP))
    yaml_text = ("coopkg: 1\nlanguage: fr\nsource: sheet.txt\ncollectivities:\n"
                 "  - {key: fr-a, name: Alba, kind: commune, country: FR}\n"
                 "  - {key: ro-b, name: Bistrița@ro, kind: county, country: RO, point: {lat: 47.13, long: 24.5}}\n"
                 "partnerships:\n  - {key: p1, parties: [fr-a, ro-b], title: Coopération A – B, start: 2008,"
                 " status: ongoing, line: 12}\n")
    from_yaml = read_source(_write(tmp_path, yaml_text, "records.yaml"))
    assert jsonl.reader == "jsonl" and from_yaml.reader == "native"
    assert jsonl.problems == from_yaml.problems == []
    assert jsonl.records == from_yaml.records
    assert len(jsonl.records) == 3


@pytest.mark.parametrize(("line", "field", "message"), [
    ('{"section": "collectivities", "key": "x", "name": "X", "name": "Y", "kind": "commune", "country": "FR"}',
     "name", "duplicate key 'name' in one record"),
    ('{"section": "collectivities", "key": "x", "point": {"lat": 1, "lat": 2, "long": 3}}', "lat", "duplicate key 'lat'"),
    ('{"section": "collectivities", "key": "x", "name": "X"', None, "not valid JSON: Expecting ',' delimiter"),
    ('["collectivities", "x"]', None, "must be one JSON object"),
    ('{"section": "towns", "key": "x"}', "section", "'towns' is not a section"),
    ('{"key": "x", "name": "X"}', "section", "None is not a section"),
    ('{"section": "fundings", "key": "f", "amount": NaN}', None, "NaN is not a number"),
    ('{"section": "fundings", "key": "f", "amount": 1e999}', None, "too large for a float"),
    ('{"section": "themes", "key": "t", "x": ' + "[" * 70 + "]" * 70 + "}", None, "COOPKG_LIMIT_YAML_DEPTH"),
    ('{"section": "themes", "key": "t", "x": ' + "[" * 100_000 + "]" * 100_000 + "}", None, "nesting depth"),
])
def test_a_bad_line_is_reported_with_its_line_and_the_others_load(tmp_path: Path, line: str, field: str | None,
                                                                  message: str) -> None:
    result = jsonlines.read(_write(tmp_path, HEADER + GOOD + line + "\n\n" + PARTNERSHIP))
    assert [(p.line, p.field) for p in result.problems] == [(4, field)]
    assert message in result.problems[0].message
    assert [r.key for r in result.records] == ["fr-a", "ro-b", "p1"]
    assert result.records[2].sources[0].line == 12  # the source document's line, not the file's
    assert result.skipped == 1


def test_field_problems_name_the_line_of_their_record(tmp_path: Path) -> None:
    bad = '{"section": "collectivities", "key": "ro-c", "name": "C", "kind": "county", "country": "Romania"}\n'
    result = jsonlines.read(_write(tmp_path, HEADER + GOOD + bad))
    assert [str(p) for p in result.problems] == [
        f"{tmp_path / 'records.jsonl'}:4 [country] (record ro-c): error: "
        "country: country 'Romania' is not an ISO 3166-1 alpha-2 code"]


def test_a_line_over_the_limit_is_refused_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COOPKG_LIMIT_RECORD_LINE_CHARS", "200")
    long = '{"section": "collectivities", "key": "fr-z", "name": "' + "z" * 300 + '", "kind": "commune", "country": "FR"}\n'
    result = jsonlines.read(_write(tmp_path, HEADER + GOOD + long))
    assert [(p.line, "COOPKG_LIMIT_RECORD_LINE_CHARS" in p.message) for p in result.problems] == [(4, True)]
    assert len(result.records) == 2


@pytest.mark.parametrize(("first", "message"), [
    ('{"coopkg": 2}', "unsupported format version 2"),
    ('{"coopkg": true}', "unsupported format version True"),
    ('{"section": "themes", "key": "t"}', "the first line must be"),
    ("coopkg: 1", "not valid JSON"),
])
def test_the_header_line_says_what_the_file_is(tmp_path: Path, first: str, message: str) -> None:
    result = jsonlines.read(_write(tmp_path, first + "\n" + GOOD))
    assert [(p.line, p.field) for p in result.problems] == [(1, "coopkg")]
    assert message in result.problems[0].message
    assert result.records == []


def test_build_reads_jsonl_and_says_file_line_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dup = '{"section": "collectivities", "key": "fr-d", "name": "D", "kind": "commune", "kind": "region", "country": "FR"}\n'
    source = _write(tmp_path, HEADER + GOOD + dup + PARTNERSHIP)
    code = main(["build", "--no-validate", str(source), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1
    assert f"{source}:4 [kind]" in err and "duplicate key 'kind'" in err
    graph = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert "Bistrița" in graph and "fr-d" not in graph


def test_sections_in_any_order_give_the_records_and_problems_of_a_whole_file_read(tmp_path: Path) -> None:
    # Read line by line, each entry is a record at once; the order must stay read_entries':
    # section after section, entries in file order, parse problems first.
    lines = [
        PARTNERSHIP.strip(),
        '{"section": "collectivities", "key": "fr-a", "name": "Alba", "kind": "commune", "country": "FR"}',
        '{"section": "partnerships", "key": "p2", "parties": ["fr-a"], "start": "soon"}',
        "not json",
        '{"section": "collectivities", "key": "fr-a", "name": "Alba bis", "kind": "commune", "country": "FR"}',
        '{"section": "themes", "key": "t1", "label": "Eau"}',
        '{"section": "collectivities", "key": "ro-b", "name": "B", "kind": "county", "country": "ZZZ"}',
        '{"section": "partnerships", "key": "p1", "parties": ["fr-a", "ro-b"], "start": 2010}',
    ]
    path = _write(tmp_path, HEADER + "\n".join(lines) + "\n")
    streamed = jsonlines.read(path)

    whole = jsonlines.ReadResult(reader="jsonl", source=str(path))
    sections: dict[str, list[dict[str, object]]] = {section: [] for section in native.SECTIONS}
    for number, line in enumerate(lines, start=2):
        try:
            entry = jsonlines._parse(line, jsonlines.limits.current())
        except jsonlines._LineError as err:
            whole.problems.append(jsonlines.Problem(str(path), number, err.field, str(err)))
            whole.skipped += 1
            continue
        entry[native.LINE] = number
        sections[entry.pop("section")].append(entry)
    native.read_entries(sections, native.file_context(str(path), "fr", "sheet.txt", whole, line=1), whole)

    assert [r.key for r in streamed.records] == ["fr-a", "ro-b", "p1", "p2"]  # a theme without labels refused
    assert streamed.records == whole.records
    assert streamed.problems == whole.problems
    # the line that is not JSON first, then collectivities, partnerships, themes: not the file's order
    assert [p.line for p in streamed.problems] == [5, 6, 8, 4, 9, 7]
    assert streamed.skipped == whole.skipped


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_a_file_not_utf8_is_one_problem_at_the_byte_a_whole_read_names(tmp_path: Path, bom: bytes) -> None:
    data = bom + (HEADER + GOOD).encode("utf-8") + b'{"section": "themes", "key": "t\xe9"}\n' + PARTNERSHIP.encode()
    path = tmp_path / "records.jsonl"
    path.write_bytes(data)
    with pytest.raises(UnicodeDecodeError) as whole:
        data.decode("utf-8-sig")
    result = jsonlines.read(path)
    assert result.records == [] and len(result.problems) == 1
    problem = result.problems[0]
    assert (problem.file, problem.line) == (str(path), None)
    assert problem.message == f"not UTF-8 text ({whole.value.reason} at byte {whole.value.start})"


def test_a_bom_and_crlf_line_ends_read_as_before(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + GOOD + PARTNERSHIP).replace("\n", "\r\n").encode("utf-8"))
    result = jsonlines.read(path)
    assert result.problems == [] and [r.key for r in result.records] == ["fr-a", "ro-b", "p1"]
