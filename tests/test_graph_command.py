"""``ssot-lint graph`` end to end: formats, levels, depth, focus, output file, errors."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import networkx as nx
import pytest

from ssot_lint.cli import main
from tests.conftest import write_project

REGISTRY = """
[services.web]
packages = ["web"]
may_import = ["core"]

[services.core]
packages = ["core"]
may_import = []
"""

FILES = {
    "web/views.py": "from core.models import User\nimport core.db\nimport web.forms\n",
    "web/forms.py": "from core.models import User\n",
    "core/models.py": "from core import db\nclass User: ...\n",
    "core/db.py": "def connect():\n    import web.views  # core must not import web\n",
}


def _project(tmp_path: Path, files: dict[str, str] | None = None, registry: str = REGISTRY) -> Path:
    return write_project(tmp_path / "proj", files or FILES, registry)


def _run(root: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    old = os.getcwd()
    os.chdir(root)
    try:
        with pytest.raises(SystemExit) as exit_info:
            main(["graph", *args])
    finally:
        os.chdir(old)
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_service_level_mermaid_counts_and_marks_violations(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(_project(tmp_path), "--level", "service", "--format", "mermaid",
                        capsys=capsys)
    assert code == 0
    assert out == (
        "flowchart LR\n"
        '  n0["core"]\n'
        '  n1["web"]\n'
        "  n0 -->|1 SSOT201| n1\n"
        "  n1 -->|3| n0\n"
        "  linkStyle 0 stroke:#d62728,stroke-width:2px,color:#d62728\n")


def test_module_level_dot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(_project(tmp_path), "--format", "dot", capsys=capsys)
    assert '  "core.db" -> "web.views" [label="SSOT201", color="#d62728", ' \
           'fontcolor="#d62728", penwidth=2];' in out
    assert '  "web.views" -> "core.models";' in out
    assert out.startswith("digraph ssot_lint {") and out.endswith("}\n")


def test_json_lists_nodes_and_edges_with_import_sites(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(_project(tmp_path), "--format", "json", capsys=capsys)
    data = json.loads(out)
    assert data["version"] == 1 and data["level"] == "module"
    ids = [n["id"] for n in data["nodes"]]
    assert ids == sorted(ids) and "core.db" in ids and "web" in ids
    db = next(n for n in data["nodes"] if n["id"] == "core.db")
    assert db == {"id": "core.db", "kind": "module", "service": "core", "file": "core/db.py",
                  "partial": False}
    edge = next(e for e in data["edges"] if (e["source"], e["target"]) == ("core.db", "web.views"))
    assert edge["violations"] == ["SSOT201"]
    assert edge["sites"] == [{"path": "core/db.py", "line": 2, "column": 12,
                              "importer": "core.db", "target": "web.views",
                              "scope": "function", "kind": "import"}]
    models = next(e for e in data["edges"]
                  if (e["source"], e["target"]) == ("core.models", "core.db"))
    assert models["sites"][0]["kind"] == "from" and models["violations"] == []


def test_graphml_round_trips_through_networkx(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(_project(tmp_path), "--format", "graphml", "--level", "service",
                     capsys=capsys)
    graph = nx.read_graphml(io.BytesIO(out.encode()))
    assert sorted(graph.nodes) == ["core", "web"]
    assert graph.edges["web", "core"]["count"] == 3
    assert graph.edges["core", "web"]["violations"] == "SSOT201"


def test_depth_focus_and_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _project(tmp_path)
    _, out, _ = _run(root, "--format", "json", "--depth", "1", capsys=capsys)
    data = json.loads(out)
    assert [n["id"] for n in data["nodes"]] == ["core", "web"]
    assert {(e["source"], e["target"], e["count"]) for e in data["edges"]} == \
        {("web", "core", 3), ("core", "web", 1)}
    code, out, err = _run(root, "--format", "json", "--focus", "core.db", "-o", "g.json",
                          capsys=capsys)
    assert code == 0 and out == ""
    data = json.loads((root / "g.json").read_text())
    assert {(e["source"], e["target"]) for e in data["edges"]} == \
        {("core.db", "web.views"), ("core.models", "core.db"), ("web.views", "core.db")}
    assert [n["id"] for n in data["nodes"]] == ["core.db", "core.models", "web.views"]
    assert "wrote 3 nodes and 3 edges to g.json" in err


def test_paths_limit_the_importing_files(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    root = _project(tmp_path)
    _, out, _ = _run(root, "web", "--format", "json", capsys=capsys)
    assert {e["source"] for e in json.loads(out)["edges"]} == {"web.views", "web.forms"}


def test_suppressed_findings_are_not_marked(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    files = dict(FILES)
    files["core/db.py"] = "def connect():\n    import web.views  # ssot-lint: ignore[SSOT201]\n"
    _, out, _ = _run(_project(tmp_path, files), "--level", "service", "--format", "dot",
                     capsys=capsys)
    assert "red" not in out and "#d62728" not in out


def test_cycles_and_partial_files_are_drawn(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    root = _project(tmp_path, {"pkg/a.py": "import pkg.b\n", "pkg/b.py": "import pkg.a\n",
                               "pkg/bad.py": "def broken(:\n"}, "")
    _, out, _ = _run(root, "--format", "dot", capsys=capsys)
    assert '"pkg.a" -> "pkg.b" [label="SSOT204"' in out
    assert '"pkg.b" -> "pkg.a";' in out
    assert '"pkg.bad" [style=dashed' in out


def test_package_level_folds_modules_into_packages(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    root = _project(tmp_path, {"app/api/routes.py": "import app.db.models\nimport app.db.session\n",
                               "app/db/models.py": "X = 1\n", "app/db/session.py": "Y = 1\n"}, "")
    _, out, _ = _run(root, "--format", "json", "--level", "package", capsys=capsys)
    data = json.loads(out)
    assert [(e["source"], e["target"], e["count"]) for e in data["edges"]] == [
        ("app.api", "app.db", 2)]


def test_unknown_focus_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(_project(tmp_path), "--focus", "core.modles", capsys=capsys)
    assert code == 2
    assert "--focus 'core.modles' matches no node of the graph; did you mean 'core.models'?" in err


def test_bad_depth_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = _run(_project(tmp_path), "--depth", "0", capsys=capsys)
    assert code == 2


def test_service_level_without_services_is_a_usage_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(_project(tmp_path, registry=""), "--level", "service", capsys=capsys)
    assert code == 2
    assert "--level service needs services: declare [services.NAME] tables" in err
