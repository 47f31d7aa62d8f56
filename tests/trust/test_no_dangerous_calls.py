"""ssot-lint's own source never evaluates, executes or unpickles anything.

Read with ``ast`` (a regex would miss ``from pickle import loads as l`` and trip on
comments): every call and import in ssot_lint/ is checked against a deny list. The few
legitimate exceptions are listed with the reason they are safe; the test also fails when
an exception is no longer needed, so the list stays true.
"""

from __future__ import annotations

import ast
from pathlib import Path

import ssot_lint

PACKAGE = Path(ssot_lint.__file__).parent

BANNED_BUILTINS = {"eval", "exec", "compile", "__import__", "breakpoint", "input"}
BANNED_MODULES = {"pickle", "cPickle", "_pickle", "marshal", "shelve", "dill", "cloudpickle",
                  "joblib", "runpy", "code", "codeop", "pty", "yaml", "jsonpickle"}
BANNED_ATTRIBUTES = {("os", "system"), ("os", "popen"), ("os", "execv"), ("os", "execve"),
                     ("os", "execvp"), ("os", "execl"), ("os", "spawnv"), ("os", "posix_spawn"),
                     ("importlib", "import_module"), ("importlib", "__import__"),
                     ("subprocess", "run"), ("subprocess", "Popen"), ("subprocess", "call"),
                     ("subprocess", "check_call"), ("subprocess", "check_output"),
                     ("subprocess", "getoutput"), ("ast", "literal_eval")}

ALLOWED = {
    # ssot-lint's own subcommand modules, found by pkgutil in its own package
    ("cli.py", "importlib.import_module"):
        "imports ssot_lint.commands.<name>, names listed from ssot-lint's own package",
    ("rules/__init__.py", "importlib.import_module"):
        "imports ssot_lint.rules.<name>, names listed from ssot-lint's own package",
    ("report/__init__.py", "importlib.import_module"):
        "imports ssot_lint.report.<format>, module names from ssot-lint's own FORMATS table",
    # --changed-since asks git which files changed: a fixed argv, no shell, no project code
    ("changed.py", "import subprocess"): "runs `git` for --changed-since",
    ("changed.py", "subprocess.run"): "runs `git diff --name-only` with an argv list, no shell",
}


def _uses(path: Path) -> set[str]:
    """What ``path`` calls or imports from the deny lists: 'mod.attr', 'import mod', 'name'."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases: dict[str, str] = {}  # local name -> module it stands for
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                aliases[alias.asname or top] = alias.name if alias.asname else top
                if top in BANNED_MODULES or top == "subprocess":
                    found.add(f"import {top}")
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            top = node.module.split(".")[0]
            if top in BANNED_MODULES or top == "subprocess":
                found.add(f"import {top}")
            for alias in node.names:
                if (top, alias.name) in BANNED_ATTRIBUTES:
                    found.add(f"{top}.{alias.name}")
                if top == "builtins" and alias.name in BANNED_BUILTINS:
                    found.add(alias.name)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in BANNED_BUILTINS:
            found.add(func.id)
        elif (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
              and func.value.id in aliases):  # a module bound by an import, not a variable
            module = aliases[func.value.id]
            if (module, func.attr) in BANNED_ATTRIBUTES or module in BANNED_MODULES:
                found.add(f"{module}.{func.attr}")
            if module == "builtins" and func.attr in BANNED_BUILTINS:
                found.add(func.attr)
    return found


def _all_uses() -> set[tuple[str, str]]:
    return {(path.relative_to(PACKAGE).as_posix(), use)
            for path in sorted(PACKAGE.rglob("*.py")) for use in _uses(path)}


def test_no_eval_exec_pickle_or_process_launch_in_ssot_lint() -> None:
    unexpected = sorted(_all_uses() - set(ALLOWED))
    assert unexpected == [], "dangerous calls in ssot_lint (add a reason to ALLOWED only if safe)"


def test_every_allowed_exception_is_still_needed() -> None:
    assert sorted(set(ALLOWED) - _all_uses()) == []


def test_the_scanner_sees_aliased_and_from_imports(tmp_path: Path) -> None:
    """The checker is itself checked: the evasions a regex would miss are found."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import pickle as p\nfrom marshal import loads as l\nimport subprocess as sp\n"
        "import builtins\nfrom importlib import import_module\n"
        "p.loads(b'')\nl(b'')\nsp.Popen(['x'])\nbuiltins.eval('1')\neval('1')\n"
        "exec('x = 1')  # exec in a comment is not a call: exec\n"
        "s = 'eval(1)'\n")
    assert _uses(sample) == {"import pickle", "import marshal", "import subprocess",
                             "pickle.loads", "subprocess.Popen", "eval", "exec",
                             "importlib.import_module"}
