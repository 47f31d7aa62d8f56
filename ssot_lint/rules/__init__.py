"""Every rule, collected from the modules of this package.

Adding a rule means adding one module that defines a ``Rule`` subclass with a new
code; nothing else needs to change.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from ssot_lint.rules.base import Example, FileContext, Rule


@lru_cache(maxsize=1)
def rule_codes() -> tuple[str, ...]:
    """Every rule code, sorted, read from the module names (``ssot101_...`` -> SSOT101).

    Configuration checks ``select``/``ignore`` codes against these without importing
    every rule module; a test keeps them equal to ``all_rules()``'s codes.
    """
    return tuple(sorted(info.name.split("_", 1)[0].upper()
                        for info in pkgutil.iter_modules(__path__)
                        if info.name.startswith("ssot")))


@lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    """All rule classes, sorted by code."""
    found: dict[str, type[Rule]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if not info.name.startswith("ssot"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Rule) and value is not Rule \
                    and getattr(value, "code", None) and value.__module__ == module.__name__:
                if value.code in found:
                    raise RuntimeError(f"duplicate rule code {value.code}")
                found[value.code] = value
    return tuple(found[code] for code in sorted(found))


def rule_by_code(code: str) -> type[Rule] | None:
    for rule in all_rules():
        if rule.code == code.upper() or rule.slug == code.lower():
            return rule
    return None


__all__ = ["Example", "FileContext", "Rule", "all_rules", "rule_by_code"]
