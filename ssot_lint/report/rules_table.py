"""Rule documentation from the rules themselves: the README table, pages and help text.

The rule classes are the single source of truth for their own docs (Fixit's
``document_rules.py`` habit): ``ssot-lint rule CODE``, SARIF's rule help, the README's
table and the pages ``docs/rules/CODE.md`` all come from here. This module only renders
text; the development script ``dev/gen_docs.py`` writes it into the repository (a
packaged module never writes there), and a test fails when the files drift.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence

from ssot_lint.rules import all_rules
from ssot_lint.rules.base import Example, Rule

START = "<!-- rules-table:start -->"
END = "<!-- rules-table:end -->"


def rule_doc(rule: type[Rule]) -> str:
    """The rule's docstring, dedented (the first line is its one-sentence description)."""
    return inspect.cleandoc(rule.__doc__ or rule.summary)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def rules_table(rules: Sequence[type[Rule]] | None = None) -> str:
    """The Markdown table of every rule, sorted by code."""
    rows = ["| code | slug | default severity | fix | what |", "|---|---|---|---|---|"]
    for rule in rules if rules is not None else all_rules():
        rows.append(f"| [{rule.code}](docs/rules/{rule.code}.md) | {rule.slug} | "
                    f"{rule.severity} | {rule.fixable} | {_cell(rule.summary)} |")
    return "\n".join(rows) + "\n"


def _example(example: Example, label: str) -> list[str]:
    lines = [f"{label}{' (' + example.note + ')' if example.note else ''}:"]
    if example.registry.strip():
        lines += ["  registry:", *(("    " + line).rstrip()
                                   for line in example.registry.strip().splitlines())]
    for path, content in sorted(example.files.items()):
        if content.strip():
            lines += [f"  {path}:", *(("    " + line).rstrip()
                                      for line in content.rstrip().splitlines())]
    lines += ["  app/main.py:", *(("    " + line).rstrip()
                                  for line in example.code.rstrip().splitlines())]
    if example.fixed is not None:
        lines += ["  after `ssot-lint fix`:",
                  *(("    " + line).rstrip() for line in example.fixed.rstrip().splitlines())]
    return lines


def rule_help(rule: type[Rule]) -> str:
    """Everything ``ssot-lint rule CODE`` prints about one rule."""
    fix = {"safe": "yes (safe: `ssot-lint fix` applies it)",
           "unsafe": "yes (unsafe: `ssot-lint fix --unsafe-fixes` applies it)",
           "no": "no"}.get(rule.fixable, rule.fixable)
    lines = [f"{rule.code} {rule.slug}", "", rule_doc(rule), "",
             f"Default severity: {rule.severity}", f"Fix available: {fix}",
             f"Configuration: {rule.config or 'none'}"]
    for index, example in enumerate(rule.INVALID, start=1):
        lines += ["", *_example(example, f"Example {index}, reported"
                                + (f" on line {', '.join(map(str, example.lines))}"
                                   if example.lines else ""))]
    for index, example in enumerate(rule.VALID, start=1):
        lines += ["", *_example(example, f"Example {index}, not reported")]
    return "\n".join(lines) + "\n"


def replace_table(readme_text: str, table: str) -> str:
    """``readme_text`` with the text between the markers replaced by ``table``."""
    start, end = readme_text.find(START), readme_text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"README has no {START} ... {END} markers")
    return readme_text[:start + len(START)] + "\n" + table + readme_text[end:]


def rule_page(rule: type[Rule]) -> str:
    """The page ``docs/rules/CODE.md``: exactly what ``ssot-lint rule CODE`` prints."""
    return (f"# {rule.code} {rule.slug}\n\n{_cell(rule.summary)}.\n\n"
            f"What `ssot-lint rule {rule.code}` prints (generated from the rule class by "
            f"`python dev/gen_docs.py`; do not edit):\n\n```text\n{rule_help(rule)}```\n")
