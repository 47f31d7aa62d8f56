"""``ssot-lint rule CODE`` / ``ssot-lint rule --all``: a rule's documentation.

Printed from the rule class itself (docstring, severity, fix availability, config
keys, and its VALID/INVALID examples), so the help can never disagree with the code.
"""

from __future__ import annotations

import click


@click.command(name="rule")
@click.argument("code", required=False)
@click.option("--all", "show_all", is_flag=True, help="Print the documentation of every rule.")
def command(code: str | None, show_all: bool) -> None:
    """Explain rule CODE (e.g. SSOT101, or its slug broken-import)."""
    from ssot_lint.errors import ConfigError
    from ssot_lint.report.rules_table import rule_help
    from ssot_lint.rules import all_rules, rule_by_code

    if show_all == (code is not None):
        raise click.UsageError("give a rule CODE or --all (not both)")
    if show_all:
        click.echo("\n\n".join(rule_help(rule).rstrip("\n") for rule in all_rules()))
        return
    assert code is not None
    rule = rule_by_code(code)
    if rule is None:
        known = ", ".join(r.code for r in all_rules())
        raise ConfigError(f"unknown rule {code!r}; known rules: {known} "
                          "(see `ssot-lint rule --all`)")
    click.echo(rule_help(rule), nl=False)
