"""ssot-lint's own registry (``registry/ssot-lint.toml``) places every module it ships.

The ``pipeline`` layer stack is exhaustive: each top-level module and package of
``ssot_lint`` has its place, so a module added later must be put in the stack (this
test names it), and the project judged by its own registry has no layer violation.
"""

from __future__ import annotations

import pkgutil

from ssot_lint.load.config import load_config
from ssot_lint.load.registry import load_registry
from ssot_lint.model.registry import Layers
from tests.conftest import REPO, run_check


def _pipeline() -> Layers:
    registry = load_registry(REPO / "registry" / "ssot-lint.toml")
    (stack,) = [stack for stack in registry.layers if stack.name == "pipeline"]
    return stack


def test_every_top_level_module_of_the_package_is_in_the_pipeline_layers() -> None:
    stack = _pipeline()
    shipped = {f"ssot_lint.{info.name}"
               for info in pkgutil.iter_modules([str(REPO / "ssot_lint")])}
    assert shipped - set(stack.order) == set(), (
        "put the new module into the `pipeline` order of registry/ssot-lint.toml")
    assert set(stack.order) - shipped == set(), "the order lists a module that is gone"
    assert stack.exhaustive, "the stack must stay exhaustive so check reports a new module too"


def test_the_package_keeps_its_own_layers_and_contracts() -> None:
    """``ssot-lint check ssot_lint tests`` (the CI self-check): no SSOT2xx finding."""
    assert load_config(REPO).registry_path.name == "ssot-lint.toml"
    found = run_check(REPO, [REPO / "ssot_lint", REPO / "tests"], select=["SSOT2"],
                      cache=False)
    assert [(f.path, f.line, f.code, f.message) for f in found] == []
