"""What the pre-commit hook relies on: named files are judged against the whole project.

pre-commit passes only the staged files. Boundaries, contracts and missing names are
defined by the rest of the project, so the check reads it all and reports findings
only for the files it was given.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import make_formats_project as make_project
from tests.conftest import run_cli

REGISTRY = '''
[services.app]
packages = ["app"]
may_import = []

[services.billing]
packages = ["billing"]

[[contracts]]
name = "handlers stay off the database"
kind = "forbidden"
source = ["app.handlers"]
forbidden = ["app.db"]
reason = "handlers must start without a database"
'''

FILES = {
    "app/handlers.py": "import app.service\nfrom app.models import Usr\n",
    "app/service.py": "import app.db\n",  # not named: the chain goes through it
    "app/db.py": "ENGINE = None\n",
    "app/models.py": "class User: ...\n",
    "app/charges.py": "import billing.ledger\n",  # a violation in a file not named
    "billing/ledger.py": "ROWS = []\n",
}


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_project(tmp_path / "proj", FILES, REGISTRY)
    monkeypatch.chdir(root)
    return root


def test_named_file_is_judged_against_files_not_named(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["check", "-q", "app/handlers.py"], capsys)
    assert code == 1
    lines = out.splitlines()
    assert [line.split(": ")[0] + " " + line.split(": ")[1].split()[0] for line in lines] == [
        "app/handlers.py:1:8 SSOT202", "app/handlers.py:2:24 SSOT103"]
    assert "app.handlers -> app.service -> app.db" in lines[0]  # read from unnamed files
    assert "`app.models` has no name `Usr`" in lines[1]


def test_other_files_violations_are_not_reported_for_named_files(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["check", "-q", "app/models.py", "app/db.py"], capsys)
    assert (code, out) == (0, "")
    code, out, _ = run_cli(["check", "-q"], capsys)  # the whole project does report them
    assert "app/charges.py:1:8: SSOT201" in out
