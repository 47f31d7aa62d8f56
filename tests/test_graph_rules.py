"""SSOT201-SSOT204 on small realistic fixture projects (written to tmp_path)."""

from __future__ import annotations

from pathlib import Path

from ssot_lint.api import build_project
from ssot_lint.engine import run_rules
from ssot_lint.graph.analysis import GraphAnalysis, analysis_of
from ssot_lint.graph.violation import GraphViolation
from ssot_lint.load.config import load_config
from ssot_lint.model.finding import Finding
from ssot_lint.rules.ssot204_import_cycle import ImportCycleRule
from tests.conftest import run_check, write_project

SERVICES = """
[services.backend]
packages = ["backend"]
may_import = ["shared", "auth"]

[services.auth]
packages = ["auth"]
may_import = ["shared"]
public = ["auth.api"]
reason = "auth internals change weekly"
owner = "team-auth"

[services.shared]
packages = ["shared"]
may_import = []
reason = "shared is imported by every service and must not depend on any of them"
owner = "platform"
"""


def _of(findings: list[Finding], code: str) -> list[tuple[str, int]]:
    return [(f.path, f.line) for f in findings if f.code == code]


def _messages(findings: list[Finding], code: str) -> list[str]:
    return [f.message for f in findings if f.code == code]


def _services_project(tmp_path: Path, policy: str = "") -> Path:
    return write_project(tmp_path / "proj", {
        "backend/app.py": (
            "from typing import TYPE_CHECKING\n"
            "from shared.util import helper\n"          # allowed
            "from auth.api import login\n"             # allowed, public
            "if TYPE_CHECKING:\n"
            "    from auth.api.models import User\n"   # public submodule: allowed
            "\n"
            "def handler():\n"
            "    from auth.internal import secret\n"   # not public: SSOT201
            "    return secret\n"),
        "shared/util.py": (
            "from typing import TYPE_CHECKING\n"
            "import os\n"
            "from backend import app\n"               # shared may import nothing: SSOT201
            "if TYPE_CHECKING:\n"
            "    from auth.api import login\n"        # TYPE_CHECKING: SSOT201 unless ignored
            "def helper(): ...\n"),
        "auth/api/__init__.py": "def login(): ...\n",
        "auth/api/models.py": "class User: ...\n",
        "auth/internal.py": "secret = 1\nfrom auth.api import login\n",  # own service: fine
        "tools/script.py": "import backend.app\nimport auth.internal\n",  # in no service
    }, policy + SERVICES)


def test_boundaries_direct_function_level_type_checking_and_public(tmp_path: Path) -> None:
    root = _services_project(tmp_path)
    findings = run_check(root)
    assert _of(findings, "SSOT201") == [("backend/app.py", 8), ("shared/util.py", 3),
                                        ("shared/util.py", 5)]
    messages = _messages(findings, "SSOT201")
    assert messages[0] == (
        "`auth.internal` is internal to service `auth` (imported here: `secret`); other "
        "services import it only through its public module `auth.api` — why: auth internals "
        "change weekly; owner: team-auth")
    assert messages[1] == (
        "`shared.util` (service `shared`) imports `backend.app` (service `backend`), but "
        "`shared` may import only: nothing — why: shared is imported by every service and "
        "must not depend on any of them; owner: platform")
    assert ("`shared.util` (service `shared`) imports `login` from `auth.api` (service `auth`)"
            in messages[2])


def test_type_checking_imports_ignored_by_policy(tmp_path: Path) -> None:
    root = _services_project(tmp_path, '[policy]\ntype_checking_imports = "ignore"\n')
    assert _of(run_check(root), "SSOT201") == [("backend/app.py", 8), ("shared/util.py", 3)]


def test_may_import_star_and_unlisted_services(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "ops/run.py": "import billing.core\nimport web.views\n",
        "billing/core.py": "import web.views\n",
        "web/views.py": "X = 1\n",
    }, '[services.ops]\npackages = ["ops"]\nmay_import = ["*"]\n'
       '[services.billing]\npackages = ["billing"]\n')
    # ops may import anything; web is in no service, so billing -> web is not checked
    assert _of(run_check(root), "SSOT201") == []


def test_longest_package_prefix_wins(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "mono/core/base.py": "import mono.plugins.extra\n",
        "mono/plugins/extra.py": "import mono.core.base\n",
    }, '[services.core]\npackages = ["mono"]\n'
       '[services.plugins]\npackages = ["mono.plugins"]\nmay_import = ["core"]\n')
    findings = run_check(root, select=("SSOT201",))
    assert _of(findings, "SSOT201") == [("mono/core/base.py", 1)]
    assert "(service `plugins`)" in findings[0].message


def test_namespace_packages_are_nodes_and_belong_to_services(tmp_path: Path) -> None:
    (tmp_path / "proj" / "plugins").mkdir(parents=True)
    (tmp_path / "proj" / "plugins" / ".namespace").write_text("")
    root = write_project(tmp_path / "proj", {
        "plugins/alpha.py": "import core.engine\n",
        "core/engine.py": "from plugins import alpha\nimport plugins\n",
    }, '[services.core]\npackages = ["core"]\n'
       '[services.plugins]\npackages = ["plugins"]\nmay_import = ["core"]\n')
    assert not (root / "plugins" / "__init__.py").exists()
    findings = run_check(root)
    # core imports the namespace package and its module: both cross the boundary
    assert _of(findings, "SSOT201") == [("core/engine.py", 1), ("core/engine.py", 2)]
    # and core.engine <-> plugins.alpha is a cycle through the namespace package's module
    assert _of(findings, "SSOT204") == [("core/engine.py", 1)]


LAYERS = """
[[layers]]
name = "backend layers"
order = ["app.routes", "app.services", "app.db"]
reason = "requests flow down, never up"
owner = "team-backend"
"""


def test_layers_direct_and_indirect_through_unlayered_modules(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "app/routes/api.py": "from app.services import orders\n",
        "app/services/orders.py": "from app.db import session\n",
        "app/db/session.py": (
            "import app.utils.cache\n"          # -> utils.cache -> utils.web -> routes
            "def flush():\n"
            "    from app.services import orders\n"  # direct, function level
            "    return orders\n"),
        "app/utils/cache.py": "import app.utils.web\n",
        "app/utils/web.py": "import app.routes.api\n",
    }, LAYERS)
    findings = run_check(root, select=("SSOT203",))
    assert [(f.path, f.line) for f in findings] == [("app/db/session.py", 1),
                                                    ("app/db/session.py", 3)]
    indirect, direct = findings[0].message, findings[1].message
    assert indirect == (
        "`app.db.session` (layer `app.db`) indirectly imports `app.routes.api` from the higher "
        "layer `app.routes` of 'backend layers': app.db.session -> app.utils.cache -> "
        "app.utils.web -> app.routes.api; lower layers may not import higher ones — why: "
        "requests flow down, never up; owner: team-backend")
    assert direct.startswith("`app.db.session` (layer `app.db`) imports `app.services.orders` "
                             "from the higher layer `app.services`")


def test_one_layer_finding_per_module_and_higher_layer(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "app/routes/a.py": "X = 1\n", "app/routes/b.py": "Y = 1\n",
        "app/db/q.py": "import app.routes.a\nimport app.routes.b\nimport app.x\n",
        "app/x.py": "import app.routes.b\n",
    }, LAYERS)
    findings = run_check(root, select=("SSOT203",))
    assert [(f.path, f.line) for f in findings] == [("app/db/q.py", 1)]


def test_layers_kept_when_imports_point_down(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "app/routes/api.py": "import app.services.orders\nimport app.helpers\n",
        "app/services/orders.py": "import app.db.session\nimport app.helpers\n",
        "app/db/session.py": "import app.helpers\n",
        "app/helpers.py": "import json\n",
    }, LAYERS)
    assert run_check(root, select=("SSOT2",)) == []


CONTRACT = """
[[contracts]]
name = "cli starts without the database"
kind = "forbidden"
source = ["app.cli"]
forbidden = ["app.db"]
reason = "the CLI must run on machines without database drivers"
owner = "team-tools"
"""


def test_contract_direct_and_indirect_with_chain(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "app/cli/main.py": "import app.cli.args\nimport app.config\n",
        "app/cli/args.py": "def parse():\n    from app.db import models\n",
        "app/config.py": "import app.settings\n",
        "app/settings.py": "from app.db.engine import ENGINE\n",
        "app/db/models.py": "X = 1\n", "app/db/engine.py": "ENGINE = None\n",
    }, CONTRACT)
    findings = run_check(root, select=("SSOT202",))
    assert [(f.path, f.line) for f in findings] == [("app/cli/args.py", 2),
                                                    ("app/cli/main.py", 2)]
    assert findings[0].message == (
        "`app.cli.args` imports `app.db.models`, forbidden by contract 'cli starts without the "
        "database' — why: the CLI must run on machines without database drivers; owner: "
        "team-tools")
    assert findings[1].message.startswith(
        "`app.cli.main` indirectly imports `app.db.engine`, forbidden by contract 'cli starts "
        "without the database': app.cli.main -> app.config -> app.settings -> app.db.engine")


def test_contract_allow_indirect_reports_direct_only(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "app/cli/main.py": "import app.config\n",
        "app/config.py": "import app.db.engine\n",
        "app/db/engine.py": "ENGINE = None\n",
    }, CONTRACT + "allow_indirect = true\n")
    assert run_check(root, select=("SSOT202",)) == []


def test_syntax_error_in_the_middle_of_a_chain_makes_verdicts_unknown(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "app/cli/main.py": "import app.config\n",
        "app/config.py": "import app.settings\n",
        "app/settings.py": "import app.db.engine\ndef broken(:\n",
        "app/db/engine.py": "ENGINE = None\n",
        "app/routes/api.py": "X = 1\n",
        "app/db/session.py": "import app.config\n",
    }, CONTRACT + LAYERS)
    findings = run_check(root)
    assert _of(findings, "SSOT001") == [("app/settings.py", 2)]
    unknown = [f for f in findings if f.code in ("SSOT202", "SSOT203")]
    assert [(f.path, f.line, f.code, f.severity) for f in unknown] == [
        ("app/settings.py", 2, "SSOT202", "warning"), ("app/settings.py", 2, "SSOT203", "warning")]
    assert unknown[0].message == (
        "contract 'cli starts without the database' is unknown — partial graph: its verdict "
        "depends on the imports of app/settings.py, which cannot be parsed")
    assert unknown[1].message.startswith("layer stack 'backend layers' is unknown — partial graph")


def test_a_found_violation_is_reported_despite_a_partial_graph(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "app/cli/main.py": "import app.config\nimport app.db.engine\n",
        "app/config.py": "def broken(:\n",
        "app/db/engine.py": "ENGINE = None\n",
    }, CONTRACT)
    findings = run_check(root, select=("SSOT202",))
    assert [(f.path, f.line, f.severity) for f in findings] == [("app/cli/main.py", 2, "error")]


def test_partial_file_off_every_chain_does_not_matter(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "app/cli/main.py": "import app.config\n",
        "app/config.py": "X = 1\n",
        "app/unrelated.py": "def broken(:\n",
        "app/db/engine.py": "ENGINE = None\n",
    }, CONTRACT)
    assert run_check(root, select=("SSOT202",)) == []


def test_cycles_of_two_and_three_modules(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "pkg/a.py": "import pkg.b\n",
        "pkg/b.py": "from pkg import a\n",
        "pkg/x.py": "import json\nfrom pkg.y import Y\n",
        "pkg/y.py": "from pkg.z import Z\nY = 1\n",
        "pkg/z.py": "import pkg.x\nZ = 1\n",
    })
    findings = run_check(root, select=("SSOT204",))
    assert [(f.path, f.line) for f in findings] == [("pkg/a.py", 1), ("pkg/x.py", 2)]
    assert findings[0].message == (
        "import cycle: pkg.a -> pkg.b -> pkg.a; to break it, make lazy or remove 1 import: "
        "`pkg.a` -> `pkg.b` (pkg/a.py:1)")
    assert findings[1].message.startswith("import cycle: pkg.x -> pkg.y -> pkg.z -> pkg.x;")


def test_cycle_broken_by_lazy_import_unless_policy_says_all(tmp_path: Path) -> None:
    files = {"pkg/a.py": "import pkg.b\n",
             "pkg/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                         "    import pkg.a\ndef later():\n    import pkg.a\n"}
    root = write_project(tmp_path / "eager", files)
    assert run_check(root, select=("SSOT204",)) == []
    root = write_project(tmp_path / "all", files, '[policy]\ncycle_imports = "all"\n')
    assert _of(run_check(root, select=("SSOT204",)), "SSOT204") == [("pkg/a.py", 1)]


def test_package_init_importing_its_submodules_is_not_a_cycle(tmp_path: Path) -> None:
    root = write_project(tmp_path / "proj", {
        "pkg/__init__.py": "from pkg.core import Engine\nfrom pkg import helpers\n",
        "pkg/core.py": "import pkg.helpers\nclass Engine: ...\n",
        "pkg/helpers.py": "from . import util\n",
        "pkg/util.py": "X = 1\n",
    })
    assert run_check(root, select=("SSOT204",)) == []


def test_cycle_breakers_are_the_fewest_imports(tmp_path: Path) -> None:
    # two cycles a->b->a and a->b->c->a share the edge a->b: one import breaks both
    root = write_project(tmp_path / "proj", {
        "pkg/a.py": "import pkg.b\n",
        "pkg/b.py": "import pkg.c\nimport pkg.a\n",
        "pkg/c.py": "import pkg.a\n",
    })
    findings = run_check(root, select=("SSOT204",))
    assert len(findings) == 1
    assert findings[0].message.endswith(
        "(one of the cycles among 3 modules: pkg.a, pkg.b, pkg.c); to break it, make lazy or "
        "remove 1 import: `pkg.a` -> `pkg.b` (pkg/a.py:1)")


def test_findings_are_deterministic(tmp_path: Path) -> None:
    root = _services_project(tmp_path)
    assert run_check(root) == run_check(root)


def test_chain_findings_list_the_files_they_touch(tmp_path: Path) -> None:

    root = write_project(tmp_path / "proj", {
        "app/cli/main.py": "import app.config\n",
        "app/config.py": "import app.settings\n",
        "app/settings.py": "from app.db.engine import ENGINE\n",
        "app/db/engine.py": "ENGINE = None\n",
        "pkg/a.py": "import pkg.b\n", "pkg/b.py": "import pkg.a\n",
    }, CONTRACT)
    findings = run_check(root, select=("SSOT202", "SSOT204"))
    assert [(f.path, f.code, f.extra) for f in findings] == [
        ("app/cli/main.py", "SSOT202", (("touches", "app/config.py"),
                                        ("touches", "app/db/engine.py"),
                                        ("touches", "app/settings.py"))),
        ("pkg/a.py", "SSOT204", (("touches", "pkg/b.py"),))]
    # paths are written like Finding.path: relative to the working directory
    project = build_project(load_config(root))
    seen_from_parent = run_rules(project, project.files, ("SSOT204",), (), cwd=tmp_path)
    assert [(f.path, f.extra) for f in seen_from_parent] == [
        ("proj/pkg/a.py", (("touches", "proj/pkg/b.py"),))]


EXHAUSTIVE = """
[[layers]]
name = "app stack"
order = ["app.web", "app.core.db", "app.core.models"]
exhaustive = true
"""


def _exhaustive_project(tmp_path: Path, registry: str) -> Path:
    root = write_project(tmp_path / "proj", {
        "app/web.py": "import app.core.db\n",
        "app/core/db.py": "import app.core.models\n",
        "app/core/models.py": "X = 1\n",
        "app/core/cache.py": "import app.core.db\n",
        "app/cli.py": "import app.web\n",
        "app/plugins/.namespace": "",
        "app/plugins/extra.py": "import app.web\n",
    }, registry)
    return root


def test_exhaustive_layers_report_every_unplaced_module_in_its_file(tmp_path: Path) -> None:
    """A module directly inside a package that holds a layer, in no layer, is reported
    at line 1 of its own file (a namespace package: its first file); a package that
    holds layers itself (app.core) is judged through its children, not reported."""
    root = _exhaustive_project(tmp_path, EXHAUSTIVE)
    findings = [f for f in run_check(root) if f.code == "SSOT203"]
    assert [(f.path, f.line, f.column) for f in findings] == [
        ("app/cli.py", 1, 1), ("app/core/cache.py", 1, 1), ("app/plugins/extra.py", 1, 1)]
    assert findings[0].message == (
        "`app.cli` is in no layer of 'app stack', which must place every module of `app` "
        "(exhaustive = true)")
    assert "`app.core.cache` is in no layer" in findings[1].message
    assert "`app.plugins` is in no layer" in findings[2].message
    assert findings[0].hint == "add `app.cli` to the stack's order where it belongs (highest first)"


def test_layers_are_not_exhaustive_unless_asked(tmp_path: Path) -> None:
    root = _exhaustive_project(tmp_path, EXHAUSTIVE.replace("exhaustive = true\n", ""))
    assert _of(run_check(root), "SSOT203") == []


def test_a_placed_module_is_judged_like_any_layer(tmp_path: Path) -> None:
    """Placing the modules ends the exhaustive findings; a placed module that imports a
    higher layer is then an ordinary layer violation."""
    registry = EXHAUSTIVE.replace(
        '"app.web", "app.core.db"',
        '"app.cli", "app.plugins", "app.web", "app.core.db", "app.core.cache"')
    root = _exhaustive_project(tmp_path, registry)
    assert _of(run_check(root), "SSOT203") == [("app/core/cache.py", 1)]
    message = _messages(run_check(root), "SSOT203")[0]
    assert message.startswith("`app.core.cache` (layer `app.core.cache`) imports `app.core.db` "
                              "from the higher layer `app.core.db`")


def test_the_graph_is_built_only_for_a_graph_rule_that_applies(tmp_path: Path) -> None:
    """SSOT202/SSOT203 without contracts or layers do not build the graph; SSOT204
    (always applies) does, once, kept in ``Project.shared``."""
    root = write_project(tmp_path / "proj", {"app/a.py": "import app.b\n",
                                             "app/b.py": "import app.a\n"})
    config = load_config(root, overrides={"select": ["SSOT202", "SSOT203"]})
    project = build_project(config)
    assert run_rules(project, project.files, config.select, (), cwd=root) == []
    assert GraphAnalysis not in project.shared
    found = run_rules(project, project.files, ["SSOT204"], (), cwd=root)
    assert [(f.path, f.code) for f in found] == [("app/a.py", "SSOT204")]
    assert project.shared[GraphAnalysis] is analysis_of(project)


def test_each_graph_rule_is_analysed_once_per_project(tmp_path: Path) -> None:
    """The analysis dispatch is the rule's own ``analyse``, run on first request only,
    however many files ask for their violations."""
    class CountingCycles(ImportCycleRule):
        calls = 0

        def analyse(self, graph: GraphAnalysis) -> list[GraphViolation]:
            CountingCycles.calls += 1
            return super().analyse(graph)

    root = write_project(tmp_path / "proj", {"app/a.py": "import app.b\n",
                                             "app/b.py": "import app.a\n",
                                             "app/c.py": "X = 1\n"})
    analysis = GraphAnalysis(build_project(load_config(root)))
    rule = CountingCycles()
    per_file = {rel: analysis.violations_in(rule, rel)
                for rel in ("app/a.py", "app/b.py", "app/c.py")}
    assert CountingCycles.calls == 1
    assert [len(v) for v in per_file.values()] == [1, 0, 0]
    assert analysis.violations(rule) == per_file["app/a.py"]
