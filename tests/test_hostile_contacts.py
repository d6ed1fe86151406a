"""A graph built once with --include-contacts holds personal data: exporting or publishing it
later, without the option, says so (it used to go out silently)."""

from __future__ import annotations

from pathlib import Path

import pytest

from coopkg import cli

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"


@pytest.fixture(scope="module")
def graphs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    for name, extra in (("with", ["--include-contacts"]), ("without", [])):
        folder = tmp_path_factory.mktemp(name)
        assert cli.main(["build", str(HOSTILE / "contacts.yaml"), "--out", str(folder), "-q", "--no-validate", *extra]) == 0
        out[name] = folder / "graph.ttl"
    return out


def test_exporting_a_graph_with_contacts_says_so(graphs, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "ana.pop@example.org" in graphs["with"].read_text(encoding="utf-8")
    assert cli.main(["export", "--graph", str(graphs["with"]), "--out", str(tmp_path / "g.jsonld"), "-q"]) == 0
    assert "holds 1 contact person(s) (personal data" in capsys.readouterr().err
    assert cli.main(["export", "--graph", str(graphs["without"]), "--out", str(tmp_path / "h.jsonld"), "-q"]) == 0
    assert "contact person" not in capsys.readouterr().err


def test_publishing_a_graph_with_contacts_says_so(graphs, oxigraph_server, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["publish", "--graph", str(graphs["with"]), "--endpoint", oxigraph_server.query_url, "-q"]) == 0
    assert "holds 1 contact person(s) (personal data" in capsys.readouterr().err


def test_a_name_with_html_comment_markup_keeps_the_network_page_data_valid(tmp_path: Path) -> None:
    import json
    import re

    records = tmp_path / "names.yaml"
    records.write_text('coopkg: 1\ncollectivities:\n'
                       '  - {key: ro-a, name: "A <!-- b </script> & c", kind: county, country: RO}\n'
                       '  - {key: fr-b, name: B, kind: region, country: FR}\n'
                       'partnerships:\n  - {key: p-ab, parties: [ro-a, fr-b], start: 2001}\n', encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["build", str(records), "--out", str(out), "-q", "--no-validate"]) == 0
    page = tmp_path / "net.html"
    assert cli.main(["network", "--graph", str(out / "graph.ttl"), "--html", str(page), "-q"]) == 0
    html = page.read_text(encoding="utf-8")
    data = re.search(r'<script type="application/json" id="network-data">(.*?)</script>', html, re.S).group(1)
    assert "<!--" not in data and "</" not in data
    assert "A <!-- b </script> & c" in json.dumps(json.loads(data), ensure_ascii=False)
