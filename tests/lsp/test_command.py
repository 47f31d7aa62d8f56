"""``ssot-lint lsp`` without its extra: one clear line and exit code 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# The extra's packages made unimportable, as in an install without `ssot-lint[lsp]`
# (a None entry in sys.modules is how Python itself marks a module as absent).
WITHOUT_EXTRA = ("import sys\n"
                 "sys.modules['pygls'] = sys.modules['lsprotocol'] = None\n"
                 "from ssot_lint.cli import main\n"
                 "main(['lsp'])\n")


def test_without_the_extra_the_error_is_one_line_and_exit_2(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", WITHOUT_EXTRA], cwd=tmp_path, input="",
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == ("ssot-lint: error: `ssot-lint lsp` needs the lsp extra "
                           "(lsprotocol is missing): pip install 'ssot-lint[lsp]'\n")
