"""Where a rule's documentation page lives, for a diagnostic's ``codeDescription``.

The pages are ``docs/rules/<CODE>.md`` in ssot-lint's repository. No repository
address is known to the package, so the base is a setting (``--docs-url`` or the
``docsUrl`` initialization option) defaulting to the repository's docs path below;
a mirror or an internal fork points it at its own copy.
"""

from __future__ import annotations

DEFAULT_DOCS_URL = "https://github.com/your-org/ssot-lint/blob/main/docs/rules/"


def rule_page(code: str, base: str | None = None) -> str:
    """The URL of ``code``'s page (``SSOT111`` -> ``<base>SSOT111.md``)."""
    base = base or DEFAULT_DOCS_URL
    return f"{base if base.endswith('/') else base + '/'}{code}.md"
