"""Where a rule's documentation page lives, for a diagnostic's ``codeDescription``.

The pages are ``docs/rules/<CODE>.md`` in ssot-lint's repository. The package knows no
address where a user can reach them (a mirror, an internal fork, a docs site), so the
base is a setting (``--docs-url`` or the ``docsUrl`` initialization option). Without it a
diagnostic carries no link at all: a guessed address that answers 404 is worse than
none, and the same page is always one ``ssot-lint rule CODE`` away.
"""

from __future__ import annotations


def rule_page(code: str, base: str | None) -> str | None:
    """The URL of ``code``'s page (``SSOT111`` -> ``<base>SSOT111.md``); None without a base."""
    if not base:
        return None
    return f"{base if base.endswith('/') else base + '/'}{code}.md"
